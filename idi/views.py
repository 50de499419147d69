"""Terminal tables and calendar files for the rules and timeline commands."""
from __future__ import annotations

import hashlib
import io
import sys
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar
from icalendar import Event as IcsEvent
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from corpus.schema import DOC_KINDS, MILESTONES, Pack
from corpus.timeline import METHODS, Timeline

# Wide enough for the tables when output is piped (rich would otherwise assume 80 columns).
console = Console(width=None if sys.stdout.isatty() else 160)

LEVELS = {"mandatory": "必须", "recommended": "建议"}
TIERS = {"basic": "基本险", "additional": "附加险"}
DIRECTIONS = {"after": "之后", "before": "之前", "on": "当日"}


def pack_summary(pack: Pack, on: date) -> dict:
    return {
        "id": pack.id, "city": pack.city, "title": pack.title,
        "document_number": pack.document_number,
        "effective_from": pack.effective_from.isoformat(),
        "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
        "in_force": pack.in_force(on), "on": on.isoformat(),
    }


def validity_text(pack: Pack) -> str:
    return f"{pack.effective_from} 至 {pack.effective_to or '（未规定截止日）'}"


def print_pack_list(packs, on: date) -> None:
    table = Table(title=f"规则包（有效性按 {on} 判断）", box=box.SIMPLE_HEAVY)
    for column in ("id", "城市", "文件", "文号", "有效期", "是否有效"):
        table.add_column(column)
    for pack in packs:
        table.add_row(pack.id, pack.city, pack.title, pack.document_number or "（无文号）",
                      validity_text(pack), "有效" if pack.in_force(on) else "[red]无效[/red]")
    console.print(table)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, box=box.SIMPLE, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_pack(pack: Pack) -> None:
    console.print(f"[bold]{pack.title}[/bold]  {pack.document_number or ''}")
    console.print(f"规则包 {pack.id}（版本 {pack.version}） · {pack.city}（{pack.province}）")
    console.print(f"发布：{'、'.join(pack.issuers)}；{pack.issued or '发布日期未载明'}")
    console.print(f"有效期：{validity_text(pack)}" + (f"（{pack.effective_note}）" if pack.effective_note else ""))
    console.print(f"适用范围（{pack.applicability.cite}）：{pack.applicability.quote}\n")
    for table in (_coverage(pack), _deadlines(pack), _parameters(pack), _provisions(pack),
                  _documents(pack), _clauses(pack), _gaps(pack)):
        if table.row_count:
            console.print(table)


def _coverage(pack: Pack) -> Table:
    start = pack.coverage.start
    table = _table("承保范围与保险期间", "范围", "险别", "期间", "依据")
    table.caption = (f"保险责任开始：{MILESTONES[start.anchor]}后{start.offset.describe()}"
                     f"（{start.cite}{'，推定' if start.inferred else ''}）"
                     + (f"。{pack.coverage.note}" if pack.coverage.note else ""))
    table.caption_justify = "left"
    for scope in pack.coverage.scopes:
        table.add_row(scope.title, TIERS[scope.tier], scope.period.describe(), scope.cite)
    if not pack.coverage.scopes:
        table.add_row("（未规定）", "", "", "")
    return table


def _deadlines(pack: Pack) -> Table:
    table = _table("期限", "id", "事项", "责任方", "起算", "期限", "依据")
    for d in pack.deadlines:
        anchor = pack.anchor_label(d.anchor)
        span = d.offset.describe() if d.offset else ""
        table.add_row(d.id, d.title + (f"（{d.condition}）" if d.condition else ""), d.actor,
                      f"{anchor}{DIRECTIONS[d.direction]}", span, d.cite)
    return table


def _parameters(pack: Pack) -> Table:
    table = _table("金额、比例与数量", "id", "事项", "规定", "基数/适用", "依据")
    for p in pack.parameters:
        value = p.amount.describe() if p.amount else p.text
        if p.binding == "guidance":
            value += "（参照）"
        table.add_row(p.id, p.title, value, "；".join(filter(None, (p.basis, p.applies_to))), p.cite)
    return table


