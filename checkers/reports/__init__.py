"""Batch reports, fed results as they arrive and closed with the batch's totals.

    writer = open_report(Path("审查结果.html"))   # the extension chooses the format
    for item in runner.run(paths):
        writer.add(item)
    writer.close(runner.stats)

- `.html` self-contained page (summary per file and per rule, filters, findings with evidence);
- `.xlsx` a 汇总 sheet (one row per file), a 规则统计 sheet and one sheet per rule;
- `.csv` one row per finding (and per unreadable file), UTF-8 with BOM for Excel;
- `.jsonl` one document per line, the shape of `idi check --format json`'s documents;
- `.json` that shape itself: {"documents": [...], "summary": {...}}.

JSON Lines, JSON and CSV are written as results arrive. HTML and XLSX park results in a temporary
file and are assembled by `close()` into a temporary name, then renamed: an interrupted batch
leaves no half report. Memory holds only one small row per file.
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TextIO

from corpus.errors import IdiError

from ..batch import BatchItem, BatchStats
from .spool import ResultSpool


class ReportError(IdiError):
    """A report cannot be written (unknown format, folder missing, no permission)."""


class ReportWriter(ABC):
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @abstractmethod
    def add(self, item: BatchItem) -> None:
        """Take one result (called in the order results are to appear)."""

    @abstractmethod
    def close(self, stats: BatchStats) -> None:
        """Finish the report."""

    def abort(self) -> None:
        """Stop without finishing: release files; a partial streamed report stays as written."""


class StreamedReport(ReportWriter):
    """A text report written line by line as results arrive, to a file or a stream (stdout)."""

    encoding = "utf-8"

    def __init__(self, path: Path | None, stream: TextIO | None = None) -> None:
        super().__init__(path or Path("-"))
        self.owned = stream is None
        self.out = stream if stream is not None else _open_text(self.path, self.encoding)
        self.start()

    def start(self) -> None:
        """Write whatever precedes the first result."""

    def finish(self, stats: BatchStats) -> None:
        """Write whatever follows the last result."""

    def close(self, stats: BatchStats) -> None:
        self.finish(stats)
        self.abort()

    def abort(self) -> None:
        if self.owned:
            self.out.close()
        else:
            self.out.flush()


class AssembledReport(ReportWriter):
    """A report assembled at the end from spooled results, written under a temporary name first."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        _open_text(self.temporary, "utf-8").close()  # fail now, not after an hour of checking
        self.spool = ResultSpool()

    def add(self, item: BatchItem) -> None:
        self.spool.add(item.result.as_json(), item.cached)

    @abstractmethod
    def assemble(self, target: Path, stats: BatchStats) -> None:
        """Write the whole report to `target`."""

    def close(self, stats: BatchStats) -> None:
        try:
            self.assemble(self.temporary, stats)
            os.replace(self.temporary, self.path)
        except OSError as exc:
            raise ReportError(f"{self.path}：无法写入报告（{exc.strerror or exc}）") from None
        finally:
            self.abort()

    def abort(self) -> None:
        self.spool.close()
        self.temporary.unlink(missing_ok=True)


def _open_text(path: Path, encoding: str) -> TextIO:
    try:
        return open(path, "w", encoding=encoding, newline="")
    except OSError as exc:
        raise ReportError(f"{path}：无法写入报告（{exc.strerror or exc}）") from None


def report_formats() -> dict[str, type[ReportWriter]]:
    from .csv import CsvReport
    from .html import HtmlReport
    from .jsonl import JsonLinesReport, JsonReport
    from .xlsx import XlsxReport

    return {".html": HtmlReport, ".htm": HtmlReport, ".xlsx": XlsxReport, ".csv": CsvReport,
            ".jsonl": JsonLinesReport, ".json": JsonReport}


def open_report(path: Path) -> ReportWriter:
    """The writer for `path`'s extension; ReportError for an unknown one or an unwritable place."""
    formats = report_formats()
    writer = formats.get(Path(path).suffix.lower())
    if writer is None:
        raise ReportError(f"{path}：不支持的报告格式，请使用扩展名 {'、'.join(formats)}")
    return writer(Path(path))
