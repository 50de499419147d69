"""CSV report: one row per finding, and one row for a file without findings (unreadable, or no
requirement for its kind), so every file appears. UTF-8 with BOM: Excel then reads the Chinese."""
from __future__ import annotations

import csv
from typing import Any

from ..batch import BatchItem
from . import StreamedReport
from .common import LEVEL_TEXT, STATUS_TEXT, evidence_text, jurisdiction_text, kind_text, reason, where

HEADER = ("文件", "文件结论", "文书类型", "规则包", "规则", "规则名称", "级别", "结论", "说明", "依据",
          "条文原文", "证据位置", "证据原文")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvReport(StreamedReport):
    encoding = "utf-8-sig"

    def start(self) -> None:
        self.writer = csv.writer(self.out)
        self.writer.writerow(HEADER)

    def add(self, item: BatchItem) -> None:
        for row in rows(item.result.as_json()):
            self.writer.writerow([safe_cell(value) for value in row])
        self.out.flush()


def rows(doc: dict[str, Any]) -> list[list[Any]]:
    head = [doc["path"], STATUS_TEXT[doc["status"]], kind_text(doc["kind"]), jurisdiction_text(doc["jurisdiction"])]
    if not doc["findings"]:
        note = reason(doc["error"], doc["path"]) or "；".join(doc["notes"])
        return [[*head, "", "", "", "", note, "", "", "", ""]]
    return [[*head, f["rule"], f["title"], LEVEL_TEXT.get(f["level"], f["level"]), STATUS_TEXT[f["status"]],
             f["message"], f["citation"], f["requirement"], "；".join(filter(None, map(where, f["evidence"]))),
             evidence_text(f)] for f in doc["findings"]]


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
