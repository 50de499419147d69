"""Shared by the notices, letters, applications, minutes and agreements between the parties
(authorization, coverage statement, revisit and participant notices, claims briefing, dispute appraisal,
subrogation, joint inspection, determination, guarantee-fund papers, buyer consent, the developer–insurer
agreement, the risk-management and insurance contracts): milestone dates and the pack's deadlines from
them (working days where the pack says so), the pack's own provisions quoted with their articles and
sorted by who bears them, the cover's end dates, the risk manager's independence, a unit with its role,
and template parts (attendees, coverage table, signature table, 抄送).

Nothing here knows a city: items are found in the pack by category, id or anchor."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable, Optional

from pydantic import Field

from corpus.schema import Deadline, Pack
from corpus.timeline import compute_timeline

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import Finding, refuse, warn
from ..schemas import Organisation, Text
from . import Job, _add_years, _coverage


class Unit(Organisation):
    """A participating unit named with its role (施工单位、设计单位、监理单位、设备材料供应商 …)."""

    role: Text = Field(title="单位类别", description="如 施工单位、设计单位、监理单位、设备材料供应商、物业服务企业")


# ---------------------------------------------------------------------------------------------
# Milestones and deadlines


def marks(project, **extra: Optional[date]) -> dict[str, date]:
    """The project's milestone dates plus the document's own events (e.g. claims_briefing=…)."""
    found = dict((project.milestones if project is not None else None) or {})
    found.update({k: v for k, v in extra.items() if v})
    return found


def deadline(pack: Pack, deadline_id: Optional[str]) -> Optional[Deadline]:
    return next((d for d in pack.deadlines if d.id == deadline_id), None)


def due(pack: Pack, milestones: dict, deadline_id: Optional[str]) -> Optional[date]:
    """The date the pack's deadline falls on for these milestones (working days where it says so)."""
    if deadline(pack, deadline_id) is None:
        return None
    event = derived.events(pack, milestones).get(deadline_id)
    return event.date if event else None


def period(d: Deadline) -> str:
    """'3个工作日内', '至少提前2个月'; where the pack gives no number, its note says so."""
    text = derived.deadline_period(d)
    if text == derived.UNSPECIFIED and d.offset is not None and d.offset.note:
        return f"{text}（{d.offset.note}）"
    return text


def timing(pack: Pack, d: Deadline, when: Optional[date]) -> str:
    """'建设单位应于2028年9月16日前完成：保险责任期开始前共同查验工程质量（不低于2个月，第九条（一）6）'."""
    if when is None:
        return f"{d.actor}：{d.title}（{period(d)}，{d.cite}）"
    verb = "当日" if d.direction == "on" else "前"
    return f"{d.actor}应于{derived.cn_date(when)}{verb}完成：{d.title}（{period(d)}，{d.cite}）"


def timings(pack: Pack, milestones: dict, anchors: Iterable[str], skip: Iterable[str] = ()) -> list[dict]:
    """Every deadline running from `anchors`, dated where the milestones allow, in date order."""
    events = derived.events(pack, milestones)
    rows = []
    for d in derived.deadlines_from(pack, anchors):
        if d.id in skip:
            continue
        when = events[d.id].date if d.id in events else None
        rows.append({"id": d.id, "date": when, "text": timing(pack, d, when)})
    return sorted(rows, key=lambda r: (r["date"] or date.max))


def uncomputed(job: Job, milestones: dict, deadline_id: Optional[str]) -> list[Finding]:
    """A warning where the deadline's anchor is known but its date cannot be computed (e.g. working
    days in a year the official holiday calendar does not cover yet): the document leaves the date out."""
    d = deadline(job.pack, deadline_id)
    if d is None or not milestones or deadline_id in derived.events(job.pack, milestones):
        return []
    notes = compute_timeline(job.pack, {k: v for k, v in milestones.items() if v}).notes
    reason = next((n for n in notes if n.startswith(f"{d.id}（") and "无法计算" in n), None)
    return [warn(job.pack, d.id, d.cite, f"{d.title}的期限未能计算，文书中未写日期：{reason.split('：', 1)[1]}")] \
        if reason else []


def mandate_warning(job: Job, text: str) -> Finding:
    """A warning resting on the article that mandates the document itself (its `when`)."""
    item = job.mandate.document.id if job.mandate.document else job.mandate.title
    return warn(job.pack, item, job.mandate.cite, text)


