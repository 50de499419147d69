"""Stage 3 of the checkers: clauses, their labels, nesting, offsets and pages."""
from pathlib import Path

import pytest

import _extract_fixtures as fx
from checkers.extract import extract
from checkers.model import Page, RawDocument
from checkers.normalise import normalise
from checkers.segment import chinese_to_int, heading_at, ordinal_value, row_key, segment


def clauses_of(*pages: str, fmt: str = "docx"):
    text = normalise(RawDocument(Path(f"t.{fmt}"), fmt, [Page(i, t) for i, t in enumerate(pages, start=1)]))
    return text, segment(text)


def paths(*pages: str, fmt: str = "docx"):
    return [clause.path for clause in clauses_of(*pages, fmt=fmt)[1]]


def test_full_hierarchy():
    text = "\n".join([
        "住宅工程质量潜在缺陷保险合同", "第一章 总则", "第一条 保险责任", "一、 地基基础", "（一）桩基", "1. 灌注桩",
        "（1）混凝土", "①强度", "②配筋", "（2）钢筋", "2. 预制桩", "（二）地下室", "二、 主体结构", "第二条 责任免除",
        "第二章 附则", "第三条 生效",
    ])
    assert paths(text) == [
        (), ("第一章",), ("第一章", "第一条"), ("第一章", "第一条", "一、"), ("第一章", "第一条", "一、", "（一）"),
        ("第一章", "第一条", "一、", "（一）", "1."), ("第一章", "第一条", "一、", "（一）", "1.", "（1）"),
        ("第一章", "第一条", "一、", "（一）", "1.", "（1）", "①"), ("第一章", "第一条", "一、", "（一）", "1.", "（1）", "②"),
        ("第一章", "第一条", "一、", "（一）", "1.", "（2）"), ("第一章", "第一条", "一、", "（一）", "2."),
        ("第一章", "第一条", "一、", "（二）"), ("第一章", "第一条", "二、"), ("第一章", "第二条"),
        ("第二章",), ("第二章", "第三条"),
    ]


def test_clause_fields():
    text, clauses = clauses_of("合同首部\n第九条 维修\n（一）报修\n详见附件。\n（二）验收")
    preamble, article, first, second = clauses
    assert (preamble.label, preamble.path, preamble.reference, preamble.text) == ("", (), "正文开头", "合同首部")
    assert (first.label, first.path, first.reference) == ("（一）", ("第九条", "（一）"), "第九条（一）")
    assert first.text == "（一）报修\n详见附件。"  # up to the next heading, without the line break
    assert article.text == "第九条 维修"  # its items are clauses of their own
    for clause in clauses:
        assert text.text[clause.start:clause.end] == clause.text and clause.page == 1
    assert [c.start for c in clauses] == sorted(c.start for c in clauses)
    assert all(a.end <= b.start for a, b in zip(clauses, clauses[1:]))
    assert second.end == len(text.text)


def test_decimal_levels_nest():
    assert paths("1 总则\n1. 范围\n1.1 地基\n1.1.1 桩基\n1.1.2 承台\n1.2 主体\n2. 责任\n2.1 免除") == [
        (), ("1.",), ("1.", "1.1"), ("1.", "1.1", "1.1.1"), ("1.", "1.1", "1.1.2"), ("1.", "1.2"), ("2.",),
        ("2.", "2.1")]


@pytest.mark.parametrize("line", [
    "1.5米以上的外墙", "2026.1.1起施行", "021-6123 4567", "12.5%的保险费", "400-820-8888", "95518",
    "3.14 倍", "10 年内", "第十条规定的情形", "第十条约定", "第三条第二款", "一、二级资质", "+86 138 0013 8000",
])
def test_not_headings(line):
    assert heading_at(line) is None


@pytest.mark.parametrize(("line", "kind", "label"), [
    ("第十七条 保险期间", "article", "第十七条"), ("第 1 条 保险", "article", "第1条"), ("第二章 附则", "chapter", "第二章"),
    ("第一节 一般规定", "section", "第一节"), ("第一部分 总则", "part", "第一部分"), ("二十三、 其他", "cn_item", "二十三、"),
    ("（十二）地震", "paren_cn", "（十二）"), ("（3）配筋", "paren_num", "（3）"), ("3）配筋", "paren_num", "3）"),
    ("⑶配筋", "paren_num", "⑶"), ("1、维修", "decimal", "1、"), ("12. 维修", "decimal", "12."),
    ("1.2.3 x", "decimal", "1.2.3"), ("一.1 保险", "decimal", "一.1"), ("⑦ 渗漏", "circled", "⑦"), ("⒊ 渗漏", "decimal", "⒊"),
])
def test_headings(line, kind, label):
    heading = heading_at(line)
    assert (heading.kind, heading.label) == (kind, label)


