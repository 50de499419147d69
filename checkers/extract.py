"""Stage 1: read a PDF, DOCX, TXT or scanned image file into pages of text.

`extract(path, password=None, *, ocr="auto", ocr_pages=None) -> RawDocument`. The file's content
decides how it is read (a PDF named .docx is read as a PDF); the extension only has to be one we
support. Every failure raises `ExtractionError` with a Chinese message naming the file. Input files
are only ever opened for reading.

- PDF: the text layer with pypdfium2, page by page. Pages without a usable text layer (no text, or
  garbage from fonts without a Unicode map; `ocr="always"`: every page; `"never"`: none) are
  recognised by OCR (`checkers.ocr`), or taken from `ocr_pages` when the caller recognised them
  already; the method then ends in `+rapidocr` and those pages carry their OCR lines. Filled
  AcroForm fields are read with pypdf (their values are not part of the page text) into
  `RawDocument.fields` and appended as `名称：值` lines to the page that shows them. A PDF without
  any text layer keeps `:no-text-layer` in its method (see `needs_ocr`).
- Images (PNG, JPEG, TIFF, multi-page TIFF): a scan; every page is recognised by OCR (format
  "image", method "rapidocr"), unless `ocr="never"`.
- DOCX: the XML is read directly (lxml, entities and DTDs refused, zip bombs refused) — see
  `_DocxReader` for paragraphs, tables, text boxes, numbering labels, headers and footers.
- TXT: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030; form feeds split pages.
"""
from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import replace
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from lxml import etree

from checkers.model import ExtractionError, Page, RawDocument

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", *IMAGE_SUFFIXES)
OCR_MODES = ("auto", "always", "never")
MAX_FILE_BYTES = 200 * 1024 * 1024
# DOCX (zip) limits, checked against the zip directory before anything is decompressed.
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # smaller members may compress well without being bombs
MAX_DOCX_MEMBERS = 10_000
PDF_MAGIC_WINDOW = 1024  # "%PDF-" may follow some junk bytes, per common practice
PDF_EOF_WINDOW = 2048  # where the final "%%EOF" marker must be

METHOD_PDF = "pypdfium2"
NO_TEXT_LAYER = ":no-text-layer"
WITH_ACROFORM = "+pypdf-acroform"
METHOD_DOCX = "docx-lxml"
METHOD_OCR = "rapidocr"  # pages recognised from their image: "+rapidocr" after a PDF's method
METHOD_IMAGE = "image"

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps \t \n \r


class Source(NamedTuple):
    kind: str  # "pdf" | "docx" | "image" | "txt": what the content is (not what the name says)
    data: bytes


def read_source(path: Path) -> Source:
    """Read `path` and decide by its content how to read it; ExtractionError (Chinese) if it cannot be."""
    path = Path(path)
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _error(path, f"不支持的文件类型“{suffix or '（无扩展名）'}”，支持 PDF、DOCX、TXT 和扫描图片（PNG、JPEG、TIFF）")
    if _is_pdf(data):
        return Source("pdf", data)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return Source("docx", data)
    if data.startswith(_OLE_MAGIC):
        raise _error(path, "是旧版 Word（.doc）文件或加密的 Office 文件，无法读取；请另存为不加密的 .docx 或 PDF")
    if suffix in IMAGE_SUFFIXES:
        if is_image(data):
            return Source("image", data)
        raise _error(path, f"文件扩展名为 {suffix}，但内容不是 PNG、JPEG 或 TIFF 图片（{_looks_like(data)}）")
    if suffix == ".pdf":
        raise _error(path, f"文件扩展名为 .pdf，但内容不是 PDF（{_looks_like(data)}）")
    if suffix == ".docx":
        raise _error(path, f"文件扩展名为 .docx，但内容不是 DOCX（ZIP）文件（{_looks_like(data)}）")
    return Source("txt", data)


def is_image(data: bytes) -> bool:
    """PNG, JPEG or TIFF by their signatures."""
    return data.startswith(_IMAGE_MAGIC)


def extract(path: Path, password: str | None = None, *, ocr: str = "auto",
            ocr_pages: Mapping[int, Page] | None = None) -> RawDocument:
    """Read `path` into pages of text; raise ExtractionError (Chinese message) on any failure.

    `ocr` (auto | always | never) says which pages of a PDF or image are recognised by OCR (see
    `checkers.ocr.pages_to_ocr`); pages already recognised elsewhere can be passed in `ocr_pages`
    (page number → Page) and are used as they are.
    """
    path = Path(path)
    if ocr not in OCR_MODES:
        raise ValueError(f"OCR 模式应为 {'、'.join(OCR_MODES)} 之一，而不是“{ocr}”")
    source = read_source(path)
    recognised = dict(ocr_pages or {})
    if source.kind == "pdf":
        return _extract_pdf(path, source.data, password, ocr, recognised)
    if source.kind == "docx":
        return _extract_docx(path, source.data)
    if source.kind == "image":
        return _extract_image(path, source.data, ocr, recognised)
    return _extract_txt(path, source.data)


