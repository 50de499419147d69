"""Batch reports: HTML, XLSX, CSV, JSON Lines and JSON, fed results one at a time."""
from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checkers.batch import BatchItem, BatchStats
from checkers.check import check_file
from checkers.findings import DocumentResult, Evidence, Finding
from checkers.reports import ReportError, open_report
from checkers.reports.html import marked
from checkers.reports.xlsx import sheet_names

CONTRACT = """上海市商品房预售合同
第十八条 住宅工程质量潜在缺陷保险
保险期限起算日之前负责维修的单位为上海申浦建筑工程有限公司，联系电话：021-64581230。
建设单位监督电话：021-64587700。
保险期限内的保险公司为中国太平洋财产保险股份有限公司，联系电话：95500。
"""
NASTY = "=HYPERLINK(\"http://evil\") <script>alert('x')</script> & \"引号\""


@pytest.fixture(scope="module")
def items(tmp_path_factory) -> list[BatchItem]:
    folder = tmp_path_factory.mktemp("docs")
    texts = {"合规 合同.txt": CONTRACT, "缺 电话.txt": CONTRACT.replace("021-64581230", "______"),
             "坏.pdf": "不是 PDF"}
    results = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        results.append(check_file(folder / name))
    results.append(_nasty_result(folder / "<恶意>&名称.txt"))
    return [BatchItem(i, r, cached=i == 0) for i, r in enumerate(results)]


def _nasty_result(path: Path) -> DocumentResult:
    finding = Finding("shanghai-2025/repair-unit", "保险期限起算日之前负责维修的单位及联系电话", "fail", NASTY,
                      "沪建规范联〔2025〕2号 第九条（一）5", "明确负责维修的单位名称、联系电话", "mandatory",
                      [Evidence(3, "第十八条", "=SUM(A1) 负责维\n修的单位：" + NASTY)])
    return DocumentResult(path, "sales-contract", "shanghai-2025", findings=[finding], pages=3)


