"""Stage 3: split normalised text into clauses at the headings that start its lines.

`segment(text: NormalText) -> list[Clause]`.

Headings (matched at the start of a line of normalised text), outermost first:
第X编/部分 > 第X章 > 第X节 > 第X条 > 一、 > （一） > 1. 1、 1.1 1.1.1 > （1） 1） ⑴ > ①,
X in Chinese numerals or digits. A decimal label nests under a shorter one (1.1 under 1.);
一.1 (Word's %1.%2 under a Chinese-numbered level when "legal" numbering is ignored, as
LibreOffice does) is a decimal too. A numbered line is not a heading when it is a quantity
(1.5米, 12.5%), a date (2026.1.1) or a phone number; nor is a `第X条` followed by the words of a
cross-reference (第十条规定的…), or whose number is lower than the previous article's (unless it
restarts at 1).

Table rows: `extract` writes each DOCX table row, and each filled PDF form field, as a `键：值`
line, and typed forms read the same way; so a line that starts with a short key (at most 16
characters, a word rather than a number or a phrase ending in 包括/如下/是指…, no sentence
punctuation) and `：` is a clause of its own, labelled with the key (维修单位, 联系电话). Rows are
leaves: they never contain other segments. (PDF table cells come out separated by spaces, not
colons, and are not rows.)

Nesting uses a stack: a new heading pops every open segment of the same or a deeper rank, and
its path is the labels left on the stack plus its own. The ranks of list headings (一、 to ①)
adapt to the document: a list kind met for the first time directly under a deeper-ranked list
item, starting at 1 (e.g. （一） inside "1."), is ranked just below that item for the rest of the
document. Structural headings (编, 章, 节, 条) keep their ranks. A clause runs from its heading
to the next heading of any level; text before the first heading is a clause labelled "".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from checkers.model import Clause, NormalText

_CN = "零〇一二三四五六七八九十百千两"
_ORDINAL = rf"(?:\d{{1,4}}|[{_CN}]{{1,6}})"
_REFERENCE = r"(?:规定|约定|所|的|第|之|和|及|与|或|、|至|中|款|项|以)"
_UNITS = (r"(?:米|厘米|毫米|千米|公里|平方|立方|公顷|亩|m|mm|cm|km|%|％|‰|万|亿|千|百|元|倍|年|个月|月|日|天|周"
          r"|小时|分钟|秒|层|吨|kg|公斤|克|度|℃|°|级|寸|MPa|mpa|kN|kW)")
HEADING = re.compile(
    rf"(?P<part>第 ?{_ORDINAL} ?(?:编|部分))(?!{_REFERENCE})"
    rf"|(?P<chapter>第 ?{_ORDINAL} ?章)(?!{_REFERENCE})"
    rf"|(?P<section>第 ?{_ORDINAL} ?节)(?!{_REFERENCE})"
    rf"|(?P<article>第 ?{_ORDINAL} ?条)(?!{_REFERENCE})"
    rf"|(?P<cn_item>[{_CN}]{{1,4}}[、.])(?![\d{_CN}])"
    rf"|(?P<paren_cn>（[{_CN}]{{1,4}}）)"
    r"|(?P<paren_num>（\d{1,3}）|\d{1,3}）|[\u2474-\u2487])"
    rf"|(?P<decimal>(?:\d{{1,3}}|[{_CN}]{{1,4}})(?:\.\d{{1,3}})+\.?(?![\d.%])(?! ?{_UNITS})"
    r"|\d{1,3}[.、](?![\d.])|[\u2488-\u249b])"
    r"|(?P<circled>[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])"
)
_ROW = re.compile(r"([^：\n]{1,16})：")
_NOT_IN_KEY = re.compile(r"[，。；！？、“”《》,;!?]")
_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]")
_CONNECTIVES = ("包括", "如下", "是指", "下列", "以下", "其中", "例如", "规定", "约定", "指")

STRUCTURAL = ("part", "chapter", "section", "article")
_BASE_RANK = {"part": 0.0, "chapter": 1.0, "section": 2.0, "article": 3.0, "cn_item": 4.0, "paren_cn": 5.0,
              "decimal": 6.0, "paren_num": 7.0, "circled": 8.0}
ROW_RANK = 100.0


@dataclass(frozen=True)
class Heading:
    kind: str  # a key of _BASE_RANK, or "row"
    label: str  # as printed, spaces removed; a row's key
    end: int  # where the label ends in the line
    depth: int = 1  # components of a decimal label (1.2.3 → 3)


def heading_at(line: str) -> Heading | None:
    """The heading label that starts a normalised line, if any (table rows not included)."""
    match = HEADING.match(line)
    if match is None:
        return None
    kind = match.lastgroup or ""
    label = match.group().replace(" ", "")
    depth = label.rstrip(".、").count(".") + 1 if kind == "decimal" else 1
    return Heading(kind, label, match.end(), depth)


def row_key(line: str) -> str | None:
    """The key of a `键：值` line (a table row or form field), or None."""
    match = _ROW.match(line)
    if match is None:
        return None
    key = match.group(1).strip()
    if not key or _NOT_IN_KEY.search(key) or not _WORD.search(key) or key.endswith(_CONNECTIVES):
        return None
    return key


def starts_segment(line: str) -> bool:
    """Whether a line begins a new segment: a heading or a table row."""
    return heading_at(line) is not None or row_key(line) is not None


def ordinal_value(label: str) -> int | None:
    """The number a label counts with: 第十七条 → 17, （三） → 3, 1.2 → 2, ⑤ → 5, 1） → 1."""
    circled = _circled_value(label[:1])
    if circled is not None:
        return circled
    core = label.strip("第条章节编部分（）、.")
    digits = re.findall(r"\d+", core)
    if digits:
        return int(digits[-1])
    return chinese_to_int(core) if core else None


def chinese_to_int(text: str) -> int | None:
    """十七 → 17, 二十一 → 21, 一百零一 → 101, 一〇一 → 101 (digit by digit); None if not a numeral."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    if not text or any(c not in digits and c not in units for c in text):
        return None
    if not any(c in units for c in text):
        return int("".join(str(digits[c]) for c in text))
    total = current = 0
    for char in text:
        if char in digits:
            current = digits[char]
        else:
            total += (current or 1) * units[char]
            current = 0
    return total + current


