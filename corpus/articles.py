"""Locate quotes and article headings in a regulation's source text.

The source files are plain-text extractions: line breaks fall inside sentences and page numbers
("- 8 -", "一 2 一") interrupt them. Quotes are therefore compared on a flattened form (NFKC,
no whitespace, no page-number lines), and each heading keeps its offset in that flat text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_PAGE_NUMBER = re.compile(r"^\s*[-一—]\s*\d+\s*[-一—]\s*$")
_HEADINGS = (
    ("article", re.compile(r"^第[一二三四五六七八九十百零]+条")),
    ("item", re.compile(r"^\([一二三四五六七八九十]+\)")),
    ("section", re.compile(r"^[一二三四五六七八九十]+(?=、)")),
    ("subsection", re.compile(r"^\d+\.\d+")),
    ("point", re.compile(r"^\d+(?=[.、])(?!\.\d)")),
)
_CITE_LABELS = re.compile(
    r"第[一二三四五六七八九十百零]+条|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+(?=\(|$)|\d+\.\d+|\d+")


def flatten(text: str) -> str:
    """NFKC, whitespace removed: the form quotes are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cite_labels(cite: str) -> list[tuple[str, str]]:
    """'第九条（一）5' -> [('article','第九条'), ('item','(一)'), ('point','5')]."""
    labels = []
    for label in _CITE_LABELS.findall(flatten(cite)):
        labels.append((_level_of(label), label))
    return labels


def _level_of(label: str) -> str:
    for level, pattern in _HEADINGS:
        if pattern.match(label + "、"):  # the suffix lets section/point patterns see their delimiter
            return level
    raise ValueError(label)


@dataclass(frozen=True)
class Heading:
    offset: int
    level: str
    label: str


class SourceText:
    """A regulation's text, flattened, with the offsets of its headings."""

    def __init__(self, text: str):
        parts, headings, offset = [], [], 0
        for line in text.splitlines():
            if _PAGE_NUMBER.match(line):
                continue
            flat = flatten(line)
            for level, pattern in _HEADINGS:
                match = pattern.match(flat)
                if match:
                    headings.append(Heading(offset, level, match.group(0)))
                    break
            parts.append(flat)
            offset += len(flat)
        self.flat = "".join(parts)
        self.headings = tuple(headings)

    def find(self, quote: str) -> int:
        """Offset of a quote in the flat text, or -1."""
        return self.flat.find(flatten(quote))

    def heading_before(self, offset: int, level: str) -> Heading | None:
        found = None
        for heading in self.headings:
            if heading.offset > offset:
                break
            if heading.level == level:
                found = heading
        return found

    def cite_mismatches(self, cite: str, offset: int) -> list[str]:
        """Labels of `cite` that are not the nearest heading of their level before `offset`."""
        problems = []
        for level, label in cite_labels(cite):
            heading = self.heading_before(offset, level)
            if heading is None or heading.label != label:
                problems.append(f"{label}（最近的同级标题是 {heading.label if heading else '无'}）")
        return problems


@lru_cache(maxsize=16)
def source_of(text: str) -> SourceText:
    return SourceText(text)
