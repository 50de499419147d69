"""竣工最终风险评估报告 / 质量风险最终检查报告 (SH 第七条（四）, HZ 工作指引 3.4, BJ 第十八条,
JY 第九条): inspections summarised, the defects found (with photos), their rectification, the
severe ones, the overall evaluation. Refused where the pack withholds the report while a severe
defect is unrectified (SH 第七条（四）); where the pack bars completion acceptance instead
(BJ 第十条) the report is generated with a warning and says so."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Optional

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..engine import Image
from ..rules import final_report_defects
from ..schemas import DefectItem, DocumentData, Insurer, IsoDate, Organisation, Part, Person, Project, Text
from . import DocumentType, Job

PHOTO_MM = 18


class InspectionRound(Part):
    date: IsoDate = Field(title="检查日期")
    stage: Text = Field(title="施工阶段")
    summary: Text = Field(title="检查情况")


class FinalRiskReportData(DocumentData):
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="风险管理机构")
    inspections: list[InspectionRound] = Field(min_length=1, title="过程检查情况")
    defects: list[DefectItem] = Field(default_factory=list, title="质量缺陷")
    evaluation: Text = Field(title="总体风险评价")
    reviewer: Optional[Person] = Field(None, title="保险公司审核人")


def _open_severe(defects) -> list[str]:
    return [d.number for d in defects or [] if d and d.severity == "严重" and d.rectified is False]


def _stats(defects) -> dict:
    defects = [d for d in defects or [] if d is not None]
    rectified = [d for d in defects if d.rectified]
    open_items = [d.number for d in defects if d.rectified is False]
    rate = (Decimal(len(rectified) * 100) / len(defects)).quantize(Decimal("0.1"), ROUND_HALF_UP) if defects else None
    return {
        "total": len(defects), "severe": sum(d.severity == "严重" for d in defects),
        "general": sum(d.severity == "一般" for d in defects), "rectified": len(rectified),
        "open": len(open_items), "open_list": "、".join(map(str, open_items)) or None,
        "rate": f"{derived.plain(rate)}%" if rate is not None else "—",
    }


def _severe_text(defects, job: Job) -> str:
    severe = [d for d in defects or [] if d and d.severity == "严重"]
    open_severe = _open_severe(defects)
    if not severe:
        return "各阶段检查未发现严重质量缺陷。"
    if not open_severe:
        numbers = "、".join(d.number for d in severe)
        return f"各阶段发现的严重质量缺陷共{len(severe)}项（{numbers}），均已整改到位。"
    finding = final_report_defects(job.pack, open_severe)
    note = f"{finding[0].message}。" if finding else ""
    return (f"各阶段发现的严重质量缺陷共{len(severe)}项，其中{len(open_severe)}项在竣工时尚未得到实质性整改"
            f"（{'、'.join(open_severe)}）。{note}")


def _photo(defect, job: Job) -> Optional[Image]:
    if defect is None or not defect.photo:
        return None
    path = Path(defect.photo)
    return Image(path if path.is_absolute() else job.base_dir / path, PHOTO_MM)


def derive(job: Job) -> dict:
    pack, doc, data = job.pack, job.mandate.document, job.model
    milestones = {**((data.project.milestones if data.project else None) or {}), "final_report_issued": data.date}
    events = derived.events(pack, milestones)
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
        "defect_rows": [{**d.model_dump(), "rectified": "是" if d.rectified else "否", "photo": _photo(d, job)}
                        for d in data.defects or [] if d is not None],
        "stats": _stats(data.defects),
        "severe_text": _severe_text(data.defects, job),
        "upload_due": next((e.date for e in events.values() if e.id == "final-report-upload"), None),
        "report_rules": rules_text,
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    problems = []
    for i, defect in enumerate(job.model.defects or []):
        image = _photo(defect, job)
        if image is None:
            continue
        if not image.path.is_file():
            problems.append((f"defects[{i}].photo", f"照片文件不存在：{image.path}"))
            continue
        try:
            DocxImage.from_file(str(image.path))
        except (UnrecognizedImageError, OSError):
            problems.append((f"defects[{i}].photo", f"不是可识别的图片（支持 PNG、JPEG、GIF、BMP、TIFF）：{image.path}"))
    return problems


def rules(job: Job):
    return final_report_defects(job.pack, _open_severe(job.model.defects))


def spec(b: TemplateBuilder) -> None:
    b.doc_number()
    b.title("{{ doc.title }}")
    b.subtitle("（{{ project.name }}）")
    b.blank()
    b.info_table([
        ("项目名称", "{{ project.name }}"),
        ("项目地址", "{{ project.address }}"),
        ("建设单位", "{{ project.developer.name }}"),
        ("施工单位", "{% if project.builder %}{{ project.builder.name }}{% else %}—{% endif %}"),
        ("保险公司", "{{ insurer.name }}"),
        ("风险管理机构", "{{ risk_manager.name }}"),
        ("报告日期", "{{ date }}"),
    ])
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
        with b.each("r", "report_rules"):
            b.para("{{ loop.index }}．{{ r }}。")
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
