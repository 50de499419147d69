"""Stage 1 of the checkers: reading real PDF, DOCX and TXT files into pages of text."""
import codecs
import hashlib
import zipfile
from pathlib import Path

import pytest

import _extract_fixtures as fx
from checkers import extract as extract_module
from checkers.extract import extract, extract_tables, format_number, needs_ocr
from checkers.model import ExtractionError
from corpus.errors import InputError


@pytest.fixture(scope="module")
def contract(tmp_path_factory):
    path = fx.build_contract_docx(tmp_path_factory.mktemp("docx") / "contract.docx")
    return path, extract(path)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    directory, reason = fx.converted_pdfs(tmp_path_factory.getbasetemp() / "converted")
    if directory is None:
        pytest.skip(reason)
    return directory


def lines_of(doc, number):
    return doc.pages[number - 1].text.split("\n")


def failure(path: Path, password=None) -> str:
    with pytest.raises(ExtractionError) as caught:
        extract(path, password=password)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    return message


# --- DOCX ---------------------------------------------------------------------------------


def test_docx_pages_split_at_explicit_page_breaks(contract):
    _, doc = contract
    assert doc.format == "docx" and doc.method == extract_module.METHOD_DOCX
    assert [page.number for page in doc.pages] == [1, 2, 3, 4]
    assert doc.fields == {}


def test_docx_numbering_is_rendered_as_printed(contract):
    _, doc = contract
    page1, page2, page4 = lines_of(doc, 1), lines_of(doc, 2), lines_of(doc, 4)
    assert "第一条 保险责任" in page1
    assert "1.1 在保险期间内，因地基基础工程和主体结构工程存在质量缺陷造成的损坏，保险人负责赔偿。" in page1
    assert "1.2 保险期间为十年。" in page1
    assert "① 防水工程为五年。" in page1
    # A paragraph style linked to the list continues the count; its sub-level restarts.
    assert page2[0] == "第二条 责任免除"
    assert "2.1 投保人故意造成的损失，保险人不负责赔偿。" in page2
    assert lines_of(doc, 3)[0] == "第三条 维修服务"
    # Another w:num of the same list with startOverride 5 counts from 5.
    assert page4[:2] == ["一、 争议处理", "五、 附则"]


def test_docx_header_first_footer_last(contract):
    _, doc = contract
    assert lines_of(doc, 1)[0] == fx.HEADER_TEXT
    assert lines_of(doc, 4)[-1] == "第 1 页"  # the PAGE field's stored result
    assert sum(page.text.count(fx.HEADER_TEXT) for page in doc.pages) == 1


def test_docx_table_rows_are_key_value_lines(contract):
    _, doc = contract
    page3 = lines_of(doc, 3)
    start = page3.index("维修单位：上海安居建设工程有限公司")
    assert page3[start:start + 7] == [
        "维修单位：上海安居建设工程有限公司", "联系电话：021-6123 4567", "报修地址：",
        "服务网点：浦东网点", "徐汇网点",  # the merged key cell is not repeated
        "项目名称：浦江华庭", "保单号：",  # a row of two key/value pairs
    ]


def test_docx_text_box_read_once_after_its_paragraph(contract):
    _, doc = contract
    text = "\n".join(page.text for page in doc.pages)
    assert text.count(fx.TEXT_BOX_TEXT) == 1
    page3 = lines_of(doc, 3)
    assert page3[page3.index("详见附图。") + 1] == fx.TEXT_BOX_TEXT


def test_docx_inline_content(tmp_path):
    body = fx.body_xml(
        '<w:p><w:r><w:t>甲方</w:t></w:r><w:r><w:tab/><w:t>乙方</w:t></w:r>'
        '<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del>'
        '<w:ins><w:r><w:t>插入的文字</w:t></w:r></w:ins>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的文字</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>链接</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:br/><w:t>第二行</w:t><w:sym w:font="Wingdings" w:char="F0FE"/><w:t>同意</w:t></w:r></w:p>'
        '<w:sdt><w:sdtContent><w:p><w:r><w:t>内容控件</w:t></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>新页</w:t></w:r></w:p>')
    doc = extract(fx.docx_with_document_xml(tmp_path / "inline.docx", body))
    assert [page.text for page in doc.pages] == ["甲方\t乙方插入的文字链接\n第二行☑同意\n内容控件", "新页"]


def test_docx_nested_table_and_multi_paragraph_cell(tmp_path):
    def cell(*paragraphs):
        return "<w:tc>" + "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs) + "</w:tc>"

    nested = "<w:tbl><w:tr>" + cell("内层键") + cell("内层值") + "</w:tr></w:tbl>"
    body = fx.body_xml(
        "<w:tbl>"
        "<w:tr>" + cell("保险责任") + cell("保险人负责赔偿：", "1. 地基基础", "2. 主体结构") + "</w:tr>"
        "<w:tr>" + cell("序号") + cell("单位名称") + cell("联系电话") + "</w:tr>"
        "<w:tr>" + cell("附表") + "<w:tc>" + nested + "<w:p/></w:tc></w:tr>"
        "<w:tr>" + cell("通知书标题") + "</w:tr>"
        "</w:tbl>")
    doc = extract(fx.docx_with_document_xml(tmp_path / "tables.docx", body))
    assert doc.pages[0].text.split("\n") == [
        "保险责任：保险人负责赔偿：", "1. 地基基础", "2. 主体结构",
        "序号：单位名称 | 联系电话",
        "附表：内层键：内层值",
        "通知书标题",
    ]


