"""全部买受人书面同意 (HZ 第十条): once the insurance contract stands, a developer that would terminate
it, change the insurer or change its terms must, for homes already sold, obtain the written consent of
every buyer and report to the construction authority. The form states the change, what stays required
(the pack's cover and, on termination, its deposit and termination rules, quoted), and carries a
signature row for each buyer.

Refused: fewer buyers listed than homes sold (全部买受人). Input errors: a change of insurer without
the new insurer; a change of terms without the terms."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import refuse
from ..schemas import DocumentData, Insurer, IsoDate, Owner, Part, Policy, Project, Text
from . import DocumentType, Job

Change = Literal["解除保险合同", "变更保险公司", "变更保险合同内容"]


class TermChange(Part):
    item: Text = Field(title="变更事项")
    before: Text = Field(title="变更前")
    after: Text = Field(title="变更后")


class BuyerConsentData(DocumentData):
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="原保险公司（主承保公司）")
    policy: Policy = Field(title="保险单")
    contract_signed_on: Optional[IsoDate] = Field(None, title="保险合同签订日期")
    change: Change = Field(title="拟办理事项（解除保险合同/变更保险公司/变更保险合同内容）")
    new_insurer: Optional[Insurer] = Field(None, title="变更后的保险公司")
    term_changes: list[TermChange] = Field(default_factory=list, title="变更的合同内容")
    reason: Text = Field(title="原因")
    effective_on: Optional[IsoDate] = Field(None, title="拟生效日期")
    sold_units: int = Field(ge=1, title="已销售住宅套数")
    buyers: list[Owner] = Field(min_length=1, title="买受人（每套一行）")
    authority: Text = Field(title="所属建设行政主管部门")

    @model_validator(mode="after")
    def _complete(self) -> "BuyerConsentData":
        if self.change == "变更保险公司" and self.new_insurer is None:
            raise ValueError("变更保险公司的，请写明变更后的保险公司（new_insurer）")
        if self.change == "变更保险合同内容" and not self.term_changes:
            raise ValueError("变更保险合同内容的，请逐项写明变更事项（term_changes）")
        return self


def derive(job: Job) -> dict:
    data, pack = job.model, job.pack
    term = derived.period_term(job.mandate.document, job.pack)
    rows = derived.scope_rows(pack, data.policy.scopes if data.policy else [])
    termination = data.change == "解除保险合同"
    return {
        "heading": derived.heading(job.mandate.document, ("change",), "解除合同、变更保险公司或变更保险合同内容的事项"),
        "consent_rule": derived.joined(derived.quoted(pack, "contract-change-consent")),
        "cover_text": (f"保险范围及{term}：{derived.scopes_sentence(rows, term)}；保险责任开始时间"
                       f"{derived.liability_start_rule(pack)}") if rows else None,
        "cover_rules": derived.joined(derived.quoted(pack, "basic-and-additional-required", "no-deductible")),
        "termination_rules": derived.joined(derived.quoted(
            pack, "no-maintenance-deposit", "no-unilateral-termination")) if termination else None,
    }


def rules(job: Job):
    data = job.model
    provision = derived.find_provision(job.pack, "contract-change-consent")
    buyers = len([b for b in data.buyers or [] if b is not None])
    if provision and data.sold_units and buyers < data.sold_units:
        return [refuse(job.pack, provision.id, provision.cite, f"对已经销售的住宅工程应当征得全部买受人的书面同意；"
                                                               f"已销售{data.sold_units}套，本同意书仅列{buyers}位买受人")]
    return []


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}住宅工程质量潜在缺陷保险）")
    b.addressee("{{ project.name }}各位买受人：")
    b.para("{{ project.name }}（项目地址：{{ project.address }}）由建设单位{{ project.developer.name }}向{{ insurer.name }}"
           "投保住宅工程质量潜在缺陷保险（保险单号：{{ policy.number }}"
           "{% if contract_signed_on %}，保险合同于{{ contract_signed_on }}签订{% endif %}）。"
           "{% if consent_rule %}{{ consent_rule }}。{% endif %}{{ doc.basis }}，现就下列事项征求全部买受人的书面同意：")
    b.clause("一、", "{{ heading }}",
             "建设单位拟{{ change }}{% if new_insurer %}，由{{ insurer.name }}变更为{{ new_insurer.name }}"
             "（联系电话：{{ new_insurer.phone }}）{% endif %}{% if effective_on %}，拟于{{ effective_on }}生效{% endif %}。"
             "原因：{{ reason }}。")
    with b.when("term_changes"):
        b.table([("序号", 14, "{{ loop.index }}"), ("变更事项", 40, "{{ c.item }}"), ("变更前", 51, "{{ c.before }}"),
                 ("变更后", 51, "{{ c.after }}")], "term_changes", "c")
    b.clause("二、", "买受人权益的保障",
             "{% if cover_text %}现保险合同约定的{{ cover_text }}。{% endif %}"
             "{% if cover_rules %}依照规定，{{ cover_rules }}。{% endif %}"
             "{% if termination_rules %}{{ termination_rules }}。{% endif %}"
             "变更或解除后买受人的保险权益如何保障，由建设单位另行书面说明并提供相关合同文本供买受人查阅。")
    b.clause("三、", "上报",
             "本同意书经全部买受人签字后，由建设单位同时上报{{ authority }}。未征得全部买受人书面同意的，建设单位不得办理上述事项。")
    b.para("本人已知悉上述事项，同意建设单位{{ change }}。")
    b.table([("序号", 14, "{{ loop.index }}"), ("房号", 38, "{{ o.unit or '—' }}"), ("买受人", 38, "{{ o.name }}"),
             ("签字", 36, ""), ("日期", 30, "")], "buyers", "o")
    b.para("已销售住宅{{ sold_units }}套，买受人{{ buyers|length }}位。")
    b.signature("{{ project.developer.name }}", "（盖章）")


TYPE = DocumentType(
    id="buyer-consent",
    title="全部买受人书面同意",
    summary="保险合同成立后解除合同、变更保险公司或变更合同内容时，已销售住宅的全部买受人的书面同意（同时上报建设行政主管部门）",
    model=BuyerConsentData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    required=("change", "reason", "buyers", "authority", "project.developer.name"),
)
