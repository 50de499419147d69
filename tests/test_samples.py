"""The sample set of scripts/make_samples.py: files, manifest, and (with LibreOffice) the PDFs.

The set is built once per session into a temporary directory: DOCX always, PDF when `soffice`
is installed (one LibreOffice call for all documents).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import HAS_SOFFICE, ROOT, make_samples
from corpus.packs import all_packs

STATUSES = {"pass", "fail", "warn", "not-applicable"}
CLAUSES = {f"{p.id}/{c.id}": (p, c) for p in all_packs() for c in p.clauses}
needs_pdf = pytest.mark.skipif(
    not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: no PDF samples to check")


@pytest.fixture(scope="session")
def samples(sample_set):
    return sample_set[1]["samples"]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [cell.text for table in d.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_manifest_lists_files_that_exist(sample_set):
    out, manifest = sample_set
    assert manifest["count"] == len(manifest["samples"]) > 0
    for s in manifest["samples"]:
        assert (out / s["docx"]).is_file(), s["name"]
        if HAS_SOFFICE:
            assert (out / s["pdf"]).is_file(), s["name"]


def test_manifest_entries_are_complete(samples):
    names = [s["name"] for s in samples]
    assert len(names) == len(set(names))
    for s in samples:
        assert {"name", "title", "kind", "jurisdiction", "project", "description", "docx", "features",
                "key_text", "expected"} <= set(s), s["name"]
        assert s["description"] and s["features"], s["name"]
        if s["project"]:
            assert (ROOT / s["project"]).is_file(), s["name"]


def test_expectations_cover_exactly_the_applicable_clauses(samples):
    for s in samples:
        applicable = {rule for rule, (pack, clause) in CLAUSES.items()
                      if pack.id == s["jurisdiction"] and s["kind"] in clause.applies_to}
        assert set(s["expected"]) == applicable, s["name"]
        assert set(s["expected"].values()) <= STATUSES, s["name"]


def test_every_clause_has_a_passing_and_a_failing_sample(samples):
    seen: dict[str, set[str]] = {rule: set() for rule in CLAUSES}
    for s in samples:
        for rule, status in s["expected"].items():
            seen[rule].add(status)
    no_pass = sorted(r for r, st in seen.items() if "pass" not in st)
    no_fault = sorted(r for r, st in seen.items() if not st & {"fail", "warn"})
    assert not no_pass, f"没有预期通过的样本：{no_pass}"
    assert not no_fault, f"没有预期不通过或提示的样本：{no_fault}"


def test_docx_opens_with_key_text_and_chinese_fonts(sample_set):
    import docx
    from docx.oxml.ns import qn

    out, manifest = sample_set
    for s in manifest["samples"]:
        path = out / s["docx"]
        text = _squeeze(_docx_text(path))
        for key in s["key_text"]:
            assert _squeeze(key) in text, f"{s['name']}：DOCX 中没有“{key}”"
        runs = [r for p in docx.Document(str(path)).paragraphs for r in p.runs]
        assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs), s["name"]


@needs_pdf
def test_pdfs_are_multi_page_and_hold_the_key_text(sample_set):
    out, manifest = sample_set
    for s in manifest["samples"]:
        pages = make_samples.pdf_pages(out / s["pdf"])
        assert len(pages) >= 2 and s["pages"] == len(pages), s["name"]
        text = "".join(pages)
        for key in s["key_text"]:
            assert _squeeze(key) in text, f"{s['name']}：PDF 中没有“{key}”"


@needs_pdf
def test_page_split_case_really_spans_two_pages(sample_set):
    out, manifest = sample_set
    split = [s for s in manifest["samples"] if "page-break-split" in s["features"]]
    assert split
    for s in split:
        pages = make_samples.pdf_pages(out / s["pdf"])
        first, last = make_samples.split_pages(pages, s["split"]["first"], s["split"]["last"])
        assert first is not None and last == first + 1, (s["name"], first, last)
        assert s["split"]["pages"] == [first, last]


def test_command_line_without_pdf(tmp_path, capsys, monkeypatch):
    few = make_samples.all_cases()[:3]
    monkeypatch.setattr(make_samples, "all_cases", lambda: few)
    assert make_samples.main([str(tmp_path / "out"), "--no-pdf"]) == 0
    printed = capsys.readouterr().out
    assert "已生成 3 份样本文书" in printed
    assert (tmp_path / "out" / "manifest.yaml").is_file()
    assert not (tmp_path / "out" / "pdf").exists()