def late(job: Job, deadline_id: str, done_on: Optional[date], due_on: Optional[date], what: str) -> list[Finding]:
    """A warning when an act this document records came after the pack's deadline for it."""
    d = deadline(job.pack, deadline_id)
    if d is None or done_on is None or due_on is None or done_on <= due_on:
        return []
    return [warn(job.pack, d.id, d.cite, f"{d.title}的期限为{derived.cn_date(due_on)}，"
                                         f"{what}为{derived.cn_date(done_on)}，已逾期")]


# ---------------------------------------------------------------------------------------------
# The pack's own words


def clean(text: str) -> str:
    """Regulation quotes keep the source's spacing ('15 日'); a document does not."""
    return re.sub(r"\s+(?=[\u4e00-\u9fff（）])|(?<=[\u4e00-\u9fff（）])\s+", "", text).rstrip("。；")


def quoted(pack: Pack, *ids: str) -> list[str]:
    """Provisions (or parameters, deadlines) by id, in the regulation's words with the article."""
    items = {i.id: i for i in (*pack.provisions, *pack.parameters, *pack.deadlines)}
    return [f"{clean(items[i].quote)}（{items[i].cite}）" for i in ids if i in items]


def provisions(pack: Pack, categories: Iterable[str], words: Iterable[str] = (), exclude_actors: Iterable[str] = (),
               exclude: Iterable[str] = ()) -> list[str]:
    """Provisions of the categories whose words name one of `words` (all if none), verbatim with article."""
    words, exclude_actors, exclude = tuple(words), tuple(exclude_actors), set(exclude)
    found = []
    for p in pack.provisions:
        if p.category not in categories or p.id in exclude or clean(p.quote) in exclude:
            continue
        if words and not any(w in p.quote or w in (p.actor or "") for w in words):
            continue
        if exclude_actors and (p.actor or "").startswith(exclude_actors):
            continue
        found.append(f"{clean(p.quote)}（{p.cite}）")
    return found


def duties_of(pack: Pack, first: str, second: str, skip: Iterable[str] = (), categories: Iterable[str] = (),
              deadline_words: Iterable[str] = ()) -> dict[str, list[str]]:
    """The pack's provisions and deadlines by who bears them, in the regulation's words: `first` alone,
    `second` alone, or both (e.g. 建设单位 / 保险公司) — for the rights and duties of an agreement.
    `categories` narrows the provisions, `deadline_words` the deadlines (by title), where given."""
    found: dict[str, list[str]] = {"first": [], "second": [], "both": []}
    skip, categories, deadline_words = set(skip), tuple(categories), tuple(deadline_words)
    provisions = [p for p in pack.provisions if not categories or p.category in categories]
    deadlines = [d for d in pack.deadlines if not deadline_words or any(w in d.title for w in deadline_words)]
    for item in (*provisions, *deadlines):
        actor = item.actor or ""
        if item.id in skip or not actor:
            continue
        head = re.split(r"[（；、或]", actor)[0]
        key = ("both" if first in actor and second in actor.split("；")[0] else
               "first" if head.endswith(first) else "second" if head.endswith(second) else None)
        words = clean(item.quote) if len(item.quote) >= len(item.title) else item.title  # a fragment: its title
        words = words.removeprefix("并")
        if head not in words[:12] and words.startswith(("在", "接到", "收到", "对", "检查")):
            words = head + words  # a quote that starts after its subject
        line = f"{words}（{item.cite}）"
        if key and line not in found[key]:
            found[key].append(line)
    return found


def joined(lines: Iterable[str], fallback: Optional[str] = None) -> Optional[str]:
    return "；".join(lines) or fallback


def claim_terms(pack: Pack) -> dict:
    """What the pack adds to the claim steps: how the insurer indemnifies, who may claim, the warranty on
    repairs, the waiver that defeats a claim (each None where the pack says nothing)."""
    warranty = [f"{p.title}为{p.amount.describe()}（{p.cite}）" for p in pack.parameters
                if p.category == "warranty" and p.amount and p.amount.specified]
    return {
        "indemnity": joined(provisions(pack, ("claims",), ("修复", "赔付"))),
        "claimant": joined(provisions(pack, ("claims",), ("索赔主体", "索赔权益人", "索赔申请"))),
        "repair_warranty": joined(warranty),
        "waiver": joined(provisions(pack, ("subrogation",), ("放弃",))),
    }


# ---------------------------------------------------------------------------------------------
# Risk management: the participants, and a risk manager that must not be one of them


