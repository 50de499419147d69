"""The requirement engine: one pack clause requirement against one document → one finding.

Driven entirely by the pack's data (phrases, entities, negations, applies_if); nothing here
knows a city. The steps:
1. find the candidate clause: the smallest window of consecutive segments holding the most of
   the requirement's phrase groups (exact synonyms, then one-typo matches);
2. decide by explicit tests: every phrase group present, no negation, every entity filled with
   a valid value (a licensed insurer, a real phone number, a period not below the pack's …),
   and, with a project file, the values the project names.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from corpus.insurers import InsurerRegistry
from corpus.schema import COVERAGE_START_SCOPE, ClauseRequirement, Coverage, EntityRequirement, Parameter

from . import entities
from .entities import Value
from .findings import Evidence, Finding
from .matching import (SENTENCE, Hit, exact_hits, exempt, fragment_bounds, fuzzy_hits, negated,
                       phrase_pattern, specific_negation)
from .model import Clause, NormalText, Page
from .segment import STRUCTURAL, heading_at

WINDOW_RUN = 4  # consecutive segments a window may span (key-value table rows, split items)
WINDOW_MAX = 3000  # characters; beyond this a "clause" is a chapter and co-occurrence means little
VALUE_REACH = 24  # characters between a cue and the value it introduces
QUOTE_MAX = 240  # characters of evidence quoted
CANDIDATES_TRIED = 4  # complete windows whose values are checked before settling on the best
# OCR: a finding that would pass on recognised text whose lowest line confidence (of the lines
# holding its matched words and values) is below this is a warn for a person to confirm. Not a
# per-city number; chosen from the recogniser's scores on the scanned sample set
# (scripts/make_scans.py, scripts/bench_ocr.py): recognised lines average 0.99, and the lowest basis
# of the 93 findings on 24 scans was 0.91 (passes: 0.93), so 0.8 leaves a margin below every
# correctly read pass and still catches lines the recogniser itself doubts (smudged, half under a
# seal). A confident misreading (a phone's dash read as 一 scored 0.95) is beyond any threshold:
# see checkers.ocr.fix_confusions.
LOW_OCR_CONFIDENCE = 0.8
# Words that say nothing about whose phone a number is.
_GENERIC_LABEL = re.compile(r"（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+条|"
                            r"联系|服务|咨询|热线|客服|24小时|全国统一|统一|号码|方式|电话|手机|座机|如下|分别|"
                            r"拨打|致电|请|可以|可|为|是|：|:|，|及|和|其|的|（|）|\s|[\u2460-\u2473]|\d+[.、]")
_LABEL_STOPS = set("，。；;、\n【】") | {chr(c) for c in range(0x2460, 0x2474)}
_UNIT_DAYS = {"years": 365, "months": 30, "calendar_days": 1, "working_days": 1, "hours": Decimal(1) / 24}


class Source(Protocol):
    """Where requirements come from: a pack, or a user's rule file read against one."""

    id: str
    coverage: Coverage

    def citation(self, cite: str) -> str: ...

    def parameter(self, parameter_id: str) -> Parameter: ...