def needs_ocr(doc: RawDocument) -> bool:
    """Whether a PDF had no text layer at all (probably a scan)."""
    return NO_TEXT_LAYER in doc.method


def _error(path: Path, problem: str) -> ExtractionError:
    return ExtractionError(f"{path}：{problem}")


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise _error(path, "文件不存在")
    if not path.is_file():
        raise _error(path, "不是文件（可能是目录）")
    try:
        size = path.stat().st_size
        if size == 0:
            raise _error(path, "文件为空（0 字节）")
        if size > MAX_FILE_BYTES:
            raise _error(path, f"文件过大（{size // 2**20} MB，上限 {MAX_FILE_BYTES // 2**20} MB）")
        with path.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise _error(path, f"无法读取文件（{exc.strerror or exc}）") from None


def _is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:PDF_MAGIC_WINDOW]


def _looks_like(data: bytes) -> str:
    head = data[:512]
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "看起来是网页 HTML"
    if head.startswith(b"{\\rtf"):
        return "看起来是 RTF 文档"
    if b"\x00" not in head and _is_text(data[:4096]):
        return "看起来是纯文本"
    return "文件开头没有 PDF/ZIP 标记"


# --- PDF ------------------------------------------------------------------------------------


def _extract_pdf(path: Path, data: bytes, password: str | None, ocr: str = "never",
                 recognised: dict[int, Page] | None = None) -> RawDocument:
    pdf, used_password = _open_pdf_checked(path, data, password)
    try:
        try:
            texts = [_pdf_page_text(pdf, index) for index in range(len(pdf))]
            has_form = pdf.get_formtype() != 0  # FORMTYPE_NONE
            targets = _ocr_targets(pdf, texts, ocr)
        except Exception as exc:  # pdfium raises plain errors on damaged page trees
            raise _error(path, f"PDF 文件已损坏，无法读取页面内容（{exc}）") from None
        if not texts:
            raise _error(path, "PDF 没有任何页面")
        pages = _recognise_pages(path, pdf, texts, targets, recognised or {})
    finally:
        pdf.close()
    method = METHOD_PDF if any(t.strip() for t in texts) else METHOD_PDF + NO_TEXT_LAYER
    method += f"+{METHOD_OCR}" if targets else ""
    fields: dict[str, str] = {}
    if has_form:
        placed = _acroform_fields(path, data, used_password, len(pages))
        for item in placed:
            fields[item.name] = item.value
            page = pages[item.page]
            pages[item.page] = replace(page, text=_append_line(page.text, f"{item.label}：{item.value}"))
        method += WITH_ACROFORM if placed else ""
    return RawDocument(path, "pdf", pages, fields, method)


def _ocr_targets(pdf, texts: list[str], mode: str) -> list[int]:
    """0-based indexes of the pages to recognise in `mode` (see checkers.ocr.pages_to_ocr)."""
    from checkers.ocr import page_needs_ocr

    if mode == "never":
        return []
    return [i for i, text in enumerate(texts) if mode == "always" or page_needs_ocr(pdf, i, text)]


def _recognise_pages(path: Path, pdf, texts: list[str], targets: list[int],
                     recognised: dict[int, Page]) -> list[Page]:
    pages = [Page(number, text) for number, text in enumerate(texts, start=1)]
    for index in targets:
        given = recognised.get(index + 1)
        if given is None:
            from checkers.ocr import recognise_pdf_page

            given = recognise_pdf_page(path, pdf, index)
        pages[index] = _as_page(path, given, index + 1)
    return pages


def _as_page(path: Path, page: Page, number: int) -> Page:
    if not isinstance(page, Page) or page.number != number:
        raise ValueError(f"{path}：ocr_pages 中第 {number} 页的内容不是该页的 Page")
    return page


def pdf_page_texts(path: Path, data: bytes, password: str | None) -> list[str]:
    """The text layer of each page (what `extract` reads before any OCR)."""
    pdf, _ = _open_pdf_checked(path, data, password)
    try:
        return [_pdf_page_text(pdf, index) for index in range(len(pdf))]
    except Exception as exc:  # pdfium raises plain errors on damaged page trees
        raise _error(path, f"PDF 文件已损坏，无法读取页面内容（{exc}）") from None
    finally:
        pdf.close()


def open_pdf_data(path: Path, data: bytes, password: str | None):
    """A pypdfium2 document for the PDF `data` of `path` (checked as `extract` checks it)."""
    return _open_pdf_checked(path, data, password)[0]


def _open_pdf_checked(path: Path, data: bytes, password: str | None):
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise _error(path, "PDF 文件不完整（缺少文件结尾标记 %%EOF，可能下载或复制时被截断）")
    return _open_pdf(path, data, password)


# --- images (scans) -------------------------------------------------------------------------


