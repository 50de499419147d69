"""争议鉴定申请书 (SH 第十五条): while the policy is in force, any party in dispute (the owner, the
developer or the insurer) over whether a latent defect is covered states the dispute in writing to the
other party and proposes that they jointly commission a qualified third-party appraiser. Who bears the
appraisal fee and how soon the other side must answer come from the pack where it says; where it does
not, the application says so (or uses the period the applicant sets) rather than inventing one.

Refused (input): a respondent with the applicant's own role. Warned: an application after the
policy's last period has ended (the regulation says 在保险合同有效期内)."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import mandate_warning
from ..schemas import DocumentData, IsoDate, Organisation, Part, Phone, Policy, Project, Text
from . import DocumentType, Job

Role = Literal["房屋所有权人", "建设单位", "保险公司"]


class DisputeParty(Part):
    role: Role = Field(title="争议方身份（房屋所有权人/建设单位/保险公司）")
    name: Text = Field(title="名称或姓名")
    unit: Optional[Text] = Field(None, title="房号（房屋所有权人）")
    contact: Optional[Text] = Field(None, title="联系人")
    phone: Optional[Phone] = Field(None, title="联系电话")
    address: Optional[Text] = Field(None, title="通讯地址")


class Dispute(Part):
    location: Text = Field(title="争议部位")
    description: Text = Field(title="质量问题现象")
    found_on: Optional[IsoDate] = Field(None, title="发现日期")
    claim_number: Optional[Text] = Field(None, title="报案号")
    other_view: Text = Field(title="对方意见（如核定结论）")
    other_view_on: Optional[IsoDate] = Field(None, title="对方意见日期")


class Appraiser(Organisation):
    qualification: Optional[Text] = Field(None, title="资质")


class DisputeAppraisalData(DocumentData):
    applicant: DisputeParty = Field(title="申请人（争议方）")
    respondents: list[DisputeParty] = Field(min_length=1, title="被申请人（其他争议方）")
    project: Project = Field(title="项目")
    policy: Policy = Field(title="保险单")
    dispute: Dispute = Field(title="争议内容")
    reasons: list[Text] = Field(min_length=1, title="申请人意见及理由")
    appraisal_items: list[Text] = Field(min_length=1, title="提请鉴定的事项")
    proposed_appraisers: list[Appraiser] = Field(default_factory=list, title="建议的鉴定机构（供协商选定）")
    reply_days: Optional[int] = Field(None, ge=1, le=90, title="请求答复期限（日）",
                                      description="规定未给出答复期限；不填则请对方及时答复")
    attachments: list[Text] = Field(default_factory=list, title="附件")

    @model_validator(mode="after")
    def _parties(self) -> "DisputeAppraisalData":
        if self.applicant is not None and any(r is not None and r.role == self.applicant.role
                                              for r in self.respondents or []):
            raise ValueError(f"被申请人应为其他争议方，不能与申请人同为“{self.applicant.role}”")
        return self


def derive(job: Job) -> dict:
    data, pack, doc = job.model, job.pack, job.mandate.document
    fees = [line for line in derived.provision_quotes(pack, ("dispute",)) if "费用" in line]
    cover = derived.coverage(pack, data.project, data.policy, derived.period_term(doc, pack))
    return {
        "headings": {"content": derived.heading(doc, ("dispute-content",), "争议内容"),
                     "proposal": derived.heading(doc, ("appraisal-proposal",), "提议共同委托具有相应资质的第三方鉴定机构")},
        "dispute_rules": derived.joined(derived.provision_quotes(pack, ("dispute",), ("鉴定",),
                                                             exclude=(derived.clean_quote(job.mandate.document.quote),)
                                                             if doc else ())),
        "fee_text": derived.joined(fees, f"{pack.city}的规定未明确鉴定费用由哪一方承担，由争议各方在委托鉴定时协商确定"
                                          "或按保险合同约定处理"),
        "reply_text": (f"请于收到本申请书之日起{data.reply_days}日内书面答复" if data.reply_days else
                       f"请在收到本申请书后及时书面答复（{pack.city}的规定未规定答复期限）"),
        "cover_end": max((e["end"] for e in cover["ends"]), default=None),
        "respondent_names": "、".join(r.name for r in data.respondents or [] if r is not None) or None,
    }


def rules(job: Job):
    end = derive(job)["cover_end"]
    if end and job.model.date and job.model.date > end:
        return [mandate_warning(job.mandate, f"争议鉴定申请在保险合同有效期内提出；各项保险期限已于"
                                              f"{derived.cn_date(end)}届满，本申请书日期为{derived.cn_date(job.model.date)}")]
    return []


def spec(b: TemplateBuilder) -> None:
    b.masthead()
    b.info_table([
        ("申请人", "{{ applicant.name }}（{{ applicant.role }}{% if applicant.unit %}，{{ applicant.unit }}{% endif %}）"),
        ("申请人联系方式", "{% if applicant.contact %}{{ applicant.contact }}，{% endif %}{{ applicant.phone or '—' }}"
                      "{% if applicant.address %}；{{ applicant.address }}{% endif %}"),
        ("被申请人", "{% for r in respondents %}{{ r.name }}（{{ r.role }}）{% if not loop.last %}；{% endif %}{% endfor %}"),
        ("项目名称及地址", "{{ project.name }}，{{ project.address }}"),
        ("保险单号", "{{ policy.number }}{% if dispute.claim_number %}（报案号：{{ dispute.claim_number }}）{% endif %}"),
    ])
    b.blank()
    b.addressee("{{ respondent_names }}：")
    b.para("申请人与你方就{{ project.name }}{% if applicant.unit %}{{ applicant.unit }}{% endif %}{{ dispute.location }}"
           "的工程质量潜在缺陷是否属于保险责任范围存有异议。{{ doc.basis }}，现以书面形式向你方明确表述争议内容，"
           "并提议共同委托具有相应资质的第三方鉴定机构进行鉴定。")
    b.heading("一、{{ headings.content }}")
    b.para("{% if dispute.found_on %}{{ dispute.found_on }}发现，{% endif %}"
           "{{ dispute.location }}出现{{ dispute.description }}。"
           "你方{% if dispute.other_view_on %}于{{ dispute.other_view_on }}{% endif %}提出的意见为：{{ dispute.other_view }}"
           "申请人认为该问题属于保险责任范围，理由如下：")
    b.numbered("reasons", "{{ r }}", "r")
    b.heading("二、{{ headings.proposal }}")
    b.para("申请人提议双方共同委托具有相应资质的第三方鉴定机构，对下列事项进行鉴定：")
    b.numbered("appraisal_items", "{{ i }}", "i")
    b.para("鉴定机构由争议各方基于公平、公正、公开的原则协商选定，应具备与争议事项相关的专业技术能力，且与争议各方无利益关联；"
           "鉴定按照国家、地方相关工程技术标准及鉴定规范进行，鉴定过程中各方应积极配合，提供必要的资料、信息和现场条件。"
           "{% if dispute_rules %}依照规定：{{ dispute_rules }}。{% endif %}")
    with b.when("proposed_appraisers"):
        b.para("申请人建议从以下机构中协商选定（供参考，以双方协商一致为准）：")
        b.table([("序号", 14, "{{ loop.index }}"), ("机构名称", 70, "{{ a.name }}"),
                 ("资质", 48, "{{ a.qualification or '—' }}"), ("联系电话", 24, "{{ a.phone or '—' }}")],
                "proposed_appraisers", "a")
    b.clause("三、", "鉴定费用", "{{ fee_text }}。")
    b.clause("四、", "答复", "{{ reply_text }}，以便共同办理鉴定委托手续。")
    with b.when("attachments"):
        b.plain("附件：{% for a in attachments %}{{ loop.index }}．{{ a }}{% if not loop.last %}；{% endif %}{% endfor %}")
    b.signature("申请人：{{ applicant.name }}（签字或盖章）")


TYPE = DocumentType(
    id="dispute-appraisal-application",
    title="争议鉴定申请书",
    summary="争议方就潜在缺陷是否属于保险责任向对方书面提出的争议鉴定申请：争议内容、理由、鉴定事项、提议共同委托第三方鉴定机构",
    model=DisputeAppraisalData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="claims",
    required=("applicant.name", "respondents", "dispute.description", "appraisal_items", "reasons"),
)
