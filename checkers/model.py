"""The data that flows through the checking pipeline.

extract(path) -> RawDocument -> normalise() -> NormalText -> segment() -> [Clause]
-> evaluate against the pack's clause requirements -> [Finding] -> DocumentResult.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import InputError


class ExtractionError(InputError):
    """A file that cannot be read; the message is Chinese and names the file."""


@dataclass(frozen=True)
class OcrLine:
    """One line of a page recognised by OCR: where its text is in `Page.text` and on the page."""

    start: int  # offsets of the line's text in Page.text, [start, end)
    end: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page (origin top left)
    confidence: float  # the recogniser's score, 0..1 (the lowest of the line's pieces)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader counts pages
    text: str  # the page's text as extracted, lines separated by "\n"
    # Set when the text was recognised from the page's image (OCR), not read from a text layer.
    ocr: tuple[OcrLine, ...] | None = None

    @property
    def recognised(self) -> bool:
        return self.ocr is not None

    def ocr_lines(self, start: int, end: int) -> list[OcrLine]:
        """The recognised lines overlapping [start, end) of this page's text."""
        return [line for line in self.ocr or () if line.start < end and line.end > start]


@dataclass
class RawDocument:
    path: Path
    format: str  # "pdf" | "docx" | "txt"
    pages: list[Page]
    # Filled PDF form fields (AcroForm) by field name; their values are also
    # appended to the text of the page that shows them, so clauses can find them.
    fields: dict[str, str] = field(default_factory=dict)
    method: str = ""  # which extractor produced the text, e.g. "pypdfium2", "docx-lxml", "rapidocr"

    @property
    def ocr_pages(self) -> list[int]:
        """Numbers of the pages whose text was recognised by OCR."""
        return [page.number for page in self.pages if page.recognised]


@dataclass
class NormalText:
    """Normalised text of a whole document with a map back to the extracted text.

    `raw` is the page texts joined with "\\n"; `origin[i]` is the offset in `raw`
    of normalised character i, with one extra entry (len(raw) or the end of the
    last mapped character) so that slices [start, end) map back too.
    """

    text: str
    raw: str
    origin: list[int]
    page_starts: list[int]  # offset in raw where each page begins, ascending
    page_numbers: list[int]  # page number of each entry of page_starts

    def page_at(self, index: int) -> int:
        """Page number of normalised character `index`."""
        raw_offset = self.origin[min(max(index, 0), len(self.origin) - 1)]
        slot = bisect.bisect_right(self.page_starts, raw_offset) - 1
        return self.page_numbers[max(slot, 0)]

    def original(self, start: int, end: int) -> str:
        """The extracted text behind normalised slice [start, end), for quoting evidence."""
        if start >= end:
            return ""
        return self.raw[self.origin[start]:self.origin[end - 1] + 1]


@dataclass(frozen=True)
class Clause:
    """One segment of a document: an article, item, numbered point or table row."""

    label: str  # the heading as printed, e.g. "第十七条", "（一）", "1.2"; "" before the first heading
    path: tuple[str, ...]  # labels of the enclosing segments, outermost first, then this label
    start: int  # offsets in NormalText.text
    end: int
    text: str  # normalised text of this segment (without its sub-segments' text)
    page: int  # page where the segment starts

    @property
    def reference(self) -> str:
        """Human label for evidence: headings as printed, a table row by its key,
        e.g. "第九条（一）" or "第十八条“维修单位”栏"."""
        from .segment import heading_at  # segment builds clauses; this only reads labels

        parts = [label if heading_at(label) else f"“{label}”栏" for label in self.path]
        return "".join(parts) or "正文开头"
