"""Values computed for documents: Chinese dates and money, citations, and the city-dependent
content every type draws from its pack (cover start, scopes and periods, claim steps, deadlines,
the pack's own words on a subject), and the figures of the reports (defects, risks, ratios).

Nothing here knows a city: it asks the pack, finding items by id, category or anchor. Every
function tolerates missing inputs (None), so a draft with gaps renders with 【待补】 where a value
could not be computed.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Optional

from corpus.schema import MILESTONES, UNITS, Deadline, MandatedDocument, Pack, Parameter, Provision
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


def ratio(part: Optional[int], whole: Optional[int]) -> Optional[Decimal]:
    """part / whole in percent, to 0.1 (None without a whole)."""
    if part is None or not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio_text(part: Optional[int], whole: Optional[int]) -> str:
    """'87.5%', or '—' without a whole (整改率, 抽查比例, 销项率 …)."""
    value = ratio(part, whole)
    return pct(value) if value is not None else "—"


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February: the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def strip_parenthetical(text: str) -> str:
    """'核定结论（不属于保险责任）' -> '核定结论'."""
    return re.sub(r"（[^（）]*）$", "", text)


def clean_quote(text: str) -> str:
    """Regulation quotes keep the source's spacing ('15 日') and final stop; a document's clause does not."""
    return re.sub(r"\s+(?=[\u4e00-\u9fff（）])|(?<=[\u4e00-\u9fff（）])\s+", "", text).rstrip("。；")


def joined(lines: Iterable[str], fallback: Optional[str] = None) -> Optional[str]:
    """Lines as one '；'-separated text, else `fallback`."""
    return "；".join(lines) or fallback


# ---------------------------------------------------------------------------------------------
# Citations


def citation(pack: Pack, cite: str) -> str:
    """'《上海市…实施细则》（沪建规范联〔2025〕2号）第七条（五）'."""
    number = f"（{pack.document_number}）" if pack.document_number else ""
    return f"《{pack.title}》{number}{cite}"


def basis_line(pack: Pack, cite: str) -> str:
    return f"依据{citation(pack, cite)}"


# ---------------------------------------------------------------------------------------------
# The pack's items by id (None where the pack has none: the caller leaves the matter out)


def find_deadline(pack: Pack, deadline_id: Optional[str]) -> Optional[Deadline]:
    return next((d for d in pack.deadlines if d.id == deadline_id), None)


def find_parameter(pack: Pack, parameter_id: Optional[str]) -> Optional[Parameter]:
    return next((p for p in pack.parameters if p.id == parameter_id), None)


def find_provision(pack: Pack, provision_id: Optional[str]) -> Optional[Provision]:
    return next((p for p in pack.provisions if p.id == provision_id), None)


# ---------------------------------------------------------------------------------------------
# Timeline: cover start, periods and deadlines from the project's milestones


def milestones(project, **extra: Optional[date]) -> dict[str, date]:
    """The project's milestone dates plus the document's own events (e.g. briefing_meeting=…)."""
    found = dict((project.milestones if project is not None else None) or {})
    found.update({k: v for k, v in extra.items() if v})
    return found


def events(pack: Pack, milestones: dict[str, date]) -> dict[str, Event]:
    """Every dated event of the pack's timeline, by id (deadlines, liability-start, coverage ends)."""
    timeline = compute_timeline(pack, {k: v for k, v in milestones.items() if v})
    return {e.id: e for e in timeline.events if e.date}


def event_date(pack: Pack, milestones: dict[str, date], event_id: Optional[str]) -> Optional[date]:
    """The date of an event (e.g. the day a deadline falls on, on working days where the pack says so)."""
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
AGREED = "按保险合同约定"


def deadline_period(deadline: Deadline, noted: bool = False) -> str:
    """'3个工作日内', '7日内', '至少提前1个月', '按保险合同约定' …; `noted`: where the pack gives no
    number, its note follows ('未规定具体时限（只规定“及时”）')."""
    if deadline.direction == "on":
        return "当日"
    offset = deadline.offset
    if not offset.specified:
        text = AGREED if "约定" in (offset.note or "") else UNSPECIFIED
        return f"{text}（{offset.note}）" if noted and text == UNSPECIFIED and offset.note else text
    amount = f"{offset.value:g}{UNITS[offset.unit]}"
    if deadline.direction == "before":
        return f"至少提前{amount}" if offset.bound == "min" else f"提前{amount}"
    return f"{amount}内"


# A claim step whose title opens with its condition qualifying the claim ('情形复杂的索赔作出核定'):
# the claim is the topic, then the actor acts ('情形复杂的索赔，保险公司作出核定').
_TOPICS = ("索赔",)