def test_ordinals():
    assert [ordinal_value(x) for x in ("第十七条", "（三）", "1.2", "⑤", "1）", "二十一、", "第12条", "第一〇一条")] == \
        [17, 3, 2, 5, 1, 21, 12, 101]
    assert chinese_to_int("一百零一") == 101 and chinese_to_int("两") == 2 and chinese_to_int("abc") is None


def test_article_numbers_going_back_are_references():
    text = "第五条 保险责任\n依照\n第三条 执行的，另行约定\n第六条 责任免除\n第一条 附加条款"
    assert [c.label for c in clauses_of(text)[1]] == ["第五条", "第六条", "第一条"]


def test_table_rows_are_clauses():
    text = "\n".join(["第三条 维修服务", "维修单位：上海安居建设工程有限公司", "联系电话：021-6123 4567", "报修地址：",
                      "服务网点：浦东网点", "徐汇网点", "保险责任范围包括：", "（一）地基基础"])
    _, clauses = clauses_of(text)
    assert [(c.label, c.path) for c in clauses] == [
        ("第三条", ("第三条",)), ("维修单位", ("第三条", "维修单位")), ("联系电话", ("第三条", "联系电话")),
        ("报修地址", ("第三条", "报修地址")), ("服务网点", ("第三条", "服务网点")), ("（一）", ("第三条", "（一）"))]
    assert clauses[3].text == "报修地址："
    assert clauses[4].text == "服务网点：浦东网点\n徐汇网点\n保险责任范围包括："


@pytest.mark.parametrize(("line", "key"), [
    ("维修单位：X公司", "维修单位"), ("建设单位（投保人）：X公司", "建设单位（投保人）"), ("联系电话：", "联系电话"),
    ("Tel：021", "Tel"), ("保险责任范围包括：", None), ("根据本合同约定，保险人应当：", None), ("2025：", None),
    ("本合同所称主体结构工程质量缺陷是指：", None),
])
def test_row_keys(line, key):
    assert row_key(line) == key


def test_list_kind_met_first_inside_a_deeper_item_nests_there():
    text = "第一条 维修\n1. 报修\n（一）电话报修\n（二）网上报修\n2. 查勘\n（一）现场查勘"
    assert paths(text) == [("第一条",), ("第一条", "1."), ("第一条", "1.", "（一）"), ("第一条", "1.", "（二）"),
                           ("第一条", "2."), ("第一条", "2.", "（一）")]


def test_clause_across_a_page_break_is_one_clause():
    sentence = "在保险期间内，因地基基础工程和主体结构工程存在质量缺陷造成的损坏，保险人依照本合同约定负责赔偿。"
    lines = [(sentence * 3)[i:i + 30] for i in range(0, len(sentence) * 3, 30)]
    text, clauses = clauses_of("\n".join(["第一条 保险责任", "（一）" + lines[0], *lines[1:3]]),
                               "\n".join([*lines[3:], "（二）地震"]), fmt="pdf")
    first = clauses[1]
    assert first.label == "（一）" and first.page == 1
    assert first.text == "（一）" + sentence * 3
    assert clauses[2].page == 2


def test_contract_docx_end_to_end(tmp_path):
    _, clauses = clauses_of_file(fx.build_contract_docx(tmp_path / "contract.docx"))
    by_label = {c.label: c for c in clauses}
    assert [c.label for c in clauses if c.path and len(c.path) == 1] == ["投保人", "第一条", "第二条", "第三条"]
    assert by_label["1.2"].path == ("第一条", "1.2") and by_label["①"].path == ("第一条", "1.2", "①")
    assert by_label["2.1"].path == ("第二条", "（二）", "2.1")
    assert by_label["联系电话"].path == ("第三条", "联系电话") and by_label["联系电话"].page == 3
    assert by_label["五、"].path == ("第三条", "五、") and by_label["（1）"].page == 4


def clauses_of_file(path):
    text = normalise(extract(path))
    return text, segment(text)


def test_contract_pdf_end_to_end(tmp_path_factory):
    directory, reason = fx.converted_pdfs(tmp_path_factory.getbasetemp() / "converted")
    if directory is None:
        pytest.skip(reason)
    text, clauses = clauses_of_file(directory / "contract.pdf")
    articles = {c.label: c.page for c in clauses if c.label.startswith("第")}
    assert articles == {"第一条": 1, "第二条": 2, "第三条": 3}
    assert text.text.count(fx.HEADER_TEXT) == 1 and "第 2 页" not in text.text
    _, long_clauses = clauses_of_file(directory / "long.pdf")
    assert [c.label for c in long_clauses if c.label.startswith("第")] == [f"第{n}条" for n in range(1, 15)]
