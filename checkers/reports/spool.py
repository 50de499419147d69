"""Results parked on disk until a report that needs all of them (HTML, XLSX) is assembled.

Each result is appended to a temporary file as one JSON line; memory keeps only a `FileRow` and
the line's offset per file, plus one `RuleTally` per rule. `replay()` reads the results back one
at a time, sorted by path, so a 10,000-file report never holds 10,000 results.
"""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

from .common import FileRow, RuleTally, tally_rules


class ResultSpool:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(mode="w+b", prefix="idi-report-")
        self._offsets: list[int] = []
        self.rows: list[FileRow] = []
        self.rules: dict[str, RuleTally] = {}

    def add(self, doc: dict[str, Any], cached: bool = False) -> None:
        self._file.seek(0, 2)
        self._offsets.append(self._file.tell())
        self._file.write(json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n")
        self.rows.append(FileRow.of(doc, cached))
        tally_rules(self.rules, doc)

    def order(self) -> list[int]:
        """Positions of the files sorted by path."""
        return sorted(range(len(self.rows)), key=lambda i: self.rows[i].path)

    def sorted_rows(self) -> list[FileRow]:
        return [self.rows[i] for i in self.order()]

    def sorted_rules(self) -> list[RuleTally]:
        return [self.rules[rule] for rule in sorted(self.rules)]

    def replay(self) -> Iterator[tuple[FileRow, dict[str, Any]]]:
        """(row, result) pairs, sorted by path."""
        for i in self.order():
            self._file.seek(self._offsets[i])
            yield self.rows[i], json.loads(self._file.readline())

    def close(self) -> None:
        self._file.close()
