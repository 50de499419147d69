"""风险管理、出险理赔情况统计分析报告 (JX 三（九）, JY 第十六条): the insurer's periodic report to the
authorities named by the pack — the projects under risk management (inspections, defects found and
rectified, severe ones), the claims (reported, closed, paid, denied, disputed), the analysis of both
and the measures taken. The regulation says “定期” without a frequency; the report says so."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..schemas import DocumentData, Insurer, IsoDate, Money, Part, Text
from . import DocumentType, Job


class ProjectStat(Part):
    name: Text = Field(title="项目名称")
    stage: Text = Field(title="所处阶段")
    risk_manager: Optional[Text] = Field(None, title="风险管理机构")
    inspections: int = Field(ge=0, title="检查次数")
    defects: int = Field(ge=0, title="发现质量缺陷（项）")
    severe: int = Field(0, ge=0, title="其中严重缺陷（项）")
    rectified: int = Field(ge=0, title="已整改（项）")


class ClaimStats(Part):
    reported: int = Field(ge=0, title="报案件数")
    accepted: int = Field(ge=0, title="受理件数")
    closed: int = Field(ge=0, title="结案件数")
    repaired: int = Field(0, ge=0, title="其中维修结案件数")
    denied: int = Field(0, ge=0, title="不予赔偿件数")
    disputed: int = Field(0, ge=0, title="争议鉴定件数")
    paid: Money = Field(title="赔付（维修）金额（元）")
    average_days: Optional[Decimal] = Field(None, ge=0, title="平均结案天数")


class PlatformReportData(DocumentData):
    insurer: Insurer = Field(title="保险公司")
    period_start: IsoDate = Field(title="统计期间起")
    period_end: IsoDate = Field(title="统计期间止")
    projects: list[ProjectStat] = Field(min_length=1, title="风险管理项目")
    claims: ClaimStats = Field(title="出险理赔情况")
    risk_analysis: list[Text] = Field(min_length=1, title="风险管理情况分析")
    claims_analysis: list[Text] = Field(min_length=1, title="出险理赔情况分析")
    measures: list[Text] = Field(default_factory=list, title="存在的问题和改进措施")


def derive(job: Job) -> dict:
    doc, projects = job.mandate.document, [p for p in job.model.projects or [] if p is not None]
    total = lambda key: sum(getattr(p, key) or 0 for p in projects)  # noqa: E731
    defects, rectified = total("defects"), total("rectified")
    claims = job.model.claims
    return {
        "headings": {"risk": derived.heading(doc, ("risk-management-stats",), "风险管理情况统计和分析"),
                     "claims": derived.heading(doc, ("claims-stats",), "出险理赔情况统计和分析")},
        "totals": {"projects": len(projects), "inspections": total("inspections"),
                   "defects": defects, "severe": total("severe"), "rectified": rectified,
                   "rate": derived.ratio_text(rectified, defects)},
        "close_rate": derived.ratio_text(claims.closed, claims.accepted) if claims else None,
        "duty": derived.provision_lines(job.pack, categories=("platform",)),
        "frequency_gap": derived.gap_lines(job.pack, "报告频次"),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    data, problems = job.model, []
    if data.period_end and data.period_start and data.period_end < data.period_start:
        problems.append(("period_end", "统计期间止早于统计期间起"))
    for i, p in enumerate(data.projects or []):
        if p is not None and p.defects is not None and ((p.rectified or 0) > p.defects or (p.severe or 0) > p.defects):
            problems.append((f"projects[{i}]", f"{p.name}：已整改或严重缺陷项数多于发现的缺陷项数"))
    claims = data.claims
    counts = [getattr(claims, k, None) for k in ("reported", "accepted", "closed")]
    if None not in counts and (counts[1] > counts[0] or counts[2] > counts[1]):
        problems.append(("claims", "受理件数不应多于报案件数，结案件数不应多于受理件数"))
    return problems


def spec(b: TemplateBuilder) -> None:
    b.report_heading("（{{ period_start }}至{{ period_end }}）")
    b.addressee("{{ doc.recipient }}：")
    b.para("{{ doc.basis }}，现将{{ insurer.name }}{{ period_start }}至{{ period_end }}期间工程质量潜在缺陷保险"
           "风险管理和出险理赔情况统计分析报告如下。")
    b.heading("一、{{ headings.risk }}")
    b.para("统计期间，本公司承保并实施风险管理的项目{{ totals.projects }}个，共开展检查{{ totals.inspections }}次，"
           "发现质量缺陷{{ totals.defects }}项（其中严重缺陷{{ totals.severe }}项），已整改{{ totals.rectified }}项，"
           "整改率{{ totals.rate }}。")
    b.table([("项目名称", 38, "{{ p.name }}"), ("阶段", 22, "{{ p.stage }}"), ("风险管理机构", 36, "{{ p.risk_manager or '—' }}"),
             ("检查", 14, "{{ p.inspections }}"), ("缺陷", 14, "{{ p.defects }}"), ("严重", 14, "{{ p.severe }}"),
             ("已整改", 18, "{{ p.rectified }}")], "projects", "p")
    b.numbered("risk_analysis")
    b.heading("二、{{ headings.claims }}")
    b.para("统计期间，共接到报案{{ claims.reported }}件，受理{{ claims.accepted }}件，结案{{ claims.closed }}件"
           "（结案率{{ close_rate }}），其中维修结案{{ claims.repaired }}件；不予赔偿{{ claims.denied }}件，"
           "争议鉴定{{ claims.disputed }}件；赔付（维修）金额{{ claims.paid | yuan }}"
           "{% if claims.average_days %}，平均结案{{ claims.average_days }}天{% endif %}。")
    b.numbered("claims_analysis")
    with b.when("measures"):
        b.heading("三、存在的问题和改进措施")
        b.numbered("measures")
    with b.when("duty or frequency_gap"):
        b.para("报告依据：{% for d in duty %}{{ d }}{% if not loop.last %}；{% endif %}{% endfor %}。"
               "{% for g in frequency_gap %}{{ g }}。{% endfor %}本报告按统计期间定期报送。")
    b.signature("{{ insurer.name }}（盖章）")


TYPE = DocumentType(
    id="platform-report",
    title="风险管理、出险理赔情况统计分析报告",
    summary="保险公司定期向主管部门报送的统计分析报告：风险管理项目、检查和缺陷整改情况，报案、结案、赔付和争议情况及分析",
    model=PlatformReportData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    stage="ongoing",
    required=("projects", "claims.reported", "claims.paid", "risk_analysis", "claims_analysis", "insurer.name"),
)