@dataclass
class Analysed:
    """A normalised, segmented document, with the windows requirements are looked for in."""

    text: NormalText
    clauses: list[Clause]
    ocr: dict[int, Page] = field(default_factory=dict)  # pages recognised by OCR, by page number

    @functools.cached_property
    def starts(self) -> list[int]:
        return [c.start for c in self.clauses]

    @functools.cached_property
    def windows(self) -> list[tuple[int, int]]:
        """A segment with its sub-segments, and runs of sibling items or table rows — never
        segments of different articles, where co-occurring words mean nothing."""
        spans: set[tuple[int, int]] = set()
        for i, clause in enumerate(self.clauses):
            spans.add((clause.start, self._subtree_end(i)))
            for j in range(i + 1, min(i + WINDOW_RUN, len(self.clauses))):
                if not self._siblings(clause, self.clauses[j]):
                    break
                spans.add((clause.start, self.clauses[j].end))
        if not spans:
            spans.add((0, len(self.text.text)))
        return sorted(s for s in spans if s[1] - s[0] <= WINDOW_MAX or s[1] == s[0])

    @staticmethod
    def _siblings(first: Clause, other: Clause) -> bool:
        """Items of one parent, or top-level items and rows that are not articles or chapters."""
        if other.path[:-1] != first.path[:-1]:
            return False
        return bool(first.path[:-1]) or not (_structural(first.label) or _structural(other.label))

    def _subtree_end(self, i: int) -> int:
        path = self.clauses[i].path
        end = self.clauses[i].end
        if not path:
            return end  # the text before the first heading has no sub-segments
        for later in self.clauses[i + 1:]:
            if later.path[:len(path)] != path or len(later.path) <= len(path):
                break
            end = later.end
        return end

    def clause_at(self, offset: int) -> Clause | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.clauses[i] if i >= 0 else None

    def evidence(self, start: int, end: int) -> Evidence:
        start, end = max(start, 0), min(end, len(self.text.text))
        confidence, box = self._recognition(start, end)
        if end - start > QUOTE_MAX:
            end = start + QUOTE_MAX
        clause = self.clause_at(start)
        return Evidence(self.text.page_at(start), clause.reference if clause else "",
                        self.text.original(start, end).strip(), confidence, box)

    def recognition_confidence(self, spans: list[tuple[int, int]]) -> float | None:
        """The lowest OCR confidence of the lines under normalised spans; None if none was recognised."""
        scores = [self._recognition(start, end)[0] for start, end in spans]
        scores = [score for score in scores if score is not None]
        return min(scores) if scores else None

    def _recognition(self, start: int, end: int) -> tuple[float | None, tuple[float, ...] | None]:
        """For text recognised by OCR: the lowest confidence of the lines under normalised
        [start, end) and their bounding box on the first such page; (None, None) otherwise."""
        if not self.ocr or start >= end:
            return None, None
        text = self.text
        raw_start, raw_end = text.origin[start], text.origin[end - 1] + 1
        first = bisect.bisect_right(text.page_starts, raw_start) - 1
        last = bisect.bisect_right(text.page_starts, raw_end - 1) - 1
        confidences, box = [], None
        for slot in range(max(first, 0), max(last, 0) + 1):
            page = self.ocr.get(text.page_numbers[slot])
            if page is None:
                continue
            offset = text.page_starts[slot]
            lines = page.ocr_lines(raw_start - offset, raw_end - offset)
            confidences += [line.confidence for line in lines]
            if lines and box is None:
                corners = [line.box for line in lines]
                box = (min(b[0] for b in corners), min(b[1] for b in corners),
                       max(b[2] for b in corners), max(b[3] for b in corners))
        return (min(confidences), box) if confidences else (None, None)


def _structural(label: str) -> bool:
    heading = heading_at(label)
    return heading is not None and heading.kind in STRUCTURAL


@dataclass
class Context:
    registry: InsurerRegistry
    project: dict[str, Any] | None = None


@dataclass
class Problem:
    message: str
    start: int | None = None
    end: int | None = None
    doubtful: bool = False  # for a person to confirm (warn), not a defect (fail)


@dataclass
class Candidate:
    start: int
    end: int
    hits: list[Hit | None]  # best hit per phrase group inside the window, None if absent
    problems: list[Problem] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # "role：value" for the message
    values: list[tuple[int, int]] = field(default_factory=list)  # where the found values are

    @property
    def complete(self) -> bool:
        return all(self.hits)


def evaluate(requirement: ClauseRequirement, pack: Source, doc: Analysed, context: Context) -> Finding:
    """The finding for one requirement: pass, fail, warn or not-applicable, with evidence."""
    finding = Finding(
        rule=f"{pack.id}/{requirement.id}", title=requirement.title, status="pass",
        message="", citation=pack.citation(requirement.cite), requirement=requirement.quote,
        level=requirement.level)
    text = doc.text.text
    if requirement.applies_if and not any(word in text for word in requirement.applies_if):
        finding.status = "not-applicable"
        finding.message = f"文中未出现“{'、'.join(requirement.applies_if)}”，本项要求不适用。"
        return finding
    groups = [tuple(group) for group in requirement.phrases]
    all_hits = [exact_hits(group, text) or fuzzy_hits(group, text) for group in groups]
    refusal = _refusal(requirement, text, all_hits)
    if refusal:
        return _verdict(finding, "fail", f"条款被否定：“{refusal[0]}”。{requirement.description}。",
                        [doc.evidence(*_sentence(text, refusal[1]))])
    candidates = _candidates(doc, all_hits, requirement)
    if not candidates or not candidates[0].complete:
        return _absent(finding, requirement, doc, groups, candidates[0] if candidates else None)
    return _judge(finding, requirement, doc, _checked(candidates, requirement, pack, doc, context))


