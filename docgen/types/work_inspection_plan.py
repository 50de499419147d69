"""工作检查计划 / 风险管理机构工作检查计划 (SH 第七条（三）, HZ 工作指引 3.2): the inspection plan for
the whole construction — the materials and risk assessment it rests on (HZ: required, 工作指引 3.2),
who inspects, the rounds of each stage (a stage below the pack's monthly minimum, HZ 工作指引 3.3,
is refused), what each inspection checks, how results are reported and rectified (the pack's words),
and, where the insurer issues it (SH), its appraisal and unannounced checks of the risk manager."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import too_few_inspections
from ..schemas import Part, RiskEntry, RiskManagementData, ScheduleRow, StaffMember, Text
from . import DocumentType, Job

ASSESS_FIRST = "rmo-risk-assessment"  # provision: assess the risks, then plan (HZ 工作指引 3.2)


class CheckItem(Part):
    stage: Text = Field(title="阶段")
    item: Text = Field(title="检查部位或项目")
    points: Text = Field(title="检查要点")
    method: Optional[Text] = Field(None, title="检查方式")


class WorkInspectionPlanData(RiskManagementData):
    materials: list[Text] = Field(default_factory=list, title="收集的工程资料")
    risks: list[RiskEntry] = Field(default_factory=list, title="质量风险评估")
    team: list[StaffMember] = Field(min_length=1, title="检查人员")
    schedule: list[ScheduleRow] = Field(min_length=1, title="检查计划")
    checks: list[CheckItem] = Field(min_length=1, title="检查内容和要点")
    audits: list[Text] = Field(default_factory=list, title="对风险管理机构的考核和飞行检查安排")


def derive(job: Job) -> dict:
    by_insurer = job.mandate.issuer.startswith("保险公司")
    return {
        "signer": "insurer" if by_insurer else "risk_manager",
        "frequency": derived.inspection_frequency_text(job.pack),
        "reporting": derived.deadline_lines(job.pack, ("inspection_report_done",), {})
                     + derived.provision_lines(job.pack, ("rectification", "rectification-upload"))
                     + derived.document_lines(job.pack, ("rectification-reply",)),
        "open_points": derived.gap_lines(job.pack, "过程检查报告", "整改时限", "整改与书面回复"),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    provision = derived.find_provision(job.pack, ASSESS_FIRST)
    if provision and not job.model.risks:
        return [("risks", f"{provision.quote}（{provision.cite}）：请填写质量风险评估（risks）")]
    return []


def rules(job: Job):
    return too_few_inspections(job.pack, job.model.schedule)


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.heading("一、编制依据")
    b.para("{{ doc.basis }}，{% if signer == 'insurer' %}保险公司{{ insurer.name }}督促风控人员和项目经理，"
           "会同风险管理机构{{ risk_manager.name }}{% else %}风险管理机构{{ risk_manager.name }}受保险公司"
           "{{ insurer.name }}委托，{% endif %}对{{ project.name }}（{{ project.address }}，建设单位"
           "{{ project.developer.name }}）全过程的质量风险管控编制本工作检查计划。")
    with b.when("materials or risks"):
        b.heading2("（一）收集的工程资料")
        b.numbered("materials")
        b.heading2("（二）质量风险评估")
        b.risk_table()
    b.heading("二、检查人员")
    b.staff_table("team")
    b.heading("三、检查计划")
    b.schedule_table()
    with b.when("frequency"):
        b.para("规定的{{ frequency }}，本计划按此安排。")
    b.heading("四、检查内容和要点")
    b.table([("阶段", 26, "{{ c.stage }}"), ("检查部位或项目", 38, "{{ c.item }}"), ("检查要点", 62, "{{ c.points }}"),
             ("检查方式", 30, "{{ c.method or '—' }}")], "checks", "c")
    b.heading("五、检查结果的报告和整改")
    b.para("每次检查后编写检查报告，报保险公司和建设单位；检查发现的质量缺陷按下列规定整改：")
    b.numbered("reporting")
    b.open_points("整改期限在检查报告中逐项明确。")
    with b.when("audits"):
        b.heading("六、对风险管理机构的考核和飞行检查")
        b.numbered("audits")
    b.signature("{% if signer == 'insurer' %}{{ insurer.name }}{% else %}{{ risk_manager.name }}{% endif %}（盖章）")


TYPE = DocumentType(
    id="work-inspection-plan",
    title="工作检查计划",
    summary="全过程质量风险管控的工作检查计划：工程资料和质量风险评估、检查人员、各阶段检查安排和频次、检查要点、报告和整改",
    model=WorkInspectionPlanData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="pre-construction",
    required=("team", "schedule", "checks", "insurer.name", "risk_manager.name"),
)
