"""`idi docs`, `idi generate`, `idi templates` as a user runs them.

One test runs the real shell pipe; the others call the same entry point (`idi.cli.main`, with its
exit codes and Chinese messages) in-process, because each new process spends most of a second
loading the packs.
"""
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import docgen
from idi.cli import main

ROOT = Path(__file__).parents[1]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def idi(capsys, monkeypatch):
    def run(*args, check=True, stdin=None):
        monkeypatch.setattr(sys, "argv", ["idi", *map(str, args)])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "内部错误" not in err, err
        if check:
            assert code == 0, err
        return Run(code, out, err)
    return run


def pipe(type_id: str, out: Path) -> subprocess.Popen:
    """`idi generate TYPE --example | idi generate TYPE --data - -o OUT` as a shell pipe."""
    command = (f"{sys.executable} -m idi generate {type_id} --example | "
               f"{sys.executable} -m idi generate {type_id} --data - -o {out}")
    return subprocess.Popen(command, shell=True, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_example_piped_into_generate_as_a_shell_pipe(tmp_path):
    process = pipe("owner-notice", tmp_path / "n.docx")
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert f"已生成文书 {tmp_path / 'n.docx'}（owner-notice，规则包 shanghai-2025@2025.1）" in stderr
    assert "负责保险理赔工作的单位" in docgen.document_text(tmp_path / "n.docx")


@pytest.mark.parametrize("type_id", [t.id for t in docgen.list_types()])
def test_example_into_generate_for_every_type_and_pack(type_id, tmp_path, idi):
    """Done-when of the issue: `idi generate TYPE --example | idi generate TYPE --data -`, each city."""
    doc_type = docgen.get_type(type_id)
    for pack in doc_type.packs():
        example = idi("generate", type_id, "--jurisdiction", pack.id, "--example").stdout
        out = tmp_path / f"{pack.id}.docx"
        result = idi("generate", type_id, "--data", "-", "-o", out, stdin=example)
        assert f"已生成文书 {out}" in result.stderr and "注意" not in result.stderr
        text = docgen.document_text(out)
        mandate = doc_type.mandate(pack)
        for element in mandate.document.elements if mandate.document else []:
            assert doc_type.markers.get(element.id, element.title) in text


def test_docs_list_json_and_pack_filter(idi):
    rows = json.loads(idi("docs", "list", "--format", "json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert all(row["available"] for row in rows)
    assert {m["pack"] for m in by_id["final-risk-report"]["mandates"]} >= {"shanghai-2025", "beijing-2019"}
    beijing = json.loads(idi("docs", "list", "--pack", "北京", "--format", "json").stdout)
    assert all(len(r["mandates"]) == 1 and r["mandates"][0]["pack"] == "beijing-2019" for r in beijing)
    table = idi("docs", "list", "--pack", "shanghai-2025").stdout
    for text in ("报价函", "第五条", "可生成"):
        assert text in table


def test_generate_refuses_to_overwrite_and_reports_errors_in_chinese(tmp_path, idi):
    data = tmp_path / "data.yaml"
    data.write_text(docgen.example_text("denial-notice"), encoding="utf-8")
    out = tmp_path / "out.docx"
    idi("generate", "denial-notice", "--data", data, "-o", out)
    again = idi("generate", "denial-notice", "--data", data, "-o", out, check=False)
    assert again.returncode == 2 and "文件已存在；如需覆盖请加 --force" in again.stderr
    idi("generate", "denial-notice", "--data", data, "-o", out, "--force")
    missing = idi("generate", "denial-notice", check=False)
    assert missing.returncode == 2 and "请用 --data 指定数据文件" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(docgen.example_text("denial-notice").replace("phone: \"13817001234\"", "phone: 12"),
                   encoding="utf-8")
    invalid = idi("generate", "denial-notice", "--data", bad, "-o", tmp_path / "x.docx", check=False)
    assert invalid.returncode == 2 and "owner.phone（业主（房屋所有权人） › 联系电话）" in invalid.stderr


def test_generate_with_jurisdiction_override_and_draft(tmp_path, idi):
    example = idi("generate", "owner-notice", "--jurisdiction", "北京", "--example").stdout
    assert "pack: beijing-2019" in example
    draft = example.replace("  number: PICC-IDI-2019-110109-0023\n", "")
    result = idi("generate", "owner-notice", "--data", "-", "-o", tmp_path / "d.docx", "--draft", stdin=draft)
    assert "已生成草稿" in result.stderr and "policy.number" in result.stderr
    refused = idi("generate", "quotation-letter", "-j", "杭州", "--example", check=False)
    assert refused.returncode == 2 and "未规定《报价函》" in refused.stderr


def test_templates_check_exit_codes(tmp_path, idi):
    ok = idi("templates", "check", ROOT / "templates" / "owner-notice.docx", "owner-notice")
    assert "未发现问题" in ok.stdout
    bad = idi("templates", "check", ROOT / "templates" / "owner-notice.docx", "briefing-minutes", check=False)
    assert bad.returncode == 1 and "缺少必需的变量 quality_risks" in bad.stdout


def test_pdf_output_reads_back_with_the_docx_text(tmp_path, idi):
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice 未安装")
    example = docgen.example_text("owner-notice")
    idi("generate", "owner-notice", "--data", "-", "-o", tmp_path / "n.docx", stdin=example)
    idi("generate", "owner-notice", "--data", "-", "-o", tmp_path / "n.pdf", stdin=example)
    import pypdfium2 as pdfium

    # Compared on words and numbers: LibreOffice hangs a line-final 。 into the margin, where
    # the PDF's text layer may not report it.
    words = lambda text: re.sub(r"[^\w]", "", text)  # noqa: E731
    pdf = pdfium.PdfDocument(tmp_path / "n.pdf")
    pdf_text = words("".join(page.get_textpage().get_text_range() for page in pdf))
    paragraphs = [words(line) for line in docgen.readback.document_text(tmp_path / "n.docx").splitlines()]
    assert [p for p in paragraphs if p not in pdf_text] == []