NUMBERING = (
    f'<w:numbering {fx.NSDECL}>'
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlRestart w:val="0"/>'
    '<w:lvlText w:val="%2)"/><w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/></w:lvl>'
    '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="ListStyle"/></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    '</w:numbering>')
STYLES = (
    f'<w:styles {fx.NSDECL}>'
    '<w:style w:type="paragraph" w:styleId="ListStyle"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
    '</w:style>'
    '<w:style w:type="paragraph" w:styleId="Item"><w:basedOn w:val="ListStyle"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
    '</w:styles>')


def test_docx_numbering_restarts_styles_and_links(tmp_path):
    def p(text, num=None, ilvl=None, style=None):
        props = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num is not None:
            props += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
        return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"

    body = fx.body_xml(p("甲", 1, 0) + p("乙", 1, 1) + p("丙", 1, 1) + p("丁", 1, 0) + p("戊", 1, 1)
                       + p("己", 1, 2) + p("庚", style="Item") + p("辛", 2, 0) + p("壬", 0, 0))
    path = fx.docx_with_document_xml(tmp_path / "numbering.docx", body)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/numbering.xml", NUMBERING)
        archive.writestr("word/styles.xml", STYLES)
        archive.writestr("word/_rels/document.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x/numbering" Target="numbering.xml"/>'
            '<Relationship Id="rId2" Type="x/styles" Target="styles.xml"/></Relationships>'))
    # b) never restarts (lvlRestart 0); 二.1 shows level 1 in its own (Chinese) format; a style
    # based on a numbered style inherits its list; numStyleLink leads to the same list; numId 0 = none.
    assert extract(path).pages[0].text.split("\n") == [
        "（一） 甲", "a)乙", "b)丙", "（二） 丁", "c)戊", "二.1 己", "d)庚", "（三） 辛", "壬"]


