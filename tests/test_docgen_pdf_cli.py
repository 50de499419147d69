"""PDF through the CLI: `-o x.pdf`, `--pdf` for packets and rows, `--pdfa`. The PDFs' text (read
back with pypdfium2) must carry the .docx text. All conversions run once, in one module fixture
(three LibreOffice runs: a packet, a batch of rows, one document)."""
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.readback import paragraphs
from idi.cli import cli

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "corpus" / "samples"

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装"),
    pytest.mark.skipif(importlib.util.find_spec("docgen.pdf") is None, reason="docgen.pdf 尚未提供"),
]


def run(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    rows = out / "owners.csv"
    rows.write_text("户号,业主姓名\n7号楼701室,周九\n7号楼702室,吴十\n", encoding="utf-8-sig")
    outputs = {
        "packet": run("generate", "--stage", "completion", "--data", SAMPLES / "project-beijing.yaml",
                      "-o", out / "packet", "--pdf", "--draft"),  # --draft: a type added later may lack data
        "rows": run("generate", "owner-notice", "--data", SAMPLES / "project-shanghai.yaml", "--rows", rows,
                    "-o", out / "rows", "--pdfa"),
        "single": run("generate", "denial-notice", "--data", SAMPLES / "project-jiyuan.yaml", "-o", out / "one.pdf"),
    }
    return out, outputs


def pdf_text(path: Path) -> tuple[str, int]:
    """The text of every page without its page number (“— 1 —”), and the number of pages."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = [re.sub(r"—\s*\d+\s*—\s*$", "", page.get_textpage().get_text_range()) for page in pdf]
        return "".join(pages), len(pages)
    finally:
        pdf.close()


def squeeze(text: str) -> str:
    """Letters and digits only: a PDF has line breaks, spaces between scripts and hyphens where
    the .docx has none, and a run-in heading's stop is not always drawn."""
    return re.sub(r"[^\w]|_", "", text)


def assert_same_text(docx: Path, pdf: Path) -> None:
    """Every body paragraph of the .docx is in the PDF; table cells, which wrap column by column,
    nearly all."""
    text = squeeze(pdf_text(pdf)[0])
    lines = [line for line in paragraphs(docx) if line.strip()]
    body = [squeeze(line) for line in lines if " | " not in line]
    missing = [line for line in body if line not in text]
    assert not missing, f"{pdf.name} 缺少：{missing[:3]}"
    cells = [squeeze(c) for line in lines if " | " in line for c in line.split(" | ") if c.strip()]
    found = sum(cell in text for cell in cells)
    assert found >= 0.8 * len(cells), f"{pdf.name}：表格单元格仅 {found}/{len(cells)} 见于 PDF"


def test_packet_pdfs_match_their_docx(converted):
    out, outputs = converted
    docx = sorted((out / "packet").glob("*.docx"))
    assert {"final-risk-report.docx", "owner-notice.docx"} <= {p.name for p in docx}
    for path in docx:
        assert_same_text(path, path.with_suffix(".pdf"))
        assert b"pdfaid:part" not in path.with_suffix(".pdf").read_bytes()
    assert "owner-notice.docx、owner-notice.pdf" in outputs["packet"]


def test_rows_as_pdfa(converted):
    out, _ = converted
    for name in ("7号楼701室", "7号楼702室"):
        pdf = out / "rows" / f"{name}.pdf"
        content = pdf.read_bytes()
        assert re.search(rb"pdfaid:part(>|=\")2", content) and re.search(rb"pdfaid:conformance(>|=\")B", content)
        assert_same_text(pdf.with_suffix(".docx"), pdf)
    text, _ = pdf_text(out / "rows" / "7号楼701室.pdf")
    assert squeeze("尊敬的周九（7号楼701室）") in squeeze(text)


def test_single_document_as_pdf(converted):
    out, outputs = converted
    text, _ = pdf_text(out / "one.pdf")
    assert "济源市豫通物流有限公司" in squeeze(text) and "不予赔偿" in text
    assert not list(out.glob("one.docx"))  # only the PDF asked for
    assert "已生成文书" in outputs["single"]

