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

from corpus.reference import DIRECTIONS, header_lines, pack_sections, validity_text
from corpus.schema import Pack
from corpus.timeline import METHODS, Timeline

# Wide enough for the tables when output is piped (rich would otherwise assume 80 columns).
console = Console(width=None if sys.stdout.isatty() else 160)


def pack_summary(pack: Pack, on: date) -> dict:
    return {
        "id": pack.id, "city": pack.city, "title": pack.title,
        "document_number": pack.document_number,
        "effective_from": pack.effective_from.isoformat(),
        "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
        "in_force": pack.in_force(on), "on": on.isoformat(),
    }


def print_pack_list(packs, on: date) -> None:
    table = Table(title=f"规则包（有效性按 {on} 判断）", box=box.SIMPLE_HEAVY)
    for column in ("id", "城市", "文件", "文号", "有效期", "是否有效"):
        table.add_column(column)
    for pack in packs:
        table.add_row(pack.id, pack.city, pack.title, pack.document_number or "（无文号）",
                      validity_text(pack), "有效" if pack.in_force(on) else "[red]无效[/red]")
    console.print(table)


def print_pack(pack: Pack) -> None:
    console.print(f"[bold]{escape(pack.title)}[/bold]  {escape(pack.document_number or '')}")
    for line in header_lines(pack):
        console.print(line, markup=False)
    for section in pack_sections(pack):
        if not section.rows:
            continue
        table = Table(title=section.title, box=box.SIMPLE, title_justify="left")
        for column in section.columns:
            table.add_column(column, overflow="fold")
        for row in section.rows:
            table.add_row(*map(escape, row))
        console.print(table)
        if section.caption:
            console.print(section.caption + "\n", markup=False)


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