# --- negation ---------------------------------------------------------------------------------
def _refusal(requirement: ClauseRequirement, text: str, all_hits: list[list[Hit]]) -> tuple[str, Hit] | None:
    """Wording that withdraws the obligation: the requirement's own refusal phrases in a sentence
    that names it, or a generic negator in a sentence that states it (holds words of at least two
    of its groups) — “不予赔偿通知书” in a notice is not a refusal to notify."""
    protected = [(h.start, h.end) for hits in all_hits for h in hits]
    stated = _sentences_stating(text, all_hits)
    for hits in all_hits:
        for hit in hits:
            if exempt(text, requirement.exemptions, hit):
                continue
            words = specific_negation(text, requirement.negations, hit)
            if not words and _sentence(text, hit) in stated:
                words = negated(text, hit, protected)
            if words:
                return words, hit
    return None


def _sentences_stating(text: str, all_hits: list[list[Hit]]) -> set[tuple[int, int]]:
    groups_in: dict[tuple[int, int], set[int]] = {}
    for group, hits in enumerate(all_hits):
        for hit in hits:
            groups_in.setdefault(_sentence(text, hit), set()).add(group)
    needed = min(2, len(all_hits))
    return {sentence for sentence, groups in groups_in.items() if len(groups) >= needed}


def _sentence(text: str, hit: Hit) -> tuple[int, int]:
    return fragment_bounds(text, hit.start, SENTENCE)


# --- finding the clause ------------------------------------------------------------------------
def _candidates(doc: Analysed, all_hits: list[list[Hit]], requirement: ClauseRequirement) -> list[Candidate]:
    """Windows holding the requirement's words, best first: most phrase groups and entity cues,
    then the shortest."""
    starts = [[h.start for h in hits] for hits in all_hits]
    cues = [cue for e in requirement.entities for cue in e.cues if len(cue) > 1]
    scored = []
    for start, end in _windows_with_hits(doc, all_hits):
        hits = [_first_within(hits, s, start, end) for hits, s in zip(all_hits, starts)]
        score = sum(h is not None for h in hits) + 0.3 * sum(cue in doc.text.text[start:end] for cue in cues)
        scored.append((-score, end - start, start, end, hits))
    scored.sort(key=lambda item: item[:3])
    return [Candidate(start, end, hits) for _, _, start, end, hits in scored]


def _checked(candidates: list[Candidate], requirement: ClauseRequirement, pack: Source, doc: Analysed,
             context: Context) -> Candidate:
    """The first complete candidate whose values all check out, else the best one.

    A heading such as “保险范围、保险期限和保险责任开始时间” holds every word of a requirement
    but none of its values; the section under it does.
    """
    complete = [c for c in candidates if c.complete][:CANDIDATES_TRIED]
    for candidate in complete:
        _check_entities(requirement, pack, doc, candidate, context)
        if not candidate.problems:
            return candidate
    return min(complete, key=lambda c: sum(not p.doubtful for p in c.problems))


def _windows_with_hits(doc: Analysed, all_hits: list[list[Hit]]):
    positions = sorted(h.start for hits in all_hits for h in hits)
    for start, end in doc.windows:
        i = bisect.bisect_left(positions, start)
        if i < len(positions) and positions[i] < end:
            yield start, end


def _first_within(hits: list[Hit], starts: list[int], start: int, end: int) -> Hit | None:
    i = bisect.bisect_left(starts, start)
    return hits[i] if i < len(hits) and hits[i].end <= end else None


