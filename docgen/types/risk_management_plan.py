"""风险管理计划 (SH 第七条（二）): how the project's quality risks will be managed — objectives,
team, scope and key parts, the work of each stage, testing, and the reports and time limits the pack
sets (computed where the milestones are known). Uploaded with the preliminary risk analysis within
the pack's time after the briefing; a plan dated later is warned about, and one scheduling fewer
process inspections than a pack's minimum is refused."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import too_few_inspections
from ..schemas import DocumentData, Insurer, Organisation, Project, ProjectProfile, ScheduleRow, StaffMember, Text
from . import DocumentType, Job, deadline_requirements, deadline_rules

REPORT_ANCHORS = ("briefing_meeting", "inspection_report_done", "final_report_issued", "household_acceptance",
                  "pre_viewing")


class RiskManagementPlanData(DocumentData):
    project: Project = Field(title="项目", description="milestones.briefing_meeting：风险管理交底会召开日期")
    profile: Optional[ProjectProfile] = Field(None, title="工程概况")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="风险管理机构")
    objectives: list[Text] = Field(min_length=1, title="风险管理目标")
    team: list[StaffMember] = Field(min_length=1, title="风险管理人员")
    scope: list[Text] = Field(min_length=1, title="风险管理范围")
    key_points: list[Text] = Field(min_length=1, title="重点管控部位和工序")
    schedule: list[ScheduleRow] = Field(min_length=1, title="分阶段工作安排")
    testing: Optional[Text] = Field(None, title="检测安排")


def derive(job: Job) -> dict:
    ms = derived.milestones(job.model.project)
    staffing = [derived.parameter_text(p) for p in job.pack.parameters if p.category == "staffing"]
    return {
        "profile_text": derived.profile_text(job.model.profile),
        "upload": derived.due(job.pack, ms, job.mandate.event),
        "staffing": staffing,
        "frequency": derived.inspection_frequency_text(job.pack),
        "testing_rules": [derived.parameter_text(p) for p in job.pack.parameters if p.category == "testing"]
                         + derived.deadline_lines(job.pack, ("test_result_obtained",), ms),
        "report_rules": derived.deadline_lines(job.pack, REPORT_ANCHORS, ms)
                        + derived.provision_lines(job.pack, ("final-report-withheld", "no-completion-acceptance",
                                                         "rectification", "rectification-upload")),
        "open_points": derived.gap_lines(job.pack, "整改时限", "检查频次"),
    }


def rules(job: Job):
    return deadline_rules(job) + too_few_inspections(job.pack, job.model.schedule)


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.heading("一、编制依据和工程概况")
    b.para("{{ doc.basis }}，保险公司{{ insurer.name }}会同风险管理机构{{ risk_manager.name }}，"
           "结合初步风险分析和风险管理交底会情况，编制{{ project.name }}风险管理计划。"
           "本工程位于{{ project.address }}，建设单位为{{ project.developer.name }}"
           "{% if project.builder %}，施工单位为{{ project.builder.name }}{% endif %}"
           "{% if project.supervisor %}，监理单位为{{ project.supervisor.name }}{% endif %}。"
           "{% if profile_text %}{{ profile_text }}。{% endif %}")
    b.heading("二、风险管理目标")
    b.numbered("objectives")
    b.heading("三、风险管理组织和人员")
    b.staff_table("team")
    with b.when("staffing"):
        b.para("人员要求：{% for s in staffing %}{{ s }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.heading("四、风险管理范围和重点")
    b.para("风险管理范围：{% for s in scope %}{{ s }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.para("重点管控部位和工序：")
    b.numbered("key_points")
    b.heading("五、分阶段工作安排")
    b.schedule_table()
    with b.when("frequency"):
        b.para("规定的{{ frequency }}，本计划按此安排。")
    b.heading("六、检测安排")
    b.para("{% if testing %}{{ testing }}{% else %}按风险管理合同约定委托具有相应资质的检测单位实施检测。{% endif %}")
    b.numbered("testing_rules")
    b.heading("七、报告、上传和整改要求")
    b.numbered("report_rules")
    b.open_points("以上事项按风险管理合同约定执行。")
    b.submission("八、报送", "本计划与初步风险分析报告等材料一并上传监管平台。", "本计划")
    b.signature("保险公司：{{ insurer.name }}（盖章）", "风险管理机构：{{ risk_manager.name }}（盖章）")


TYPE = DocumentType(
    id="risk-management-plan",
    title="风险管理计划",
    summary="交底会后上传监管平台的风险管理计划：目标、人员、范围和重点、分阶段工作、检测、报告与上传期限",
    model=RiskManagementPlanData,
    spec=spec,
    derive=derive,
    requirements=deadline_requirements,
    rules=rules,
    stage="pre-construction",
    required=("team", "schedule", "scope", "key_points", "insurer.name", "project.name"),
)
