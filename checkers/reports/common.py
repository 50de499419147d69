"""What every report format shares: labels, compact per-file rows, evidence text, highlight terms."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from corpus.packs import all_packs

from ..check import KIND_TITLES

STATUS_TEXT = {"pass": "通过", "fail": "不合格", "warn": "提示", "not-applicable": "不适用", "error": "无法读取"}
LEVEL_TEXT = {"mandatory": "强制", "recommended": "建议"}
FINDING_STATUSES = ("pass", "fail", "warn", "not-applicable")
FILE_STATUSES = ("pass", "fail", "error")
REPORT_TITLE = "住宅工程质量潜在缺陷保险文书合规检查报告"

_QUOTED = re.compile(r"“([^”]{2,60})”")
_VALUE = re.compile(r"：([^；：（）“”]{2,60})(?=[；）]|$)")


def kind_text(kind: str | None) -> str:
    return KIND_TITLES.get(kind, kind or "") if kind else ""


@lru_cache(maxsize=1)
def pack_cities() -> dict[str, str]:
    return {pack.id: pack.city for pack in all_packs()}


def jurisdiction_text(pack_id: str | None) -> str:
    if not pack_id:
        return ""
    city = pack_cities().get(pack_id)
    return f"{city}（{pack_id}）" if city else pack_id


@dataclass
class FileRow:
    """One file in a few fields: what summary tables show, kept in memory for a whole batch."""

    path: str
    status: str
    kind: str | None
    jurisdiction: str | None
    pages: int
    error: str | None
    failed: list[str]  # rule ids
    warned: list[str]
    cached: bool = False

    @classmethod
    def of(cls, doc: dict[str, Any], cached: bool = False) -> FileRow:
        failed = [f["rule"] for f in doc["findings"] if f["status"] == "fail"]
        warned = [f["rule"] for f in doc["findings"] if f["status"] == "warn"]
        return cls(doc["path"], doc["status"], doc["kind"], doc["jurisdiction"], doc["pages"], doc["error"],
                   failed, warned, cached)

    @property
    def reason(self) -> str | None:
        """The error without the file name it starts with (tables show the name in a column)."""
        return reason(self.error, self.path)

    def explanation(self) -> str:
        """Why the file did not pass, in one line."""
        if self.error:
            return self.reason or ""
        parts = []
        if self.failed:
            parts.append(f"不合格：{'、'.join(self.failed)}")
        if self.warned:
            parts.append(f"提示：{'、'.join(self.warned)}")
        return "；".join(parts)


def reason(error: str | None, path: str) -> str | None:
    prefix = f"{path}："
    return error[len(prefix):] if error and error.startswith(prefix) else error


@dataclass
class RuleTally:
    """A rule across the batch: what it is and how many files got each verdict."""

    rule: str
    title: str
    citation: str
    requirement: str
    level: str
    counts: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, finding: dict[str, Any]) -> RuleTally:
        return cls(finding["rule"], finding["title"], finding["citation"], finding["requirement"], finding["level"])


def tally_rules(tallies: dict[str, RuleTally], doc: dict[str, Any]) -> None:
    for finding in doc["findings"]:
        tally = tallies.get(finding["rule"])
        if tally is None:
            tally = tallies[finding["rule"]] = RuleTally.of(finding)
        tally.counts[finding["status"]] += 1


def where(evidence: dict[str, Any]) -> str:
    """第4页·第十四条（一）; for text recognised from a scan also the marker, the confidence and
    the place on the page: 第4页·第十四条（一）·扫描件识别 置信度0.97 位于页面左15%–85%、上40%–46%"""
    parts = [f"第{evidence['page']}页" if evidence.get("page") else "", evidence.get("clause") or "",
             ocr_marker(evidence)]
    return "·".join(p for p in parts if p)


def ocr_marker(evidence: dict[str, Any]) -> str:
    """"扫描件识别 置信度0.97 …" for evidence recognised by OCR, else ""."""
    confidence = evidence.get("ocr_confidence")
    if confidence is None:
        return ""
    text = f"扫描件识别 置信度{confidence:.2f}"
    box = evidence.get("box")
    if box:
        x0, y0, x1, y1 = (round(v * 100) for v in box)
        text += f" 位于页面左{x0}%–{x1}%、上{y0}%–{y1}%"
    return text


def evidence_text(finding: dict[str, Any]) -> str:
    """Every evidence quote of a finding, each after its page and clause, on lines of its own."""
    return "\n".join(f"【{where(e) or '位置不详'}】{e['text']}" for e in finding["evidence"])


def highlight_terms(finding: dict[str, Any]) -> list[str]:
    """What to mark in a finding's evidence: the values its message quotes (names, phones, periods)
    and the phrases and cues of its requirement in the pack (for user rules: the values only)."""
    message = finding["message"]
    terms = {m for m in _QUOTED.findall(message) if m != finding["title"]}
    terms.update(value.strip() for value in _VALUE.findall(message))
    terms.update(_pack_words().get(finding["rule"], ()))
    return sorted((t for t in terms if len(t.strip()) >= 2), key=len, reverse=True)


@lru_cache(maxsize=1)
def _pack_words() -> dict[str, tuple[str, ...]]:
    words = {}
    for pack in all_packs():
        for clause in pack.clauses:
            found = {p for group in clause.phrases for p in group}
            found.update(cue for entity in clause.entities for cue in entity.cues)
            words[f"{pack.id}/{clause.id}"] = tuple(found)
    return words


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) spans of `terms` in `text`, a line break or spaces allowed
    between any two characters (extracted PDF text breaks lines inside words)."""
    pattern = _terms_pattern(tuple(terms))
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


@lru_cache(maxsize=512)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    pieces = []
    for term in terms:
        chars = [re.escape(c) for c in term if not c.isspace()]
        if chars:
            pieces.append(r"\s*".join(chars))
    return re.compile("|".join(pieces)) if pieces else None