@pytest.mark.parametrize(("number", "fmt", "expected"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (17, "chineseCountingThousand", "十七"), (21, "chineseCounting", "二十一"), (101, "chineseCounting", "一百零一"),
    (110, "chineseCounting", "一百一十"), (17, "chineseLegalSimplified", "壹拾柒"), (3, "ideographTraditional", "丙"),
    (3, "decimalEnclosedCircleChinese", "③"), (21, "decimalEnclosedCircle", "㉑"), (27, "upperLetter", "AA"),
    (2, "lowerLetter", "b"), (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"), (7, "decimalZero", "07"),
    (3, "japaneseCounting", "三"), (12, "unknownFormat", "12"), (5, "none", ""),
])
def test_number_formats(number, fmt, expected):
    assert format_number(number, fmt) == expected


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_text_layer_by_page(pdfs):
    doc = extract(pdfs / "contract.pdf")
    assert doc.format == "pdf" and doc.method == extract_module.METHOD_PDF and not needs_ocr(doc)
    assert [page.number for page in doc.pages] == [1, 2, 3, 4]
    for page in doc.pages:
        lines = page.text.split("\n")
        assert lines[0] == fx.HEADER_TEXT
        assert f"第 {page.number} 页" in lines
    assert "第一条 保险责任" in lines_of(doc, 1)
    assert "第二条 责任免除" in lines_of(doc, 2)
    assert "维修单位 上海安居建设工程有限公司" in lines_of(doc, 3)


def test_pdf_tables_with_pdfplumber(pdfs):
    rows = [row for page, table in extract_tables(pdfs / "contract.pdf") if page == 3 for row in table]
    assert rows[:3] == [["维修单位", "上海安居建设工程有限公司"], ["联系电话", "021-6123 4567"], ["报修地址", ""]]
    assert ["徐汇网点"] in rows  # the merged 服务网点 cell is not repeated


def test_pdf_acroform_fields_on_their_pages(tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(fx.acroform_pdf())
    doc = extract(path)
    assert doc.fields == {"phone": "021-6123 4567", "repair": "上海安居建设工程有限公司", "agree": "Yes",
                          "policy": "PJ2025-001", "insured.name": "上海浦江置业有限公司"}
    assert doc.method == extract_module.METHOD_PDF + extract_module.WITH_ACROFORM
    assert doc.pages[0].text.split("\n") == ["Page one", "维修单位：上海安居建设工程有限公司", "同意：Yes",
                                              "name：上海浦江置业有限公司"]
    # /Annots of page 2 holds the phone widget; the policy field has no widget: last page.
    assert doc.pages[1].text.split("\n") == ["Page two", "联系电话：021-6123 4567", "保单号：PJ2025-001"]


def test_pdf_without_text_is_not_an_error(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(fx.text_pdf([]))
    doc = extract(path)
    assert needs_ocr(doc) and doc.pages[0].text == ""


def test_encrypted_pdf_with_user_password(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(fx.encrypted_pdf("secret"))
    assert "PDF 已加密，需要密码（--password）" in failure(path)
    assert "所给密码不正确" in failure(path, password="wrong")
    assert extract(path, password="secret").pages[0].text == "Secret contract text"


def test_encrypted_pdf_with_empty_user_password_opens(tmp_path):
    path = tmp_path / "owner-only.pdf"
    path.write_bytes(fx.encrypted_pdf(""))
    assert extract(path).pages[0].text == "Secret contract text"


def test_truncated_and_corrupt_pdf(tmp_path):
    data = fx.text_pdf(["Hello"])
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    assert "PDF 文件不完整" in failure(truncated)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n")
    assert "PDF 文件已损坏" in failure(corrupt)


# --- errors and sniffing ------------------------------------------------------------------


def test_extraction_error_is_an_input_error():
    assert issubclass(ExtractionError, InputError)


def test_missing_empty_and_unsupported_files(tmp_path):
    assert "文件不存在" in failure(tmp_path / "absent.pdf")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    assert "文件为空（0 字节）" in failure(empty)
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really")
    assert "不支持的文件类型" in failure(sheet)
    assert "不是文件" in failure(tmp_path)


def test_content_decides_the_format(tmp_path):
    fake_pdf = tmp_path / "contract.pdf"
    fake_pdf.write_text("这其实是一个文本文件", encoding="utf-8")
    assert "文件扩展名为 .pdf，但内容不是 PDF（看起来是纯文本）" in failure(fake_pdf)
    fake_docx = tmp_path / "contract.docx"
    fake_docx.write_text("not a zip", encoding="utf-8")
    assert "内容不是 DOCX" in failure(fake_docx)
    old_word = tmp_path / "old.docx"
    old_word.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100)
    assert "旧版 Word" in failure(old_word)
    misnamed = tmp_path / "really-a-pdf.docx"
    misnamed.write_bytes(fx.text_pdf(["Hello"]))
    assert extract(misnamed).format == "pdf"


def test_broken_docx_packages(tmp_path):
    no_document = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(no_document, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    assert "缺少 word/document.xml" in failure(no_document)
    bad_xml = fx.docx_with_document_xml(tmp_path / "badxml.docx", b"<w:document><unclosed>")
    assert "不是有效的 XML" in failure(bad_xml)
    cut = tmp_path / "cut.docx"
    data = fx.build_contract_docx(tmp_path / "whole.docx").read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    assert "ZIP 结构损坏" in failure(cut)


def test_docx_with_doctype_entities_is_refused(tmp_path):
    xml = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY boom "BOOM">]>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           b"<w:body><w:p><w:r><w:t>&boom;</w:t></w:r></w:p></w:body></w:document>")
    path = fx.docx_with_document_xml(tmp_path / "entity.docx", xml)
    assert "DOCTYPE" in failure(path)


def test_zip_bombs_are_refused_before_reading(tmp_path, monkeypatch):
    bomb = fx.zip_bomb_docx(tmp_path / "bomb.docx")
    assert "压缩比异常" in failure(bomb) and "ZIP 炸弹" in failure(bomb)
    monkeypatch.setattr(extract_module, "MAX_DOCX_UNCOMPRESSED", 10_000)
    big = fx.build_contract_docx(tmp_path / "big.docx")
    assert "解压后过大" in failure(big)


def test_inputs_are_not_modified(tmp_path, contract):
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(fx.acroform_pdf())
    for path in (contract[0], pdf):
        before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        extract(path)
        assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


# --- TXT ----------------------------------------------------------------------------------

TEXT = "第一条 保险责任\n维修单位：上海安居建设工程有限公司"


@pytest.mark.parametrize(("encoded", "method"), [
    (TEXT.encode("gbk"), "text:gb18030"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text:utf-8-sig"),
    (TEXT.encode("utf-8"), "text:utf-8"),
    (TEXT.replace("\n", "\r\n").encode("utf-16"), "text:utf-16"),
])
def test_text_encodings(tmp_path, encoded, method):
    path = tmp_path / "contract.txt"
    path.write_bytes(encoded)
    doc = extract(path)
    assert (doc.format, doc.method, [p.text for p in doc.pages]) == ("txt", method, [TEXT])


def test_text_form_feeds_split_pages(tmp_path):
    path = tmp_path / "pages.txt"
    path.write_bytes("第一页\r\n内容\f第二页\f".encode("utf-8"))
    assert [(p.number, p.text) for p in extract(path).pages] == [(1, "第一页\n内容"), (2, "第二页")]


def test_text_that_cannot_be_decoded(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    assert "不是文本文件" in failure(path)
    path.write_bytes(b"abc\xff\xff")
    assert "无法识别文本编码" in failure(path)
