"""Values computed for documents: Chinese dates and money, citations, and the city-dependent
content every type draws from its pack (cover start, scopes and periods, claim steps, deadlines).

Nothing here knows a city: it asks the pack. Every function tolerates missing inputs (None),
so a draft with gaps renders with 【待补】 where a value could not be computed.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Optional

from corpus.schema import MILESTONES, UNITS, Deadline, MandatedDocument, Pack
from corpus.timeline import Event, compute_timeline

CENT = Decimal("0.01")
GAP = "【待补】"

# ---------------------------------------------------------------------------------------------
# Formatting


def cn_date(day: Optional[date]) -> Optional[str]:
    """2026-01-05 -> '2026年1月5日'."""
    return f"{day.year}年{day.month}月{day.day}日" if day else None


def yuan(amount: Optional[Decimal]) -> Optional[str]:
    """1200000 -> '1,200,000.00元'."""
    return None if amount is None else f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f}元"


def rmb_upper(amount: Optional[Decimal]) -> Optional[str]:
    """1200000 -> '壹佰贰拾万元整' (RMB capital numerals, as written on cheques and contracts)."""
    if amount is None:
        return None
    import cn2an  # slow to import (≈0.1 s): only when needed
    return cn2an.an2cn(format(amount.quantize(CENT, ROUND_HALF_UP), "f"), "rmb")


def pct(value: Optional[Decimal]) -> Optional[str]:
    """Decimal('1.50') -> '1.5%'."""
    return None if value is None else f"{plain(value)}%"


def plain(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 1.50 -> '1.5', 1E+2 -> '100'."""
    text = format(value.normalize(), "f")
    return text


def cn_ordinal(n: int) -> str:
    """1 -> '一', 11 -> '十一' (clause numbers 一、二、…)."""
    import cn2an
    return cn2an.an2cn(n)


def times(base: Optional[Decimal], percent: Optional[Decimal]) -> Optional[Decimal]:
    """base × percent%, rounded to the cent; None if either is missing."""
    if base is None or percent is None:
        return None
    return (base * percent / 100).quantize(CENT, ROUND_HALF_UP)


def strip_parenthetical(text: str) -> str:
    """'核定结论（不属于保险责任）' -> '核定结论'."""
    return re.sub(r"（[^（）]*）$", "", text)


# ---------------------------------------------------------------------------------------------
# Citations


def citation(pack: Pack, cite: str) -> str:
    """'《上海市…实施细则》（沪建规范联〔2025〕2号）第七条（五）'."""
    number = f"（{pack.document_number}）" if pack.document_number else ""
    return f"《{pack.title}》{number}{cite}"


def basis_line(pack: Pack, cite: str) -> str:
    return f"依据{citation(pack, cite)}"


# ---------------------------------------------------------------------------------------------
# Timeline: cover start, periods and deadlines from the project's milestones


def events(pack: Pack, milestones: dict[str, date]) -> dict[str, Event]:
    """Every dated event of the pack's timeline, by id (deadlines, liability-start, coverage ends)."""
    timeline = compute_timeline(pack, {k: v for k, v in milestones.items() if v})
    return {e.id: e for e in timeline.events if e.date}


def event_date(pack: Pack, milestones: dict[str, date], event_id: str) -> Optional[date]:
    event = events(pack, milestones).get(event_id)
    return event.date if event else None


def liability_start_rule(pack: Pack) -> str:
    """How the pack says cover starts: '自竣工验收合格之日起满2年之日起算（第五条）'."""
    start = pack.coverage.start
    if not start.offset.specified:
        return f"按保险单约定（{start.cite}：{start.offset.note}）"
    anchor = MILESTONES[start.anchor]
    offset = f"{start.offset.value:g}{UNITS[start.offset.unit]}"
    text = f"自{anchor}之日起满{offset}之日起算"
    if start.inferred:
        text += "，以保险单载明的日期为准"
    return f"{text}（{start.cite}）"


UNSPECIFIED = "未规定具体时限"


def deadline_period(deadline: Deadline) -> str:
    """'3个工作日内', '7日内', '至少提前1个月', '按保险合同约定' …"""
    if deadline.direction == "on":
        return "当日"
    offset = deadline.offset
    if not offset.specified:
        return "按保险合同约定" if "约定" in (offset.note or "") else UNSPECIFIED
    amount = f"{offset.value:g}{UNITS[offset.unit]}"
    if deadline.direction == "before":
        return f"至少提前{amount}" if offset.bound == "min" else f"提前{amount}"
    return f"{amount}内"


