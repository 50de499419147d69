"""XLSX report (openpyxl write-only mode): 汇总 (one row per file), 规则统计 (one row per rule) and
one sheet per rule (one row per file the rule applies to)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..batch import BatchStats
from . import AssembledReport
from .common import (LEVEL_TEXT, STATUS_TEXT, RuleTally, evidence_text, jurisdiction_text, kind_text, pack_cities,
                     where)

SUMMARY_SHEET, RULES_SHEET = "汇总", "规则统计"
SHEET_NAME_MAX = 31
CELL_MAX = 32_767
SUMMARY_COLUMNS = (("文件", 60), ("结论", 10), ("文书类型", 26), ("规则包", 22), ("页数", 7),
                   ("不合格项", 9), ("提示项", 8), ("说明", 80), ("来自缓存", 9))
RULES_COLUMNS = (("规则", 40), ("规则名称", 36), ("级别", 7), ("依据", 36), ("条文原文", 60), ("通过", 7),
                 ("不合格", 8), ("提示", 7), ("不适用", 8), ("工作表", 32))
RULE_COLUMNS = (("文件", 60), ("文书类型", 26), ("规则包", 22), ("结论", 10), ("说明", 70), ("证据位置", 24),
                ("证据原文", 80), ("依据", 36))
_FILLS = {"pass": "E2F0D9", "fail": "F8CBAD", "warn": "FFE699", "error": "D9D9D9"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


class XlsxReport(AssembledReport):
    def assemble(self, target: Path, stats: BatchStats) -> None:
        book = Workbook(write_only=True)
        summary = _sheet(book, SUMMARY_SHEET, SUMMARY_COLUMNS)
        rules = self.spool.sorted_rules()
        names = sheet_names({t.rule: rule_label(t) for t in rules}, reserved=(SUMMARY_SHEET, RULES_SHEET))
        _fill(_sheet(book, RULES_SHEET, RULES_COLUMNS), (_rule_row(t, names[t.rule]) for t in rules))
        sheets = {t.rule: _sheet(book, names[t.rule], RULE_COLUMNS) for t in rules}
        for row, doc in self.spool.replay():
            summary.append(_cells(summary, [row.path, STATUS_TEXT[row.status], kind_text(row.kind),
                                            jurisdiction_text(row.jurisdiction), row.pages, len(row.failed),
                                            len(row.warned), row.explanation(), "是" if row.cached else ""],
                                  status=(1, row.status)))
            for finding in doc["findings"]:
                sheet = sheets[finding["rule"]]
                sheet.append(_cells(sheet, _finding_row(doc, finding), status=(3, finding["status"])))
        book.save(target)


def rule_label(tally: RuleTally) -> str:
    """上海·建设单位监督电话 for a pack's rule; a user rule by its id."""
    pack = tally.rule.partition("/")[0]
    city = pack_cities().get(pack)
    return f"{city}·{tally.title}" if city else tally.rule


def sheet_names(labels: dict[str, str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """For each rule, its label made a valid, unique (ignoring case) sheet name of at most 31 characters."""
    taken = {name.lower() for name in reserved}
    names = {}
    for rule, label in labels.items():
        base = _BAD_SHEET_CHARS.sub("_", label.replace("/", "·")).strip("'")[:SHEET_NAME_MAX] or "规则"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            suffix = f"~{number}"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.lower())
        names[rule] = name
    return names


def _sheet(book: Workbook, title: str, columns: tuple[tuple[str, int], ...]):
    sheet = book.create_sheet(title)
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, name)
        cell.font = _HEADER_FONT
        header.append(cell)
    sheet.append(header)
    return sheet


def _fill(sheet, rows: Iterable[list[Any]]) -> None:
    for row in rows:
        sheet.append(_cells(sheet, row))


def _rule_row(tally: RuleTally, sheet: str) -> list[Any]:
    counts = tally.counts
    return [tally.rule, tally.title, LEVEL_TEXT.get(tally.level, tally.level), tally.citation, tally.requirement,
            counts["pass"], counts["fail"], counts["warn"], counts["not-applicable"], sheet]


def _finding_row(doc: dict[str, Any], finding: dict[str, Any]) -> list[Any]:
    return [doc["path"], kind_text(doc["kind"]), jurisdiction_text(doc["jurisdiction"]),
            STATUS_TEXT[finding["status"]], finding["message"],
            "；".join(filter(None, map(where, finding["evidence"]))), evidence_text(finding), finding["citation"]]


def _cells(sheet, values: list[Any], status: tuple[int, str] | None = None) -> list[WriteOnlyCell]:
    """Cells holding text as text (never a formula), wrapped; `status`: (column, status) to colour."""
    cells = []
    for index, value in enumerate(values):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_MAX]
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"  # "=…" in a document stays text
            cell.alignment = _WRAP
        cells.append(cell)
    if status is not None and status[1] in _FILLS:
        cells[status[0]].fill = PatternFill("solid", fgColor=_FILLS[status[1]])
    return cells