def _absent(finding: Finding, requirement: ClauseRequirement, doc: Analysed, groups,
            candidate: Candidate | None) -> Finding:
    status = "fail" if requirement.level == "mandatory" else "warn"
    advice = "" if requirement.level == "mandatory" else "（该条款为鼓励性要求）"
    if candidate is None:
        return _verdict(finding, status, f"未找到“{requirement.title}”条款：{requirement.description}。{advice}", [])
    missing = [f"“{group[0]}”" for hit, group in zip(candidate.hits, groups) if hit is None]
    return _verdict(
        finding, status,
        f"最接近的条款缺少{'、'.join(missing)}等内容，未满足“{requirement.title}”：{requirement.description}。{advice}",
        [doc.evidence(candidate.start, candidate.end)])


def _judge(finding: Finding, requirement: ClauseRequirement, doc: Analysed, candidate: Candidate) -> Finding:
    text = doc.text.text
    for hit in filter(None, candidate.hits):
        if hit.fuzzy:
            candidate.problems.append(Problem(f"“{hit.text}”疑为“{hit.phrase}”之误", hit.start, hit.end, doubtful=True))
        placeholder = entities.blank_after(text, hit.end)
        if placeholder:  # “理赔申请流程：______”
            candidate.problems.append(Problem(f"“{hit.text}”后未填写内容（为“{placeholder}”）", hit.start,
                                              hit.end + len(placeholder) + 1))
    evidence = [doc.evidence(candidate.start, candidate.end)]
    evidence += [doc.evidence(p.start, p.end) for p in candidate.problems if p.start is not None]
    defects = [p.message for p in candidate.problems if not p.doubtful]
    doubts = [p.message for p in candidate.problems if p.doubtful]
    found = f"（{'；'.join(candidate.found)}）" if candidate.found else ""
    if defects:
        status = "fail" if requirement.level == "mandatory" else "warn"
        return _verdict(finding, status, f"“{requirement.title}”条款不完整：{'；'.join(defects)}。", evidence)
    basis = doc.recognition_confidence(_matched_spans(candidate))
    if doubts:
        return _verdict(finding, "warn", f"疑似载明“{requirement.title}”{found}，请人工核对：{'；'.join(doubts)}。",
                        evidence, basis)
    return _verdict(finding, "pass", f"已载明“{requirement.title}”{found}。", evidence, basis)


def _matched_spans(candidate: Candidate) -> list[tuple[int, int]]:
    """What a verdict rests on: the matched words of each phrase group, the values and the problems."""
    spans = [(hit.start, hit.end) for hit in candidate.hits if hit is not None] + candidate.values
    return spans + [(p.start, p.end) for p in candidate.problems if p.start is not None and p.end is not None]


def _verdict(finding: Finding, status: str, message: str, evidence: list[Evidence],
             basis: float | None = None) -> Finding:
    finding.status, finding.message, finding.evidence = status, message, evidence
    return _recognised_caveat(finding, basis)


def _recognised_caveat(finding: Finding, basis: float | None = None) -> Finding:
    """A finding resting on text recognised from a scan says so, with the recognition confidence of
    what it rests on (`basis`: the matched words and values; else its evidence's lines); a pass on
    doubtful recognition becomes a warn for a person to confirm."""
    scores = [e.ocr_confidence for e in finding.evidence if e.ocr_confidence is not None]
    if basis is None and not scores:
        return finding
    confidence = basis if basis is not None else min(scores)
    note = f"（依据识别自扫描件的文字，识别置信度 {confidence:.2f}）"
    if finding.status == "pass" and confidence < LOW_OCR_CONFIDENCE:
        finding.status = "warn"
        note = (f"（依据识别自扫描件的文字，识别置信度 {confidence:.2f}，低于 {LOW_OCR_CONFIDENCE:.2f}，"
                "请人工核对原件）")
    finding.message += note
    return finding