def _provisions(pack: Pack) -> Table:
    table = _table("规定事项", "id", "事项", "责任方", "依据")
    for p in pack.provisions:
        table.add_row(p.id, p.title, p.actor or "", p.cite)
    return table


def _documents(pack: Pack) -> Table:
    table = _table("法定文书", "id", "文书", "出具方 → 接收方", "时间", "依据")
    for d in pack.documents:
        table.add_row(d.id, d.title, f"{d.issuer} → {d.recipient}", d.when, d.cite)
    return table


def _clauses(pack: Pack) -> Table:
    table = _table("条款要求", "规则", "要求", "适用文件", "级别", "依据")
    for c in pack.clauses:
        kinds = "、".join(DOC_KINDS[k] for k in c.applies_to)
        table.add_row(f"{pack.id}/{c.id}", c.description, kinds, LEVELS[c.level], c.cite)
    return table


def _gaps(pack: Pack) -> Table:
    table = _table("本文件未规定的事项", "事项", "说明")
    for gap in pack.not_specified:
        table.add_row(gap.topic, gap.note + (f"（{gap.cite}）" if gap.cite else ""))
    return table


# --- timeline ------------------------------------------------------------------------------

def _timeline_table(timeline: Timeline) -> Table:
    title = f"{timeline.project_name or '项目'} · {timeline.pack.title}（{timeline.pack.id}）"
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    for column in ("日期", "事项", "责任方", "计算", "依据"):
        table.add_column(column, overflow="fold")
    for event in timeline.events:
        how = (f"{event.anchor_label} {event.anchor_date or ''} "
               f"{DIRECTIONS[event.relation]}{event.period or ''} [{METHODS[event.method][0]}]")
        title = event.title
        if event.condition and event.condition not in title:
            title += f"（{event.condition}）"
        table.add_row(str(event.date or "—"), f"{escape(title)} [dim]{event.id}[/dim]",
                      escape(event.actor or ""), escape("\n".join(filter(None, (how, event.note)))),
                      escape(event.citation))
    return table


def _print_timeline(timeline: Timeline, out: Console) -> None:
    out.print(_timeline_table(timeline))
    methods = dict.fromkeys(e.method for e in timeline.events)
    out.print("计算方法：")
    for method in methods:
        label, text = METHODS[method]
        out.print(f"  [{label}] {text}", markup=False)
    if timeline.notes:
        out.print("未计算或需注意的事项：")
    for note in timeline.notes:
        out.print(f"  · {note}", markup=False)


def print_timeline(timeline: Timeline) -> None:
    _print_timeline(timeline, console)


def timeline_text(timeline: Timeline) -> str:
    buffer = io.StringIO()
    _print_timeline(timeline, Console(width=160, file=buffer, color_system=None))
    return buffer.getvalue()


def timeline_ics(timeline: Timeline) -> str:
    """An iCalendar file of all-day events that ordinary calendar programs import."""
    calendar = Calendar()
    calendar.add("prodid", "-//idi//住宅工程质量潜在缺陷保险//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{timeline.project_name or '项目'} · {timeline.pack.city}潜在缺陷保险期限")
    project_key = hashlib.sha1((timeline.project_name or "").encode()).hexdigest()[:12]
    stamp = datetime.now(timezone.utc)
    for event in timeline.events:
        if event.date is None:
            continue
        item = IcsEvent()
        item.add("uid", f"{event.rule}-{project_key}@idi")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.date)
        item.add("dtend", event.date + timedelta(days=1))
        item.add("summary", event.title)
        item.add("description", "\n".join(filter(None, (
            f"依据：{event.citation}", f"责任方：{event.actor}" if event.actor else None,
            event.condition, event.convention, event.note))))
        calendar.add_component(item)
    return calendar.to_ical().decode("utf-8")
