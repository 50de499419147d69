"""设计风险管理评估报告 (SH 第八条（一）): the risk manager's assessment of the design documents —
which documents, the design quality risks found (discipline, drawing, severity, suggestion), and
their tracking to closure (跟踪销项: the design unit's reply and whether each item is closed). The
pack's related duties (contract before construction-drawing design, design documents uploaded to the
platform) are stated in the regulation's words."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..schemas import (DocumentData, Insurer, IsoDate, Organisation, Part, Person, Project, ProjectProfile, Severity,
                       Text)
from . import DocumentType, Job


class DesignRisk(Part):
    number: Text = Field(title="编号")
    discipline: Text = Field(title="专业", description="如 建筑、结构、给排水、电气、暖通")
    location: Text = Field(title="图纸编号或部位")
    description: Text = Field(title="设计质量风险描述")
    severity: Severity = Field(title="严重程度（严重/一般）")
    suggestion: Text = Field(title="处理建议")
    reply: Optional[Text] = Field(None, title="设计单位回复")
    closed: bool = Field(title="是否已销项")
    closed_on: Optional[IsoDate] = Field(None, title="销项日期")


class DesignRiskReportData(DocumentData):
    project: Project = Field(title="项目", description="须填写 designer（设计单位）")
    profile: Optional[ProjectProfile] = Field(None, title="工程概况")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="风险管理机构")
    stage: Text = Field(title="设计阶段", description="如 施工图设计阶段")
    round: Optional[Text] = Field(None, title="评估轮次", description="如 第2次评估，跟踪销项")
    drawings: list[Text] = Field(min_length=1, title="评估的设计文件")
    items: list[DesignRisk] = Field(min_length=1, title="设计质量风险")
    conclusion: Text = Field(title="评估结论")
    assessors: list[Person] = Field(min_length=1, title="评估人员")


def _tracking(items) -> dict:
    items = [i for i in items or [] if i is not None]
    open_items = [i for i in items if not i.closed]
    return {"total": len(items), "severe": sum(i.severity == "严重" for i in items),
            "closed": len(items) - len(open_items), "open": len(open_items),
            "rate": derived.ratio_text(len(items) - len(open_items), len(items)),
            "open_list": "、".join(i.number for i in open_items if i.number) or None,
            "open_severe": "、".join(i.number for i in open_items if i.number and i.severity == "严重") or None}


def derive(job: Job) -> dict:
    return {
        "profile_text": derived.profile_text(job.model.profile),
        "tracking": _tracking(job.model.items),
        "duties": derived.provision_lines(job.pack, ("contract-before-design", "design-documents-upload")),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    project = job.model.project
    if project is not None and project.designer is None:
        return [("project.designer", "设计风险管理评估报告须写明设计单位")]
    return []


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.particulars(
        "项目名称", "建设单位",
        ("设计单位", "{{ project.designer.name }}"),
        "保险公司", "风险管理机构",
        ("设计阶段", "{{ stage }}{% if round %}（{{ round }}）{% endif %}"),
        "报告日期",
    )
    b.heading("一、评估依据和范围")
    b.para("{{ doc.basis }}，风险管理机构{{ risk_manager.name }}受保险公司{{ insurer.name }}委托，"
           "对{{ project.name }}{{ stage }}的设计文件开展设计过程的质量风险管控，重点评估可能导致地基基础和主体结构、"
           "保温和防水等工程质量潜在缺陷的设计风险。本次评估的设计文件：")
    b.numbered("drawings")
    with b.when("profile_text"):
        b.para("工程概况：{{ profile_text }}。")
    b.heading("二、设计质量风险及处理建议")
    b.table([("编号", 14, "{{ i.number }}"), ("专业", 14, "{{ i.discipline }}"), ("图纸或部位", 28, "{{ i.location }}"),
             ("设计质量风险描述", 46, "{{ i.description }}"), ("程度", 12, "{{ i.severity }}"),
             ("处理建议", 42, "{{ i.suggestion }}")], "items", "i")
    b.heading("三、跟踪销项情况")
    b.table([("编号", 14, "{{ i.number }}"), ("设计单位回复", 98, "{{ i.reply or '尚未回复' }}"),
             ("销项状态", 44, "{% if i.closed %}已销项{% if i.closed_on %}（{{ i.closed_on }}）{% endif %}"
                          "{% else %}未销项{% endif %}")], "items", "i")
    b.para("本报告共提出设计质量风险{{ tracking.total }}项（其中严重{{ tracking.severe }}项），已销项{{ tracking.closed }}项，"
           "销项率{{ tracking.rate }}；尚未销项{{ tracking.open }}项{% if tracking.open_list %}（{{ tracking.open_list }}）"
           "{% endif %}。{% if tracking.open_severe %}尚未销项的严重设计质量风险：{{ tracking.open_severe }}，"
           "请设计单位及时回复并提交修改后的设计文件，风险管理机构将继续跟踪至销项。{% endif %}")
    b.heading("四、评估结论")
    b.para("{{ conclusion }}")
    with b.when("duties"):
        b.heading("五、有关规定")
        b.numbered("duties")
    b.signature("风险管理机构（盖章）：{{ risk_manager.name }}",
                "评估人员：{% for p in assessors %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}")


TYPE = DocumentType(
    id="design-risk-report",
    title="设计风险管理评估报告",
    summary="设计过程质量风险管控的评估报告：评估的设计文件、设计质量风险及处理建议、设计单位回复与跟踪销项、评估结论",
    model=DesignRiskReportData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    stage="pre-construction",
    required=("items", "tracking.total", "conclusion", "project.designer.name", "insurer.name"),
)