def _extract_image(path: Path, data: bytes, ocr: str, recognised: dict[int, Page]) -> RawDocument:
    """A scanned page or a multi-page TIFF: every page is recognised unless OCR is off."""
    from checkers.ocr import image_page_count, load_image_page, recognise

    count = image_page_count(path, data)
    if ocr == "never":
        return RawDocument(path, "image", [Page(n, "") for n in range(1, count + 1)], {},
                           METHOD_IMAGE + NO_TEXT_LAYER)
    pages = []
    for number in range(1, count + 1):
        page = recognised.get(number) or recognise(number, load_image_page(path, data, number))
        pages.append(_as_page(path, page, number))
    return RawDocument(path, "image", pages, {}, METHOD_OCR)


def _open_pdf(path: Path, data: bytes, password: str | None):
    """Open with the empty password, then with `password`; return the document and the password used."""
    import pypdfium2 as pdfium  # PDF libraries are imported when needed: they take 40-90 ms each

    attempts = [None] + ([password] if password else [])
    for attempt in attempts:
        try:
            return pdfium.PdfDocument(data, password=attempt), attempt
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code == 4:  # FPDF_ERR_PASSWORD: try the next password
                continue
            if code == 6:  # FPDF_ERR_SECURITY
                raise _error(path, "PDF 使用了不支持的加密或权限方式，无法读取") from None
            raise _error(path, "PDF 文件已损坏或格式错误，无法读取") from None
    if password:
        raise _error(path, "PDF 已加密，所给密码不正确（--password）")
    raise _error(path, "PDF 已加密，需要密码（--password）")


def _pdf_page_text(pdf, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    return _clean_lines(text)


def _clean_lines(text: str) -> str:
    """Unify line ends to "\\n" and drop C0 control characters other than tab and newline."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _append_line(text: str, line: str) -> str:
    return f"{text}\n{line}" if text and not text.endswith("\n") else text + line


class _Field(NamedTuple):
    name: str  # full name: the /T of each ancestor joined with "."
    label: str  # /TU if present, else the field's own /T
    value: str
    page: int  # 0-based index of the page showing the field


def _acroform_fields(path: Path, data: bytes, password: str | None, page_count: int) -> list[_Field]:
    """Filled AcroForm fields, each placed on the page whose widget shows it (else the last page)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(password or ""):
            raise _error(path, "PDF 表单字段无法解密读取")
        form = reader.trailer["/Root"].get_object().get("/AcroForm")
        if form is None:
            return []
        locator = _WidgetLocator(reader, page_count)
        roots = form.get_object().get("/Fields") or []
        return [f for f in _walk_fields(roots, "", None, locator) if f.value]
    except ExtractionError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _error(path, f"PDF 表单字段无法读取（{exc}）") from None


class _WidgetLocator:
    """Finds the page of a widget annotation: its /P entry, or the page whose /Annots holds it."""

    def __init__(self, reader, page_count: int) -> None:
        self.last = page_count - 1
        self.by_page_id: dict[int, int] = {}
        self.by_annot_id: dict[int, int] = {}
        for index, page in enumerate(reader.pages):
            if page.indirect_reference is not None:
                self.by_page_id[page.indirect_reference.idnum] = index
            for annot in page.get("/Annots") or []:
                if hasattr(annot, "idnum"):
                    self.by_annot_id[annot.idnum] = index

    def page_of(self, widgets: list) -> int:
        for ref in widgets:
            owner = ref.get_object().get("/P")
            if hasattr(owner, "idnum") and owner.idnum in self.by_page_id:
                return self.by_page_id[owner.idnum]
            if hasattr(ref, "idnum") and ref.idnum in self.by_annot_id:
                return self.by_annot_id[ref.idnum]
        return self.last


MAX_FIELD_DEPTH = 32  # AcroForm field trees nest a few levels; deeper means a broken or looping tree


def _walk_fields(items, prefix: str, inherited, locator: _WidgetLocator, depth: int = 0) -> Iterator[_Field]:
    if depth > MAX_FIELD_DEPTH:
        raise ValueError("表单字段层级过深或循环引用")
    for ref in items:
        node = ref.get_object()
        partial = str(node.get("/T", ""))
        name = ".".join(part for part in (prefix, partial) if part)
        value = node.get("/V", inherited)
        kids = list(node.get("/Kids") or [])
        if any("/T" in kid.get_object() for kid in kids):
            yield from _walk_fields(kids, name, value, locator, depth + 1)
            continue
        label = str(node.get("/TU") or partial or name)
        yield _Field(name, label, _field_value(value), locator.page_of([ref, *kids]))


def _field_value(value) -> str:
    from pypdf.generic import NameObject

    if value is None:
        return ""
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, list):
        return "、".join(filter(None, (_field_value(item) for item in value)))
    if isinstance(value, NameObject):  # a checked box or a chosen radio option
        return "" if value == "/Off" else str(value)[1:]
    return _clean_lines(str(value)).strip()


