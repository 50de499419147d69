"""JSON reports: one document per line (JSON Lines, for pipelines) or one JSON object."""
from __future__ import annotations

import json
import textwrap

from ..batch import BatchItem, BatchStats
from . import StreamedReport


class JsonLinesReport(StreamedReport):
    """One line per document: the shape of a document in `idi check --format json`."""

    def add(self, item: BatchItem) -> None:
        self.out.write(json.dumps(item.result.as_json(), ensure_ascii=False) + "\n")
        self.out.flush()


class JsonReport(StreamedReport):
    """{"documents": [...], "summary": {...}}, written one document at a time."""

    def start(self) -> None:
        self.out.write('{\n  "documents": [')
        self.count = 0

    def add(self, item: BatchItem) -> None:
        text = json.dumps(item.result.as_json(), ensure_ascii=False, indent=2)
        self.out.write(("," if self.count else "") + "\n" + textwrap.indent(text, "    "))
        self.count += 1

    def finish(self, stats: BatchStats) -> None:
        summary = json.dumps(stats.as_json(), ensure_ascii=False, indent=2)
        self.out.write(("\n  " if self.count else "") + '],\n  "summary": '
                       + textwrap.indent(summary, "  ").lstrip() + "\n}\n")
