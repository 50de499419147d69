"""Shared parts of the risk-management plans and reports (初步风险分析报告, 风险管理计划, 风险评估实施方案,
过程检查报告, 设计风险评估报告, 分户验收/预看房专项检查报告, 检测计划, 应急预案): input parts, the
mandated document's own deadline (upload, contract signing) on the working-day calendar, the pack's
rules and gaps worded for the document, defect tables (reusing the final report's statistics and
photos), and the template pieces they all print.

Candidates for shared code (derived.py / schemas.py / rules.py) are marked “shared:”.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Literal, Optional

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..engine import Image
from ..rules import Finding, act_before, act_in_time, refuse
from ..schemas import DefectItem, IsoDate, Money, Part, Person, Phone, Text
from . import Job
from .final_risk_report import PHOTO_MM, _photo, _stats  # shared: move next to DefectItem

RiskLevel = Literal["高", "中", "低"]

# ---------------------------------------------------------------------------------------------
# Input parts


class ProjectProfile(Part):
    """工程概况 beyond the shared Project: size, structure, delivery standard, cost."""

    area: Optional[Decimal] = Field(None, gt=0, title="总建筑面积（平方米）")
    buildings: Optional[int] = Field(None, ge=1, title="楼栋数")
    households: Optional[int] = Field(None, ge=1, title="总户数")
    structure: Optional[Text] = Field(None, title="结构形式")
    storeys: Optional[Text] = Field(None, title="层数", description="如 地上18层、地下2层")
    foundation: Optional[Text] = Field(None, title="基础形式")
    fitout: Optional[Text] = Field(None, title="交付标准", description="如 全装修、毛坯")
    cost: Optional[Money] = Field(None, title="建筑安装工程造价（元）")


class StaffMember(Part):
    unit: Optional[Text] = Field(None, title="单位")
    name: Text = Field(title="姓名")
    role: Text = Field(title="岗位（职责）")
    qualification: Optional[Text] = Field(None, title="执业资格或职称")
    years: Optional[int] = Field(None, ge=0, le=60, title="工程建设工作年限")
    phone: Optional[Phone] = Field(None, title="联系电话")


class RiskEntry(Part):
    part: Text = Field(title="部位或分部分项工程")
    risk: Text = Field(title="可能存在的质量风险")
    level: RiskLevel = Field(title="风险等级（高/中/低）")
    measure: Optional[Text] = Field(None, title="防控措施或建议")


class ScheduleRow(Part):
    stage: Text = Field(title="阶段")
    period: Text = Field(title="计划时间")
    work: Text = Field(title="工作内容")
    inspections_per_month: Optional[int] = Field(
        None, ge=0, le=31, title="每月过程检查次数", description="施工阶段填写；规则包规定最低频次的，少于该频次不予生成")
    output: Optional[Text] = Field(None, title="成果文件")


class ReportDefect(DefectItem):
    """A defect as a process or special inspection records it: found when, who rectifies, by when."""

    found_on: Optional[IsoDate] = Field(None, title="发现日期")
    responsible: Optional[Text] = Field(None, title="整改责任单位")
    due: Optional[IsoDate] = Field(None, title="整改期限")
    recommendation: Optional[Text] = Field(None, title="处理意见和建议")


class Confirmation(Part):
    by: Person = Field(title="确认人")
    signed_on: IsoDate = Field(title="确认日期")


# ---------------------------------------------------------------------------------------------
# Project and profile text


def milestones(job: Job, **extra: Optional[date]) -> dict:
    project = getattr(job.model, "project", None)
    found = dict((project.milestones if project else None) or {})
    found.update({k: v for k, v in extra.items() if v})
    return found


def profile_text(profile: Optional[ProjectProfile]) -> Optional[str]:
    """'总建筑面积52300平方米，共12栋、1020户，框架—剪力墙结构，…' (None if nothing is given)."""
    if profile is None:
        return None
    parts = []
    if profile.area:
        parts.append(f"总建筑面积{derived.plain(profile.area)}平方米")
    counts = "、".join(x for x in (profile.buildings and f"{profile.buildings}栋",
                                   profile.households and f"{profile.households}户") if x)
    if counts:
        parts.append(f"共{counts}")
    parts += [x for x in (profile.structure, profile.storeys) if x]
    if profile.foundation:
        parts.append(f"基础形式为{profile.foundation}")
    if profile.fitout:
        parts.append(f"{profile.fitout}交付")
    if profile.cost is not None:
        parts.append(f"建筑安装工程造价{derived.yuan(profile.cost)}")
    return "，".join(parts) or None


# ---------------------------------------------------------------------------------------------
# Deadlines: the one the pack ties the document to, and others by anchor


def _deadline(pack, deadline_id: Optional[str]):
    return next((d for d in pack.deadlines if d.id == deadline_id), None)


def due(job: Job, deadline_id: Optional[str], ms: dict) -> Optional[dict]:
    """A deadline with its date on the pack's calendar: {id, title, sentence, date, when, cite}.

    `when` words the date for the deadline's direction: 最迟于… for a time limit, 须在…之前 where
    the pack only says “before” an event. shared: derived.due_text."""
    deadline = _deadline(job.pack, deadline_id)
    if deadline is None:
        return None
    event = derived.events(job.pack, ms).get(deadline.id)
    day = event.date if event else None
    if day is None:
        when = None
    elif deadline.direction == "before" and not deadline.offset.specified:
        when = f"须在{job.pack.anchor_label(deadline.anchor)}（{derived.cn_date(day)}）之前"
    elif deadline.direction == "on":
        when = f"于{derived.cn_date(day)}当日"
    else:
        when = f"最迟于{derived.cn_date(day)}"
    # derived.deadline_sentence leaves the title's comma when it strips the condition ('建设单位，交房前…')
    sentence = derived.deadline_sentence(job.pack, deadline).replace(f"{deadline.actor}，", deadline.actor, 1)
    return {"id": deadline.id, "title": deadline.title, "actor": deadline.actor, "cite": deadline.cite,
            "period": derived.deadline_period(deadline), "sentence": sentence,
            "date": day, "when": when, "anchor": deadline.anchor}


def mandate_due(job: Job, ms: dict) -> Optional[dict]:
    """The deadline the pack names as the document's event (e.g. upload within 3 working days)."""
    return due(job, job.mandate.event, ms)