# --- entities ---------------------------------------------------------------------------------
def _check_entities(requirement: ClauseRequirement, pack: Source, doc: Analysed, candidate: Candidate,
                    context: Context) -> None:
    anchor = None
    allowed = _allowed_label_text(requirement)
    for entity in requirement.entities:
        value, problem = _resolve(entity, pack, doc, candidate, anchor, allowed, context)
        if problem:
            candidate.problems.append(problem)
            if entity.kind in ("organisation", "insurer") and problem.end is not None:
                anchor = problem.end  # a wrong name still tells where the party's phone is
            continue
        if value is not None:
            candidate.found.append(f"{entity.role}：{value.text}")
            candidate.values.append((value.start, value.end))
            mismatch = _project_mismatch(entity, value, context)
            if mismatch:
                candidate.problems.append(Problem(mismatch, value.start, value.end))
            if entity.kind in ("organisation", "insurer"):
                anchor = value.end  # the party's phone follows its name


def _resolve(entity: EntityRequirement, pack: Source, doc: Analysed, candidate: Candidate, anchor: int | None,
             allowed: str, context: Context) -> tuple[Value | None, Problem | None]:
    text = doc.text.text
    start, end = candidate.start, candidate.end
    if entity.kind == "phone":
        return _phone(entity, text, anchor, start, end, allowed)
    if entity.kind == "period":
        return _period(entity, pack, text, start, end)
    if entity.kind in ("percent", "money"):
        return _amount(entity, pack, text, start, end)
    if entity.kind == "insurer":
        return _insurer(entity, pack, text, start, end, context.registry)
    return _slot_value(entity, text, start, end)


def _slot_value(entity: EntityRequirement, text: str, start: int, end: int) -> tuple[Value | None, Problem | None]:
    """An organisation, date or text value: the one a cue introduces (“维修单位：…”), else the
    first in the clause (“由…公司负责维修”); a labelled blank when there is none."""
    extract = entities.EXTRACTORS[entity.kind]
    for cue_end in _cue_ends(entity, text, start, end):
        values = [v for v in extract(text, cue_end, min(end, cue_end + VALUE_REACH * 2))
                  if v.start - cue_end <= VALUE_REACH]
        if values:
            return _valid_or_problem(entity, values[0])
    values = extract(text, start, end)
    if values:
        return _valid_or_problem(entity, values[0])
    return None, _first_blank_after_cue(entity, text, start, end) or Problem(f"未写明{entity.role}")


def _valid_or_problem(entity: EntityRequirement, value: Value) -> tuple[Value | None, Problem | None]:
    if value.valid:
        return value, None
    return None, Problem(f"{entity.role}：{value.problem}", value.start, value.end)


def _cue_ends(entity: EntityRequirement, text: str, start: int, end: int) -> list[int]:
    """Where each occurrence of one of the entity's cues ends inside text[start:end]."""
    cues = tuple(c for c in entity.cues if len(c) > 1)
    return [m.end() for m in phrase_pattern(cues).finditer(text, start, end)] if cues else []


def _phone(entity: EntityRequirement, text: str, anchor: int | None, start: int, end: int,
           allowed: str) -> tuple[Value | None, Problem | None]:
    """The phone of the party: the nearest slot after its name (`anchor`) — the rest of that
    sentence, then each cue such as 联系电话： — that holds a number or a blank decides.
    Numbers labelled for another party (售楼处电话) are passed over."""
    origin = start if anchor is None else anchor
    slots = [(cue_end, min(end, cue_end + VALUE_REACH), True)
             for cue_end in _cue_ends(entity, text, origin, end)]
    if anchor is not None:
        slots.insert(0, (anchor, fragment_bounds(text, anchor, SENTENCE)[1], False))
    for slot_start, slot_end, after_cue in slots:
        numbers = [v for v in entities.phones(text, slot_start, slot_end) if _label_fits(text, v.start, allowed, origin)]
        if numbers:
            return _valid_or_problem(entity, numbers[0])
        placeholder = entities.blank_after(text, slot_start) if after_cue else None
        if placeholder is not None:
            return None, _blank(entity, text, slot_start, placeholder)
    if not slots:
        numbers = [v for v in entities.phones(text, start, end) if _label_fits(text, v.start, allowed, start)]
        if numbers:
            return _valid_or_problem(entity, numbers[0])
    return None, Problem(f"未写明{entity.role}")