def deadline_sentence(pack: Pack, deadline: Deadline) -> str:
    """'情形复杂的，保险公司做出核定并通知业主，时限为30日内（工作指引 4.3）'; '保险公司接到报案后前往现场查勘，
    时限按保险合同约定（第十三条）'."""
    title, condition = deadline.title, deadline.condition or ""
    if condition:
        title = title.removeprefix(condition.rstrip("的") + "的").removeprefix(condition).lstrip("，")
        topic = next((t for t in _TOPICS if title.startswith(t) and deadline.title.startswith(condition)), "")
        condition, title = f"{condition}{topic}，", title.removeprefix(topic)
    period = deadline_period(deadline)
    limit = "" if period == UNSPECIFIED else "，时限" + (period if period == AGREED else f"为{period}")
    return f"{condition}{deadline.actor}{title}{limit}（{deadline.cite}）"


def deadlines_from(pack: Pack, anchors: Iterable[str]) -> list[Deadline]:
    anchors = set(anchors)
    return [d for d in pack.deadlines if d.anchor in anchors]


CLAIM_ANCHORS = ("claim_received", "determination_made", "claim_agreed", "appraisal_result")


def claim_steps(pack: Pack) -> list[str]:
    """The claim-handling steps and their time limits, as the pack states them, in order."""
    return [deadline_sentence(pack, d) for d in deadlines_from(pack, CLAIM_ANCHORS)]


def due_when(pack: Pack, deadline: Deadline, day: Optional[date]) -> Optional[str]:
    """The date a deadline falls on, worded for its direction: '最迟于2026年3月9日' for a time limit,
    '须在开工（2026年3月1日）之前' where the pack only says “before” an event, '于…当日'."""
    if day is None:
        return None
    if deadline.direction == "before" and not deadline.offset.specified:
        return f"须在{pack.anchor_label(deadline.anchor)}（{cn_date(day)}）之前"
    if deadline.direction == "on":
        return f"于{cn_date(day)}当日"
    return f"最迟于{cn_date(day)}"


def due(pack: Pack, milestones: dict[str, date], deadline_id: Optional[str]) -> Optional[dict]:
    """A deadline with its date on the pack's calendar, for a template: {id, title, actor, cite, period,
    sentence, date, when, anchor}; None where the pack has no such deadline."""
    deadline = find_deadline(pack, deadline_id)
    if deadline is None:
        return None
    day = event_date(pack, milestones, deadline.id)
    return {"id": deadline.id, "title": deadline.title, "actor": deadline.actor, "cite": deadline.cite,
            "period": deadline_period(deadline), "sentence": deadline_sentence(pack, deadline),
            "date": day, "when": due_when(pack, deadline, day), "anchor": deadline.anchor}


def deadline_lines(pack: Pack, anchors: Iterable[str], milestones: dict[str, date],
                   actor: Optional[str] = None) -> list[str]:
    """The pack's time limits running from `anchors` (optionally only one actor's; acts on the day of
    the event left out), each a sentence with its computed date where the milestone is known."""
    lines = []
    for deadline in deadlines_from(pack, anchors):
        if (actor and not deadline.actor.startswith(actor)) or deadline.direction == "on":
            continue
        item = due(pack, milestones, deadline.id)
        lines.append(item["sentence"] + (f"（{item['when']}）" if item["when"] else ""))
    return lines


def deadline_duty(deadline: Deadline, day: Optional[date]) -> str:
    """'建设单位应于2028年9月16日前完成：保险责任期开始前共同查验工程质量（不低于2个月，第九条（一）6）'."""
    period = deadline_period(deadline, noted=True)
    if day is None:
        return f"{deadline.actor}：{deadline.title}（{period}，{deadline.cite}）"
    verb = "当日" if deadline.direction == "on" else "前"
    return f"{deadline.actor}应于{cn_date(day)}{verb}完成：{deadline.title}（{period}，{deadline.cite}）"


def deadline_duties(pack: Pack, milestones: dict[str, date], anchors: Iterable[str],
                    skip: Iterable[str] = ()) -> list[dict]:
    """Every deadline running from `anchors` as a duty ({id, date, text}), dated where the milestones
    allow, in date order."""
    dated = events(pack, milestones)
    rows = []
    for deadline in deadlines_from(pack, anchors):
        if deadline.id in skip:
            continue
        day = dated[deadline.id].date if deadline.id in dated else None
        rows.append({"id": deadline.id, "date": day, "text": deadline_duty(deadline, day)})
    return sorted(rows, key=lambda r: (r["date"] or date.max))


