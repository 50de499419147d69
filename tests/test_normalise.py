"""Stage 2 of the checkers: normalised text with an exact map back to the extracted text."""
import random
import re
import unicodedata
from pathlib import Path

import pytest

import _extract_fixtures as fx
from checkers.extract import extract
from checkers.model import Page, RawDocument
from checkers.normalise import RADICALS, fold_char, is_page_number, normalise


def norm(*pages: str, fmt: str = "pdf"):
    doc = RawDocument(Path(f"t.{fmt}"), fmt, [Page(i, text) for i, text in enumerate(pages, start=1)])
    return normalise(doc)


def one_line(text: str) -> str:
    return norm(text, fmt="docx").text


# --- characters ----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("电话：０２１－６１２３　４５６７", "电话：021-6123 4567"),
    ("ＡＢＣ公司", "ABC公司"),
    ("①②⑩⑳ ⑴⑵ ⒈⒉ ㉑ ㊀", "①②⑩⑳ ⑴⑵ ⒈⒉ ㉑ ㊀"),  # NFKC would make digits of them
    ("㈠地基基础", "（一）地基基础"),
    ("⼯程质量", "工程质量"),  # Kangxi radical, folded by NFKC
    ("⻓期⻅效，⻔窗⻘⾊", "长期见效，门窗青色"),
    ("⻋库⻚⾯⻛险⻜⾏⻢路⻝堂⻬全⻩⾊⻥塘⻦类⻮轮⻰头⻉壳", "车库页面风险飞行马路食堂齐全黄色鱼塘鸟类齿轮龙头贝壳"),
    ("名称:XX公司，电话︰1 传真﹕2 邮编∶3", "名称：XX公司，电话：1 传真：2 邮编：3"),
    ("09:30至17:30，详见http://www.example.cn", "09:30至17:30，详见http://www.example.cn"),
    ("(一)保险责任(详见附件)", "（一）保险责任（详见附件）"),
    ("甲方;乙方；丙方", "甲方；乙方；丙方"),
    ("金额1,000元,由甲方支付, a, b", "金额1,000元，由甲方支付， a, b"),
    ("“保险人”、‘投保人’、「业主」、\"被保险人\"、\"物业\"", "“保险人”、“投保人”、“业主”、“被保险人”、“物业”"),
    ("十年~二十年〜三十年～", "十年～二十年～三十年～"),
    ("联系电话：______，签字：＿＿＿＿", "联系电话：______，签字：____"),
    ("……以及⋯", "……以及…"),
    ("零\u200b宽\ufeff字\u00ad符\x07", "零宽字符"),
    ("400-820-8888、95518、+86 138 0013 8000、12.5%、1.2米", "400-820-8888、95518、+86 138 0013 8000、12.5%、1.2米"),
    ("021–6123−4567", "021-6123-4567"),
])
def test_character_folding(raw, expected):
    assert one_line(raw) == expected


def test_radical_table_maps_to_the_named_ideograph():
    for radical, ideograph in RADICALS.items():
        assert "CJK RADICAL" in unicodedata.name(radical)
        assert unicodedata.normalize("NFKC", radical) == radical  # NFKC alone leaves them
        assert fold_char(radical) == ideograph
    assert fold_char("⺅") == "⺅" and fold_char("⻈") == "⻈"  # component forms stay
    assert fold_char("⻳") == "龟"  # folded by NFKC


def test_kangxi_radicals_are_all_folded_by_nfkc():
    for code in range(0x2F00, 0x2FD6):
        assert fold_char(chr(code)) != chr(code)


# --- spaces and lines -----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("保 险  责\t任", "保险责任"),
    ("第一条   保险责任", "第一条 保险责任"),
    ("第 1 条 保险责任", "第1条 保险责任"),
    ("（一）  地基基础", "（一） 地基基础"),
    ("1.  地基基础", "1. 地基基础"),
    ("上海  ABC  公司 ， 电话  021", "上海 ABC 公司，电话 021"),
    ("  联系电话：      ", "联系电话："),
])
def test_spaces(raw, expected):
    assert one_line(raw) == expected


def test_docx_keeps_every_line_break():
    assert norm("第一条 保险责任\n在保险期间内\n\n  \n保险人负责赔偿", fmt="docx").text == \
        "第一条 保险责任\n在保险期间内\n保险人负责赔偿"


PARAGRAPH = ("在保险期间内，因地基基础工程和主体结构工程存在质量缺陷造成的损坏，"
             "保险人依照本合同约定负责赔偿。保险期间为十年，自竣工验收合格之日起计算。")


