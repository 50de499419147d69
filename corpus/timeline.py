"""The compliance timeline: every deadline and period a pack defines, dated from a project's milestones."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import CalendarCoverageError, InputError
from .packs import resolve_pack
from .schema import COVERAGE_END_PREFIX, LIABILITY_START, MILESTONES, Amount, Deadline, Pack
from .validation import format_validation_error
from .workdays import add_working_days, civil_code_period_end, rest_day_name, shift
from .yamlio import load_yaml_file

Milestone = Literal[tuple(MILESTONES)]  # type: ignore[valid-type]

# How each event's date was computed: method id -> (short label, the convention in full).
METHODS = {
    "working_days": ("工作日", "工作日按国务院办公厅公布的节假日安排（含调休上班日）计算，起算日不计入"),
    "civil_code": ("民法典", "按民法典第二百零一条至第二百零三条计算：起算日不计入，按月、年计算的到期月对应日为末日"
                             "（无对应日的为月末日），末日为法定休假日的顺延至休假日结束的次日"),
    "period": ("期间", "期间届满日：起算日不计入，不因节假日顺延（非行为期限）"),
    "before": ("倒推", "倒推计算：事件当日不计入，所得日期为最迟日期，不作节假日调整"),
    "before_unspecified": ("未规定提前量", "规定只要求在该事件之前完成，未规定提前量：所示为事件日期，须早于该日"),
    "on": ("当日", "于该事件当日"),
    "hours": ("小时", "按小时计算，自事件发生时起算；项目文件只记日期，所示为按小时数推得的最迟日期"),
    "liability_start": ("起算", "保险责任开始日：起算事件满规定期间的对应日"),
    "policy": ("保单", "按项目文件给出的保单载明日期"),
    "coverage_end": ("保险期间", "保险期间自开始日零时起，至满期对应日前一日二十四时止"),
}


class ProjectFile(BaseModel):
    """The parts of a project file the timeline reads; other sections belong to other tools."""

    model_config = ConfigDict(extra="allow")

    pack: str
    name: Optional[str] = None
    milestones: dict[Milestone, date] = {}  # type: ignore[valid-type]


def load_project(path) -> ProjectFile:
    data = load_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}：项目文件的顶层应为键值映射（pack:、milestones: …）")
    try:
        return ProjectFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(exc, str(path))) from None


@dataclass
class Event:
    id: str
    title: str
    date: Optional[date]
    cite: str
    citation: str
    rule: str
    actor: Optional[str] = None
    anchor: Optional[str] = None
    anchor_date: Optional[date] = None
    anchor_label: Optional[str] = None
    relation: str = "after"
    period: Optional[str] = None
    method: str = "on"
    condition: Optional[str] = None
    note: Optional[str] = None

    @property
    def convention(self) -> str:
        return METHODS[self.method][1]

    def as_json(self) -> dict:
        data = asdict(self)
        data["convention"] = self.convention
        for key in ("date", "anchor_date"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass
class Timeline:
    pack: Pack
    project_name: Optional[str]
    warning: Optional[str]
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "pack": self.pack.id,
            "pack_title": self.pack.title,
            "document_number": self.pack.document_number,
            "project": self.project_name,
            "warning": self.warning,
            "events": [e.as_json() for e in self.events],
            "notes": self.notes,
        }


def timeline_for_project(project: ProjectFile) -> Timeline:
    """Resolve the project's pack (as in force when the policy was issued, else today) and compute."""
    on = project.milestones.get("policy_issued")
    resolution = resolve_pack(project.pack, on)
    timeline = compute_timeline(resolution.pack, project.milestones)
    timeline.project_name = project.name
    timeline.warning = resolution.warning
    return timeline


def compute_timeline(pack: Pack, milestones: dict[str, date]) -> Timeline:
    builder = _Builder(pack, dict(milestones))
    builder.add_liability_start()
    builder.add_coverage_ends()
    for deadline in _in_dependency_order(pack.deadlines):
        builder.add_deadline(deadline)
    events = sorted(builder.events, key=lambda e: (e.date or date.max, e.id))
    return Timeline(pack, None, None, events, builder.notes)


def _in_dependency_order(deadlines: list[Deadline]) -> list[Deadline]:
    """Deadlines whose anchor is another deadline come after it (packs are checked acyclic)."""
    ids = {d.id for d in deadlines}
    done: set[str] = set()
    ordered: list[Deadline] = []
    while len(ordered) < len(deadlines):
        for deadline in deadlines:
            if deadline.id not in done and (deadline.anchor not in ids or deadline.anchor in done):
                ordered.append(deadline)
                done.add(deadline.id)
    return ordered


