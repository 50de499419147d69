"""Stage 2: normalise extracted text, with an exact map back to the extracted text.

`normalise(doc: RawDocument) -> NormalText`. `raw` is the page texts joined with "\\n";
`origin[i]` is the offset in `raw` of the character normalised character i came from (an inserted
space or line break maps to the raw line break it replaces), so `NormalText.original()` quotes
the document as extracted.

Characters (each on its own, context-free unless said):
- NFKC width folding (０２１ → 021, ＡＢ → AB, ideographic space → space, ⼯ → 工, ㈠ → （一）),
  except circled and parenthesised numbers (① ⑴ ⒈ ㉑ ㊀), which NFKC would flatten to digits and
  which are list labels, and except the Chinese punctuation below, which NFKC makes ASCII.
- CJK radical forms that stand for one ideograph are mapped to it (⻓ → 长, ⻅ → 见; `RADICALS`).
- Punctuation: colons ： ︰ ﹕ ∶ → `：`, and ASCII `:` too unless between two digits (12:30) or
  before `//`; ( ) （ ） → `（` `）`; `;` → `；`; ASCII `,` → `，` next to a Chinese character
  (1,000 and "a, b" keep it); `、` stays distinct; ‘ ’ 「 」 『 』 〝 〞 → “ ”, ASCII `"` alternates
  “ and ” within a line, `'` stays (apostrophes); ~ 〜 ∼ → `～`; ‐ ‑ ‒ – − → `-`, ― → `—`;
  ・ → `·`; … and ⋯ → `…` (NFKC would make "..."); 【】 [] 《》 stay; `_` runs stay (＿ → _).
- Tabs and other spaces become spaces; control and zero-width characters are dropped.

Lines:
- Spaces at line ends go; inside a line a run of spaces between two Chinese characters or Chinese
  punctuation is removed, other runs become one space. A heading label that starts a line loses
  its inner spaces and keeps one space after it (第 1 条　保险责任 → 第1条 保险责任). Empty lines go.
- Running headers and footers go: a line among the first or last two lines of a page whose text
  (digits ignored) recurs there on at least half of the pages and on at least 3, unless it is a
  heading or ends a sentence; page 1 keeps its top lines (the title that a header repeats).
  Page-number lines (- 3 -, 第3页 共20页, 3/20, Page 3, a bare 3) there go on any document.
- PDF and TXT lines are hard wraps unless they end a paragraph. The break is kept where the line
  ends with 。；：！？!? (except a full line ending in ：, which wraps before its value), where
  the next line starts a heading or a `键：值` row, or where the line is short:
  under 80% of a full line, whose width is the 95th percentile of the document's line widths
  (its widest line under 40 lines), and at least 20 Chinese characters. Otherwise the lines are
  joined, with nothing between them if either side is a Chinese character, else with one space.
  Pages join the same way. In DOCX every line is a paragraph, a table row or a soft line break,
  and every break is kept.

The map is exact but a slice's original text is the raw text from its first to its last character:
a quote that runs over a page break includes the running header and page number dropped there.
Characters are normalised one at a time, so combining sequences are not composed.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from checkers.model import NormalText, RawDocument
from checkers.segment import HEADING, heading_at, starts_segment

ZONE_LINES = 2  # lines at the top and at the bottom of a page where running lines are looked for
RUNNING_MIN_PAGES = 3
RUNNING_MIN_SHARE = 0.5
SHORT_LINE = 0.8  # a line under this share of the typical width ends its paragraph
TYPICAL_OUTLIERS = 0.05  # share of the widest lines (small print, merged columns) not taken as typical
MIN_FULL_WIDTH = 40  # a full line is at least this wide (20 Chinese characters), even in tiny documents

# CJK Radicals Supplement characters that unambiguously stand for one ideograph. Left out: forms
# that only occur as components (⺅ 亻, ⺡ 氵, ⻊ 足旁, ⻏ 阝, ⻈ 讠, ⻐ 钅, ⺮ 竹头 …) and ambiguous
# ones (⺩ 王/玉, ⺼ 月/肉). ⻳ → 龟 and ⺟ → 母 are folded by NFKC already.
RADICALS = {
    "⺠": "民", "⺝": "月", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻉": "贝", "⻋": "车", "⻑": "長",
    "⻓": "长", "⻔": "门", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄",
    "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿", "⻯": "竜", "⻰": "龙", "⻱": "龜", "⻲": "亀",
}
_PUNCTUATION = {
    "：": "：", "︰": "：", "﹕": "：", "∶": "：", "（": "（", "）": "）", "(": "（", ")": "）",
    "，": "，", "；": "；", ";": "；", "！": "！", "？": "？", "～": "～", "~": "～", "〜": "～", "∼": "～",
    "‘": "“", "’": "”", "「": "“", "」": "”", "『": "“", "』": "”", "〝": "“", "〞": "”", "〟": "”",
    "﹁": "“", "﹂": "”", "﹃": "“", "﹄": "”",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "−": "-", "―": "—", "・": "·", "･": "·", "…": "…", "⋯": "…",
    "\t": " ", "\n": "\n", "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n",
}
_SPECIAL = {**_PUNCTUATION, **RADICALS}
_PROTECTED = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3251, 0x325F), (0x3280, 0x32BF))

_WIDE = (r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3105-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
         r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003134f"
         r"\u201c\u201d\u2014\u2026\u00b7")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_COLON = re.compile(r":(?!//)(?:(?<![0-9]:)|(?![0-9]))")
_COMMA = re.compile(f",(?:(?<=[{_WIDE}],)|(?=[{_WIDE}]))")  # starts with the comma, found fast
_QUOTE_OR_BREAK = re.compile(r'["\n]')
# Spaces to remove: runs at line ends or between wide characters, and all but the last space of
# other runs. Written to start with a literal space, which the regex engine finds fast.
_REMOVABLE_SPACES = re.compile(f"(?m) (?:(?<=^ ) *|(?<=[{_WIDE}] ) *(?=[{_WIDE}])| *$|(?= ))")
_LINE_LABEL = re.compile(f"(?m)^ *(?:{HEADING.pattern})")
# The same after a line break: a literal first character lets the regex engine skip ahead fast.
_NEXT_LINE_LABEL = re.compile(f"\n *(?:{HEADING.pattern})")
_FINAL = frozenset("。；：！？!?")
_CLOSERS = frozenset("”’）」』》】")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"第\d{1,4}页(?:[,，/、]?共\d{1,4}页)?|共\d{1,4}页[,，/、]?第\d{1,4}页|第?\d{1,4}/\d{1,4}页?"
    r"|(?i:page)\d{1,4}(?:(?i:of|/)\d{1,4})?")
_BARE_PAGE_NUMBER = re.compile(r"[-—_～·•]*(\d{1,4})[-—_～·•]*")
BARE_PAGE_NUMBER_SLACK = 20  # a bare number is a page number if at most page count + this

# Characters that normalisation leaves alone, to skip them quickly: common ideographs, ASCII other
# than tab ( ) , : ; " ~ and controls, and Chinese punctuation already in its normal form.
_MAYBE_CHANGED = re.compile("[^\n !#-'*+\\--9<-}\u3400-\u4dbf\u4e00-\u9fff。、，：；（）！？～“”《》【】〔〕〈〉…—·〇々]")
_FOLDS: dict[str, str] = {}  # every character met so far → its normalised form
_MAX_REPLACE_PASSES = 24  # more distinct changed characters than this: one str.translate pass


def fold_char(char: str) -> str:
    """The normalised form of one character (possibly empty, or several characters)."""
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    code = ord(char)
    if any(low <= code <= high for low, high in _PROTECTED):
        return char
    category = unicodedata.category(char)
    if category in ("Cc", "Cf"):
        return ""
    if category == "Zs":
        return " "
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_SPECIAL.get(c, c) for c in folded)


def _fold_table(text: str) -> dict[str, str]:
    """The characters of `text` that normalisation changes, with their normalised forms."""
    chars = set(_MAYBE_CHANGED.findall(text))
    for char in chars - _FOLDS.keys():
        _FOLDS[char] = fold_char(char)
    return {c: _FOLDS[c] for c in chars if _FOLDS[c] != c}


def _translator(table: dict[str, str]):
    """A function applying the one-to-one part of `table` to a string, like str.translate.

    str.translate with a dict looks every character up; a few str.replace passes (each a fast
    scan in C) do the same when only a few distinct characters change and no replacement is
    itself replaced."""
    if not table:
        return lambda text: text
    if len(table) > _MAX_REPLACE_PASSES or any(folded in table for folded in table.values()):
        ordinals = {ord(c): folded for c, folded in table.items()}
        return lambda text: text.translate(ordinals)
    items = list(table.items())

    def translate(text: str) -> str:
        for char, folded in items:
            if char in text:
                text = text.replace(char, folded)
        return text

    return translate


def fold(text: str) -> tuple[str, list[int] | None]:
    """Folded text and, unless it maps one to one, each folded character's index in `text`."""
    table = _fold_table(text)
    irregular = [c for c, folded in table.items() if len(folded) != 1]
    if not irregular:
        return _in_context(_translator(table)(text)), None
    translate = _translator({c: folded for c, folded in table.items() if len(folded) == 1})
    pattern = re.compile("[" + "".join(map(re.escape, irregular)) + "]")
    offsets = _offsets(len(text))
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for match in pattern.finditer(text):
        start = match.start()
        parts.append(translate(text[position:start]))
        origin.extend(offsets[position:start])
        replacement = table[match.group()]
        parts.append(replacement)
        origin.extend([start] * len(replacement))
        position = match.end()
    parts.append(translate(text[position:]))
    origin.extend(offsets[position:len(text)])
    return _in_context("".join(parts)), origin


