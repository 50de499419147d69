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
  * scope periods: a policy period shorter than the pack's period (or minimum) refuses;
  * process inspections: a schedule with fewer a month than `process-inspection-frequency` refuses;
  * the risk manager's independence (`rmo-independence`): a participating unit as risk manager refuses;
  * timing: an act the document records after its deadline, or not before the event it must precede,
    warns (as does a deadline the working-day calendar cannot date yet).

Requirements (inputs a pack's rule or value needs, as [(path, message)] for a type's `requirements`):
the milestone a deadline runs from, the cover start and scopes where the pack leaves them to the
policy, a party to the document (the builder), photos that exist and are images.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage

from corpus.errors import IdiError
from corpus.schema import MILESTONES, Pack, Parameter
from corpus.timeline import compute_timeline

from .derived import (INSPECTION_FREQUENCY, citation, clean_quote, cn_date, deadline_period, event_date, events,
                      find_deadline, find_parameter, find_provision, liability_start_rule, participants, pct, photo)


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


# ---------------------------------------------------------------------------------------------
# Rules


def final_report_defects(pack: Pack, open_severe: list[str]) -> list[Finding]:
    """Severe defects still unrectified when the final report is due."""
    if not open_severe:
        return []
    numbers = "、".join(open_severe)
    withheld = find_provision(pack, "final-report-withheld")
    if withheld:
        return [refuse(pack, withheld.id, withheld.cite,
                       f"工程各阶段发现的严重质量风险在竣工时未整改到位的，不得向建设单位提供最终评估报告；"
                       f"尚未整改的严重缺陷：{numbers}")]
    blocks = find_provision(pack, "final-report-blocks-acceptance")
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


def too_few_inspections(pack: Pack, rows) -> list[Finding]:
    """A schedule (schemas.ScheduleRow) with fewer process inspections a month than the pack's minimum."""
    p = find_parameter(pack, INSPECTION_FREQUENCY)
    if p is None or not p.amount or not p.amount.specified:
        return []
    least = int(p.amount.value)
    short = [f"{r.stage}（{r.inspections_per_month}次/月）" for r in rows or []
             if r is not None and r.inspections_per_month is not None and r.inspections_per_month < least]
    if not short:
        return []
    return [refuse(pack, p.id, p.cite, f"{p.applies_to or '每个施工阶段'}每月至少开展{least}次过程质量检查；"
                                      f"本文书安排不足：{'、'.join(short)}")]


def independence(pack: Pack, risk_manager, project) -> list[Finding]:
    """Refused where the pack requires independence and the risk manager is a participant itself."""
    rule = find_provision(pack, "rmo-independence")
    name = risk_manager.name if risk_manager is not None else None
    clash = [f"{role}{unit}" for role, unit in participants(project) if name and unit == name]
    if rule is None or not clash:
        return []
    return [refuse(pack, rule.id, rule.cite, f"{clean_quote(rule.quote)}；{name}即本项目的{'、'.join(clash)}")]


def mandate_warning(mandate, text: str) -> Finding:
    """A warning resting on the article that mandates the document itself (its `when`)."""
    item = mandate.document.id if mandate.document else mandate.title
    return warn(mandate.pack, item, mandate.cite, text)


# ---------------------------------------------------------------------------------------------
# Timing


def act_in_time(pack: Pack, deadline_id: Optional[str], done_on: Optional[date], due: Optional[date],
                what: str) -> list[Finding]:
    """Warn when an act the document records happened after its deadline (none where the pack has no such deadline)."""
    deadline = find_deadline(pack, deadline_id)
    if deadline is None or done_on is None or due is None or done_on <= due:
        return []
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


def deadline_met(pack: Pack, deadline_id: Optional[str], done_on: Optional[date], milestones: dict,
                 what: str) -> list[Finding]:
    """Warn when what the document records happened after its deadline (dated from `milestones`), or,
    where the pack only says “before” an event, not before it."""
    deadline = find_deadline(pack, deadline_id)
    if deadline is None or done_on is None:
        return []
    if deadline.direction == "before" and not deadline.offset.specified:
        return act_before(pack, deadline.id, done_on, milestones.get(deadline.anchor), what)
    return act_in_time(pack, deadline.id, done_on, event_date(pack, milestones, deadline.id), what)


def undated(pack: Pack, milestones: dict, deadline_id: Optional[str]) -> list[Finding]:
    """A warning where the deadline's anchor is known but its date cannot be computed (e.g. working
    days in a year the official holiday calendar does not cover yet): the document leaves the date out."""
    d = find_deadline(pack, deadline_id)
    if d is None or not milestones or deadline_id in events(pack, milestones):
        return []
    notes = compute_timeline(pack, {k: v for k, v in milestones.items() if v}).notes
    reason = next((n for n in notes if n.startswith(f"{d.id}（") and "无法计算" in n), None)
    return [warn(pack, d.id, d.cite, f"{d.title}的期限未能计算，文书中未写日期：{reason.split('：', 1)[1]}")] \
        if reason else []


# ---------------------------------------------------------------------------------------------
# Requirements: (path, message) for inputs a pack's rule or value needs


def milestone_required(pack: Pack, deadline_id: Optional[str], milestones: dict) -> list[tuple[str, str]]:
    """The milestone a time limit (after an event) runs from, where the data lacks it."""
    deadline = find_deadline(pack, deadline_id)
    if deadline is None or deadline.direction != "after" or deadline.anchor in milestones \
            or deadline.anchor not in MILESTONES:
        return []
    return [(f"project.milestones.{deadline.anchor}",
             f"计算“{deadline.title}”的期限（{deadline_period(deadline)}，{deadline.cite}）"
             f"需要{MILESTONES[deadline.anchor]}日期")]


def cover_requirements(pack: Pack, project, policy) -> list[tuple[str, str]]:
    """The cover start date where the pack gives no rule (or the milestone its rule runs from), the
    scopes where the pack lists none, scope ids that exist."""
    problems = []
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
                             f"（{liability_start_rule(pack)}），或直接给出 liability_start"))
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


def cover_start_requirements(pack: Pack, project) -> list[tuple[str, str]]:
    """Only what dating the cover start needs (for documents that print no scopes)."""
    return [p for p in cover_requirements(pack, project, None) if p[0].startswith("project.milestones")]


def builder_required(cite: str, project) -> list[tuple[str, str]]:
    """The builder, where it is a party to the document (the article mandating it: `cite`)."""
    if project is not None and project.builder is None:
        return [("project.builder", f"施工单位是本文书的一方（{cite}），请填写施工单位")]
    return []


def photo_problems(named: Iterable[tuple[str, Optional[str]]], base_dir: Path) -> list[tuple[str, str]]:
    """(path, problem) for each named photo (path in the data, file name) that is missing or not an image."""
    problems = []
    for where, value in named:
        found = photo(value, base_dir)
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


def defect_photo_problems(defects, base_dir: Path) -> list[tuple[str, str]]:
    """The defects' photos (`defects[i].photo`) exist and are images."""
    return photo_problems([(f"defects[{i}].photo", d.photo) for i, d in enumerate(defects or []) if d], base_dir)
