"""The regulation enforced at generation time.

A rule returns findings: a *refusal* stops generation (RuleViolation, an IdiError, with every
refusal in one Chinese message citing the pack and article), a *warning* is reported with the
result. Whether a pack's number refuses or warns follows the pack: a `mandatory` bound refuses,
a `guidance` bound (原文“参照”“宜”) warns — except where a rule says otherwise below.

Rules find what they enforce by the pack's ids (parameters, provisions, deadlines), never by city:
  * final report withheld while severe defects are unrectified: provision `final-report-withheld`
    refuses; `final-report-blocks-acceptance` (completion acceptance barred) warns and the report
    says so;
  * premium rate floors: parameters `premium-rate-min*` (by `applies_to` 保障房/商品房) refuse,
    even where the pack marks them guidance, because the issue asks for it (杭州 工作指引 2.2);
  * co-insurance: `coinsurance-lead-share-min`, `coinsurance-followers-min` refuse;
  * risk-management fee: `risk-management-fee-min|max` — mandatory bounds refuse, guidance warns;
  * scope periods: a policy period shorter than the pack's period (or minimum) refuses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Optional

from corpus.errors import IdiError
from corpus.schema import Pack, Parameter

from .derived import citation, cn_date, pct


class RuleViolation(IdiError):
    """Generation refused because the document would breach the regulation."""


@dataclass(frozen=True)
class Finding:
    level: str  # "refuse" | "warn"
    rule: str  # "<pack id>/<item id>"
    message: str


def refuse(pack: Pack, item_id: str, cite: str, text: str) -> Finding:
    return Finding("refuse", f"{pack.id}/{item_id}", f"依据{citation(pack, cite)}，{text}")


def warn(pack: Pack, item_id: str, cite: str, text: str) -> Finding:
    return Finding("warn", f"{pack.id}/{item_id}", f"依据{citation(pack, cite)}，{text}")


def enforce(findings: list[Finding], doc_title: str) -> list[str]:
    """Raise one RuleViolation naming every refusal; return the warnings' messages."""
    refusals = [f for f in findings if f.level == "refuse"]
    if refusals:
        lines = "\n".join(f"  - {f.message}（规则 {f.rule}）" for f in refusals)
        raise RuleViolation(f"不予生成《{doc_title}》：\n{lines}")
    return [f"{f.message}（规则 {f.rule}）" for f in findings if f.level == "warn"]


def _parameters(pack: Pack, prefix: str) -> list[Parameter]:
    return [p for p in pack.parameters if p.id.startswith(prefix) and p.amount and p.amount.specified]


def _provision(pack: Pack, provision_id: str):
    return next((p for p in pack.provisions if p.id == provision_id), None)


# ---------------------------------------------------------------------------------------------
# Rules


def final_report_defects(pack: Pack, open_severe: list[str]) -> list[Finding]:
    """Severe defects still unrectified when the final report is due."""
    if not open_severe:
        return []
    numbers = "、".join(open_severe)
    withheld = _provision(pack, "final-report-withheld")
    if withheld:
        return [refuse(pack, withheld.id, withheld.cite,
                       f"工程各阶段发现的严重质量风险在竣工时未整改到位的，不得向建设单位提供最终评估报告；"
                       f"尚未整改的严重缺陷：{numbers}")]
    blocks = _provision(pack, "final-report-blocks-acceptance")
    if blocks:
        return [warn(pack, blocks.id, blocks.cite,
                     f"报告指出存在严重质量缺陷且在竣工时没有得到实质性整改的，不得通过该建设项目的竣工验收；"
                     f"尚未整改的严重缺陷：{numbers}")]
    return []