class _Builder:
    def __init__(self, pack: Pack, milestones: dict[str, date]):
        self.pack = pack
        self.dates: dict[str, date] = dict(milestones)
        self.events: list[Event] = []
        self.notes: list[str] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)
        if event.date:
            self.dates[event.id] = event.date

    def event(self, event_id: str, title: str, cite: str, anchor: str, **kwargs) -> Event:
        kwargs.setdefault("date", None)
        return Event(id=event_id, title=title, cite=cite,
                     citation=self.pack.citation(cite), rule=f"{self.pack.id}/{event_id}",
                     anchor=anchor, anchor_label=self.pack.anchor_label(anchor), **kwargs)

    # --- cover -----------------------------------------------------------------------
    def add_liability_start(self) -> None:
        start = self.pack.coverage.start
        if "liability_start" in self.dates:
            return self.emit(self.event(
                LIABILITY_START, "保险责任开始", start.cite, "liability_start",
                date=self.dates["liability_start"], anchor_date=self.dates["liability_start"],
                relation="on", method="policy"))
        event = self.event(LIABILITY_START, "保险责任开始", start.cite, start.anchor,
                           note=start.note, method="liability_start")
        if not start.offset.specified:
            return self.notes.append(f"保险责任开始：{start.offset.note}（{self.pack.citation(start.cite)}）；"
                                     "可在项目文件 milestones 中以 liability_start 给出保单日期")
        anchor_date = self.dates.get(start.anchor)
        if anchor_date is None:
            return self.missing(LIABILITY_START, "保险责任开始", start.anchor)
        event.anchor_date = anchor_date
        event.period = start.offset.describe()
        event.date = shift(anchor_date, int(start.offset.value), start.offset.unit)
        self.emit(event)

    def add_coverage_ends(self) -> None:
        start = self.dates.get(LIABILITY_START)
        for scope in self.pack.coverage.scopes:
            event_id = COVERAGE_END_PREFIX + scope.id
            title = f"保险期间届满：{scope.title}"
            if not scope.period.specified:
                self.notes.append(f"{event_id}：{scope.title}的保险期间{scope.period.describe()}，未计算届满日")
                continue
            if start is None:
                self.notes.append(f"{event_id}：保险责任开始日未知，未计算{scope.title}的届满日")
                continue
            end = shift(start, int(scope.period.value), scope.period.unit) - timedelta(days=1)
            note = "规定的是最短期限，合同约定更长的以合同为准" if scope.period.bound == "min" else None
            self.emit(self.event(event_id, title, scope.cite, LIABILITY_START, date=end,
                                 anchor_date=start, period=scope.period.describe(),
                                 method="coverage_end", note=note))
        if not self.pack.coverage.scopes and self.pack.coverage.note:
            self.notes.append(f"保险期间届满：{self.pack.coverage.note}")

    # --- deadlines ---------------------------------------------------------------------
    def missing(self, event_id: str, title: str, anchor: str) -> None:
        self.notes.append(f"{event_id}（{title}）：缺少起算事件“{self.pack.anchor_label(anchor)}”（{anchor}），未计算")

    def add_deadline(self, deadline: Deadline) -> None:
        anchor_date = self.dates.get(deadline.anchor)
        if anchor_date is None:
            return self.missing(deadline.id, deadline.title, deadline.anchor)
        event = self.event(deadline.id, deadline.title, deadline.cite, deadline.anchor,
                           actor=deadline.actor, anchor_date=anchor_date,
                           relation=deadline.direction, condition=deadline.condition,
                           note=deadline.note)
        offset = deadline.offset
        if deadline.direction == "on":
            event.date = anchor_date
            return self.emit(event)
        if not offset.specified:
            if deadline.direction == "after":
                return self.notes.append(
                    f"{deadline.id}（{deadline.title}）：{offset.note}（{self.pack.citation(deadline.cite)}）")
            event.date, event.method, event.note = anchor_date, "before_unspecified", offset.note
            return self.emit(event)
        event.period = offset.describe()
        try:
            self.date_deadline(event, deadline, offset, anchor_date)
        except CalendarCoverageError as exc:
            return self.notes.append(f"{deadline.id}（{deadline.title}）：无法计算。{exc}")
        self.emit(event)

    def date_deadline(self, event: Event, deadline: Deadline, offset: Amount, anchor: date) -> None:
        value = int(offset.value)
        sign = 1 if deadline.direction == "after" else -1
        if offset.unit == "working_days":
            event.date, event.method = add_working_days(anchor, sign * value), "working_days"
        elif offset.unit == "hours":
            event.date, event.method = anchor + sign * timedelta(days=math.ceil(value / 24)), "hours"
        elif deadline.direction == "before":
            event.date, event.method = shift(anchor, -value, offset.unit), "before"
        elif deadline.kind == "period":
            event.date, event.method = shift(anchor, value, offset.unit), "period"
        else:
            self.civil_code_deadline(event, anchor, value, offset.unit)

    @staticmethod
    def civil_code_deadline(event: Event, anchor: date, value: int, unit: str) -> None:
        event.method = "civil_code"
        try:
            event.date, rolled_from = civil_code_period_end(anchor, value, unit)
        except CalendarCoverageError as exc:
            event.date = shift(anchor, value, unit)
            event.note = f"未核对末日是否为法定休假日：{exc}"
            return
        if rolled_from:
            event.note = (f"原末日 {rolled_from.isoformat()} 为{rest_day_name(rolled_from)}，"
                          f"顺延至 {event.date.isoformat()}")