def _first_blank_after_cue(entity: EntityRequirement, text: str, start: int, end: int) -> Problem | None:
    for cue_end in _cue_ends(entity, text, start, end):
        placeholder = entities.blank_after(text, cue_end)
        if placeholder is not None:
            return _blank(entity, text, cue_end, placeholder)
    return None


def _blank(entity: EntityRequirement, text: str, cue_end: int, placeholder: str) -> Problem:
    """The problem of an empty slot, quoting its label too (“维修单位联系电话：______”)."""
    shown = f"“{placeholder}”" if placeholder else "空白"
    return Problem(f"{entity.role}未填写（为{shown}）", _label_start(text, cue_end, 0),
                   cue_end + len(placeholder) + 1)


def _label_fits(text: str, pos: int, allowed: str, floor: int) -> bool:
    """Whether the words just before a phone number (its label, not reaching back past `floor`)
    could name this party's phone: everything in it is generic or the requirement's own
    vocabulary. “售楼处电话”, “物业服务中心（客服电话：” name another party."""
    label = _GENERIC_LABEL.sub("", text[_label_start(text, pos, floor):pos])
    return _uncovered(label, allowed) <= 1


def _label_start(text: str, pos: int, floor: int, reach: int = 24) -> int:
    """Where the label ending at `pos` begins: after the last separator, at most `reach` back."""
    start = pos
    while start > floor and text[start - 1] not in _LABEL_STOPS and pos - start < reach:
        start -= 1
    return start


def _uncovered(label: str, vocabulary: str) -> int:
    """Characters of `label` not covered by pieces (two or more characters) of `vocabulary`."""
    i = left = 0
    while i < len(label):
        size = next((k for k in range(len(label) - i, 1, -1) if label[i:i + k] in vocabulary), 0)
        if size:
            i += size
        else:
            left, i = left + 1, i + 1
    return left


def _allowed_label_text(requirement: ClauseRequirement) -> str:
    words = [requirement.title, *(p for g in requirement.phrases for p in g)]
    words += [w for e in requirement.entities for w in (e.role, *e.cues)]
    return "\n".join(words)


def _insurer(entity: EntityRequirement, pack: Source, text: str, start: int, end: int,
             registry: InsurerRegistry) -> tuple[Value | None, Problem | None]:
    """Licensed insurers (or branches) named in the clause; brokers, agents and unknowns refused."""
    regions = _cue_regions(entity, text, start, end)
    if not entity.at_least:
        regions.append((start, end))  # a table cell may put the name lines below its label
    named, refused = [], []
    for region_start, region_end in regions:
        for name in entities.organisations(text, region_start, region_end):
            if not name.valid:
                refused.append(Problem(f"{entity.role}：{name.problem}", name.start, name.end))
                continue
            ident = registry.identify(name.text)
            if ident.kind in ("insurer", "branch"):
                named.append(name)
            elif "保险" in name.text:
                refused.append(Problem(f"{entity.role}：{ident.reason}", name.start, name.end))
        if named and entity.at_least is None:
            break
    if entity.at_least:
        return _count(entity, pack, named, refused)
    if named:
        return named[0], None
    if refused:
        return None, refused[0]
    short = _short_name(entity, text, regions, registry)
    if short:
        return short
    blank = _first_blank_after_cue(entity, text, start, end)
    return None, blank or Problem(f"未写明{entity.role}")


def _short_name(entity: EntityRequirement, text: str, regions, registry: InsurerRegistry):
    """An insurer named by its short name (太保产险): identifiable, but not its legal name."""
    for region_start, region_end in regions:
        for start, end, ident in registry.find_in_text(text[region_start:region_end]):
            if ident.insurer:
                value = Value("insurer", text[region_start + start:region_start + end],
                              region_start + start, region_start + end)
                return value, Problem(f"{entity.role}写作简称“{value.text}”，应写法定名称“{ident.insurer.name}”",
                                      value.start, value.end, doubtful=True)
    return None