# ---------------------------------------------------------------------------------------------
# What the pack says (and leaves open) on a subject


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


def cited(items: Iterable[dict]) -> Optional[str]:
    """`provisions(…)` as one text: 'text（cite）；text（cite）', None if there are none."""
    return "；".join(f"{i['text']}（{i['cite']}）" for i in items) or None


def quoted(pack: Pack, *ids: str) -> list[str]:
    """Provisions (or parameters, deadlines) by id, in the regulation's words with the article."""
    items = {i.id: i for i in (*pack.provisions, *pack.parameters, *pack.deadlines)}
    return [f"{clean_quote(items[i].quote)}（{items[i].cite}）" for i in ids if i in items]


def provision_quotes(pack: Pack, categories: Iterable[str], words: Iterable[str] = (),
                     exclude_actors: Iterable[str] = (), exclude: Iterable[str] = ()) -> list[str]:
    """Provisions of the categories whose words (quote or actor) name one of `words` (all if none),
    in the regulation's words with the article; `exclude` leaves out ids or quotes (e.g. the document's own)."""
    categories, words, exclude_actors, exclude = tuple(categories), tuple(words), tuple(exclude_actors), set(exclude)
    found = []
    for p in pack.provisions:
        if p.category not in categories or p.id in exclude or clean_quote(p.quote) in exclude:
            continue
        if words and not any(w in p.quote or w in (p.actor or "") for w in words):
            continue
        if exclude_actors and (p.actor or "").startswith(exclude_actors):
            continue
        found.append(f"{clean_quote(p.quote)}（{p.cite}）")
    return found


def provision_lines(pack: Pack, ids: Iterable[str] = (), categories: Iterable[str] = (),
                    actor: Optional[str] = None) -> list[str]:
    """Provisions by id or category (optionally one actor's), quoted as the regulation has them, cited;
    a quote cut after its subject ('并将…上传') gets the actor back."""
    ids, categories = tuple(ids), tuple(categories)
    lines = []
    for p in pack.provisions:
        if p.id in ids or (p.category in categories and (not actor or (p.actor or "").startswith(actor))):
            text = f"{p.actor}应{p.quote[1:]}" if p.quote.startswith("并") and p.actor else p.quote
            lines.append(f"{text}（{p.cite}）")
    return lines


def document_lines(pack: Pack, ids: Iterable[str]) -> list[str]:
    """Mandated documents' duties in the regulation's words (e.g. the written rectification reply)."""
    ids = tuple(ids)
    return [f"{d.quote}（{d.cite}）" for d in pack.documents if d.id in ids]


def gap_lines(pack: Pack, *words: str) -> list[str]:
    """The pack's own notes on what the regulation leaves open, for topics naming any of `words`."""
    return [f"{g.topic}：{g.note}" + (f"（{g.cite}）" if g.cite else "")
            for g in pack.not_specified if any(w in g.topic for w in words)]


def parameter_text(p: Optional[Parameter]) -> Optional[str]:
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


INSPECTION_FREQUENCY = "process-inspection-frequency"  # parameter (杭州 工作指引 3.3: twice a month a stage)


def inspection_frequency_text(pack: Pack) -> Optional[str]:
    return parameter_text(find_parameter(pack, INSPECTION_FREQUENCY))


def duties_of(pack: Pack, first: str, second: str, skip: Iterable[str] = (), categories: Iterable[str] = (),
              deadline_words: Iterable[str] = ()) -> dict[str, list[str]]:
    """The pack's provisions and deadlines by who bears them, in the regulation's words: `first` alone,
    `second` alone, or both (e.g. 建设单位 / 保险公司) — for the rights and duties of an agreement.
    `categories` narrows the provisions, `deadline_words` the deadlines (by title), where given."""
    found: dict[str, list[str]] = {"first": [], "second": [], "both": []}
    skip, categories, deadline_words = set(skip), tuple(categories), tuple(deadline_words)
    items = [p for p in pack.provisions if not categories or p.category in categories]
    items += [d for d in pack.deadlines if not deadline_words or any(w in d.title for w in deadline_words)]
    for item in items:
        actor = item.actor or ""
        if item.id in skip or not actor:
            continue
        head = re.split(r"[（；、或]", actor)[0]
        key = ("both" if first in actor and second in actor.split("；")[0] else
               "first" if head.endswith(first) else "second" if head.endswith(second) else None)
        words = clean_quote(item.quote) if len(item.quote) >= len(item.title) else item.title  # a fragment: its title
        words = words.removeprefix("并")
        if head not in words[:12] and words.startswith(("在", "接到", "收到", "对", "检查")):
            words = head + words  # a quote that starts after its subject
        line = f"{words}（{item.cite}）"
        if key and line not in found[key]:
            found[key].append(line)
    return found