def extract_tables(path: Path, password: str | None = None) -> list[tuple[int, list[list[str]]]]:
    """Ruled tables of a PDF with pdfplumber: (page number, rows of cell texts) per table.

    Cells covered by a merged cell (pdfplumber's None) are left out of their row, so a row holds
    the cells a reader sees in it. Not part of `extract`: pdfplumber is much slower than pypdfium2.
    """
    import pdfplumber

    path = Path(path)
    if not _is_pdf(_read_bytes(path)):
        raise _error(path, "不是 PDF 文件，无法提取表格")
    try:
        with pdfplumber.open(path, password=password or "") as pdf:
            return [(page.page_number, [[_clean_lines(cell) for cell in row if cell is not None] for row in table])
                    for page in pdf.pages for table in page.extract_tables()]
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise _error(path, f"PDF 表格无法读取（{type(exc).__name__}）") from None


# --- TXT ------------------------------------------------------------------------------------


def _extract_txt(path: Path, data: bytes) -> RawDocument:
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _error(path, "不是文本文件（含有二进制内容）")
    decoded = _decode_text(data)
    if decoded is None:
        raise _error(path, "无法识别文本编码（既不是 UTF-8，也不是 GB18030/GBK），请另存为 UTF-8")
    text, encoding = decoded
    chunks = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()  # a final form feed ends the last page, it does not start a new one
    pages = [Page(number, chunk) for number, chunk in enumerate(chunks, start=1)]
    return RawDocument(path, "txt", pages, {}, f"text:{encoding}")


