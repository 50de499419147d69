"""理赔交底会议纪要 (SH 第七条（七）): the claims briefing the insurer holds with the developer, the risk
manager, the builder and the property manager before the claims period: who attended, the liability,
scopes and periods, how to apply for a claim, and the claims handover inspection (what was jointly
inspected, who repairs what before cover starts, the files handed over), then what falls due before
cover starts. The meeting's deadline (2 months before cover starts) comes from the pack.

Warned: a briefing held after the pack's deadline; a joint inspection after its deadline."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import act_in_time, builder_required, cover_requirements, scope_periods
from ..schemas import InsuredData, IsoDate, Meeting, Organisation, Part, Text
from . import DocumentType, Job

BRIEFING, JOINT = "claims-briefing", "joint-inspection"


class HandoverItem(Part):
    item: Text = Field(title="查验事项")
    result: Text = Field(title="查验结果")
    responsible: Optional[Text] = Field(None, title="维修责任单位")
    due: Optional[IsoDate] = Field(None, title="维修完成期限")


class Handover(Part):
    inspected_on: Optional[IsoDate] = Field(None, title="共同查验日期")
    items: list[HandoverItem] = Field(min_length=1, title="查验事项")
    documents: list[Text] = Field(default_factory=list, title="移交资料")


class ClaimsBriefingData(InsuredData):
    risk_manager: Organisation = Field(title="风险管理机构")
    property_manager: Organisation = Field(title="物业单位")
    meeting: Meeting = Field(title="会议")
    handover: Handover = Field(title="理赔交割查验")
    resolutions: list[Text] = Field(default_factory=list, title="其他议定事项")


def _dues(job: Job) -> dict:
    milestones = derived.milestones(job.model.project)
    return {i: derived.event_date(job.pack, milestones, i) for i in (BRIEFING, JOINT)}


def derive(job: Job) -> dict:
    data, pack, doc = job.model, job.pack, job.mandate.document
    briefing = derived.find_deadline(pack, BRIEFING)
    dues = _dues(job)
    return {
        "headings": {key.replace("-", "_").removesuffix("_inspection"): derived.heading(doc, (key,), default)
                     for key, default in (("liability", "保险责任"), ("scope", "保险范围"), ("period", "保险期限"),
                                          ("claim-process", "理赔申请流程"), ("handover-inspection", "理赔交割查验手续"))},
        "coverage": derived.coverage(pack, data.project, data.policy, derived.period_term(doc, pack)),
        "claims": derived.claim_context(job.pack, data.insurer),
        "terms": derived.claim_terms(pack),
        "briefing_rule": derived.deadline_duty(briefing, dues[BRIEFING]) if briefing else None,
        "joint_rule": derived.joined(derived.quoted(pack, JOINT)),
        "follow_ups": derived.deadline_duties(pack, derived.milestones(data.project), ("liability-start",), skip=(
            BRIEFING, *([JOINT] if data.handover and data.handover.inspected_on else []))),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    project = job.model.project
    return cover_requirements(job.pack, project, job.model.policy) + builder_required(job.mandate.cite, project)


def rules(job: Job):
    data, dues = job.model, _dues(job)
    held = data.meeting.date if data.meeting else None
    inspected = data.handover.inspected_on if data.handover else None
    return (scope_periods(job.pack, data.policy.scopes if data.policy else [])
            + act_in_time(job.pack, BRIEFING, held, dues[BRIEFING], "理赔交底会召开日期")
            + act_in_time(job.pack, JOINT, inspected, dues[JOINT], "共同查验日期"))


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.meeting_table("{{ insurer.name }}")
    b.blank()
    b.para("{{ doc.basis }}，{{ meeting.date }}，{{ insurer.name }}在{{ meeting.place }}组织"
           "建设单位{{ project.developer.name }}、"
           "风险管理机构{{ risk_manager.name }}、施工单位{{ project.builder.name }}、物业单位{{ property_manager.name }}"
           "召开{{ project.name }}理赔交底会，说明保险责任、范围、期限、理赔申请流程，并履行理赔交割查验手续。"
           "本项目保险责任开始时间为{{ coverage.start }}，即{{ coverage.start_rule }}。"
           "{% if briefing_rule %}{{ briefing_rule }}。{% endif %}现将会议纪要如下：")
    b.heading("一、参会人员")
    b.attendees_table()
    b.clause("二、", "{{ headings.liability }}",
             "{{ coverage.liability }}。{% if terms.indemnity %}{{ terms.indemnity }}。{% endif %}"
             "{{ claims.exclusions_text }}。{% if terms.waiver %}{{ terms.waiver }}。{% endif %}")
    b.clause("三、", "{{ headings.scope }}和{{ headings.period }}",
             "{{ headings.scope }}及{{ headings.period }}：{{ coverage.scopes_text }}"
             "{% if coverage.additional_note %}；{{ coverage.additional_note }}{% endif %}，"
             "各项{{ headings.period }}自{{ coverage.start }}起计算"
             "{% for e in coverage.ends %}；{{ e.title }}至{{ e.end }}止{% endfor %}。各项承保内容见下表。")
    b.coverage_table()
    b.clause("四、", "{{ headings.claim_process }}",
             "{% if terms.claimant %}{{ terms.claimant }}。{% endif %}在{{ headings.period }}内发现保险范围内的质量缺陷的，"
             "向{{ insurer.name }}{% if claims.department %}（{{ claims.department }}）{% endif %}报案并提出索赔申请，"
             "报案电话：{{ claims.phone }}；物业单位{{ property_manager.name }}协助受理业主报修并转报保险公司。"
             "理赔按以下流程和时限办理：{{ claims.steps_text }}。{% if claims.hotline_text %}{{ claims.hotline_text }}。{% endif %}"
             "{% if terms.repair_warranty %}{{ terms.repair_warranty }}。{% endif %}{{ claims.disputes_text }}。")
    b.heading("五、{{ headings.handover }}")
    b.para("{% if handover.inspected_on %}{{ handover.inspected_on }}，{% endif %}建设单位组织施工单位会同保险公司对工程质量"
           "情况进行了共同查验，查验结果及维修安排如下：")
    b.table([("序号", 12, "{{ loop.index }}"), ("查验事项", 44, "{{ h.item }}"), ("查验结果", 48, "{{ h.result }}"),
             ("维修责任单位", 30, "{{ h.responsible or '—' }}"), ("完成期限", 22, "{{ h.due or '—' }}")],
            "handover.items", "h")
    b.para("{% if joint_rule %}依照规定，{{ joint_rule }}。{% endif %}保险责任开始前出现的质量问题按以下规定处理："
           "{{ claims.pre_cover_text or '由建设单位按规定负责保修' }}。"
           "{% if handover.documents %}移交资料：{% for d in handover.documents %}{{ d }}"
           "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}")
    b.minutes_end("六、后续工作及议定事项")


TYPE = DocumentType(
    id="claims-briefing-minutes",
    title="理赔交底会议纪要",
    summary="理赔责任期开始前保险公司组织的理赔交底会会议纪要：参会人员、保险责任、范围、期限、理赔申请流程、理赔交割查验手续",
    model=ClaimsBriefingData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="pre-cover",
    required=("meeting.attendees", "meeting.date", "coverage.scopes_text", "claims.steps_text", "handover.items"),
)