def coinsurance_terms(pack: Pack) -> tuple[str, str]:
    """The pack's words for the lead and the others: 主承保公司/从保公司 or 牵头保险公司/成员保险公司."""
    texts = " ".join(i.quote for i in (*pack.parameters, *pack.provisions) if i.category in
                     ("co-insurance", "underwriting"))
    return ("牵头保险公司", "成员保险公司") if "牵头" in texts and "主承保" not in texts else ("主承保公司", "从保公司")


def participants(project) -> list[tuple[str, str]]:
    """(role, name) of the project's developer, designer, builder and supervisor that are named."""
    if project is None:
        return []
    found = [("建设单位", project.developer), ("设计单位", project.designer), ("施工单位", project.builder),
             ("监理单位", project.supervisor)]
    return [(role, unit.name) for role, unit in found if unit is not None and unit.name]


# ---------------------------------------------------------------------------------------------
# Coverage and claims


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


def cover_text(pack: Pack) -> Optional[str]:
    """'基本险：地基基础和主体结构工程、保温和防水工程；附加险按保险合同约定' from the pack's scopes."""
    scopes = pack.coverage.scopes
    basic = "、".join(s.title for s in scopes if s.tier == "basic")
    extra = "、".join(s.title for s in scopes if s.tier == "additional" and s.title != "附加险")
    if not basic:
        return None
    if extra:
        return f"基本险：{basic}；附加险：{extra}"
    return f"基本险：{basic}" + ("；附加险按保险合同约定" if any(s.tier == "additional" for s in scopes) else "")


def period_term(document: Optional[MandatedDocument], pack: Optional[Pack] = None) -> str:
    """The word for the period (保险期限 or 保险期间): the document's `period` element title; else, given
    the pack, 保险期间 where its scopes say so and never 保险期限 (北京); else 保险期限."""
    if pack is None or (document is not None and any(e.id == "period" for e in document.elements)):
        return heading(document, ("period",), "保险期限")
    quotes = " ".join(s.quote for s in pack.coverage.scopes)
    return "保险期间" if "保险期间" in quotes and "保险期限" not in quotes else "保险期限"


def coverage(pack: Pack, project, policy, term: str = "保险期限") -> dict:
    """The cover as the pack and the policy state it, worded with `term` (see period_term): when it
    starts and by what rule, the scopes (rows and one sentence), the additional cover left to the
    contract, the liability, and when each scope's cover ends."""
    dates = milestones(project)
    scopes = (policy.scopes if policy else None) or []
    rows = scope_rows(pack, scopes)
    start = event_date(pack, dates, "liability-start")
    stated = {t.scope for t in scopes if t}
    additional = [s for s in pack.coverage.scopes if not s.period.specified and s.id not in stated]
    return {
        "start": start,
        "start_rule": liability_start_rule(pack),
        "scopes": rows,
        "scopes_text": scopes_sentence(rows, term),
        "additional_note": "；".join(f"{s.title}的保险范围和{term}按保险合同约定" for s in additional) or None,
        "liability": (f"在{term}内，因工程质量潜在缺陷造成保险范围内的房屋损坏，由保险公司依照保险合同的约定"
                      "履行维修或赔偿责任"),
        "period_term": term,
        "ends": ends(start, rows),
    }


def ends(start: Optional[date], rows: list[dict]) -> list[dict]:
    """When each scope's cover ends (from its first day to the day before the anniversary), where the
    period is certain: a minimum the pack leaves to the contract is not dated unless the policy states it."""
    found = []
    for row in rows:
        years = row.get("years")
        exact = re.fullmatch(r"\d+年", row.get("period") or "")  # not a minimum left to the contract
        if start is None or not exact or not isinstance(years, (int, float)) or years != int(years):
            continue
        found.append({"title": row["title"], "period": row["period"],
                      "end": add_years(start, int(years)) - timedelta(days=1)})
    return found


OWNER_WORDS = ("业主", "所有权人", "任何一方", "争议方", "赔偿金额")  # disputes an owner can be party to


