"""竣工最终风险评估报告 / 质量风险最终检查报告 (SH 第七条（四）, HZ 工作指引 3.4, BJ 第十八条,
JY 第九条): inspections summarised, the defects found (with photos), their rectification, the
severe ones, the overall evaluation. Refused where the pack withholds the report while a severe
defect is unrectified (SH 第七条（四）); where the pack bars completion acceptance instead
(BJ 第十条) the report is generated with a warning and says so."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import defect_photo_problems, final_report_defects
from ..schemas import DefectItem, IsoDate, Part, Person, RiskManagementData, Text
from . import DocumentType, Job


class InspectionRound(Part):
    date: IsoDate = Field(title="检查日期")
    stage: Text = Field(title="施工阶段")
    summary: Text = Field(title="检查情况")


class FinalRiskReportData(RiskManagementData):
    inspections: list[InspectionRound] = Field(min_length=1, title="过程检查情况")
    defects: list[DefectItem] = Field(default_factory=list, title="质量缺陷")
    evaluation: Text = Field(title="总体风险评价")
    reviewer: Optional[Person] = Field(None, title="保险公司审核人")


def _severe_text(defects, job: Job) -> str:
    severe = [d for d in defects or [] if d and d.severity == "严重"]
    open_severe = derived.open_severe(defects)
    if not severe:
        return "各阶段检查未发现严重质量缺陷。"
    if not open_severe:
        numbers = "、".join(d.number for d in severe)
        return f"各阶段发现的严重质量缺陷共{len(severe)}项（{numbers}），均已整改到位。"
    finding = final_report_defects(job.pack, open_severe)
    note = f"{finding[0].message}。" if finding else ""
    return (f"各阶段发现的严重质量缺陷共{len(severe)}项，其中{len(open_severe)}项在竣工时尚未得到实质性整改"
            f"（{'、'.join(open_severe)}）。{note}")


def derive(job: Job) -> dict:
    pack, doc, data = job.pack, job.mandate.document, job.model
    events = derived.events(pack, derived.milestones(data.project, final_report_issued=data.date))
    rules_text = []
    for deadline in pack.deadlines:
        if "最终" in deadline.title:
            due = events.get(deadline.id)
            when = f"（期限：{derived.cn_date(due.date)}）" if due else ""
            rules_text.append(f"{derived.deadline_sentence(pack, deadline)}{when}")
    rules_text += [f"{p['text']}（{p['cite']}）" for p in derived.provisions(pack, "risk-management", verbatim=True)
                   if "最终" in p["text"] or "最终" in p["title"]]
    return {
        "headings": {
            "inspections": derived.heading(doc, ("inspection-summary",), "过程检查情况汇总"),
            "defects": derived.heading(doc, ("defects-found",), "检查发现的质量缺陷"),
            "rectification": derived.heading(doc, ("rectification-summary", "rectification-status"),
                                             "质量缺陷整改情况"),
            "severe": derived.heading(doc, ("severe-defects", "severe-risks-rectified"), "严重质量缺陷的整改情况"),
            "evaluation": derived.heading(doc, ("overall-evaluation", "risk-evaluation"), "总体风险评价"),
        },
        "defect_rows": [{**d.model_dump(), "rectified": "是" if d.rectified else "否",
                         "photo": derived.photo(d.photo, job.base_dir)} for d in data.defects or [] if d is not None],
        "stats": derived.defect_stats(data.defects),
        "severe_text": _severe_text(data.defects, job),
        "upload_due": next((e.date for e in events.values() if e.id == "final-report-upload"), None),
        "report_rules": rules_text,
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    return defect_photo_problems(job.model.defects, job.base_dir)


def rules(job: Job):
    return final_report_defects(job.pack, derived.open_severe(job.model.defects))


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）", number=True)
    b.particulars("项目名称", "项目地址", "建设单位", "施工单位", "保险公司", "风险管理机构", "报告日期")
    b.heading("一、工程概况")
    b.para("{{ project.name }}位于{{ project.address }}，建设单位为{{ project.developer.name }}。"
           "{{ doc.basis }}，风险管理机构{{ risk_manager.name }}受保险公司{{ insurer.name }}委托，"
           "对本工程实施质量风险管理，现就竣工阶段的质量风险出具本报告。")
    b.heading("二、{{ headings.inspections }}")
    b.table([("检查日期", 34, "{{ i.date }}"), ("施工阶段", 30, "{{ i.stage }}"), ("检查情况", 92, "{{ i.summary }}")],
            "inspections", "i")
    b.heading("三、{{ headings.defects }}")
    with b.when("not defect_rows"):
        b.para("各阶段检查未发现质量缺陷。")
    b.table([("编号", 14, "{{ d.number }}"), ("部位", 24, "{{ d.location }}"), ("缺陷描述", 38, "{{ d.description }}"),
             ("严重程度", 16, "{{ d.severity }}"), ("已整改", 14, "{{ d.rectified }}"),
             ("整改情况", 28, "{{ d.rectification or '—' }}"),
             ("照片", 22, "{% if d.photo %}{{ d.photo }}{% else %}—{% endif %}")],
            "defect_rows", "d")
    b.heading("四、{{ headings.rectification }}")
    b.para("本工程共发现质量缺陷{{ stats.total }}项，其中严重{{ stats.severe }}项、一般{{ stats.general }}项；"
           "已整改{{ stats.rectified }}项，整改率{{ stats.rate }}；尚未整改{{ stats.open }}项"
           "{% if stats.open_list %}（{{ stats.open_list }}）{% endif %}。")
    b.heading("五、{{ headings.severe }}")
    b.para("{{ severe_text }}")
    b.heading("六、{{ headings.evaluation }}")
    b.para("{{ evaluation }}")
    with b.when("report_rules"):
        b.heading("七、有关规定")
        b.numbered("report_rules", "{{ r }}。", "r")
    b.signature("风险管理机构（盖章）：", "{{ risk_manager.name }}", "",
                "审核：{{ insurer.name }}", "{% if reviewer %}审核人：{{ reviewer.name }}　{% endif %}（保险公司盖章）")


TYPE = DocumentType(
    id="final-risk-report",
    title="竣工最终风险评估报告",
    summary="竣工阶段的最终风险评估（检查）报告：过程检查汇总、质量缺陷（可附照片）、整改情况、严重缺陷、总体评价",
    model=FinalRiskReportData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="completion",
    checked_as="risk-report",
    required=("defect_rows", "stats.total", "severe_text", "evaluation", "inspections", "insurer.name"),
)