def deadline_sentence(pack: Pack, deadline: Deadline) -> str:
    """'情形复杂的，保险公司做出核定并通知业主，时限为30日内（工作指引 4.3）'."""
    title = deadline.title
    if deadline.condition:
        title = title.removeprefix(deadline.condition.rstrip("的") + "的").removeprefix(deadline.condition)
    condition = f"{deadline.condition}，" if deadline.condition else ""
    period = deadline_period(deadline)
    limit = "" if period == UNSPECIFIED else f"，时限为{period}"
    return f"{condition}{deadline.actor}{title}{limit}（{deadline.cite}）"


def deadlines_from(pack: Pack, anchors: Iterable[str]) -> list[Deadline]:
    anchors = set(anchors)
    return [d for d in pack.deadlines if d.anchor in anchors]


CLAIM_ANCHORS = ("claim_received", "determination_made", "claim_agreed", "appraisal_result")


def claim_steps(pack: Pack) -> list[str]:
    """The claim-handling steps and their time limits, as the pack states them, in order."""
    return [deadline_sentence(pack, d) for d in deadlines_from(pack, CLAIM_ANCHORS)]


def provisions(pack: Pack, *categories: str, audience: Iterable[str] = (), verbatim: bool = False) -> list[dict]:
    """Provisions of the given categories as {title, text, cite}: 'title：summary', else the quote.

    With `audience`, only those whose text names one of these parties (e.g. 业主, 所有权人):
    a notice to owners leaves out disputes between the developer and the risk manager.
    `verbatim` gives the regulation's words (the quote) rather than the pack's summary.
    """
    found = []
    for p in pack.provisions:
        if p.category not in categories:
            continue
        if verbatim:
            text = p.quote
        elif p.summary:
            text = f"{p.title}：{p.summary}"
        else:
            text = p.quote if len(p.quote) >= len(p.title) else p.title
        if audience and not any(word in (p.summary or "") + p.quote + p.title for word in audience):
            continue
        found.append({"title": p.title, "text": text, "cite": p.cite})
    return found


# ---------------------------------------------------------------------------------------------
# Coverage


def scope_rows(pack: Pack, policy_scopes: Optional[list]) -> list[dict]:
    """The policy's scopes with their periods: the pack's scopes (periods from the policy where it
    states one, else the pack's), then any the policy adds where the pack lists none.

    Each row: {title, contents, period, years, cite}; `period` is text such as '10年' or
    '不低于2年（以保险合同约定为准）'.
    """
    given = {s.scope: s for s in policy_scopes or [] if s is not None and s.scope}
    rows = []
    for scope in pack.coverage.scopes:
        term = given.get(scope.id)
        if term is None and not scope.period.specified:
            continue  # optional cover the policy does not state (e.g. 附加险 left to the contract)
        rows.append({
            "title": scope.title, "contents": "；".join(term.items if term and term.items else scope.items),
            "years": term.years if term else scope.period.value,
            "period": _period_text(scope.period, term.years if term else None),
            "cite": scope.cite,
        })
    for term in policy_scopes or []:
        if term is not None and not term.scope:
            rows.append({"title": term.title, "contents": "；".join(term.items or []), "years": term.years,
                         "period": f"{term.years}年" if term.years else None, "cite": None})
    return rows


def _period_text(period, years: Optional[int]) -> str:
    if years is not None:
        return f"{years}年"
    value = f"{period.value:g}{UNITS[period.unit]}"
    return value if period.bound == "exact" else f"不低于{value}（以保险合同约定为准）"


def scopes_sentence(rows: list[dict], period_term: str = "保险期限") -> Optional[str]:
    """'地基基础和主体结构工程，保险期限10年；保温工程，保险期限5年' (contents go in a table)."""
    if not rows:
        return None
    return "；".join(f"{row['title']}，{period_term}{row['period'] or GAP}" for row in rows)


# ---------------------------------------------------------------------------------------------
# The mandated document's element titles, used as headings


def heading(mandate: Optional[MandatedDocument], element_ids: Iterable[str], default: str) -> str:
    """The pack's own title of the first element found (so each element's words appear), else `default`."""
    if mandate is not None:
        by_id = {e.id: e.title for e in mandate.elements}
        for element_id in element_ids:
            if element_id in by_id:
                return by_id[element_id]
    return default