def deadlines_text(job: Job, anchors: Iterable[str], ms: dict, actor: Optional[str] = None) -> list[str]:
    """The pack's time limits running from `anchors` (optionally only one actor's; acts on the day of
    the event left out), each a sentence with its computed date where the milestone is known."""
    lines = []
    for deadline in derived.deadlines_from(job.pack, anchors):
        if (actor and not deadline.actor.startswith(actor)) or deadline.direction == "on":
            continue
        item = due(job, deadline.id, ms)
        lines.append(item["sentence"] + (f"（{item['when']}）" if item["when"] else ""))
    return lines


def timing(job: Job, deadline_id: Optional[str], done_on: Optional[date], ms: dict, what: str) -> list[Finding]:
    """Warn when what the document records happened after its deadline (or not before the event)."""
    deadline = _deadline(job.pack, deadline_id)
    if deadline is None or done_on is None:
        return []
    if deadline.direction == "before" and not deadline.offset.specified:
        return act_before(job.pack, deadline.id, done_on, ms.get(deadline.anchor), what)
    item = due(job, deadline.id, ms)
    return act_in_time(job.pack, deadline.id, done_on, item["date"] if item else None, what)


def anchor_requirement(job: Job, deadline_id: Optional[str], ms: dict) -> list[tuple[str, str]]:
    """The milestone a time limit (after an event) runs from, where the data lacks it."""
    from corpus.schema import MILESTONES
    deadline = _deadline(job.pack, deadline_id)
    if deadline is None or deadline.direction != "after" or deadline.anchor in ms or deadline.anchor not in MILESTONES:
        return []
    return [(f"project.milestones.{deadline.anchor}",
             f"计算“{deadline.title}”的期限（{derived.deadline_period(deadline)}，{deadline.cite}）"
             f"需要{MILESTONES[deadline.anchor]}日期")]


def event_requirements(job: Job) -> list[tuple[str, str]]:
    """Hook: the milestone the document's own deadline runs from."""
    return anchor_requirement(job, job.mandate.event, milestones(job))


def event_rules(job: Job) -> list[Finding]:
    """Hook: the document dated after its own deadline (or not before the event it must precede)."""
    return timing(job, job.mandate.event, job.model.date, milestones(job), "本文书日期")


# ---------------------------------------------------------------------------------------------
# What the pack says (and leaves open) on a subject, worded for the document


