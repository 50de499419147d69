"""质量风险过程检查报告 / 工程质量风险过程评估报告 / 检查报告 (HZ 工作指引 3.3, BJ 第十八条,
JY 第九条): one process inspection — what was inspected and how, the defects found (severity,
responsible unit, rectification status, photos optional as in the final report), the handling
opinions, the rectification of earlier defects, the potential-defect risk analysis (HZ), and the
pack's rectification duties (JY: severe defects also reported to the authority). Headings are the
pack's element titles; the pack's inspection frequency and its open points are stated."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import defect_photo_problems
from ..schemas import IsoDate, Part, Person, ReportDefect, RiskLevel, RiskManagementData, Text
from . import DocumentType, Job


class Visit(Part):
    date: IsoDate = Field(title="检查日期")
    number: Optional[Text] = Field(None, title="检查序号", description="如 基础阶段第3次")
    stage: Text = Field(title="施工阶段")
    scope: Text = Field(title="检查范围和内容")
    methods: Optional[Text] = Field(None, title="检查方式")
    inspectors: list[Person] = Field(min_length=1, title="检查人员")
    attendees: Optional[Text] = Field(None, title="参加检查的参建单位人员")
    summary: Text = Field(title="检查情况")


class ScopeRisk(Part):
    scope: Text = Field(title="保险责任内容（承保范围）")
    analysis: Text = Field(title="潜在缺陷风险分析")
    level: RiskLevel = Field(title="风险等级（高/中/低）")


class ProcessInspectionReportData(RiskManagementData):
    inspection: Visit = Field(title="本次检查")
    defects: list[ReportDefect] = Field(default_factory=list, title="质量缺陷（本次发现及以往未销项）")
    opinions: list[Text] = Field(default_factory=list, title="处理意见和建议（总体）")
    risk_analysis: list[ScopeRisk] = Field(default_factory=list, title="潜在缺陷风险分析")


def derive(job: Job) -> dict:
    doc, data = job.mandate.document, job.model
    visit = data.inspection.date if data.inspection else None
    defects = [d for d in data.defects or [] if d is not None]
    earlier = [d for d in defects if d.found_on and visit and d.found_on < visit]
    rows = derived.defect_rows(defects, job.base_dir)
    return {
        "headings": {
            "inspection": derived.heading(doc, ("inspection-description",), "检查情况"),
            "defects": derived.heading(doc, ("defects-found", "defects"), "检查发现的质量缺陷"),
            "opinions": derived.heading(doc, ("recommendations", "handling-opinions"), "处理意见和建议"),
            "rectification": derived.heading(doc, ("rectification-status",), "整改情况"),
            "risk": derived.heading(doc, ("risk-analysis",), "潜在缺陷风险分析"),
        },
        "defect_rows": rows,
        "advice": [row for row in rows if row["recommendation"]],
        "stats": derived.defect_stats(defects),
        "earlier": {"total": len(earlier), "rectified": sum(bool(d.rectified) for d in earlier)},
        "frequency": derived.inspection_frequency_text(job.pack),
        "duties": derived.provision_lines(job.pack, ("rectification", "contractor-cooperation", "rmo-site-access"))
                  + derived.document_lines(job.pack, ("rectification-reply",)),
        "open_points": derived.gap_lines(job.pack, "过程检查报告", "整改与书面回复", "检查频次", "（检查）频次"),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    data, problems = job.model, list(defect_photo_problems(job.model.defects, job.base_dir))
    visit = data.inspection.date if data.inspection else None
    if visit and data.date and data.date < visit:
        problems.append(("date", f"报告日期（{derived.cn_date(data.date)}）早于检查日期（{derived.cn_date(visit)}）"))
    if "risk-analysis" in job.element_ids and not data.risk_analysis:
        problems.append(("risk_analysis", f"{job.pack.city}的规定要求过程检查报告包括潜在缺陷风险分析"
                                          f"（{job.mandate.cite}），请至少填写一项"))
    return problems


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.particulars(
        "项目名称", "建设单位", "施工单位", "监理单位", "保险公司", "风险管理机构",
        ("检查日期", "{{ inspection.date }}{% if inspection.number %}（{{ inspection.number }}）{% endif %}"),
        "报告日期",
    )
    b.heading("一、检查依据")
    b.para("{{ doc.basis }}，风险管理机构{{ risk_manager.name }}受保险公司{{ insurer.name }}委托，"
           "按照风险管理合同和工程建设标准对{{ project.name }}（{{ project.address }}）实施过程质量检查，"
           "现将本次检查情况报告保险公司和建设单位。{% if frequency %}规定的{{ frequency }}。{% endif %}")
    b.heading("二、{{ headings.inspection }}")
    b.para("{{ inspection.date }}，检查人员{% for p in inspection.inspectors %}{{ p.name }}{% if not loop.last %}、"
           "{% endif %}{% endfor %}对{{ inspection.stage }}的{{ inspection.scope }}进行了检查"
           "{% if inspection.methods %}，检查方式为{{ inspection.methods }}{% endif %}"
           "{% if inspection.attendees %}，{{ inspection.attendees }}参加{% endif %}。{{ inspection.summary }}")
    b.heading("三、{{ headings.defects }}")
    with b.when("not defect_rows"):
        b.para("本次检查未发现质量缺陷。")
    b.defects_table()
    b.heading("四、{{ headings.opinions }}")
    with b.each("d", "advice"):
        b.para("{{ d.number }}（{{ d.location }}）：{{ d.recommendation }}"
               "{% if d.due %}，请于{{ d.due }}前整改完毕{% endif %}。")
    b.numbered("opinions")
    b.heading("五、{{ headings.rectification }}")
    b.para("本报告所列质量缺陷共{{ stats.total }}项（严重{{ stats.severe }}项、一般{{ stats.general }}项），"
           "已整改{{ stats.rectified }}项，整改率{{ stats.rate }}；尚未整改{{ stats.open }}项"
           "{% if stats.open_list %}（{{ stats.open_list }}）{% endif %}。"
           "{% if earlier.total %}以往检查发现、本次复查的缺陷{{ earlier.total }}项，已整改{{ earlier.rectified }}项。{% endif %}"
           "{% if stats.open_severe %}尚未整改的严重质量缺陷：{{ stats.open_severe }}，应作为下次检查的复查重点。{% endif %}")
    b.heading("六、{{ headings.risk }}")
    with b.when("not risk_analysis"):
        b.para("本次检查未发现对保险责任内容构成新增潜在缺陷风险的情况。")
    b.table([("保险责任内容", 40, "{{ r.scope }}"), ("潜在缺陷风险分析", 100, "{{ r.analysis }}"),
             ("等级", 16, "{{ r.level }}")], "risk_analysis", "r")
    b.heading("七、整改要求")
    b.numbered("duties")
    b.open_points("整改期限以本报告所列为准。")
    b.signature("风险管理机构（盖章）：{{ risk_manager.name }}",
                "检查人员：{% for p in inspection.inspectors %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}")


TYPE = DocumentType(
    id="process-inspection-report",
    title="质量风险过程检查报告",
    summary="每次过程质量检查后的报告：检查情况、质量缺陷（严重程度、整改状态、可附照片）、处理意见和建议、整改情况、潜在缺陷风险分析",
    model=ProcessInspectionReportData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    stage="construction",
    required=("inspection.date", "inspection.summary", "defect_rows", "stats.total", "insurer.name"),
)