def _cue_regions(entity: EntityRequirement, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """For each cue, the rest of its sentence: where the value it introduces is written."""
    return [(cue_end, fragment_bounds(text, cue_end, SENTENCE)[1]) for cue_end in _cue_ends(entity, text, start, end)]


def _count(entity: EntityRequirement, pack: Source, named: list[Value], refused: list[Problem]):
    required = pack.parameter(entity.at_least).amount.value
    distinct = {v.text: v for v in named}
    if refused and len(distinct) < required:
        return None, refused[0]
    if len(distinct) < required:
        return None, Problem(f"{entity.role}只列出{len(distinct)}家，少于规定的{required}家")
    return Value(entity.kind, "、".join(distinct), named[0].start, named[-1].end), None


def _amount(entity: EntityRequirement, pack: Source, text: str, start: int, end: int):
    extract = entities.EXTRACTORS[entity.kind]
    regions = _cue_regions(entity, text, start, end) or [(start, end)]
    values = [v for s, e in regions for v in extract(text, s, e)]
    if not values:
        return None, _first_blank_after_cue(entity, text, start, end) or Problem(f"未写明{entity.role}")
    value = values[0]
    if entity.at_least:
        minimum = pack.parameter(entity.at_least).amount
        if minimum.value is not None and value.number < Decimal(str(minimum.value)):
            return None, Problem(f"{entity.role}为{value.text}，低于规定的{minimum.describe()}", value.start, value.end)
    return value, None


def _period(entity: EntityRequirement, pack: Source, text: str, start: int, end: int):
    """A duration after one of the entity's cues; with a scope, not shorter than the scope's
    period (or, for the coverage start, equal to the pack's offset)."""
    periods = _periods_after_cues(entity, text, start, end) if entity.scope else entities.durations(text, start, end)
    if not periods:
        return None, Problem(f"未写明{entity.role}")
    if entity.scope == COVERAGE_START_SCOPE:
        return _compare(entity, periods[0], pack.coverage.start.offset, exact=True)
    required = next(s.period for s in pack.coverage.scopes if s.id == entity.scope) if entity.scope else None
    outcomes = [_compare(entity, value, required) for value in periods]
    return next((o for o in outcomes if o[1] is None), outcomes[0])


def _compare(entity: EntityRequirement, value: Value, required, exact: bool = False):
    if required is None or required.value is None:
        return value, None
    need = Decimal(str(required.value)) * _UNIT_DAYS[required.unit]
    have = value.number * _UNIT_DAYS[value.unit]
    if have == need or (have > need and not exact):
        return value, None
    word = "不同于" if exact else "短于"
    return None, Problem(f"{entity.role}为{value.text}，{word}规定的{required.describe()}", value.start, value.end)


def _periods_after_cues(entity: EntityRequirement, text: str, start: int, end: int) -> list[Value]:
    """For each cue, the first duration in years or months in the rest of its sentence
    (“地基基础和主体结构工程为10年”, “第6项（保温工程）…和第9项（装修工程）为2年”)."""
    found = []
    for cue_end in _cue_ends(entity, text, start, end):
        sentence_end = min(end, fragment_bounds(text, cue_end, SENTENCE)[1])
        value = next((v for v in entities.durations(text, cue_end, sentence_end)
                      if v.unit in ("years", "months")), None)
        if value:
            found.append(value)
    return found


# --- the project file ---------------------------------------------------------------------------
def _project_mismatch(entity: EntityRequirement, value: Value, context: Context) -> str | None:
    if not (context.project and entity.project_key):
        return None
    expected = _lookup(context.project, entity.project_key)
    if expected is None:
        return None
    if _same(entity.kind, value.text, str(expected), context.registry):
        return None
    return f"{entity.role}为“{value.text}”，与项目文件（{entity.project_key}）中的“{expected}”不一致"


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _same(kind: str, found: str, expected: str, registry: InsurerRegistry) -> bool:
    """Equal phones (digits), the same insurer (a branch and its head office count as one), or names."""
    if kind == "phone":
        return re.sub(r"\D", "", found).removeprefix("86") == re.sub(r"\D", "", expected).removeprefix("86")
    if kind == "insurer":
        ours, theirs = registry.identify(found).insurer, registry.identify(expected).insurer
        if ours and theirs:
            return ours.name == theirs.name
    squeeze = lambda s: re.sub(r"[\s（）()]", "", s)  # noqa: E731
    return squeeze(found) == squeeze(expected)