def wrap(text: str, width: int = 30) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def test_pdf_hard_wraps_are_joined():
    lines = ["第一条 保险责任", *wrap(PARAGRAPH), "第二条 责任免除", *wrap("下列损失，保险人不负责赔偿：" + "投保人" * 12),
             "（一）战争；", "（二）地震；", "联系电话：", "021-6123 4567", "短行", "另一短行"]
    assert norm("\n".join(lines)).text.split("\n") == [
        "第一条 保险责任", PARAGRAPH, "第二条 责任免除",
        "下列损失，保险人不负责赔偿：" + "投保人" * 12, "（一）战争；", "（二）地震；",
        "联系电话：", "021-6123 4567", "短行", "另一短行"]


def test_wrapped_colon_before_its_value_is_joined():
    full = "甲" * 28 + "联系电话："
    assert norm("\n".join([full, "021-6123 4567。", "乙" * 30])).text.split("\n")[0] == full + "021-6123 4567。"


def test_english_wraps_keep_a_space():
    assert norm("\n".join(["The insurer shall pay for the loss caused by", "defects within ten years.",
                           "x" * 44])).text.startswith("The insurer shall pay for the loss caused by defects")


def test_running_headers_and_page_numbers_are_dropped():
    paragraphs = [PARAGRAPH[n * 7:] + PARAGRAPH[:n * 7] for n in range(1, 5)]
    pages = ["\n".join(["住宅工程质量潜在缺陷保险条款", *wrap(paragraph), f"第 {number} 页 共 4 页"])
             for number, paragraph in enumerate(paragraphs, start=1)]
    text = norm(*pages).text
    assert text.split("\n") == ["住宅工程质量潜在缺陷保险条款", *paragraphs]  # kept on page 1 only


def test_paragraph_runs_over_page_breaks():
    text = PARAGRAPH * 6
    lines = wrap(text)
    pages = ["\n".join(["住宅工程质量潜在缺陷保险条款", *lines[i:i + 3], f"- {n} -"])
             for n, i in enumerate(range(0, len(lines), 3), start=1)]
    assert len(pages) >= 3
    assert norm(*pages).text == "住宅工程质量潜在缺陷保险条款\n" + text


def test_short_documents_keep_repeated_lines_but_drop_page_numbers():
    pages = ["XX保险公司\n第一条 保险责任\n- 1 -", "XX保险公司\n第二条 责任免除\n- 2 -"]
    assert norm(*pages).text.split("\n") == ["XX保险公司", "第一条 保险责任", "XX保险公司", "第二条 责任免除"]


@pytest.mark.parametrize("line", ["- 3 -", "—3—", "第 3 页 共 20 页", "第3页/共20页", "共20页 第3页", "3 / 20", "3/20",
                                  "Page 3", "page 3 of 20", "3", "12"])
def test_page_number_lines(line):
    assert is_page_number(line, 20)


@pytest.mark.parametrize("line", ["2026", "第三条", "3.1 保险责任", "1. 维修", "（3）", "第3条", "300"])
def test_not_page_number_lines(line):
    assert not is_page_number(line, 20)


def test_headings_are_not_taken_for_running_lines():
    pages = [f"第{n}部分 说明\n" + "\n".join(wrap(PARAGRAPH)) for n in range(1, 5)]
    assert norm(*pages).text.count("部分") == 4


def test_pdf_of_long_docx_reads_like_the_docx(tmp_path_factory):
    directory, reason = fx.converted_pdfs(tmp_path_factory.getbasetemp() / "converted")
    if directory is None:
        pytest.skip(reason)
    from_pdf = normalise(extract(directory / "long.pdf"))
    from_docx = normalise(extract(directory / "long.docx"))
    assert len(extract(directory / "long.pdf").pages) >= 3
    # Wrapped lines joined, pages joined, running header (after page 1) and page numbers dropped.
    assert from_pdf.text.split("\n") == from_docx.text.split("\n")


# --- the offset map ---------------------------------------------------------------------------

POOL = [
    "第一条 保险责任", "第 2 条　责任免除", "（一）地基基础工程；", "(二)主体结构工程;", "1. 防水工程", "1.1 屋面防水",
    "①外墙渗漏", "㈠ 室内装修", "联系电话：０２１－６１２３　４５６７", "维修单位:上海安居建设工程有限公司",
    "金额1,000元,由甲方支付", "“保险人”与‘投保人’", "期限：十年～二十年", "签字：______", "⻓期⻅效",
    "The insurer shall pay", "Page contents here", "零\u200b宽字符", "电话400-820-8888转1", "12.5%的比例",
    "上海  ABC  公司", "保险人依照本合同约定负责赔偿，赔偿金额以实际损失为限", "\t缩进的行", "……以及其他",
]