def provision_lines(job: Job, ids: Iterable[str] = (), categories: Iterable[str] = (),
                    actor: Optional[str] = None) -> list[str]:
    """Provisions by id or category (optionally one actor's), in the regulation's words, cited."""
    ids, categories = tuple(ids), tuple(categories)
    lines = []
    for p in job.pack.provisions:
        if p.id in ids or (p.category in categories and (not actor or (p.actor or "").startswith(actor))):
            # a quote cut after its subject ('并将…上传') gets the actor back
            text = f"{p.actor}应{p.quote[1:]}" if p.quote.startswith("并") and p.actor else p.quote
            lines.append(f"{text}（{p.cite}）")
    return lines


def document_lines(job: Job, ids: Iterable[str]) -> list[str]:
    """Other mandated documents' duties in the regulation's words (e.g. the written rectification reply)."""
    return [f"{d.quote}（{d.cite}）" for d in job.pack.documents if d.id in tuple(ids)]


def gap_lines(job: Job, *words: str) -> list[str]:
    """The pack's own notes on what the regulation leaves open, for topics naming any of `words`.
    shared: derived.not_specified(pack, words)."""
    return [f"{g.topic}：{g.note}" + (f"（{g.cite}）" if g.cite else "")
            for g in job.pack.not_specified if any(w in g.topic for w in words)]


def parameter(job: Job, parameter_id: str):
    return next((p for p in job.pack.parameters if p.id == parameter_id), None)


def parameter_text(p) -> Optional[str]:
    """'保险公司或风险管理机构委托的检测数量不低于工程建设单位委托验收检测数量的5%（第九条（五）1）'."""
    if p is None:
        return None
    if p.amount is None or not p.amount.specified:
        return f"{p.title}：{p.text or p.amount.describe()}（{p.cite}）"
    described = p.amount.describe()
    if p.amount.unit in ("persons", "count"):
        described = described.replace("不低于", "不少于")
    if p.basis and p.amount.unit == "percent":
        words = {"min": "不低于", "max": "不高于", "exact": "为"}[p.amount.bound]
        described = f"{words}{p.basis}的{p.amount.value:g}%"
    scope = f"（{p.applies_to}）" if p.applies_to and p.applies_to not in p.title else ""
    return f"{p.title}{scope}{described}（{p.cite}）"


def cover_text(job: Job) -> Optional[str]:
    """'基本险：地基基础和主体结构工程、保温和防水工程；附加险按保险合同约定' from the pack's scopes."""
    scopes = job.pack.coverage.scopes
    basic = "、".join(s.title for s in scopes if s.tier == "basic")
    extra = "、".join(s.title for s in scopes if s.tier == "additional" and s.title != "附加险")
    if not basic:
        return None
    if extra:
        return f"基本险：{basic}；附加险：{extra}"
    return f"基本险：{basic}" + ("；附加险按保险合同约定" if any(s.tier == "additional" for s in scopes) else "")


# ---------------------------------------------------------------------------------------------
# Inspection frequency (杭州 工作指引 3.3: each construction stage, at least twice a month)

FREQUENCY = "process-inspection-frequency"


def frequency_text(job: Job) -> Optional[str]:
    return parameter_text(parameter(job, FREQUENCY))


def frequency_rule(job: Job, rows) -> list[Finding]:
    """A plan scheduling fewer process inspections a month than the pack's minimum is refused."""
    p = parameter(job, FREQUENCY)
    if p is None or not p.amount or not p.amount.specified:
        return []
    least = int(p.amount.value)
    short = [f"{r.stage}（{r.inspections_per_month}次/月）" for r in rows or []
             if r is not None and r.inspections_per_month is not None and r.inspections_per_month < least]
    if not short:
        return []
    return [refuse(job.pack, p.id, p.cite, f"{p.applies_to or '每个施工阶段'}每月至少开展{least}次过程质量检查；"
                                           f"本文书安排不足：{'、'.join(short)}")]


# ---------------------------------------------------------------------------------------------
# Risks and defects


def risk_summary(risks) -> dict:
    risks = [r for r in risks or [] if r is not None]
    counts = {level: sum(r.level == level for r in risks) for level in ("高", "中", "低")}
    high = "、".join(r.part for r in risks if r.level == "高" and r.part)
    return {"total": len(risks), "high": counts["高"], "medium": counts["中"], "low": counts["低"],
            "high_parts": high or None}


def defect_rows(job: Job, defects) -> list[dict]:
    rows = []
    for d in defects or []:
        if d is None:
            continue
        if d.rectified:
            status = "已整改"
        elif getattr(d, "due", None):
            status = f"限期整改（{derived.cn_date(d.due)}前）"
        else:
            status = "未整改"
        rows.append({**d.model_dump(), "status": status, "photo": _photo(d, job)})
    return rows


