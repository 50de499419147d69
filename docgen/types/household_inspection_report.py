"""分户验收专项检查报告 (SH 第八条（三）), and the builder its twin 预看房质量问题专项检查报告 uses:
the risk manager's spot check of the developer's household acceptance (or quality pre-viewing) —
when the developer notified (SH 第九条（一）4: at least 10 working days before, computed on the
working-day calendar; a late notice is warned about), the sample, the problems found and their
rectification, the conclusion, and the upload deadline (3 working days after the report). Where the
household acceptance failed, or pre-viewing problems remain open, the pack bars completion
acceptance (第九条（一）4): the report says so and a warning is given."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal, Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import deadline_met, defect_photo_problems, warn
from ..schemas import IsoDate, Part, Person, ReportDefect, RiskManagementData, Text
from . import DocumentType, Job

BARS_ACCEPTANCE = "no-completion-acceptance"


@dataclass(frozen=True)
class Twin:
    id: str
    title: str
    summary: str
    activity: str  # 分户验收 / 质量预看房
    check: str  # 分户检查 / 预看房质量问题抽查
    milestone: str  # the project milestone of the activity
    notice: str  # the pack's deadline for the developer's notice
    verdict: bool  # the report records a pass/fail verdict (分户验收合格/不合格)


class SpotCheck(Part):
    notified_on: Optional[IsoDate] = Field(None, title="建设单位通知保险公司或风险管理机构日期")
    start: IsoDate = Field(title="检查开始日期")
    end: Optional[IsoDate] = Field(None, title="检查结束日期")
    units_total: int = Field(ge=1, title="总户数")
    units_checked: int = Field(ge=1, title="抽查户数")
    sample: Text = Field(title="抽查楼栋和户号")
    items: list[Text] = Field(min_length=1, title="检查内容")
    inspectors: list[Person] = Field(min_length=1, title="检查人员")


class SpotCheckData(RiskManagementData):
    inspection: SpotCheck = Field(title="专项检查")
    defects: list[ReportDefect] = Field(default_factory=list, title="发现的质量问题")
    conclusion: Text = Field(title="检查结论")


class HouseholdInspectionData(SpotCheckData):
    result: Literal["合格", "不合格"] = Field(title="分户验收结论（合格/不合格）")


def _milestones(twin: Twin, job: Job) -> dict:
    """The project's milestones; the report's own date is when it was completed (第八条（三）)."""
    return derived.milestones(job.model.project, inspection_report_done=job.model.date)


def _blocked(twin: Twin, job: Job) -> Optional[str]:
    """Why completion acceptance may not be organised yet, or None."""
    if twin.verdict:
        return "分户验收不合格" if getattr(job.model, "result", None) == "不合格" else None
    open_items = [d.number for d in job.model.defects or [] if d and d.rectified is False]
    return f"质量预看房问题未整改完毕（{'、'.join(open_items)}）" if open_items else None


def derive(twin: Twin, job: Job) -> dict:
    spot, ms = job.model.inspection, _milestones(twin, job)
    notice = derived.due(job.pack, ms, twin.notice)
    late = bool(deadline_met(job.pack, twin.notice, spot.notified_on if spot else None, ms, ""))
    blocked = _blocked(twin, job)
    bars = derived.provision_lines(job.pack, (BARS_ACCEPTANCE,))
    return {
        "twin": {"activity": twin.activity, "check": twin.check},
        "notice": notice,
        "notice_late": late,
        "sample_rate": derived.ratio_text(spot.units_checked, spot.units_total) if spot else None,
        "sample_rule": next((derived.parameter_text(p) for p in job.pack.parameters if p.category == "inspection"
                             and twin.activity in p.title), None),
        "defect_rows": derived.defect_rows(job.model.defects, job.base_dir),
        "stats": derived.defect_stats(job.model.defects),
        "blocked": f"{blocked}。{bars[0]}" if blocked and bars else None,
        "upload": derived.due(job.pack, ms, job.mandate.event),
    }


def rules(twin: Twin, job: Job):
    spot, ms = job.model.inspection, _milestones(twin, job)
    findings = deadline_met(job.pack, twin.notice, spot.notified_on if spot else None, ms, "建设单位通知日期")
    provision = derived.find_provision(job.pack, BARS_ACCEPTANCE)
    blocked = _blocked(twin, job)
    if provision and blocked:
        findings.append(warn(job.pack, provision.id, provision.cite, f"{blocked}，建设单位不得组织竣工验收"))
    return findings


def requirements(twin: Twin, job: Job) -> list[tuple[str, str]]:
    spot, problems = job.model.inspection, list(defect_photo_problems(job.model.defects, job.base_dir))
    if twin.milestone not in _milestones(twin, job):
        problems.append((f"project.milestones.{twin.milestone}", f"请填写建设单位组织{twin.activity}的日期"))
    if spot and spot.units_checked and spot.units_total and spot.units_checked > spot.units_total:
        problems.append(("inspection.units_checked", f"抽查户数（{spot.units_checked}）多于总户数（{spot.units_total}）"))
    if spot and spot.start and job.model.date and job.model.date < spot.start:
        problems.append(("date", f"报告日期（{derived.cn_date(job.model.date)}）早于检查开始日期"))
    return problems


def spec(twin: Twin, b: TemplateBuilder) -> None:
    b.report_heading()
    b.particulars(
        "项目名称", "建设单位", "施工单位", "保险公司", "风险管理机构",
        (f"{twin.activity}日期", "{{ project.milestones.%s }}" % twin.milestone),
        ("检查日期", "{{ inspection.start }}{% if inspection.end %}至{{ inspection.end }}{% endif %}"),
        "报告日期",
    )
    b.heading("一、检查依据")
    b.para("{{ doc.basis }}，风险管理机构{{ risk_manager.name }}受保险公司{{ insurer.name }}委托，"
           "对{{ project.name }}（{{ project.address }}）建设单位组织的{{ twin.activity }}落实{{ twin.check }}工作，"
           "现出具本专项检查报告。")
    b.heading("二、通知和抽查情况")
    b.para("建设单位{{ project.developer.name }}定于{{ project.milestones.%s }}组织{{ twin.activity }}。" % twin.milestone +
           "{% if notice %}{{ notice.sentence }}{% if notice.when %}，即{{ notice.when }}通知{% endif %}。{% endif %}"
           "{% if inspection.notified_on %}建设单位于{{ inspection.notified_on }}通知保险公司（风险管理机构）"
           "{% if notice_late %}，晚于规定期限{% else %}，符合规定{% endif %}。{% endif %}")
    b.para("本项目共{{ inspection.units_total }}户，本次抽查{{ inspection.units_checked }}户（抽查比例{{ sample_rate }}），"
           "抽查楼栋和户号：{{ inspection.sample }}。{% if sample_rule %}{{ sample_rule }}。"
           "{% else %}规定未给出抽查比例，本次抽查比例按风险管理合同约定确定。{% endif %}"
           "检查人员：{% for p in inspection.inspectors %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}。检查内容：")
    b.numbered("inspection.items")
    b.heading("三、发现的质量问题")
    with b.when("not defect_rows"):
        b.para("本次抽查未发现质量问题。")
    b.defects_table()
    b.heading("四、整改情况")
    b.para("本次抽查发现质量问题{{ stats.total }}项（严重{{ stats.severe }}项、一般{{ stats.general }}项），"
           "已整改{{ stats.rectified }}项，整改率{{ stats.rate }}；尚未整改{{ stats.open }}项"
           "{% if stats.open_list %}（{{ stats.open_list }}）{% endif %}。")
    b.heading("五、检查结论")
    b.para(("分户验收结论：{{ result }}。" if twin.verdict else "") + "{{ conclusion }}"
           "{% if blocked %}{{ blocked }}{% endif %}")
    b.submission("六、报送", "本报告提交保险公司，并上传监管平台。")
    b.signature("风险管理机构（盖章）：{{ risk_manager.name }}",
                "检查人员：{% for p in inspection.inspectors %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}")


def make(twin: Twin, model: type[SpotCheckData]) -> DocumentType:
    return DocumentType(
        id=twin.id, title=twin.title, summary=twin.summary, model=model,
        spec=partial(spec, twin), derive=partial(derive, twin), rules=partial(rules, twin),
        requirements=partial(requirements, twin), stage="completion",
        required=(f"project.milestones.{twin.milestone}", "inspection.units_checked", "inspection.sample",
                  "defect_rows", "stats.total", "conclusion", "insurer.name") + (("result",) if twin.verdict else ()),
    )


TYPE = make(Twin(
    id="household-inspection-report", title="分户验收专项检查报告",
    summary="风险管理机构对分户验收的专项抽查报告：通知期限、抽查情况、质量问题及整改、验收结论、上传期限",
    activity="分户验收", check="分户检查", milestone="household_acceptance", notice="household-acceptance-notice",
    verdict=True), HouseholdInspectionData)
