"""初步风险分析报告 (SH 第七条（二）): the insurer's first analysis of the project's quality risks,
from the drawings, site investigation and the briefing; uploaded to the supervision platform with
the risk-management plan within the pack's time after the briefing (SH: 3 working days, computed on
the working-day calendar). A report dated after that deadline is warned about."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..schemas import DocumentData, Insurer, Organisation, Person, Project, ProjectProfile, RiskEntry, Text
from . import DocumentType, Job, deadline_requirements, deadline_rules


class PreliminaryRiskAnalysisData(DocumentData):
    project: Project = Field(title="项目", description="milestones.briefing_meeting：风险管理交底会召开日期")
    profile: Optional[ProjectProfile] = Field(None, title="工程概况")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="风险管理机构")
    materials: list[Text] = Field(min_length=1, title="分析所依据的工程资料")
    risks: list[RiskEntry] = Field(min_length=1, title="初步识别的质量风险")
    focus: list[Text] = Field(default_factory=list, title="重点关注事项")
    conclusion: Text = Field(title="初步分析结论")
    preparer: Optional[Person] = Field(None, title="编制人")


def derive(job: Job) -> dict:
    ms = derived.milestones(job.model.project)
    return {
        "profile_text": derived.profile_text(job.model.profile),
        "summary": derived.risk_summary(job.model.risks),
        "upload": derived.due(job.pack, ms, job.mandate.event),
    }


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.particulars(
        "项目名称", "项目地址", "建设单位", "施工单位", "保险公司", "风险管理机构",
        ("交底会日期", "{% if project.milestones.briefing_meeting %}{{ project.milestones.briefing_meeting }}"
                      "{% else %}—{% endif %}"),
        "报告日期",
    )
    b.heading("一、编制依据")
    b.para("{{ doc.basis }}，保险公司{{ insurer.name }}会同风险管理机构{{ risk_manager.name }}，"
           "根据下列工程资料及风险管理交底会情况，对本工程在设计、施工和交付阶段可能存在的质量风险进行初步识别和分析，"
           "形成本报告：")
    b.numbered("materials")
    b.heading("二、工程概况")
    b.para("{{ project.name }}位于{{ project.address }}，建设单位为{{ project.developer.name }}"
           "{% if project.builder %}，施工单位为{{ project.builder.name }}{% endif %}"
           "{% if project.designer %}，设计单位为{{ project.designer.name }}{% endif %}"
           "{% if project.supervisor %}，监理单位为{{ project.supervisor.name }}{% endif %}。"
           "{% if profile_text %}{{ profile_text }}。{% endif %}")
    b.heading("三、主要质量风险识别")
    b.risk_table()
    b.heading("四、风险等级汇总")
    b.para("本次初步分析共识别质量风险{{ summary.total }}项，其中高风险{{ summary.high }}项、中风险{{ summary.medium }}项、"
           "低风险{{ summary.low }}项。{% if summary.high_parts %}高风险部位：{{ summary.high_parts }}，"
           "应列为风险管理计划的重点管控对象。{% endif %}")
    b.heading("五、重点关注事项和初步结论")
    b.numbered("focus")
    b.para("{{ conclusion }}")
    b.submission("六、报送", "本报告与风险管理计划等材料一并上传监管平台。")
    b.signature("{{ insurer.name }}（盖章）", "{% if preparer %}编制人：{{ preparer.name }}{% endif %}")


TYPE = DocumentType(
    id="preliminary-risk-analysis",
    title="初步风险分析报告",
    summary="交底会后上传监管平台的初步风险分析报告：工程概况、质量风险识别与分级、重点关注事项、上传期限",
    model=PreliminaryRiskAnalysisData,
    spec=spec,
    derive=derive,
    requirements=deadline_requirements,
    rules=deadline_rules,
    stage="pre-construction",
    required=("risks", "summary.total", "conclusion", "insurer.name", "project.name"),
)