def defect_stats(defects) -> dict:
    """Totals, severe/general, rectified, open (with numbers), rectification rate; open severe."""
    stats = _stats(defects)
    stats["open_severe"] = "、".join(d.number for d in defects or []
                                     if d and d.number and d.severity == "严重" and d.rectified is False) or None
    return stats


def image(value: Optional[str], job: Job, width_mm: float = PHOTO_MM) -> Optional[Image]:
    """A photo named in the data (relative to the data file's folder), for a table cell."""
    if not value:
        return None
    path = Path(value)
    return Image(path if path.is_absolute() else job.base_dir / path, width_mm)


def image_problems(job: Job, named: Iterable[tuple[str, Optional[str]]]) -> list[tuple[str, str]]:
    """(path, problem) for each named photo that is missing or not an image. shared: the final
    report's photo check is this for `defects[i].photo`."""
    problems = []
    for where, value in named:
        found = image(value, job)
        if found is None:
            continue
        if not found.path.is_file():
            problems.append((where, f"照片文件不存在：{found.path}"))
            continue
        try:
            DocxImage.from_file(str(found.path))
        except (UnrecognizedImageError, OSError):
            problems.append((where, f"不是可识别的图片（支持 PNG、JPEG、GIF、BMP、TIFF）：{found.path}"))
    return problems


def photo_requirements(job: Job) -> list[tuple[str, str]]:
    """The defects' photos (`defects[i].photo`) exist and are images."""
    return image_problems(job, [(f"defects[{i}].photo", d.photo) for i, d in enumerate(job.model.defects or []) if d])


def ratio(part: Optional[int], whole: Optional[int]) -> Optional[Decimal]:
    """part / whole in percent, to 0.1 (None without a whole)."""
    if part is None or not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio_text(part: Optional[int], whole: Optional[int]) -> str:
    value = ratio(part, whole)
    return derived.pct(value) if value is not None else "—"


# ---------------------------------------------------------------------------------------------
# Template pieces


def heading_block(b: TemplateBuilder, subtitle: str = "（{{ project.name }}）") -> None:
    """Title, the project as subtitle, and the report's number (编号) at the right under them (a report
    is not a 公文: its number does not stand above the title)."""
    b.title("{{ doc.title }}")
    b.subtitle(subtitle)
    with b.when("doc_number"):
        b.paragraph("IDI Number", "编号：{{ doc_number }}")
    b.blank()


def staff_table(b: TemplateBuilder, sequence: str) -> None:
    b.table([("序号", 12, "{{ loop.index }}"), ("单位", 40, "{{ s.unit or '—' }}"), ("姓名", 18, "{{ s.name }}"),
             ("岗位", 26, "{{ s.role }}"), ("执业资格或职称", 34, "{{ s.qualification or '—' }}"),
             ("联系电话", 26, "{{ s.phone or '—' }}")], sequence, "s")


def risk_table(b: TemplateBuilder, sequence: str = "risks") -> None:
    b.table([("序号", 12, "{{ loop.index }}"), ("部位或分部分项工程", 34, "{{ r.part }}"),
             ("可能存在的质量风险", 52, "{{ r.risk }}"), ("等级", 12, "{{ r.level }}"),
             ("防控措施或建议", 46, "{{ r.measure or '—' }}")], sequence, "r")


def schedule_table(b: TemplateBuilder, sequence: str = "schedule") -> None:
    b.table([("阶段", 26, "{{ s.stage }}"), ("计划时间", 30, "{{ s.period }}"), ("工作内容", 56, "{{ s.work }}"),
             ("每月检查", 16, "{% if s.inspections_per_month %}{{ s.inspections_per_month }}次"
                           "{% else %}—{% endif %}"),
             ("成果文件", 28, "{{ s.output or '—' }}")], sequence, "s")


def defects_table(b: TemplateBuilder, sequence: str = "defect_rows") -> None:
    b.table([("编号", 14, "{{ d.number }}"), ("部位", 24, "{{ d.location }}"), ("缺陷描述", 36, "{{ d.description }}"),
             ("严重程度", 14, "{{ d.severity }}"), ("整改责任单位", 24, "{{ d.responsible or '—' }}"),
             ("整改状态", 22, "{{ d.status }}"),
             ("照片", 22, "{% if d.photo %}{{ d.photo }}{% else %}—{% endif %}")], sequence, "d")


def numbered(b: TemplateBuilder, sequence: str, text: str = "{{ x }}", var: str = "x") -> None:
    """Items as 1．… 2．… paragraphs."""
    with b.each(var, sequence):
        b.para("{{ loop.index }}．" + text)
