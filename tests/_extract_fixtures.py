"""Builders of small test files for the extract/normalise/segment tests (all written into tmp dirs)."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                           NumberObject, TextStringObject)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (f'xmlns:w="{W_NS}" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')

ARTICLE_NUM, ITEM_NUM, RESTARTED_ITEM_NUM = "90", "91", "92"
HEADER_TEXT = "住宅工程质量潜在缺陷保险合同（示范文本）"
TEXT_BOX_TEXT = "图示：保险责任范围示意"


def _level(ilvl: int, fmt: str, text: str, legal: bool = False) -> str:
    """A list level; `legal` sets w:isLgl (all numbers decimal: 1.1 under 第一条)."""
    lgl = "<w:isLgl/>" if legal else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{lgl}'
            f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/></w:lvl>')


def add_numbering(document) -> None:
    """第%1条 (chineseCounting) > %1.%2 (decimal) > %3 (①); and %1、 (chineseCounting) twice."""
    numbering = document.part.numbering_part.element
    abstracts = [
        f'<w:abstractNum {NSDECL} w:abstractNumId="{ARTICLE_NUM}">'
        + _level(0, "chineseCounting", "第%1条") + _level(1, "decimal", "%1.%2", legal=True)
        + _level(2, "decimalEnclosedCircleChinese", "%3") + "</w:abstractNum>",
        f'<w:abstractNum {NSDECL} w:abstractNumId="{ITEM_NUM}">'
        + _level(0, "chineseCounting", "%1、") + "</w:abstractNum>",
    ]
    first_num = numbering.find(f"{{{W_NS}}}num")
    for xml in abstracts:
        first_num.addprevious(parse_xml(xml))
    nums = [
        f'<w:num {NSDECL} w:numId="{ARTICLE_NUM}"><w:abstractNumId w:val="{ARTICLE_NUM}"/></w:num>',
        f'<w:num {NSDECL} w:numId="{ITEM_NUM}"><w:abstractNumId w:val="{ITEM_NUM}"/></w:num>',
        f'<w:num {NSDECL} w:numId="{RESTARTED_ITEM_NUM}"><w:abstractNumId w:val="{ITEM_NUM}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>',
    ]
    for xml in nums:
        numbering.append(parse_xml(xml))


def _numpr(num_id: str, ilvl: int | None) -> str:
    level = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
    return f'<w:numPr {NSDECL}>{level}<w:numId w:val="{num_id}"/></w:numPr>'


def numbered(document, text: str, num_id: str, ilvl: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(_numpr(num_id, ilvl)))
    return paragraph


def add_article_style(document) -> str:
    """A paragraph style linked to the 第%1条 level, as real contract templates do."""
    style = document.styles.add_style("TiaoKuan", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(parse_xml(_numpr(ARTICLE_NUM, 0)))
    return style.name


def add_page_field_footer(section) -> None:
    footer = section.footer.paragraphs[0]._p
    for xml in ('<w:r><w:t xml:space="preserve">第 </w:t></w:r>',
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r><w:t>1</w:t></w:r>',
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
                '<w:r><w:t xml:space="preserve"> 页</w:t></w:r>'):
        footer.append(parse_xml(xml.replace("<w:r>", f"<w:r {NSDECL}>", 1)))


def text_box_run(text: str) -> str:
    """A run holding a DrawingML text box with its VML fallback copy (as Word writes them)."""
    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f'<w:r {NSDECL}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0"'
        ' locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2000000" cy="400000"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="10" name="TextBox 1"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>'
        '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>'
    )


def add_repair_table(document) -> None:
    rows = [("维修单位", "上海安居建设工程有限公司"), ("联系电话", "021-6123 4567"), ("报修地址", ""),
            ("服务网点", "浦东网点"), ("", "徐汇网点")]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (key, value) in zip(table.rows, rows):
        row.cells[0].text, row.cells[1].text = key, value
    table.cell(3, 0).merge(table.cell(4, 0))  # 服务网点 spans two rows
    wide = document.add_table(rows=1, cols=4)
    wide.style = "Table Grid"
    for cell, text in zip(wide.rows[0].cells, ("项目名称", "浦江华庭", "保单号", "")):
        cell.text = text


def build_contract_docx(path: Path, text_box: bool = True) -> Path:
    """A four-page contract: header, PAGE footer, numbered articles, a table, a text box."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER_TEXT
    add_page_field_footer(section)
    add_numbering(document)
    article_style = add_article_style(document)

    document.add_paragraph("住宅工程质量潜在缺陷保险合同")
    document.add_paragraph("投保人：上海浦江置业有限公司")
    numbered(document, "保险责任", ARTICLE_NUM, 0)
    numbered(document, "在保险期间内，因地基基础工程和主体结构工程存在质量缺陷造成的损坏，保险人负责赔偿。",
             ARTICLE_NUM, 1)
    numbered(document, "保险期间为十年。", ARTICLE_NUM, 1)
    numbered(document, "防水工程为五年。", ARTICLE_NUM, 2)
    document.add_page_break()
    document.add_paragraph("责任免除", style=article_style)
    document.add_paragraph("（一）战争、敌对行动；")
    document.add_paragraph("（二）地震、海啸；")
    numbered(document, "投保人故意造成的损失，保险人不负责赔偿。", ARTICLE_NUM, 1)
    document.add_page_break()
    numbered(document, "维修服务", ARTICLE_NUM, 0)
    add_repair_table(document)
    paragraph = document.add_paragraph("详见附图。")
    if text_box:
        paragraph._p.append(parse_xml(text_box_run(TEXT_BOX_TEXT)))
    document.add_page_break()
    numbered(document, "争议处理", ITEM_NUM, 0)
    numbered(document, "附则", RESTARTED_ITEM_NUM, 0)
    document.add_paragraph("（1）本合同一式两份。")
    document.save(path)
    return path