def _circled_value(char: str) -> int | None:
    code = ord(char) if char else 0
    for first, last, base in ((0x2460, 0x2473, 1), (0x2474, 0x2487, 1), (0x2488, 0x249B, 1),
                              (0x3251, 0x325F, 21), (0x32B1, 0x32BF, 36)):
        if first <= code <= last:
            return code - first + base
    return None


@dataclass
class _Open:
    label: str
    rank: float


class _Nesting:
    """The stack of open segments and the document's ranks of heading kinds."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.ranks: dict[tuple[str, int], float] = {}
        self.last_article: int | None = None

    def accepts(self, heading: Heading) -> bool:
        """False for an article number that goes backwards (a cross-reference at a line start)."""
        if heading.kind != "article":
            return True
        value = ordinal_value(heading.label)
        if value is None:
            return True
        if self.last_article is not None and value <= self.last_article and value != 1:
            return False
        self.last_article = value
        return True

    def rank(self, heading: Heading) -> float:
        if heading.kind == "row":
            return ROW_RANK
        key = (heading.kind, heading.depth)
        if key not in self.ranks:
            self.ranks[key] = self._first_rank(heading)
        return self.ranks[key]

    def _first_rank(self, heading: Heading) -> float:
        base = _BASE_RANK[heading.kind] + 0.1 * min(heading.depth - 1, 9)
        top = next((item for item in reversed(self.stack) if item.rank < ROW_RANK), None)
        deeper_start = (heading.kind not in STRUCTURAL and top is not None and top.rank > base
                        and top.rank >= _BASE_RANK["cn_item"] and ordinal_value(heading.label) == 1)
        return top.rank + 0.001 if deeper_start else base

    def enter(self, label: str, rank: float) -> tuple[str, ...]:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.stack.append(_Open(label, rank))
        return tuple(item.label for item in self.stack)


def _line_heading(line: str) -> Heading | None:
    heading = heading_at(line)
    if heading is not None:
        return heading
    key = row_key(line)
    return Heading("row", key, len(key)) if key else None


def segment(text: NormalText) -> list[Clause]:
    """Clauses in document order; text before the first heading is a clause labelled ""."""
    body = text.text
    starts: list[tuple[int, str, tuple[str, ...]]] = []
    nesting = _Nesting()
    offset = 0
    for line in body.split("\n"):
        heading = _line_heading(line)
        if heading is not None and nesting.accepts(heading):
            starts.append((offset, heading.label, nesting.enter(heading.label, nesting.rank(heading))))
        offset += len(line) + 1
    first = starts[0][0] if starts else len(body)
    if body[:first].strip():
        starts.insert(0, (0, "", ()))
    clauses = []
    for index, (start, label, path) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(body)
        while end > start and body[end - 1] in "\n ":
            end -= 1
        clauses.append(Clause(label, path, start, end, body[start:end], text.page_at(start)))
    return clauses