def claim_context(pack: Pack, insurer) -> dict:
    """Claim steps (report, survey, determination, payment) and the denial and dispute routes, the
    exclusions, the hotline and the repairs before cover starts, as the pack states them."""
    steps = [deadline_sentence(pack, d) for d in deadlines_from(pack, ("claim_received", "claim_agreed"))]
    # Worded without “不予赔偿通知书”: a negator before 通知 reads as refusing the owner's duty to notify.
    denial = [f"{d.condition or '不属于保险责任的'}，{d.actor}应自作出核定之日起{deadline_period(d)}"
              f"向业主书面说明理由（{d.cite}）" for d in deadlines_from(pack, ("determination_made",))]
    return {
        "phone": (insurer.claims_phone or insurer.phone) if insurer else None,
        "department": insurer.claims_department if insurer else None,
        "steps_text": "；".join(steps) or "按保险合同约定的理赔服务标准办理",
        "denial_text": "；".join(denial) or None,
        "hotline_text": cited(provisions(pack, "hotline")),
        "disputes_text": cited(provisions(pack, "dispute", audience=OWNER_WORDS)) or "按保险合同约定或依法处理",
        "exclusions_text": cited(provisions(pack, "exclusion")) or "以保险合同约定为准",
        "pre_cover_text": cited(provisions(pack, "warranty")) or None,
    }


def claim_terms(pack: Pack) -> dict:
    """What the pack adds to the claim steps: how the insurer indemnifies, who may claim, the warranty on
    repairs, the waiver that defeats a claim (each None where the pack says nothing)."""
    warranty = [f"{p.title}为{p.amount.describe()}（{p.cite}）" for p in pack.parameters
                if p.category == "warranty" and p.amount and p.amount.specified]
    return {
        "indemnity": joined(provision_quotes(pack, ("claims",), ("修复", "赔付"))),
        "claimant": joined(provision_quotes(pack, ("claims",), ("索赔主体", "索赔权益人", "索赔申请"))),
        "repair_warranty": joined(warranty),
        "waiver": joined(provision_quotes(pack, ("subrogation",), ("放弃",))),
    }


# ---------------------------------------------------------------------------------------------
# Reports: the project's profile, risks, defects and their photos


def profile_text(profile) -> Optional[str]:
    """'总建筑面积52300平方米，共12栋、1020户，框架—剪力墙结构，…' from a schemas.ProjectProfile
    (None if nothing is given)."""
    if profile is None:
        return None
    parts = []
    if profile.area:
        parts.append(f"总建筑面积{plain(profile.area)}平方米")
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
        parts.append(f"建筑安装工程造价{yuan(profile.cost)}")
    return "，".join(parts) or None


def risk_summary(risks) -> dict:
    """Counts of schemas.RiskEntry by level, and the high-risk parts."""
    risks = [r for r in risks or [] if r is not None]
    counts = {level: sum(r.level == level for r in risks) for level in ("高", "中", "低")}
    high = "、".join(r.part for r in risks if r.level == "高" and r.part)
    return {"total": len(risks), "high": counts["高"], "medium": counts["中"], "low": counts["低"],
            "high_parts": high or None}


PHOTO_MM = 18  # a photo's width in a defects table cell


def photo(value: Optional[str], base_dir: Path, width_mm: float = PHOTO_MM):
    """A photo named in the data (relative to the data file's folder), for a table cell (engine.Image)."""
    if not value:
        return None
    from .engine import Image  # the engine imports this module
    path = Path(value)
    return Image(path if path.is_absolute() else base_dir / path, width_mm)


def open_severe(defects) -> list[str]:
    """The numbers of the severe defects not rectified."""
    return [d.number for d in defects or [] if d and d.severity == "严重" and d.rectified is False]


def defect_stats(defects) -> dict:
    """Totals, severe/general, rectified, open (with numbers), rectification rate; open severe."""
    defects = [d for d in defects or [] if d is not None]
    rectified = [d for d in defects if d.rectified]
    open_items = [d.number for d in defects if d.rectified is False]
    return {
        "total": len(defects), "severe": sum(d.severity == "严重" for d in defects),
        "general": sum(d.severity == "一般" for d in defects), "rectified": len(rectified),
        "open": len(open_items), "open_list": "、".join(map(str, open_items)) or None,
        "rate": ratio_text(len(rectified), len(defects)),
        "open_severe": "、".join(n for n in open_severe(defects) if n) or None,
    }


def defect_rows(defects, base_dir: Path) -> list[dict]:
    """Defects (schemas.ReportDefect) for a table: their data, a status (已整改, 限期整改（…前）, 未整改), the photo."""
    rows = []
    for d in defects or []:
        if d is None:
            continue
        if d.rectified:
            status = "已整改"
        elif getattr(d, "due", None):
            status = f"限期整改（{cn_date(d.due)}前）"
        else:
            status = "未整改"
        rows.append({**d.model_dump(), "status": status, "photo": photo(d.photo, base_dir)})
    return rows


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