def premium_rate_floor(pack: Pack, rate: Optional[Decimal], housing_type: Optional[str]) -> list[Finding]:
    if rate is None:
        return []
    findings = []
    for param in _parameters(pack, "premium-rate-min"):
        if param.applies_to and (housing_type is None or housing_type not in param.applies_to):
            continue
        floor = Decimal(str(param.amount.value))
        if rate < floor:
            kind = param.applies_to or "本项目"
            findings.append(refuse(pack, param.id, param.cite,
                                   f"{kind}保险费率不低于{pct(floor)}，本文书为{pct(rate)}"))
    if housing_type is None and any(p.applies_to for p in _parameters(pack, "premium-rate-min")):
        findings.append(Finding("refuse", f"{pack.id}/premium-rate-min",
                                "该规则包按住宅类型规定费率下限，请在 project.housing_type 中注明“保障房”或“商品房”"))
    return findings


def coinsurance_structure(pack: Pack, lead_share: Optional[Decimal], followers: Optional[int]) -> list[Finding]:
    findings = []
    for param in _parameters(pack, "coinsurance-lead-share-min"):
        floor = Decimal(str(param.amount.value))
        if lead_share is not None and lead_share < floor:
            findings.append(refuse(pack, param.id, param.cite,
                                   f"主承保公司承保份额不得低于{pct(floor)}，本协议为{pct(lead_share)}"))
    for param in _parameters(pack, "coinsurance-followers-min"):
        minimum = int(param.amount.value)
        if followers is not None and followers < minimum:
            findings.append(refuse(pack, param.id, param.cite,
                                   f"共保体除主承保（牵头）公司外应有不少于{minimum}家从保（成员）公司，本协议为{followers}家"))
    return findings


def risk_management_fee(pack: Pack, fee_percent: Optional[Decimal]) -> list[Finding]:
    """Fee as a percentage of the premium against the pack's bounds."""
    if fee_percent is None:
        return []
    findings = []
    for param in _parameters(pack, "risk-management-fee-m"):
        bound = Decimal(str(param.amount.value))
        low = param.amount.bound == "min" and fee_percent < bound
        high = param.amount.bound == "max" and fee_percent > bound
        if not (low or high):
            continue
        words = "不低于" if low else "不高于"
        basis = param.basis or "保险费"
        text = f"风险管理费用{words}{basis}的{pct(bound)}，本文书为{pct(fee_percent)}"
        if param.binding == "mandatory":
            findings.append(refuse(pack, param.id, param.cite, text))
        else:
            findings.append(warn(pack, param.id, param.cite, text + "（该比例为参照标准，请核实）"))
    return findings


def scope_periods(pack: Pack, policy_scopes: list) -> list[Finding]:
    """A policy period shorter than the pack's period for the same scope."""
    findings = []
    by_id = {s.id: s for s in pack.coverage.scopes}
    for term in policy_scopes or []:
        scope = by_id.get(getattr(term, "scope", None))
        if scope is None or term.years is None or not scope.period.specified:
            continue
        if scope.period.unit == "years" and term.years < scope.period.value:
            findings.append(refuse(pack, f"coverage/{scope.id}", scope.cite,
                                   f"{scope.title}的保险期限{scope.period.describe()}，"
                                   f"本文书为{term.years}年"))
    return findings


def act_in_time(pack: Pack, deadline_id: str, done_on: Optional[date], due: Optional[date],
                what: str) -> list[Finding]:
    """Warn when an act the document records happened after its deadline."""
    if done_on is None or due is None or done_on <= due:
        return []
    deadline = pack.deadline(deadline_id)
    return [warn(pack, deadline.id, deadline.cite,
                 f"{deadline.title}的期限为{cn_date(due)}，{what}为{cn_date(done_on)}，已逾期")]


def act_before(pack: Pack, deadline_id: str, done_on: Optional[date], event_on: Optional[date],
               what: str) -> list[Finding]:
    """Warn when an act that must precede an event (e.g. the briefing before construction) did not."""
    if done_on is None or event_on is None or done_on < event_on:
        return []
    deadline = pack.deadline(deadline_id)
    return [warn(pack, deadline.id, deadline.cite,
                 f"{deadline.title}：{what}为{cn_date(done_on)}，未早于{pack.anchor_label(deadline.anchor)}"
                 f"（{cn_date(event_on)}）")]