def _decode_text(data: bytes) -> tuple[str, str] | None:
    """Text and encoding name: by BOM, else UTF-8, else GB18030; None if none of them fits."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for codec in candidates:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _is_text(sample: bytes) -> bool:
    """Whether the start of a file decodes as UTF-8 or GB18030 (a cut last character is fine)."""
    for codec in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(codec)().decode(sample, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


# --- DOCX -----------------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _w(name: str) -> str:
    return f"{{{_W_NS}}}{name}"


W_P, W_R, W_T, W_TBL, W_TR, W_TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
W_PPR, W_RPR, W_TCPR, W_VAL = _w("pPr"), _w("rPr"), _w("tcPr"), _w("val")
W_SDT, W_SDT_CONTENT, W_TXBX = _w("sdt"), _w("sdtContent"), _w("txbxContent")
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = (f"{{{_MC_NS}}}{n}" for n in ("AlternateContent", "Choice", "Fallback"))
M_T = f"{{{_M_NS}}}t"
M_MATH = {f"{{{_M_NS}}}oMath", f"{{{_M_NS}}}oMathPara"}
R_ID = f"{{{_R_NS}}}id"
# Containers whose children are inline content of the same paragraph.
_INLINE_CONTAINERS = {_w(n) for n in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple",
                                      "dir", "bdo")}
_BLOCK_CONTAINERS = {_w("customXml"), _w("ins"), _w("moveTo")}
_RUN_TEXT = {W_T: None, _w("tab"): "\t", _w("ptab"): "\t", _w("cr"): "\n", _w("noBreakHyphen"): "-"}
_PAGE_BREAK = "\x0c"  # marks an explicit page break inside collected paragraph text
_FALSE = {"0", "false", "off"}
# Checkbox glyphs of symbol fonts (w:sym), as Chinese forms use them.
_SYMBOLS = {"F0A8": "□", "F06F": "□", "F0FE": "☑", "F0FD": "☒", "F078": "☒", "F0FC": "✓", "F0A1": "○",
            "F09E": "·", "F0B7": "•"}
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                              remove_comments=True, remove_pis=True)


def _extract_docx(path: Path, data: bytes) -> RawDocument:
    package = _DocxPackage(path, data)
    reader = _DocxReader(package)
    pages = [Page(number, "\n".join(lines)) for number, lines in enumerate(reader.pages(), start=1)]
    return RawDocument(path, "docx", pages, {}, METHOD_DOCX)


class _DocxPackage:
    """The zip container: size checks up front, safe XML parsing of the parts we read."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise _error(path, "不是有效的 DOCX 文件（ZIP 结构损坏或不完整）") from None
        self._check_sizes()
        self._relations: dict[str, dict[str, str]] = {}
        self.main = self._main_part_name()

    def _check_sizes(self) -> None:
        members = self.zip.infolist()
        if len(members) > MAX_DOCX_MEMBERS:
            raise _error(self.path, f"DOCX 内含文件过多（{len(members)} 个），疑似 ZIP 炸弹，拒绝读取")
        total = sum(info.file_size for info in members)
        if total > MAX_DOCX_UNCOMPRESSED:
            raise _error(self.path, f"DOCX 解压后过大（{total // 2**20} MB，上限 "
                                    f"{MAX_DOCX_UNCOMPRESSED // 2**20} MB），疑似 ZIP 炸弹，拒绝读取")
        for info in members:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise _error(self.path, f"DOCX 内部文件 {info.filename} 压缩比异常（{ratio:.0f} 倍，上限 "
                                        f"{MAX_COMPRESSION_RATIO} 倍），疑似 ZIP 炸弹，拒绝读取")

    def _main_part_name(self) -> str:
        names = set(self.zip.namelist())
        rels = self.xml("_rels/.rels") if "_rels/.rels" in names else None
        for rel in rels if rels is not None else ():
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
        if "word/document.xml" in names:
            return "word/document.xml"
        raise _error(self.path, "不是 Word 文档（ZIP 中缺少 word/document.xml）")

    def has(self, name: str) -> bool:
        return name in self.zip.NameToInfo

    def xml(self, name: str) -> etree._Element:
        try:
            data = self.zip.read(name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError,
                EOFError) as exc:
            raise _error(self.path, f"DOCX 内部文件 {name} 无法解压（{exc}）") from None
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _error(self.path, f"DOCX 内部文件 {name} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取")
        try:
            root = etree.fromstring(data, _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise _error(self.path, f"DOCX 内部文件 {name} 不是有效的 XML（{exc}）") from None
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None:
            raise _error(self.path, f"DOCX 内部文件 {name} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取")
        return root

    def related(self, part: str) -> dict[str, str]:
        """Relationship id → target part name for `part` (internal targets only)."""
        if part not in self._relations:
            self._relations[part] = self._read_relations(part)
        return self._relations[part]

    def _read_relations(self, part: str) -> dict[str, str]:
        folder = PurePosixPath(part).parent
        rels_name = str(folder / "_rels" / (PurePosixPath(part).name + ".rels"))
        if not self.has(rels_name):
            return {}
        targets = {}
        for rel in self.xml(rels_name).iter(f"{{{_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else _join_part(folder, target)
            targets[rel.get("Id", "")] = resolved
        return targets


def _join_part(folder: PurePosixPath, target: str) -> str:
    parts: list[str] = []
    for piece in (folder / target).parts:
        if piece == "..":
            parts = parts[:-1]
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


class _Sink:
    """Collects lines into pages; explicit page breaks start a new page once the page has content."""

    def __init__(self, pages: bool = True) -> None:
        self.pages: list[list[str]] = [[]]
        self.keep_pages = pages
        self.touched = False

    @property
    def lines(self) -> list[str]:
        return [line for page in self.pages for line in page]

    def line(self, text: str) -> None:
        self.pages[-1].extend(part for part in text.split("\n") if part.strip())
        self.touched = True

    def touch(self) -> None:
        self.touched = True

    def page_break(self) -> None:
        if self.keep_pages and self.touched:
            self.pages.append([])
            self.touched = False


class _DocxReader:
    """Reading order of a Word document, as lines of text per explicit page.

    - Paragraphs: text of runs (hyperlinks, fields' shown results, content controls, insertions);
      deleted text, field codes and hidden (vanish) runs are left out; soft line breaks are "\\n";
      the automatic numbering label (`_Numbering`) is put in front, followed by a space.
    - Text boxes (w:txbxContent) follow their paragraph as lines of their own; of
      mc:AlternateContent only the Choice is read, so the VML fallback copy is not read twice.
    - Tables: one line per row (`_row_lines`); vertically merged continuation cells are skipped.
    - Pages: only explicit breaks split pages — w:br type="page", pageBreakBefore, and
      next/odd/even-page section breaks; w:lastRenderedPageBreak is ignored.
    - Headers and footers (every section's, duplicates removed) are separate lines at the start
      of the first page and the end of the last page; a PAGE field shows its stored result.
    """

    def __init__(self, package: _DocxPackage) -> None:
        self.package = package
        self.document = package.xml(package.main)
        if self.document.tag.startswith(f"{{{_W_STRICT_NS}}}"):
            raise _error(package.path, "DOCX 使用了 Strict Open XML 格式，暂不支持；请在 Word 中另存为普通 .docx")
        if self.document.tag != _w("document"):
            raise _error(package.path, "DOCX 主文档不是 Word 文档（根元素不是 w:document）")
        self.numbering = _Numbering.load(package, package.main)

    def pages(self) -> list[list[str]]:
        body = self.document.find(_w("body"))
        sink = _Sink()
        if body is not None:
            self.blocks(body, sink)
        headers, footers = self._header_footer_lines(body)
        sink.pages[0][:0] = headers
        sink.pages[-1].extend(footers)
        return sink.pages

    def _header_footer_lines(self, body) -> tuple[list[str], list[str]]:
        targets = self.package.related(self.package.main)
        found: dict[str, list[str]] = {"headerReference": [], "footerReference": []}
        sections = list(body.iter(_w("sectPr"))) if body is not None else []
        for kind, lines in found.items():
            for reference in (ref for section in sections for ref in section.iter(_w(kind))):
                part = targets.get(reference.get(R_ID, ""))
                if part and self.package.has(part):
                    sink = _Sink(pages=False)
                    self.blocks(self.package.xml(part), sink)
                    lines.extend(line for line in sink.lines if line not in lines)
        return found["headerReference"], found["footerReference"]

    def blocks(self, container, sink: _Sink) -> None:
        for child in container:
            tag = child.tag
            if tag == W_P:
                self.paragraph(child, sink)
            elif tag == W_TBL:
                self.table(child, sink)
            elif tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    self.blocks(content, sink)
            elif tag == MC_ALTERNATE:
                self._choice(child, lambda choice: self.blocks(choice, sink))
            elif tag in _BLOCK_CONTAINERS:
                self.blocks(child, sink)

    @staticmethod
    def _choice(alternate, read) -> None:
        choice = alternate.find(MC_CHOICE)
        if choice is not None:
            read(choice)

    # paragraphs

    def paragraph(self, p, sink: _Sink) -> None:
        ppr = p.find(W_PPR)
        if _flag(ppr, "pageBreakBefore"):
            sink.page_break()
        parts: list[str] = [self.numbering.label(ppr)]
        boxes: list = []
        self.inline(p, parts, boxes)
        chunks = "".join(parts).split(_PAGE_BREAK)
        sink.line(chunks[0])
        for chunk in chunks[1:]:
            sink.page_break()
            sink.line(chunk)
        for box in boxes:
            self.blocks(box, sink)
        sink.touch()
        if ppr is not None and _section_breaks_page(ppr.find(_w("sectPr"))):
            sink.page_break()

    def inline(self, container, parts: list[str], boxes: list) -> None:
        for child in container:
            tag = child.tag
            if tag == W_R:
                if not _flag(child.find(W_RPR), "vanish"):
                    self.run(child, parts, boxes)
            elif tag in _INLINE_CONTAINERS:
                self.inline(child, parts, boxes)
            elif tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    self.inline(content, parts, boxes)
            elif tag == MC_ALTERNATE:
                self._choice(child, lambda choice: self.inline(choice, parts, boxes))
            elif tag in M_MATH:
                parts.append("".join(t.text or "" for t in child.iter(M_T)))

    def run(self, run, parts: list[str], boxes: list) -> None:
        for child in run:
            tag = child.tag
            if tag in _RUN_TEXT:
                parts.append((child.text or "") if tag == W_T else _RUN_TEXT[tag])
            elif tag == _w("br"):
                parts.append(_PAGE_BREAK if child.get(_w("type")) == "page" else "\n")
            elif tag == _w("sym"):
                parts.append(_SYMBOLS.get((child.get(_w("char")) or "").upper(), ""))
            elif tag == MC_ALTERNATE:
                self._choice(child, lambda choice: self.run(choice, parts, boxes))
            elif tag in (_w("drawing"), _w("pict"), _w("object")):
                boxes.extend(_text_boxes(child))

    # tables

    def table(self, tbl, sink: _Sink) -> None:
        for row in _children(tbl, W_TR):
            cells = [self._cell_lines(cell) for cell in _children(row, W_TC) if not _merged_continuation(cell)]
            for line in _row_lines(cells):
                sink.line(line)
        sink.touch()

    def _cell_lines(self, cell) -> list[str]:
        sink = _Sink(pages=False)
        self.blocks(cell, sink)
        return [line.strip() for line in sink.lines]


def _flag(props, name: str) -> bool:
    """Whether an on/off property (w:vanish, w:pageBreakBefore …) is on in a pPr/rPr element."""
    if props is None:
        return False
    element = props.find(_w(name))
    return element is not None and (element.get(W_VAL) or "true").lower() not in _FALSE


def _section_breaks_page(sect_pr) -> bool:
    if sect_pr is None:
        return False
    kind = sect_pr.find(_w("type"))
    return kind is None or kind.get(W_VAL, "nextPage") in ("nextPage", "oddPage", "evenPage")


def _text_boxes(node) -> Iterator:
    """w:txbxContent elements under a drawing, in order, skipping mc:Fallback copies and nesting."""
    for child in node:
        if child.tag == W_TXBX:
            yield child
        elif child.tag != MC_FALLBACK and len(child):
            yield from _text_boxes(child)


def _children(parent, tag: str) -> Iterator:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _w("customXml"):
            yield from _children(child, tag)


def _merged_continuation(cell) -> bool:
    props = cell.find(W_TCPR)
    if props is None:
        return False
    vmerge, hmerge = props.find(_w("vMerge")), props.find(_w("hMerge"))
    return ((vmerge is not None and vmerge.get(W_VAL, "continue") == "continue")
            or (hmerge is not None and hmerge.get(W_VAL, "continue") == "continue"))


# --- table rows -----------------------------------------------------------------------------

_KEY_MAX = 12
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_NOT_IN_KEY = re.compile(r"[\d，。；！？,;!?]")
CELL_SEPARATOR = " | "


def _row_lines(cells: list[list[str]]) -> list[str]:
    """One table row as text lines.

    - `键：值` for a row of two cells (a trailing colon of the key is not doubled);
      `键：` when only the key cell is filled, so an empty value is visible.
    - More cells: `键：值1 | 值2 | …` (empty cells left out), except for forms that alternate key
      and value cells (维修单位 | X公司 | 联系电话 | 021…), which give one `键：值` line per pair.
    - A row with a single filled cell (a title row, or a full-width merged cell) keeps that cell's
      lines as they are; a cell's paragraphs are otherwise joined with spaces, except the last
      filled cell, whose further paragraphs follow on lines of their own (they may be numbered).
    """
    flat = [" ".join(cell).strip() for cell in cells]
    filled = [i for i, text in enumerate(flat) if text]
    if not filled:
        return []
    if len(filled) == 1:
        only = filled[0]
        return [_pair(flat[0], "")] if only == 0 and len(cells) > 1 else list(cells[only])
    if _alternates_keys(flat):
        return [_pair(flat[i], flat[i + 1]) for i in range(0, len(flat), 2) if flat[i] or flat[i + 1]]
    values = [i for i in filled if i > 0]
    first, *more = cells[values[-1]]
    value = CELL_SEPARATOR.join([*(flat[i] for i in values[:-1]), first])
    return [_pair(flat[0], value), *more]


def _pair(key: str, value: str) -> str:
    key = key.rstrip(" :：")
    return f"{key}：{value}" if key else value


def _looks_like_key(text: str) -> bool:
    text = text.rstrip(" :：")
    return 0 < len(text) <= _KEY_MAX and bool(_CJK_CHAR.search(text)) and not _NOT_IN_KEY.search(text)


def _alternates_keys(flat: list[str]) -> bool:
    if len(flat) < 4 or len(flat) % 2:
        return False
    keys, values = flat[0::2], flat[1::2]
    return all(map(_looks_like_key, keys)) and not all(map(_looks_like_key, values))


# --- automatic numbering --------------------------------------------------------------------


class _Level(NamedTuple):
    start: int
    fmt: str
    text: str
    restart: int | None  # w:lvlRestart: None = after any higher level, 0 = never
    legal: bool  # w:isLgl: show every level in decimal
    suffix: str  # what follows the label: " " (tab or space) or ""
    style: str | None  # w:pStyle linked to the level


def _int(element, default: int | None = None) -> int | None:
    if element is None:
        return default
    try:
        return int(element.get(W_VAL, ""))
    except ValueError:
        return default


def _val(parent, name: str) -> str | None:
    element = parent.find(_w(name)) if parent is not None else None
    return None if element is None else element.get(W_VAL)


def _level(lvl) -> _Level:
    text = lvl.find(_w("lvlText"))
    return _Level(start=_int(lvl.find(_w("start")), 1), fmt=_val(lvl, "numFmt") or "decimal",
                  text="" if text is None else text.get(W_VAL, ""),
                  restart=_int(lvl.find(_w("lvlRestart"))), legal=_flag(lvl, "isLgl"),
                  suffix="" if _val(lvl, "suff") == "nothing" else " ", style=_val(lvl, "pStyle"))


class _Numbering:
    """Renders Word's automatic list labels (第一条, 1.2, （一）…) as a reader sees them.

    A paragraph's numbering comes from its w:numPr, else from its paragraph style (through
    basedOn). Counters are kept per abstract list, shared by every w:num that uses it, except that a
    w:num with w:startOverride counts on its own from the override. Using a level restarts the
    deeper levels (subject to w:lvlRestart).
    """

    def __init__(self, numbering, styles) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum id → numStyleLink style id
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, int | None]] = {}  # id → basedOn, numId, ilvl
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None and self.nums:
            self._read_styles(styles)

    @classmethod
    def load(cls, package: _DocxPackage, main: str) -> _Numbering:
        parts = {target for target in package.related(main).values()}
        numbering = next((p for p in parts if p.endswith("numbering.xml") and package.has(p)), None)
        styles = next((p for p in parts if p.endswith("/styles.xml") and package.has(p)), None)
        root = package.xml(numbering) if numbering else None
        return cls(root, package.xml(styles) if styles and root is not None else None)

    def _read_numbering(self, root) -> None:
        for abstract in root.iter(_w("abstractNum")):
            key = abstract.get(_w("abstractNumId"), "")
            self.abstract[key] = {int(lvl.get(_w("ilvl"), "0")): _level(lvl) for lvl in abstract.iter(_w("lvl"))}
            link = _val(abstract, "numStyleLink")
            if link:
                self.links[key] = link
        for num in root.iter(_w("num")):
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for override in num.iter(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                start = _int(override.find(_w("startOverride")))
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[num.get(_w("numId"), "")] = (_val(num, "abstractNumId") or "", starts, levels)

    def _read_styles(self, root) -> None:
        for style in root.iter(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            style_id = style.get(_w("styleId"), "")
            numpr = style.find(f"{W_PPR}/{_w('numPr')}")
            num_id = _val(numpr, "numId") if numpr is not None else None
            ilvl = _int(numpr.find(_w("ilvl"))) if numpr is not None else None
            self.styles[style_id] = (_val(style, "basedOn"), num_id, ilvl)
            if (style.get(_w("default")) or "").lower() in ("1", "true", "on"):
                self.default_style = style_id

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        num_id = ilvl = None
        while style and style not in seen and style in self.styles:
            seen.add(style)
            based_on, style_num, style_ilvl = self.styles[style]
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
            style = based_on
        return num_id, ilvl

    def _levels(self, num_id: str) -> tuple[str, dict[int, _Level]]:
        """The abstract list of a w:num (following numStyleLink) and its levels with overrides."""
        abstract_id, _, overrides = self.nums[num_id]
        for _ in range(3):
            style = self.links.get(abstract_id)
            linked = self._style_numbering(style)[0] if style else None
            if not linked or linked not in self.nums:
                break
            abstract_id = self.nums[linked][0]
        return abstract_id, {**self.abstract.get(abstract_id, {}), **overrides}

    def _numbering_of(self, ppr) -> tuple[str, int | None, str | None] | None:
        """numId, ilvl (None: the level linked to the style) and style of a paragraph, if numbered."""
        style = _val(ppr, "pStyle") or self.default_style
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id = _val(numpr, "numId") if numpr is not None else None
        ilvl = _int(numpr.find(_w("ilvl"))) if numpr is not None else None
        if num_id is None:
            num_id, style_ilvl = self._style_numbering(style)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id not in self.nums:
            return None  # includes numId 0: numbering removed
        return num_id, ilvl, style

    def label(self, ppr) -> str:
        """The list label of a paragraph followed by its separator, or ""; advances the counters."""
        numbering = self._numbering_of(ppr) if self.nums else None
        if numbering is None:
            return ""
        num_id, ilvl, style = numbering
        abstract_id, levels = self._levels(num_id)
        if ilvl is None:
            ilvl = next((i for i, lvl in levels.items() if style and lvl.style == style), 0)
        level = levels.get(ilvl)
        if level is None or level.fmt == "bullet":
            return ""
        starts = self.nums[num_id][1]
        counts = self.counters.setdefault(num_id if starts else abstract_id, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else starts.get(ilvl, level.start)
        for deeper in [k for k in counts if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                del counts[deeper]

        def number(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            shown = levels.get(index, level)
            value = counts.get(index, starts.get(index, shown.start))
            return format_number(value, "decimal" if level.legal else shown.fmt)

        text = re.sub(r"%([1-9])", number, level.text).strip()
        return text + level.suffix if text else ""


_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_TW_LEGAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_number(n: int, digits: str = _CN_DIGITS, units: tuple[str, ...] = _CN_UNITS,
                   drop_leading_one: bool = True) -> str:
    """1 → 一, 10 → 十, 17 → 十七, 21 → 二十一, 101 → 一百零一, 12000 → 一万二千."""
    if n < 0:
        return str(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        text = chinese_number(high, digits, units, drop_leading_one) + "万"
        if low:
            text += (digits[0] if low < 1000 else "") + chinese_number(low, digits, units, False)
        return text
    if n == 0:
        return digits[0]
    out, pending_zero = [], False
    text = str(n)
    for position, digit in enumerate(text):
        if digit == "0":
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        out.append(digits[int(digit)] + units[len(text) - 1 - position])
    result = "".join(out)
    if drop_leading_one and 10 <= n < 20:
        result = result[1:]
    return result


def _digit_by_digit(n: int, digits: str = "〇一二三四五六七八九") -> str:
    return "".join(digits[int(d)] for d in str(n))


def _letters(n: int, alphabet: str) -> str:
    """Word's letter lists: A … Z, AA … ZZ, AAA …"""
    return alphabet[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    out = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


def _enclosed(n: int) -> str:
    """①…⑳, ㉑…㉟, ㊱…㊿; beyond 50 the plain number."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def _cyclic(symbols: str, n: int) -> str:
    return symbols[n - 1] if 1 <= n <= len(symbols) else str(n)


def _ranged(first: int, n: int, count: int = 20) -> str:
    return chr(first + n - 1) if 1 <= n <= count else str(n)


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
    "decimalFullWidth2": lambda n: str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": _enclosed,
    "decimalEnclosedCircleChinese": _enclosed,
    "decimalEnclosedFullstop": lambda n: _ranged(0x2488, n),
    "decimalEnclosedParen": lambda n: _ranged(0x2474, n),
    "ideographEnclosedCircle": lambda n: _ranged(0x3280, n, 10),
    "chineseCounting": chinese_number,
    "chineseCountingThousand": chinese_number,
    "japaneseCounting": chinese_number,
    "taiwaneseCounting": chinese_number,
    "taiwaneseCountingThousand": chinese_number,
    "chineseLegalSimplified": lambda n: chinese_number(n, _CN_LEGAL_DIGITS, _CN_LEGAL_UNITS, False),
    "ideographLegalTraditional": lambda n: chinese_number(n, _TW_LEGAL_DIGITS, ("", "拾", "佰", "仟"), False),
    "ideographDigital": _digit_by_digit,
    "japaneseDigitalTenThousand": _digit_by_digit,
    "taiwaneseDigital": _digit_by_digit,
    "ideographTraditional": lambda n: _cyclic(_HEAVENLY_STEMS, n),
    "ideographZodiac": lambda n: _cyclic(_EARTHLY_BRANCHES, n),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """A list counter in a Word number format (w:numFmt); unknown formats fall back to decimal."""
    return _FORMATS.get(fmt, str)(n)
