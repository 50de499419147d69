"""Cover as a pack and a policy state it: when it starts, the scopes and their periods, the claim
steps. Shared by the notices to owners and the warranty and sales-contract clauses."""
from __future__ import annotations

from typing import Optional

from corpus.schema import MILESTONES

from .. import derived
from ..rules import Finding, scope_periods
from . import Job


def period_term(job: Job) -> str:
    """The pack's word for the period (保险期限 or 保险期间), from the document's elements."""
    return derived.heading(job.mandate.document, ("period",), "保险期限")


def requirements(job: Job, project, policy) -> list[tuple[str, str]]:
    """Pack-dependent inputs: the cover start date where the pack gives no rule, the scopes where
    the pack lists none, scope ids that exist."""
    pack, problems = job.pack, []
    milestones = (project.milestones if project else None) or {}
    start = pack.coverage.start
    if "liability_start" not in milestones:
        if not start.offset.specified:
            problems.append(("project.milestones.liability_start",
                             f"{pack.city}的规定未给出保险责任开始时间（{start.offset.note}，{start.cite}），"
                             "请按保险单填写"))
        elif start.anchor not in milestones:
            problems.append((f"project.milestones.{start.anchor}",
                             f"计算保险责任开始时间需要{MILESTONES[start.anchor]}日期"
                             f"（{derived.liability_start_rule(pack)}），或直接给出 liability_start"))
    terms = (policy.scopes if policy else None) or []
    if not pack.coverage.scopes and not terms:
        problems.append(("policy.scopes", f"{pack.city}的规则包未列承保范围与保险期限（{pack.coverage.note}），"
                                          "请按保险合同填写"))
    known = {s.id: s.title for s in pack.coverage.scopes}
    for i, term in enumerate(terms):
        if term is not None and term.scope and term.scope not in known:
            choices = "、".join(f"{k}（{v}）" for k, v in known.items()) or "无"
            problems.append((f"policy.scopes[{i}].scope", f"规则包中没有承保范围 “{term.scope}”；可用：{choices}"))
    return problems


def rules(job: Job, policy) -> list[Finding]:
    return scope_periods(job.pack, (policy.scopes if policy else None) or [])


def context(job: Job, project, policy) -> dict:
    pack = job.pack
    term = period_term(job)
    milestones = (project.milestones if project else None) or {}
    rows = derived.scope_rows(pack, (policy.scopes if policy else None) or [])
    start = derived.event_date(pack, milestones, "liability-start")
    additional = [s for s in pack.coverage.scopes if not s.period.specified
                  and s.id not in {r.scope for r in (policy.scopes if policy else None) or [] if r}]
    return {
        "start": start,
        "start_rule": derived.liability_start_rule(pack),
        "scopes": rows,
        "scopes_text": derived.scopes_sentence(rows, term),
        "additional_note": "；".join(f"{s.title}的保险范围和{term}按保险合同约定" for s in additional) or None,
        "liability": (f"在{term}内，因工程质量潜在缺陷造成保险范围内的房屋损坏，由保险公司依照保险合同的约定"
                      "履行维修或赔偿责任"),
        "period_term": term,
    }


OWNER_WORDS = ("业主", "所有权人", "任何一方", "争议方", "赔偿金额")


def claim_context(job: Job, insurer) -> dict:
    """Claim steps (report, survey, determination, payment) and the denial and dispute routes."""
    pack = job.pack
    steps = [derived.deadline_sentence(pack, d) for d in derived.deadlines_from(pack, ("claim_received", "claim_agreed"))]
    # Worded without “不予赔偿通知书”: a negator before 通知 reads as refusing the owner's duty to notify.
    denial = [f"{d.condition or '不属于保险责任的'}，{d.actor}应自作出核定之日起{derived.deadline_period(d)}"
              f"向业主书面说明理由（{d.cite}）" for d in derived.deadlines_from(pack, ("determination_made",))]
    hotline = derived.provisions(pack, "hotline")
    return {
        "phone": (insurer.claims_phone or insurer.phone) if insurer else None,
        "department": insurer.claims_department if insurer else None,
        "steps_text": "；".join(steps) or "按保险合同约定的理赔服务标准办理",
        "denial_text": "；".join(denial) or None,
        "hotline_text": "；".join(f"{h['text']}（{h['cite']}）" for h in hotline) or None,
        "disputes_text": _joined(derived.provisions(pack, "dispute", audience=OWNER_WORDS)) or "按保险合同约定或依法处理",
        "exclusions_text": _joined(derived.provisions(pack, "exclusion")) or "以保险合同约定为准",
        "pre_cover_text": _joined(derived.provisions(pack, "warranty")) or None,
    }


def _joined(items: list[dict]) -> Optional[str]:
    return "；".join(f"{i['text']}（{i['cite']}）" for i in items) or None
