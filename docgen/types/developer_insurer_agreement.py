"""建设单位与保险公司权利义务协议 (JY 第十五条): the developer and the insurer agree in writing on their
rights and duties towards each other. The agreement restates the cover from the policy, then each
side's duties as the regulation assigns them (quoted with their articles: provisions and time limits
borne by the developer, by the insurer, by both), subrogation and the liability of the parties at fault,
the dispute route the pack prescribes (arbitration or litigation), and what the parties add.

Input error: arbitration without the arbitration commission."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder
from ..schemas import DocumentData, Insurer, Money, Policy, Project, Text
from . import DocumentType, Job

OWN = ("developer-insurer-agreement",)


class DeveloperInsurerAgreementData(DocumentData):
    place: Optional[Text] = Field(None, title="签订地点")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    policy: Policy = Field(title="保险单")
    premium: Optional[Money] = Field(None, title="保险费（元）")
    dispute: Literal["仲裁", "诉讼"] = Field(title="争议解决方式（仲裁/诉讼）")
    arbitration_commission: Optional[Text] = Field(None, title="仲裁委员会")
    developer_terms: list[Text] = Field(default_factory=list, title="甲方的其他权利义务")
    insurer_terms: list[Text] = Field(default_factory=list, title="乙方的其他权利义务")

    @model_validator(mode="after")
    def _commission(self) -> "DeveloperInsurerAgreementData":
        if self.dispute == "仲裁" and not self.arbitration_commission:
            raise ValueError("约定仲裁的，请写明仲裁委员会（arbitration_commission）")
        return self


def derive(job: Job) -> dict:
    data, pack = job.model, job.pack
    duties = derived.duties_of(pack, "建设单位", "保险公司", skip=OWN, categories=(
        "warranty", "contract", "underwriting", "risk-management", "claims", "platform"))
    cover = derived.coverage(pack, data.project, data.policy, derived.period_term(job.mandate.document, pack))
    return {
        "heading": derived.heading(job.mandate.document, ("rights-obligations",), "彼此之间的权利义务"),
        "agreement_rule": derived.joined(derived.quoted(pack, *OWN)),
        "coverage": cover,
        "developer_duties": [*duties["first"], *(data.developer_terms or [])],
        "insurer_duties": [*duties["second"], *(data.insurer_terms or [])],
        "mutual_duties": duties["both"],
        "subrogation_text": derived.joined(derived.provision_quotes(pack, ("subrogation",))),
        "dispute_rules": derived.joined(derived.provision_quotes(pack, ("dispute",))),
        "signatories": [{"role": role, "name": party.name} for role, party in
                        (("甲方（建设单位）", data.project.developer if data.project else None),
                         ("乙方（保险公司）", data.insurer)) if party is not None],
    }


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.plain("甲方（建设单位，被保险人）：{{ project.developer.name }}")
    b.plain("乙方（保险公司）：{{ insurer.name }}")
    b.para("甲方就{{ project.name }}（项目地址：{{ project.address }}）向乙方投保工程质量潜在缺陷保险（保险单号：{{ policy.number }}"
           "{% if premium %}，保险费{{ premium|yuan }}{% endif %}）。{% if agreement_rule %}{{ agreement_rule }}。{% endif %}"
           "{{ doc.basis }}，双方经协商一致，约定彼此之间的权利义务如下：")
    b.clause("一、", "保险责任",
             "保险范围及{{ coverage.period_term }}：{{ coverage.scopes_text or '按保险合同约定' }}"
             "{% if coverage.additional_note %}；{{ coverage.additional_note }}{% endif %}；保险责任开始时间："
             "{% if coverage.start %}{{ coverage.start }}{% else %}{{ coverage.start_rule }}{% endif %}。"
             "保险合同与本协议不一致的，以保险合同为准。")
    b.heading("二、{{ heading }}")
    b.heading2("（一）甲方的权利义务")
    b.numbered("developer_duties", "{{ d }}。", "d")
    b.heading2("（二）乙方的权利义务")
    b.numbered("insurer_duties", "{{ d }}。", "d")
    with b.when("mutual_duties"):
        b.heading2("（三）双方共同的义务")
        b.numbered("mutual_duties", "{{ d }}。", "d")
    b.clause("三、", "代位追偿",
             "{% if subrogation_text %}{{ subrogation_text }}。{% endif %}甲方应在与勘察、设计、施工、监理等单位签订的合同中"
             "约定其配合乙方代位追偿的义务，并在乙方行使代位追偿权时提供必要的资料和协助；甲方不得放弃对责任方请求赔偿的权利。")
    b.clause("四、", "争议解决",
             "{% if dispute_rules %}{{ dispute_rules }}。{% endif %}双方因本协议或保险合同发生争议的，协商不成，"
             "{% if dispute == '仲裁' and arbitration_commission %}提交{{ arbitration_commission }}仲裁"
             "{% else %}依法向有管辖权的人民法院提起诉讼{% endif %}。")
    b.para("本协议自双方盖章之日起生效，一式两份，双方各执一份。")
    b.signing()


TYPE = DocumentType(
    id="developer-insurer-agreement",
    title="建设单位与保险公司权利义务协议",
    summary="建设单位与保险公司约定彼此之间权利义务的协议：保险责任、双方依规定承担的义务、代位追偿、争议解决（仲裁或诉讼）",
    model=DeveloperInsurerAgreementData,
    spec=spec,
    derive=derive,
    stage="underwriting",
    required=("project.developer.name", "insurer.name", "developer_duties", "insurer_duties", "dispute"),
)
