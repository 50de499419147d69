"""不予赔偿通知书 (SH 第十三条, HZ 工作指引 4.3, BJ 第二十条, JY 第十三条): the claim, the
determination that it is not covered, the reasons and their basis, the pack's deadline for
issuing the notice (computed from the determination), and the owner's routes of dispute
(SH 第十五条 appraisal, HZ 第十六条, BJ 第二十二条, JY 第十四条)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import act_in_time
from ..schemas import DocumentData, Insurer, IsoDate, Owner, Part, Person, Policy, Project, Text
from . import DocumentType, Job


class Claim(Part):
    number: Text = Field(title="报案号")
    received_on: IsoDate = Field(title="收到索赔申请日期")
    surveyed_on: Optional[IsoDate] = Field(None, title="现场查勘日期")
    determined_on: IsoDate = Field(title="作出核定日期")
    complex: bool = Field(False, title="情形复杂")
    location: Text = Field(title="损失部位")
    description: Text = Field(title="索赔事项")


class Reason(Part):
    text: Text = Field(title="理由")
    basis: Optional[Text] = Field(None, title="依据（保险条款或规定）")


class DenialNoticeData(DocumentData):
    owner: Owner = Field(title="业主（房屋所有权人）")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    policy: Policy = Field(title="保险单")
    claim: Claim = Field(title="索赔")
    determination: Optional[Text] = Field(None, title="核定结论")
    reasons: list[Reason] = Field(min_length=1, title="不予赔偿的理由")
    handler: Optional[Person] = Field(None, title="经办人")


def claim_milestones(claim: Optional[Claim]) -> dict:
    """The claim's events the pack's claim deadlines run from."""
    return {"claim_received": claim.received_on if claim else None,
            "determination_made": claim.determined_on if claim else None}


def determination_deadline(pack, claim: Optional[Claim]) -> Optional[str]:
    """The pack's deadline for determining this claim (情形复杂的 where the claim is complex), if it has one."""
    wanted = "claim-determination-complex" if claim and claim.complex else "claim-determination"
    return wanted if derived.find_deadline(pack, wanted) else None


def _dates(job: Job) -> dict:
    return {e: d.date for e, d in derived.events(job.pack, claim_milestones(job.model.claim)).items()}


def derive(job: Job) -> dict:
    pack, doc = job.pack, job.mandate.document
    dates = _dates(job)
    rule = derived.find_deadline(pack, "denial-notice")
    return {
        "headings": {
            "determination": derived.heading(doc, ("determination",), "核定结论"),
            "reasons": derived.heading(doc, ("reasons",), "不予赔偿的理由"),
        },
        "determination_text": job.model.determination or "上述索赔事项不属于保险责任范围，本公司不予赔偿。",
        "notice_due": dates.get("denial-notice"),
        "notice_rule": derived.deadline_sentence(pack, rule) if rule else None,
        "claims": derived.claim_context(pack, job.model.insurer),
    }


def rules(job: Job):
    claim, dates = job.model.claim, _dates(job)
    findings = act_in_time(job.pack, "denial-notice", job.model.date, dates.get("denial-notice"), "本通知书日期")
    determination = determination_deadline(job.pack, claim)
    if determination and claim:
        findings += act_in_time(job.pack, determination, claim.determined_on, dates.get(determination), "核定日期")
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{{ owner.name }}{% if owner.unit %}（{{ project.name }}{{ owner.unit }}）{% endif %}：")
    b.para("{{ claim.received_on }}，本公司收到您就{{ project.name }}{% if owner.unit %}{{ owner.unit }}{% endif %}"
           "{{ claim.location }}{{ claim.description }}提出的索赔申请（报案号：{{ claim.number }}，"
           "保险单号：{{ policy.number }}）。{% if claim.surveyed_on %}本公司已于{{ claim.surveyed_on }}派员现场查勘。"
           "{% endif %}{{ doc.basis }}，现将核定结果通知如下：")
    b.heading("一、{{ headings.determination }}")
    b.para("本公司于{{ claim.determined_on }}作出核定：{{ determination_text }}")
    b.heading("二、{{ headings.reasons }}")
    b.numbered("reasons", "{{ r.text }}{% if r.basis %}（依据：{{ r.basis }}）{% endif %}", "r")
    b.heading("三、异议与争议处理")
    b.para("您如对本核定结论有异议，可按以下规定处理：{{ claims.disputes_text }}。")
    b.heading("四、通知期限")
    b.para("{% if notice_rule %}{{ notice_rule }}；本通知书应于{{ notice_due }}前发出。{% endif %}"
           "如有疑问，请联系{% if handler %}{{ handler.name }}{% if handler.phone %}（电话：{{ handler.phone }}）"
           "{% endif %}，或{% endif %}拨打理赔服务电话{{ claims.phone }}。")
    b.closing("特此通知。", "{{ insurer.name }}")


TYPE = DocumentType(
    id="denial-notice",
    title="不予赔偿通知书",
    summary="保险公司向业主发出的不予赔偿通知书：核定结论、理由及依据、异议途径，按规则包计算发出期限",
    model=DenialNoticeData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="claims",
    required=("owner.name", "claim.number", "determination_text", "reasons", "insurer.name"),
)