def random_pages(rng: random.Random, count: int) -> list[str]:
    pages = []
    for _ in range(count):
        lines = []
        for _ in range(rng.randint(3, 12)):
            text = "".join(rng.choice(POOL) for _ in range(rng.randint(1, 4)))
            chunks = [text[i:i + rng.randint(8, 40)] for i in range(0, len(text), 25)]
            lines += [c for c in chunks if not is_page_number(unicodedata.normalize("NFKC", c).strip(), 99)]
            if rng.random() < 0.2:
                lines.append(" " * rng.randint(0, 3))
        pages.append("\n".join(lines))
    return pages


CONTEXT_FOLDS = {("：", ":"), ("，", ","), ("“", '"'), ("”", '"')}


def assert_origin_exact(text):
    assert len(text.origin) == len(text.text) + 1
    assert all(a <= b for a, b in zip(text.origin, text.origin[1:]))
    for index, char in enumerate(text.text):
        source = text.raw[text.origin[index]]
        if char in " \n":
            assert source.isspace() or fold_char(source) == " ", (index, char, source)
        else:
            assert char in fold_char(source) or (char, source) in CONTEXT_FOLDS, (index, char, source)


@pytest.mark.parametrize("seed", range(12))
def test_every_character_maps_to_the_character_it_came_from(seed):
    rng = random.Random(seed)
    pages = random_pages(rng, rng.randint(1, 5))
    for fmt in ("pdf", "docx", "txt"):
        text = norm(*pages, fmt=fmt)
        assert text.raw == "\n".join(pages)
        assert_origin_exact(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cut_points(text) -> list[int]:
    """Offsets where a slice may start or end: not inside one raw character's expansion (㈠ →
    （一）) and not next to a digit (a slice "12" alone on a line would be a page number)."""
    points = []
    for i in range(1, len(text.text)):
        inside_expansion = text.origin[i - 1] == text.origin[i]
        if not inside_expansion and not text.text[i - 1].isdigit() and not text.text[i].isdigit():
            points.append(i)
    return [0, *points, len(text.text)]


@pytest.mark.parametrize("seed", range(12))
def test_original_of_a_slice_normalises_back_to_the_slice(seed):
    """What is exactly true for any slice: original() is the raw text from the first to the last
    character behind it, and normalising that text gives the slice again up to whitespace (line
    joins and the spaces kept or dropped at the slice's edges depend on the context outside it).
    The documents here have at most two pages, so no line of them is dropped as a running line."""
    rng = random.Random(seed)
    for fmt in ("pdf", "docx"):
        text = norm(*random_pages(rng, rng.randint(1, 2)), fmt=fmt)
        points = cut_points(text)
        for _ in range(40):
            start, end = sorted(rng.sample(points, 2))
            original = text.original(start, end)
            assert original == text.raw[text.origin[start]:text.origin[end - 1] + 1]
            assert original in text.raw
            assert squash(one_line(original)) == squash(text.text[start:end]), (start, end, original)


def test_original_quotes_the_text_as_extracted():
    text = norm("第 1 条　保险责任\n(一)地基基础;\n联系电话：０２１－６１２３")
    assert text.text == "第1条 保险责任\n（一）地基基础；\n联系电话：021-6123"
    assert text.original(0, 3) == "第 1 条"
    start = text.text.index("（一）")
    assert text.original(start, start + 8) == "(一)地基基础;"
    start = text.text.index("021")
    assert text.original(start, len(text.text)) == "０２１－６１２３"


def test_page_of_a_joined_paragraph_is_where_it_starts():
    lines = wrap(PARAGRAPH * 4)
    text = norm("\n".join(["第一条 保险责任", *lines[:5]]), "\n".join([*lines[5:], "第二条 责任免除"]))
    assert text.text.split("\n") == ["第一条 保险责任", PARAGRAPH * 4, "第二条 责任免除"]
    assert text.page_at(text.text.index("第一条")) == 1
    assert text.page_at(text.text.index(PARAGRAPH)) == 1
    assert text.page_at(len("第一条 保险责任\n") + 5 * 30) == 2  # first character of page 2
    assert text.page_at(text.text.index("第二条")) == 2


def test_empty_document():
    text = norm("", "  \n ")
    assert (text.text, text.origin, text.page_at(0)) == ("", [0], 1)
