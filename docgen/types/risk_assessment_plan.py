"""工程质量风险评估实施方案 (BJ 第十七条, HZ 第十条): the insurer's plan for assessing the project's
quality risks — who assesses (the firm and its people), the scope (the cover's scopes from the pack),
the schedule, key milestones and processes, and what the developer must do and notify. Made with
the insurance contract and, once the developer confirms it, attached to the contract; a plan dated
on or after the event the contract must precede (BJ 施工许可, HZ 开工) is warned about, and one
scheduling fewer process inspections than the pack's minimum (HZ 工作指引 3.3) is refused."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import too_few_inspections
from ..schemas import (Confirmation, DocumentData, Insurer, Organisation, Part, Project, ProjectProfile, ScheduleRow,
                       StaffMember, Text)
from . import DocumentType, Job, deadline_rules

DEVELOPER_ANCHORS = ("construction_permit", "construction_start", "household_acceptance", "pre_viewing",
                     "completion_accepted", "delivery")


class KeyMilestone(Part):
    node: Text = Field(title="关键节点")
    planned: Optional[Text] = Field(None, title="计划时间")
    content: Text = Field(title="评估内容")


class KeyProcess(Part):
    process: Text = Field(title="重点工序")
    points: Text = Field(title="检查要点")


class Notification(Part):
    event: Text = Field(title="通知事项")
    lead: Text = Field(title="通知时限和方式")


class RiskAssessmentPlanData(DocumentData):
    project: Project = Field(title="项目")
    profile: Optional[ProjectProfile] = Field(None, title="工程概况")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="实施风险评估的机构")
    team: list[StaffMember] = Field(min_length=1, title="实施风险评估的人员")
    scope: list[Text] = Field(min_length=1, title="具体实施范围")
    schedule: list[ScheduleRow] = Field(min_length=1, title="实施计划")
    key_milestones: list[KeyMilestone] = Field(min_length=1, title="关键节点")
    key_processes: list[KeyProcess] = Field(min_length=1, title="重点工序")
    cooperation: list[Text] = Field(min_length=1, title="需要建设单位配合的具体事项")
    notifications: list[Notification] = Field(min_length=1, title="建设单位的通知义务")
    confirmation: Optional[Confirmation] = Field(None, title="建设单位确认")


def derive(job: Job) -> dict:
    doc, ms = job.mandate.document, derived.milestones(job.model.project)
    heading = lambda key, default: derived.heading(doc, (key,), default)  # noqa: E731
    return {
        "headings": {
            "assessor": heading("assessor", "具体实施工程质量风险评估的机构及其人员情况"),
            "scope": heading("scope", "工程质量风险评估的具体实施范围"),
            "schedule": heading("schedule", "实施计划"),
            "key_milestones": heading("key-milestones", "关键节点"),
            "key_processes": heading("key-processes", "重点工序"),
            "cooperation": heading("developer-cooperation", "需要建设单位配合的具体事项和通知义务"),
        },
        "profile_text": derived.profile_text(job.model.profile),
        "cover_scopes": derived.cover_text(job.pack),
        "frequency": derived.inspection_frequency_text(job.pack),
        "developer_rules": derived.provision_lines(job.pack, categories=("risk-management",), actor="建设单位")
                           + derived.deadline_lines(job.pack, DEVELOPER_ANCHORS, ms, actor="建设单位"),
        "attachment": derived.provision_lines(job.pack, ("contract-attachments",)) or [job.mandate.when],
        "contract_due": derived.due(job.pack, ms, job.mandate.event),
        "open_points": derived.gap_lines(job.pack, "检查频次", "风险评估", "提交时限"),
    }


def rules(job: Job):
    return deadline_rules(job) + too_few_inspections(job.pack, job.model.schedule)


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.heading("一、编制依据和工程概况")
    b.para("{{ doc.basis }}，保险公司{{ insurer.name }}就{{ project.name }}工程质量潜在缺陷保险制定本方案。"
           "本工程位于{{ project.address }}，建设单位为{{ project.developer.name }}"
           "{% if project.builder %}，施工单位为{{ project.builder.name }}{% endif %}"
           "{% if project.supervisor %}，监理单位为{{ project.supervisor.name }}{% endif %}。"
           "{% if profile_text %}{{ profile_text }}。{% endif %}")
    b.heading("二、{{ headings.assessor }}")
    b.para("本工程的工程质量风险评估由保险公司委托{{ risk_manager.name }}实施"
           "{% if risk_manager.address %}（地址：{{ risk_manager.address }}）{% endif %}"
           "{% if risk_manager.phone %}，联系电话：{{ risk_manager.phone }}{% endif %}。"
           "该机构与本工程参建单位不存在关联关系，不参与本工程的勘察、设计、施工、监理和材料供应等工作。"
           "实施人员如下：")
    b.staff_table("team")
    b.heading("三、{{ headings.scope }}")
    b.para("{% if cover_scopes %}风险评估覆盖保险责任内容（{{ cover_scopes }}）。{% endif %}具体实施范围：")
    b.numbered("scope")
    b.heading("四、{{ headings.schedule }}")
    b.schedule_table()
    with b.when("frequency"):
        b.para("规定的{{ frequency }}，本方案按此安排。")
    b.heading("五、{{ headings.key_milestones }}")
    b.table([("序号", 12, "{{ loop.index }}"), ("关键节点", 40, "{{ m.node }}"), ("计划时间", 30, "{{ m.planned or '—' }}"),
             ("评估内容", 74, "{{ m.content }}")], "key_milestones", "m")
    b.heading("六、{{ headings.key_processes }}")
    b.table([("序号", 12, "{{ loop.index }}"), ("重点工序", 44, "{{ p.process }}"), ("检查要点", 100, "{{ p.points }}")],
            "key_processes", "p")
    b.heading("七、{{ headings.cooperation }}")
    b.heading2("（一）需要建设单位配合的具体事项")
    b.numbered("cooperation")
    b.heading2("（二）建设单位的通知义务")
    b.numbered("notifications", "{{ n.event }}：{{ n.lead }}", "n")
    with b.when("developer_rules"):
        b.heading2("（三）规定的建设单位义务和期限")
        b.numbered("developer_rules")
    b.open_points("以上事项按本方案及保险合同约定执行。")
    b.heading("八、方案的确认")
    b.para("{% for a in attachment %}{{ a }}{% if not loop.last %}；{% endif %}{% endfor %}。"
           "{% if contract_due and contract_due.when %}{{ contract_due.sentence }}，即{{ contract_due.when }}。{% endif %}"
           "本方案经建设单位确认后，作为保险合同的附件。")
    b.signature("保险公司：{{ insurer.name }}（盖章）")
    b.confirmation()


TYPE = DocumentType(
    id="risk-assessment-plan",
    title="工程质量风险评估实施方案",
    summary="保险合同附件：实施风险评估的机构和人员、实施范围、实施计划、关键节点、重点工序、建设单位配合事项和通知义务",
    model=RiskAssessmentPlanData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    required=("team", "scope", "schedule", "key_milestones", "key_processes", "cooperation", "notifications",
              "insurer.name"),
)
