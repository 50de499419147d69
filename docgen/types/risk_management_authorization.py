"""风险管理授权书 (HZ 第十一条, 工作指引 3.1): issued by the insurer to the risk-management body it
has engaged by written contract; the body enters the site with it. States what is authorised (the
work and reports the pack gives the body), who, for how long, the participants' duty to cooperate and
the body's independence — each in the regulation's words with its article.

Refused: a risk manager that is itself a participating unit of the project (rmo-independence).
Warned: an authorization dated before the written engagement contract it rests on."""
from __future__ import annotations

from typing import Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import independence, mandate_warning
from ..schemas import DocumentData, Insurer, IsoDate, Organisation, Part, Person, Policy, Project, Text
from . import DocumentType, Job


class Engagement(Part):
    number: Optional[Text] = Field(None, title="委托合同编号")
    signed_on: IsoDate = Field(title="委托合同签订日期")


class AuthorizationData(DocumentData):
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司（授权单位）")
    policy: Policy = Field(title="保险单")
    risk_manager: Organisation = Field(title="风险管理机构（被授权单位）")
    engagement: Engagement = Field(title="风险管理书面委托合同")
    personnel: list[Person] = Field(min_length=1, title="授权进场人员")
    valid_until: Optional[IsoDate] = Field(None, title="授权期限至", description="不填则至委托合同约定的风险管理工作完成之日")
    extra_scope: list[Text] = Field(default_factory=list, title="其他授权事项")

    @model_validator(mode="after")
    def _period(self) -> "AuthorizationData":
        if self.valid_until and self.date and self.valid_until < self.date:
            raise ValueError(f"授权期限（{self.valid_until}）早于授权书日期（{self.date}）")
        return self


def derive(job: Job) -> dict:
    pack = job.pack
    reports = [f"《{d.title}》（{d.cite}）" for d in pack.documents if d.issuer.startswith("风险管理机构")]
    checks = [f"{derived.clean_quote(p.quote)}（{p.cite}）" for p in pack.parameters if p.category == "inspection"]
    participants = derived.participants(job.model.project)
    return {
        "engagement_basis": derived.joined(derived.quoted(pack, "risk-management-required",
                                                            "risk-management-engagement")),
        "reports_text": "、".join(reports) or None,
        "checks_text": derived.joined(checks),
        "cooperation_text": derived.joined(derived.quoted(pack, "rmo-site-access", "contractor-cooperation"),
                                            "工程参建单位应当配合风险管理工作，提供便利条件"),
        "independence_text": derived.joined(derived.quoted(pack, "rmo-independence")),
        "participants_text": "、".join(f"{role}{name}" for role, name in participants) or None,
        "copies": [name for _, name in participants],
    }


def rules(job: Job):
    data, findings = job.model, independence(job.pack, job.model.risk_manager, job.model.project)
    signed = data.engagement.signed_on if data.engagement else None
    if signed and data.date and data.date < signed:
        findings.append(mandate_warning(job.mandate, f"授权书由保险公司在与风险管理机构签订书面委托合同后出具；本授权书日期为{derived.cn_date(data.date)}，"
                 f"早于委托合同签订日期{derived.cn_date(signed)}"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{{ risk_manager.name }}：")
    b.para("{{ project.developer.name }}建设的{{ project.name }}（项目地址：{{ project.address }}）已向本公司投保住宅工程"
           "质量潜在缺陷保险（保险单号：{{ policy.number }}）。{% if engagement_basis %}{{ engagement_basis }}。{% endif %}"
           "本公司已于{{ engagement.signed_on }}与贵单位签订风险管理书面委托合同"
           "{% if engagement.number %}（合同编号：{{ engagement.number }}）{% endif %}，委托贵单位对保险责任内容实施风险管理。"
           "{{ doc.basis }}，特出具本授权书。")
    b.clause("一、", "授权事项",
             "授权贵单位凭本授权书进入{{ project.name }}施工现场，对保险责任内容实施工程质量风险管理，"
             "收集工程资料，对工程中可能出现的质量风险进行辨识、评估，开展现场检查并提出处理建议"
             "{% if checks_text %}；过程检查的频次：{{ checks_text }}{% endif %}"
             "{% if reports_text %}；按规定编制并提交{{ reports_text }}{% endif %}"
             "{% for s in extra_scope %}；{{ s }}{% endfor %}。")
    b.heading("二、授权人员")
    b.table([("序号", 14, "{{ loop.index }}"), ("姓名", 34, "{{ p.name }}"),
             ("职务（角色）", 64, "{{ p.title or '—' }}"), ("联系电话", 44, "{{ p.phone or '—' }}")], "personnel", "p")
    b.clause("三、", "授权期限",
             "本授权书自{{ date }}起生效，{% if valid_until %}至{{ valid_until }}止{% else %}"
             "至风险管理委托合同约定的风险管理工作完成之日止（规定未载授权期限，按委托合同约定）{% endif %}。"
             "委托合同解除或终止的，本授权书同时失效。")
    b.clause("四、", "参建单位配合",
             "{{ cooperation_text }}。{% if participants_text %}请{{ participants_text }}为上述授权人员进入施工现场、"
             "查阅工程资料和开展检查提供便利条件。{% endif %}")
    b.clause("五、", "独立性与工作要求",
             "{% if independence_text %}{{ independence_text }}。{% endif %}"
             "授权人员进入施工现场应出示本授权书，遵守施工现场安全管理规定，如实记录检查情况；"
             "本授权书仅限上述人员在本项目使用，不得转让、转借。")
    b.closing("特此授权。", "{{ insurer.name }}", "（盖章）", copies=True)


TYPE = DocumentType(
    id="risk-management-authorization",
    title="风险管理授权书",
    summary="保险公司向受托风险管理机构出具的授权书：授权事项、进场人员、授权期限、参建单位配合义务、独立性要求",
    model=AuthorizationData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    required=("risk_manager.name", "insurer.name", "engagement.signed_on", "personnel", "project.name"),
)
