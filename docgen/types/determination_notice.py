"""核定结果通知 (BJ 第二十条, JY 第十三条): the insurer (in Jiyuan also the property-service or other
professional body it has engaged) tells the owner the result of its determination of a claim, within the
pack's time limit from the claim (7 days; 30 where the case is complex). A covered claim states the
repair or payment and the pack's limit from the agreement; one not covered says that a denial notice
with the reasons follows within the pack's limit, and the routes of dispute.

Warned: a survey, a determination or this notice later than the pack's deadline for it."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import act_in_time
from ..schemas import DocumentData, Insurer, Money, Organisation, Owner, Person, Policy, Project, Text
from . import DocumentType, Job
from .denial_notice import Claim, claim_milestones, determination_deadline


class DeterminationNoticeData(DocumentData):
    owner: Owner = Field(title="业主")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    agent: Optional[Organisation] = Field(None, title="受托办理的专业服务机构（如物业服务企业）")
    policy: Policy = Field(title="保险单")
    claim: Claim = Field(title="索赔")
    covered: bool = Field(title="是否属于保险责任")
    result: Text = Field(title="核定结果")
    repairs: list[Text] = Field(default_factory=list, title="维修方案（属于保险责任的）")
    amount: Optional[Money] = Field(None, title="核定赔偿金额（元）")
    handler: Optional[Person] = Field(None, title="经办人")


def _ids(job: Job) -> dict:
    return {"determination": determination_deadline(job.pack, job.model.claim) or job.mandate.event,
            "survey": "claim-survey", "payment": "claim-payment", "denial": "denial-notice"}


def _dues(job: Job) -> dict:
    milestones = claim_milestones(job.model.claim)
    return {key: derived.event_date(job.pack, milestones, i) for key, i in _ids(job).items()}


def derive(job: Job) -> dict:
    pack, ids, dues = job.pack, _ids(job), _dues(job)
    rules = {key: derived.find_deadline(pack, i) for key, i in ids.items()}
    return {
        "heading": derived.heading(job.mandate.document, ("determination",), "核定结果"),
        "determination_rule": derived.deadline_duty(rules["determination"], dues["determination"])
        if rules["determination"] else None,
        "payment_rule": derived.deadline_sentence(pack, rules["payment"]) if rules["payment"] else None,
        "denial_rule": derived.deadline_duty(rules["denial"], dues["denial"]) if rules["denial"] else None,
        "claims": derived.claim_context(pack, job.model.insurer),
    }


def rules(job: Job):
    data, ids, dues = job.model, _ids(job), _dues(job)
    claim = data.claim
    return (act_in_time(job.pack, ids["survey"], claim.surveyed_on if claim else None, dues["survey"], "现场查勘日期")
            + act_in_time(job.pack, ids["determination"], claim.determined_on if claim else None,
                          dues["determination"], "核定日期")
            + act_in_time(job.pack, ids["determination"], data.date, dues["determination"], "本通知日期"))


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{{ owner.name }}{% if owner.unit %}（{{ project.name }}{{ owner.unit }}）{% endif %}：")
    b.para("{{ claim.received_on }}，{% if agent %}{{ agent.name }}受{{ insurer.name }}委托{% else %}本公司{% endif %}"
           "收到您就{{ project.name }}{% if owner.unit %}{{ owner.unit }}{% endif %}"
           "{{ claim.location }}{{ claim.description }}"
           "提出的索赔申请（报案号：{{ claim.number }}，保险单号：{{ policy.number }}）。"
           "{% if claim.surveyed_on %}{{ claim.surveyed_on }}已派员现场查勘。{% endif %}{{ doc.basis }}，现将核定结果通知如下：")
    b.clause("一、", "{{ heading }}",
             "{{ claim.determined_on }}作出核定：{% if covered %}上述损失属于保险责任范围。{% else %}上述损失不属于保险责任范围。"
             "{% endif %}{{ result }}")
    with b.when("covered"):
        b.clause("二、", "维修或赔偿安排",
                 "{% if repairs %}维修方案：{% for r in repairs %}{{ loop.index }}．{{ r }}{% if not loop.last %}；{% endif %}"
                 "{% endfor %}。{% endif %}{% if amount %}核定赔偿金额{{ amount|yuan }}"
                 "（大写：人民币{{ amount|rmb_upper }}）。{% endif %}请您与我方联系确认维修方案并达成赔偿协议。"
                 "{% if payment_rule %}{{ payment_rule }}。{% endif %}")
    with b.when("not covered"):
        b.clause("二、", "不予赔偿的说明",
                 "{% if denial_rule %}{{ denial_rule }}，不予赔偿通知书将说明理由。{% else %}本公司将以书面形式说明理由。{% endif %}")
    b.clause("三、", "核定时限",
             "{% if determination_rule %}{{ determination_rule }}。{% endif %}"
             "{% if claim.complex %}本索赔情形复杂，按情形复杂的时限核定。{% endif %}")
    b.clause("四、", "异议处理", "您如对核定结果有异议，可按以下规定处理：{{ claims.disputes_text }}。")
    b.para("如有疑问，请联系{% if handler %}{{ handler.name }}{% if handler.phone %}（电话：{{ handler.phone }}）{% endif %}，"
           "或{% endif %}拨打理赔服务电话{{ claims.phone }}。")
    b.closing("特此通知。", "{{ insurer.name }}", "{% if agent %}（受托机构：{{ agent.name }}）{% else %}（盖章）{% endif %}")


TYPE = DocumentType(
    id="determination-notice",
    title="核定结果通知",
    summary="保险公司在规定时限内向业主发出的索赔核定结果通知：核定结果、维修或赔偿安排（或不予赔偿的说明）、核定时限、异议处理",
    model=DeterminationNoticeData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="claims",
    required=("owner.name", "claim.number", "claim.determined_on", "result", "insurer.name"),
)