@pytest.fixture(scope="module")
def reports(items, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    stats = BatchStats()
    for item in items:
        stats.statuses[item.result.status] += 1
    paths = {suffix: folder / f"审查 结果.{suffix}" for suffix in ("html", "xlsx", "csv", "jsonl", "json")}
    writers = [open_report(path) for path in paths.values()]
    for item in items:
        for writer in writers:
            writer.add(item)
    for writer in writers:
        writer.close(stats)
    return paths


class Page(HTMLParser):
    """Collects tags, checks nesting of the elements that must close, and records external references."""

    VOID = {"meta", "br", "input", "link", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for name in ("src", "href"):
            if attrs.get(name) and not attrs[name].startswith("#"):
                self.external.append(attrs[name])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_html_is_one_well_formed_offline_page_with_every_file(reports, items):
    page = parse(reports["html"])
    assert page.errors == [] and page.stack == []
    assert page.external == []
    source = reports["html"].read_text(encoding="utf-8")
    assert "http://" not in source.replace("http://evil", "") and "@import" not in source
    assert [t for t, _ in page.tags].count("script") == 1  # the page's own script; documents' are text
    text = "".join(page.text)
    for item in items:
        assert str(item.path) in text
    articles = [a for t, a in page.tags if t == "article"]
    rows = [a for t, a in page.tags if t == "tr" and "file-row" in a.get("class", "")]
    assert len(articles) == len(rows) == len(items)
    assert NASTY in text  # shown as text, escaped in the source
    assert "&lt;script&gt;alert" in source


def test_html_has_filters_rule_summary_citations_and_marked_evidence(reports):
    page = parse(reports["html"])
    ids = {a.get("id") for _, a in page.tags}
    assert {"f-status", "f-rule", "f-kind", "f-city", "f-q", "rules", "files", "details"} <= ids
    rule_options = {a["value"] for t, a in page.tags if t == "option"}
    assert {"shanghai-2025/repair-unit", "shanghai-2025/insurer-contact", "fail", "error", "sales-contract",
            "shanghai-2025"} <= rule_options
    source = reports["html"].read_text(encoding="utf-8")
    assert "<mark>上海申浦建筑工程有限公司</mark>" in source and "<mark>021-64581230</mark>" in source
    for text in ("沪建规范联〔2025〕2号 第九条（一）5", "条文原文", "第1页·第十八条", "按规则汇总", "按文件汇总",
                 "无法读取", "结果来自缓存"):
        assert text in source


def test_marking_allows_line_breaks_inside_words_and_escapes_the_rest():
    assert marked("负责维\n修的<单位>", ["负责维修"]) == "<mark>负责维\n修</mark>的&lt;单位&gt;"
    assert marked("a<b", []) == "a&lt;b"


def test_xlsx_has_a_summary_a_rule_table_and_one_sheet_per_rule(reports, items):
    book = load_workbook(reports["xlsx"])
    assert book.sheetnames[:2] == ["汇总", "规则统计"]
    rule_sheets = book.sheetnames[2:]
    repair_sheet = "上海·保险期限起算日之前负责维修的单位及联系电话"
    assert repair_sheet in rule_sheets and all(len(n) <= 31 for n in book.sheetnames)
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert summary[0][:2] == ["文件", "结论"] and len(summary) == len(items) + 1
    assert sorted(row[0] for row in summary[1:]) == sorted(str(i.path) for i in items)
    by_path = {row[0]: row for row in summary[1:]}
    assert by_path[str(items[2].path)][1] == "无法读取" and "不是 PDF" in by_path[str(items[2].path)][7]
    repair = [[c for c in row] for row in book[repair_sheet].iter_rows()]
    assert len(repair) == 1 + 3  # the three files the rule applies to
    formula_like = [c for row in repair for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    rules = {row[0].value: row for row in book["规则统计"].iter_rows(min_row=2)}
    assert rules["shanghai-2025/repair-unit"][6].value == 2  # 不合格


def test_sheet_names_are_short_valid_and_unique():
    long = "杭州·" + "很长的规则名称" * 6
    labels = {"a": long, "b": long + "乙", "my-bank/x:y?": "my-bank/x:y?", "c": "汇总", "d": "SUMMARY", "e": "summary"}
    names = sheet_names(labels, reserved=["汇总", "规则统计"])
    assert all(len(n) <= 31 for n in names.values()) and len(set(n.lower() for n in names.values())) == 6
    assert names["a"] == long[:31] and names["b"] == long[:29] + "~2"
    assert names["my-bank/x:y?"] == "my-bank·x_y_" and names["c"] == "汇总~2" and names["e"] == "summary~2"


def test_csv_has_one_row_per_finding_and_per_unreadable_file(reports, items):
    raw = reports["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    findings = sum(len(i.result.findings) for i in items)
    assert len(rows) == findings + 1
    unreadable = [r for r in rows if r["文件结论"] == "无法读取"]
    assert len(unreadable) == 1 and "不是 PDF" in unreadable[0]["说明"]
    assert {r["文件"] for r in rows} == {str(i.path) for i in items}
    nasty = next(r for r in rows if r["文件"].endswith("&名称.txt"))
    assert nasty["证据原文"].startswith("【第3页·第十八条】=SUM")  # not at the start: left as it is
    assert nasty["说明"] == "'" + NASTY  # at the start: Excel would run it
    assert all(not value.startswith("=") for r in rows for value in r.values())


def test_jsonl_and_json_have_the_documented_document_shape(reports, items):
    lines = reports["jsonl"].read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [json.loads(json.dumps(i.result.as_json())) for i in items]
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    assert data["documents"] == [json.loads(line) for line in lines]
    assert data["summary"]["files"] == len(items) and data["summary"]["error"] == 1


def test_empty_json_report_is_valid(tmp_path):
    writer = open_report(tmp_path / "空.json")
    writer.close(BatchStats())
    assert json.loads((tmp_path / "空.json").read_text(encoding="utf-8"))["documents"] == []


def test_unknown_format_and_unwritable_places_are_refused_before_checking(tmp_path):
    with pytest.raises(ReportError, match="不支持的报告格式"):
        open_report(tmp_path / "结果.pdf")
    with pytest.raises(ReportError, match="无法写入报告"):
        open_report(tmp_path / "没有这个文件夹" / "结果.html")


def test_an_aborted_assembled_report_leaves_nothing(tmp_path, items):
    writer = open_report(tmp_path / "结果.xlsx")
    writer.add(items[0])
    writer.abort()
    assert list(tmp_path.iterdir()) == []