LONG_SENTENCES = (
    "保险人应当在接到业主报修后二十四小时内派员到达现场查勘，并在查勘后三日内出具维修方案，维修方案应当载明维修范围、"
    "维修方法、维修期限和质量标准，经业主确认后组织实施；",
    "维修完成后，保险人应当组织业主、物业服务企业和维修单位共同验收，验收合格的，由各方签字确认；验收不合格的，"
    "保险人应当督促维修单位限期返工，返工费用由保险人承担。",
    "因维修造成业主室内装修、家具或者其他财产损失的，保险人应当按照本合同约定予以赔偿，赔偿金额以实际损失为限。",
)


def build_long_docx(path: Path, articles: int = 14) -> Path:
    """Several pages of long paragraphs (they wrap, and some cross pages), header and PAGE footer."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER_TEXT
    add_page_field_footer(section)
    for number in range(1, articles + 1):
        document.add_paragraph(f"第{number}条 维修服务要求")
        for k in range(3):
            document.add_paragraph(LONG_SENTENCES[(number + k) % 3] + LONG_SENTENCES[k] + "本条自保险期间开始之日起适用。")
    document.save(path)
    return path


# --- other DOCX and PDF files ----------------------------------------------------------------


def docx_with_document_xml(path: Path, document_xml: bytes) -> Path:
    """A minimal DOCX whose word/document.xml is exactly `document_xml`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                         'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document_xml)
    return path


def body_xml(inner: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document {NSDECL}><w:body>{inner}</w:body>'
            "</w:document>").encode()


def zip_bomb_docx(path: Path, size: int = 30 * 1024 * 1024) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * size)
    return path


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII text in Helvetica (a real text layer, no fonts embedded)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    body = "".join(f"BT /F1 12 Tf 72 {760 - 20 * i} Td ({line}) Tj ET\n" for i, line in enumerate(lines))
    stream = DecodedStreamObject()
    stream.set_data(body.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    return _pdf_bytes(writer)


def _pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf(user_password: str, owner_password: str = "owner") -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Secret contract text"])))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    return _pdf_bytes(writer)


def _field(name: str, value, label: str | None = None, field_type: str = "/Tx", page=None) -> DictionaryObject:
    """A terminal form field merged with its widget annotation."""
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject(field_type), NameObject("/T"): TextStringObject(name),
        NameObject("/Rect"): ArrayObject([FloatObject(x) for x in (72, 600, 300, 620)]),
        NameObject("/F"): NumberObject(4),
    })
    if value is not None:
        field[NameObject("/V")] = value
    if label:
        field[NameObject("/TU")] = TextStringObject(label)
    if page is not None:
        field[NameObject("/P")] = page
    return field


def acroform_pdf() -> bytes:
    """Two pages of text; fields: 联系电话 (page 2 via /Annots), 维修单位 (page 1 via /P),
    a hierarchical insured.name (page 1), a checked box, an empty field, one on no page."""
    writer = PdfWriter()
    writer.append(io.BytesIO(text_pdf(["Page one"])))
    writer.append(io.BytesIO(text_pdf(["Page two"])))
    page1, page2 = writer.pages[0], writer.pages[1]
    ref1 = page1.indirect_reference
    phone = writer._add_object(_field("phone", TextStringObject("021-6123 4567"), "联系电话"))
    repair = writer._add_object(_field("repair", TextStringObject("上海安居建设工程有限公司"),
                                            "维修单位", page=ref1))
    box = writer._add_object(_field("agree", NameObject("/Yes"), "同意", "/Btn", page=ref1))
    empty = writer._add_object(_field("blank", None, "备注", page=ref1))
    orphan = writer._add_object(_field("policy", TextStringObject("PJ2025-001"), "保单号"))
    kid = writer._add_object(_field("name", TextStringObject("上海浦江置业有限公司"), page=ref1))
    parent = writer._add_object(DictionaryObject({NameObject("/T"): TextStringObject("insured"),
                                                  NameObject("/Kids"): ArrayObject([kid])}))
    kid.get_object()[NameObject("/Parent")] = parent
    page1[NameObject("/Annots")] = ArrayObject([repair, box, empty, kid])
    page2[NameObject("/Annots")] = ArrayObject([phone])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([phone, repair, box, empty, orphan, parent])})
    return _pdf_bytes(writer)


# --- LibreOffice ---------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or ("/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None)


_CONVERTED: dict[str, tuple[Path | None, str | None]] = {}


def converted_pdfs(base: Path) -> tuple[Path | None, str | None]:
    """The fixture DOCX files converted to PDF by one LibreOffice run per test session.

    Returns the directory holding contract.docx/.pdf and long.docx/.pdf, or None and the reason.
    """
    if "dir" not in _CONVERTED:
        base.mkdir(parents=True, exist_ok=True)
        sources = [build_contract_docx(base / "contract.docx", text_box=False), build_long_docx(base / "long.docx")]
        reason = convert_to_pdf(sources, base, base / "profile")
        _CONVERTED["dir"] = (None if reason else base, reason)
    return _CONVERTED["dir"]


def convert_to_pdf(sources: list[Path], outdir: Path, profile: Path) -> str | None:
    """Convert DOCX files with one LibreOffice run; return None on success, else the reason."""
    binary = soffice()
    if binary is None:
        return "LibreOffice (soffice) is not installed: PDF conversion tests skipped"
    command = [binary, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
               "--outdir", str(outdir), *map(str, sources)]
    try:
        subprocess.run(command, capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"LibreOffice conversion failed: {exc}"
    missing = [s.name for s in sources if not (outdir / (s.stem + ".pdf")).exists()]
    return f"LibreOffice did not convert {missing}" if missing else None
