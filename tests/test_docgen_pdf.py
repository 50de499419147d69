"""DOCX → PDF through LibreOffice: text read back, CJK faces, batch robustness, PDF/A, no LibreOffice."""
from __future__ import annotations

import pdfplumber
import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.oxml import OxmlElement
from pypdf import PdfReader

from docgen.pdf import ConversionError, LibreOfficeMissing, convert_batch, convert_to_pdf, find_soffice

pytestmark = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")

BODY = "依据《上海市住宅工程质量潜在缺陷保险实施细则》第七条（五），现将有关事项告知如下。"
HEADING = "一、保险责任范围"


def _run(paragraph, text: str, east_asia: str) -> None:
    run = paragraph.add_run(text)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    run._element.get_or_add_rPr().append(lang)


def _docx(path, title: str):
    document = Document()
    _run(document.add_paragraph(), title, "方正小标宋简体")
    _run(document.add_paragraph(), HEADING, "黑体")
    _run(document.add_paragraph(), BODY, "仿宋")
    document.save(path)
    return path


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    src = tmp_path_factory.mktemp("docx")
    good = [_docx(src / "告知书 一.docx", "保险告知书"), _docx(src / "notice-2.docx", "回访工作告知书")]
    corrupt = src / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    return good, corrupt, convert_batch([good[0], corrupt, good[1]], tmp_path_factory.mktemp("pdf"))


def test_text_reads_back(batch):
    good, _, result = batch
    pdf = pdfium.PdfDocument(result.converted[good[0].resolve()])
    text = "".join(pdf[0].get_textpage().get_text_range().split())
    assert "保险告知书" in text and HEADING in text and BODY in text


def test_body_is_set_in_a_serif_cjk_face_and_heiti_in_a_sans_face(batch):
    good, _, result = batch
    with pdfplumber.open(result.converted[good[0].resolve()]) as pdf:
        faces = {c["text"]: c["fontname"] for c in pdf.pages[0].chars}
    # 依 is only in the 仿宋 body, 范 only in the 黑体 heading. The collection's shared CFF table
    # names the face "…CJKjp…" even for the SC face that fontconfig chose.
    assert "NotoSerifCJK" in faces["依"] and "NotoSansCJK" in faces["范"]


def test_a_corrupt_file_fails_alone_and_the_batch_goes_on(batch):
    good, corrupt, result = batch
    assert set(result.converted) == {p.resolve() for p in good}
    assert "LibreOffice 未生成 PDF" in result.failed[corrupt.resolve()]
    with pytest.raises(ConversionError, match="corrupt.docx"):
        convert_to_pdf([corrupt], corrupt.parent / "out")


def test_pdfa_declares_part_2b(tmp_path):
    (pdf,) = convert_to_pdf([_docx(tmp_path / "archive.docx", "归档")], tmp_path, pdfa=True)
    metadata = PdfReader(pdf).xmp_metadata
    assert metadata.pdfaid_part == "2" and metadata.pdfaid_conformance == "B"


def test_missing_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("IDI_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(LibreOfficeMissing, match="libreoffice-writer-nogui"):
        convert_to_pdf([tmp_path / "x.docx"], tmp_path)