def participants(project) -> list[tuple[str, str]]:
    """(role, name) of the project's developer, designer, builder and supervisor that are named."""
    if project is None:
        return []
    found = [("建设单位", project.developer), ("设计单位", project.designer), ("施工单位", project.builder),
             ("监理单位", project.supervisor)]
    return [(role, unit.name) for role, unit in found if unit is not None and unit.name]


def independence(job: Job, risk_manager, project) -> list[Finding]:
    """Refused where the pack requires independence and the risk manager is a participant itself."""
    rule = next((p for p in job.pack.provisions if p.id == "rmo-independence"), None)
    name = risk_manager.name if risk_manager is not None else None
    clash = [f"{role}{unit}" for role, unit in participants(project) if name and unit == name]
    if rule is None or not clash:
        return []
    return [refuse(job.pack, rule.id, rule.cite, f"{clean(rule.quote)}；{name}即本项目的{'、'.join(clash)}")]


# ---------------------------------------------------------------------------------------------
# Cover: the pack's word for the period, the start, the scopes and when each ends


def start_requirements(job: Job, project) -> list[tuple[str, str]]:
    """Only what dating the cover start needs (for documents that print no scopes)."""
    return [p for p in _coverage.requirements(job, project, None) if p[0].startswith("project.milestones")]


def builder_required(job: Job, project) -> list[tuple[str, str]]:
    if project is not None and project.builder is None:
        return [("project.builder", f"施工单位是本文书的一方（{job.mandate.cite}），请填写施工单位")]
    return []


def period_term(job: Job) -> str:
    """保险期间 where the regulation says so (北京), else the element's word, else 保险期限."""
    if job.mandate.document and any(e.id == "period" for e in job.mandate.document.elements):
        return _coverage.period_term(job)
    quotes = " ".join(s.quote for s in job.pack.coverage.scopes)
    return "保险期间" if "保险期间" in quotes and "保险期限" not in quotes else "保险期限"


def coverage(job: Job, project, policy) -> dict:
    """_coverage.context in the pack's words, plus each scope's end date (from the cover start)."""
    context = _coverage.context(job, project, policy)
    term = period_term(job)
    context["period_term"] = term
    context["scopes_text"] = derived.scopes_sentence(context["scopes"], term)
    context["ends"] = ends(context["start"], context["scopes"])
    return context


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
                      "end": _add_years(start, int(years)) - timedelta(days=1)})
    return found


# ---------------------------------------------------------------------------------------------
# Template parts


def attendees_table(b: TemplateBuilder, sequence: str = "meeting.attendees") -> None:
    b.table([("序号", 14, "{{ loop.index }}"), ("单位", 52, "{{ a.unit }}"), ("姓名", 22, "{{ a.name }}"),
             ("职务（角色）", 34, "{{ a.role }}"), ("联系电话", 34, "{{ a.phone }}")], sequence, "a")


def meeting_table(b: TemplateBuilder, organiser: str = "{{ doc.issuer }}") -> None:
    b.info_table([
        ("项目名称", "{{ project.name }}"),
        ("项目地址", "{{ project.address }}"),
        ("会议时间", "{{ meeting.date }} {{ meeting.time }}"),
        ("会议地点", "{{ meeting.place }}"),
        ("会议组织", organiser),
        ("主持人", "{{ meeting.host.name }}{% if meeting.host.title %}（{{ meeting.host.title }}）{% endif %}"),
        ("记录人", "{% if meeting.recorder %}{{ meeting.recorder.name }}{% else %}—{% endif %}"),
    ])


def coverage_table(b: TemplateBuilder, rows: str = "coverage.scopes") -> None:
    b.table([("承保范围", 40, "{{ s.title }}"), ("承保内容", 88, "{{ s.contents }}"),
             ("{{ coverage.period_term }}", 28, "{{ s.period }}")], rows, "s")


def sign_table(b: TemplateBuilder, sequence: str = "signatories") -> None:
    """Each party's name and role, with room for its seal, its representative and the date."""
    b.table([("单位", 62, "{{ s.name }}"), ("身份", 26, "{{ s.role }}"), ("盖章", 24, ""),
             ("代表签字", 22, ""), ("日期", 22, "")], sequence, "s")


def copy_to(b: TemplateBuilder, sequence: str = "copies") -> None:
    with b.when(sequence):
        b.plain("抄送：{% for c in " + sequence + " %}{{ c }}{% if not loop.last %}，{% endif %}{% endfor %}。")
