"""风险管理交底会会议纪要: minutes of the risk-management briefing held before construction
(SH 第七条（二）, HZ 工作指引 3.2): attendees, quality risks, inspection methods, what each party
must cooperate on, and the follow-up deadlines the pack sets (SH: upload within 3 working days)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import act_before
from ..schemas import Meeting, Part, RiskManagementData, Text
from . import DocumentType, Job


class RiskItem(Part):
    part: Text = Field(title="部位或分部分项工程")
    risk: Text = Field(title="可能存在的质量风险")
    measure: Optional[Text] = Field(None, title="防控措施")


class CooperationItem(Part):
    party: Text = Field(title="参建单位")
    item: Text = Field(title="需配合事宜")


class BriefingMinutesData(RiskManagementData):
    meeting: Meeting = Field(title="会议")
    quality_risks: list[RiskItem] = Field(min_length=1, title="工程中可能存在的质量风险")
    inspection_methods: list[Text] = Field(min_length=1, title="过程中质量检查方式")
    cooperation_items: list[CooperationItem] = Field(min_length=1, title="参建各方需配合事宜")
    resolutions: list[Text] = Field(default_factory=list, title="其他议定事项")


def _milestones(job: Job) -> dict:
    data = job.model
    milestones = dict((data.project.milestones if data.project else None) or {})
    if data.meeting and data.meeting.date:
        milestones["briefing_meeting"] = data.meeting.date
    return milestones


def derive(job: Job) -> dict:
    pack, doc = job.pack, job.mandate.document
    events = derived.events(pack, _milestones(job))
    follow_ups = []
    for deadline in derived.deadlines_from(pack, ("briefing_meeting",)):
        due = events.get(deadline.id)
        when = f"于{derived.cn_date(due.date)}前" if due else f"在{derived.deadline_period(deadline)}"
        follow_ups.append({"id": deadline.id, "date": due.date if due else None,
                           "text": f"{deadline.actor}应{when}完成：{deadline.title}"
                                   f"（{derived.deadline_period(deadline)}，{deadline.cite}）"})
    return {
        "headings": {
            "quality_risks": derived.heading(doc, ("quality-risks",), "工程中可能存在的质量风险"),
            "inspection_methods": derived.heading(doc, ("inspection-methods",), "过程中质量检查方式"),
            "cooperation_items": derived.heading(doc, ("cooperation-items",), "参建各方需配合事宜"),
        },
        "follow_ups": follow_ups,
    }


def rules(job: Job):
    data = job.model
    milestones = (data.project.milestones if data.project else None) or {}
    held = data.meeting.date if data.meeting else None
    return act_before(job.pack, "briefing-meeting", held, milestones.get("construction_start"), "交底会召开日期")


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.meeting_table()
    b.blank()
    b.para("{{ doc.basis }}，{{ meeting.date }}在{{ meeting.place }}召开{{ project.name }}风险管理交底会。"
           "保险公司{{ insurer.name }}、风险管理机构{{ risk_manager.name }}、建设单位{{ project.developer.name }}"
           "及参建各方参加会议，会上就工程中可能存在的质量风险、过程中质量检查方式以及参建各方需配合事宜等"
           "进行了告知。现将会议纪要如下：")
    b.heading("一、参会人员")
    b.attendees_table()
    b.heading("二、{{ headings.quality_risks }}")
    b.table([("序号", 14, "{{ loop.index }}"), ("部位", 36, "{{ r.part }}"),
             ("可能存在的质量风险", 58, "{{ r.risk }}"), ("防控措施", 48, "{{ r.measure or '—' }}")],
            "quality_risks", "r")
    b.heading("三、{{ headings.inspection_methods }}")
    b.numbered("inspection_methods", "{{ m }}", "m")
    b.heading("四、{{ headings.cooperation_items }}")
    b.numbered("cooperation_items", "{{ c.party }}：{{ c.item }}", "c")
    b.minutes_end("五、后续工作及议定事项")


TYPE = DocumentType(
    id="briefing-minutes",
    title="风险管理交底会会议纪要",
    summary="开工前风险管理交底会的会议纪要：参会人员、质量风险、检查方式、参建各方配合事宜、后续上传期限",
    model=BriefingMinutesData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="pre-construction",
    checked_as="meeting-minutes",
    required=("meeting.attendees", "quality_risks", "inspection_methods", "cooperation_items", "meeting.date",
              "meeting.place"),
)