def _in_context(text: str) -> str:
    """The punctuation rules that look at neighbours; each keeps the length of the text."""
    if ":" in text:
        text = _COLON.sub("：", text)
    if "," in text:
        text = _COMMA.sub("，", text)
    if '"' in text:
        text = _QUOTE_OR_BREAK.sub(_alternate_quotes(), text)
    return text


def _alternate_quotes():
    opened = False

    def replace(match: re.Match) -> str:
        nonlocal opened
        if match.group() == "\n":
            opened = False
            return "\n"
        opened = not opened
        return "“" if opened else "”"

    return replace


def is_wide(char: str) -> bool:
    """A Chinese (or other CJK) character or full-width/Chinese punctuation."""
    wide = _IS_WIDE.get(char)
    if wide is None:
        wide = _IS_WIDE[char] = bool(_WIDE_CHAR.match(char))
    return wide


_IS_WIDE: dict[str, bool] = {}  # is_wide of every character asked about so far


def display_width(text: str) -> int:
    """Width in half-width columns: CJK characters count 2 (UTF-8 length as a fast proxy)."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


@dataclass(slots=True)
class _Line:
    text: str  # trimmed, spaces cleaned
    start: int  # offsets in the cleaned text
    end: int  # where the line break after the line is (or the end of the text)
    page: int  # index into the document's pages
    width: int  # display width of text
    dropped: bool = False


# Offsets 0, 1, 2 … made once: maps are built by copying slices of this list, which is much faster
# than making new int objects for every character of every document.
_OFFSETS: list[int] = []
MAX_CACHED_OFFSETS = 1 << 18  # about 9 MB at most; longer documents make their own


def _offsets(length: int) -> list[int]:
    """A list whose entry i is i, for i < length at least."""
    if length > len(_OFFSETS):
        if length > MAX_CACHED_OFFSETS:
            return list(range(length))
        _OFFSETS.extend(range(len(_OFFSETS), min(max(length, 2 * len(_OFFSETS)), MAX_CACHED_OFFSETS)))
    return _OFFSETS


def clean_spaces(folded: str, offsets: list[int] | None = None) -> tuple[str, list[int]]:
    """Trim lines, drop spaces between wide characters, collapse other runs to one space.

    A heading label that starts a line loses its inner spaces (第 1 条 → 第1条) and keeps one space
    after it (第一条 保险责任). Returns the cleaned text and each character's offset in `folded`
    (or, given `offsets` for the characters of `folded`, its entry there).
    """
    if offsets is None:
        offsets = _offsets(len(folded))
    removals: list[tuple[int, int]] = []
    keep: set[int] = set()
    for label_start, label_end in _line_labels(folded):
        first = _run_end(folded, label_start)
        if " " in folded[first:label_end]:
            removals.extend((i, i + 1) for i in range(first, label_end) if folded[i] == " ")
        keep.add(label_end)
    removals.extend(run.span() for run in _REMOVABLE_SPACES.finditer(folded))
    removals.sort()
    kept: list[int] = []
    parts: list[str] = []
    position = 0
    for start, end in removals:
        if start < position:
            continue  # overlaps a removal already made
        if start in keep:
            end = _run_end(folded, start)
            if end < len(folded) and folded[end] != "\n":
                start += 1
        parts.append(folded[position:start])
        kept.extend(offsets[position:start])
        position = end
    parts.append(folded[position:])
    kept.extend(offsets[position:len(folded)])
    return "".join(parts), kept


def _line_labels(text: str) -> list[tuple[int, int]]:
    """Spans of _LINE_LABEL's matches in `text`: the heading labels (with leading spaces) that
    start a line."""
    spans = []
    first = _LINE_LABEL.match(text)
    if first is not None:
        spans.append(first.span())
    for label in _NEXT_LINE_LABEL.finditer(text, first.end() if first is not None else 0):
        spans.append((label.start() + 1, label.end()))
    return spans


def _run_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] == " ":
        end += 1
    return end


def _lines(cleaned: str, page_bounds: list[int]) -> list[list[_Line]]:
    """Non-empty lines of the cleaned document, by page; page p starts at page_bounds[p]
    (ascending offsets in `cleaned`, the first 0)."""
    pages: list[list[_Line]] = [[] for _ in page_bounds]
    page = -1
    following = page_bounds[0] if page_bounds else len(cleaned) + 1  # where page + 1 starts
    last = len(page_bounds) - 1
    lines = pages[0] if page_bounds else []
    start = 0
    for text in cleaned.split("\n"):
        if not text:
            start += 1
            continue
        if start >= following:
            while page < last and page_bounds[page + 1] <= start:
                page += 1
            following = page_bounds[page + 1] if page < last else len(cleaned) + 1
            lines = pages[page]
        length = len(text)
        end = start + length
        lines.append(_Line(text, start, end, page, length + (len(text.encode("utf-8")) - length) // 2))
        start = end + 1
    return pages


# --- running headers, footers and page numbers ---------------------------------------------


def _zone(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    return lines[:ZONE_LINES], lines[-ZONE_LINES:]


def is_page_number(text: str, page_count: int) -> bool:
    compact = text.replace(" ", "")
    if _PAGE_NUMBER.fullmatch(compact):
        return True
    bare = _BARE_PAGE_NUMBER.fullmatch(compact)
    return bool(bare) and 0 < int(bare.group(1)) <= page_count + BARE_PAGE_NUMBER_SLACK


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", text.replace(" ", ""))


def _drop_running_lines(pages: list[list[_Line]]) -> None:
    count = len(pages)
    for lines in pages:
        top, bottom = _zone(lines)
        for line in top + bottom:
            line.dropped = line.dropped or is_page_number(line.text, count)
    if count < RUNNING_MIN_PAGES:
        return
    needed = max(RUNNING_MIN_PAGES, RUNNING_MIN_SHARE * count)
    for side in (0, 1):
        seen: dict[str, int] = {}
        for lines in pages:
            for key in {_running_key(line.text) for line in _zone(lines)[side]}:
                seen[key] = seen.get(key, 0) + 1
        for number, lines in enumerate(pages):
            if side == 0 and number == 0:
                continue  # page 1's top line is the title that a running header repeats
            for line in _zone(lines)[side]:
                if seen[_running_key(line.text)] >= needed and _may_run(line.text):
                    line.dropped = True


def _may_run(text: str) -> bool:
    """Headings and lines that end a sentence are text, not running headers or footers."""
    return heading_at(text) is None and text[-1] not in _FINAL


# --- joining lines ------------------------------------------------------------------------


def _typical_width(lines: list[_Line]) -> float:
    """Width of a full line: the widest after leaving out the top 5% (at least the widest one),
    and at least MIN_FULL_WIDTH."""
    widths = sorted(line.width for line in lines)
    typical = widths[len(widths) - max(1, int(len(widths) * TYPICAL_OUTLIERS))] if widths else 0
    return max(typical, MIN_FULL_WIDTH)


def _ends_paragraph(line: str, full: bool) -> bool:
    """Sentence-final punctuation; a colon at the end of a full line is a wrap before its value."""
    last = line[-1]
    if last in _CLOSERS and len(line) > 1:
        last = line[-2]
    return last in _FINAL and not (full and last == "：")


def normalise(doc: RawDocument) -> NormalText:
    """Normalised text of the whole document with its map back to the extracted text."""
    texts = [page.text for page in doc.pages]
    raw = "\n".join(texts)
    page_starts = []
    position = 0
    for text in texts:
        page_starts.append(position)
        position += len(text) + 1
    folded, index = fold(raw)
    cleaned, to_raw = clean_spaces(folded, index)
    # to_raw never decreases, so the first cleaned character of each page is found by bisection.
    pages = _lines(cleaned, [bisect.bisect_left(to_raw, start) for start in page_starts])
    _drop_running_lines(pages)
    lines = [line for page in pages for line in page if not line.dropped]
    text, origin = _join(lines, to_raw, _typical_width(lines), keep_breaks=doc.format == "docx")
    origin.append(origin[-1] + 1 if origin else 0)
    return NormalText(text, raw, origin, page_starts, [page.number for page in doc.pages])


def _join(lines: list[_Line], to_raw: list[int], typical: float, keep_breaks: bool) -> tuple[str, list[int]]:
    parts: list[str] = []
    origin: list[int] = []
    # origin is built from stretches of to_raw: a separator maps to the line break it replaces,
    # so a line, a kept or replaced break and the next line are one stretch if nothing lies
    # between them; a join without separator skips the break.
    stretch = 0
    previous = None
    short = SHORT_LINE * typical
    for line in lines:
        if previous is not None:
            if keep_breaks:
                separator = "\n"
            else:  # a paragraph ends at a short line, a final mark or before a heading or row
                full = previous.width >= short
                if not full or _ends_paragraph(previous.text, full) or starts_segment(line.text):
                    separator = "\n"
                elif is_wide(previous.text[-1]) or is_wide(line.text[0]):
                    separator = ""
                else:
                    separator = " "
            if separator:
                parts.append(separator)
                if line.start != previous.end + 1:
                    origin.extend(to_raw[stretch:previous.end + 1])
                    stretch = line.start
            else:
                origin.extend(to_raw[stretch:previous.end])
                stretch = line.start
        else:
            stretch = line.start
        parts.append(line.text)
        previous = line
    if previous is not None:
        origin.extend(to_raw[stretch:previous.end])
    return "".join(parts), origin
