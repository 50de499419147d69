"""docgen.pdf: DOCX → PDF through LibreOffice headless.

Real LibreOffice (skipped when absent): text read back, CJK faces chosen by the fontconfig
aliases, SC glyph shapes whatever the run's language, one process per batch with a private
profile that is deleted, concurrent conversions, damaged files failing alone, PDF/A-2b.
The real conversions run in two session fixtures.

A fake soffice (always runs): hangs and crashes in the middle of a batch, the process group
killed, stale outputs, name clashes, LibreOffice missing.
"""
from __future__ import annotations

import os
import re
import stat
import sys
import threading
import time
import zipfile
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from docgen import pdf as pdfmod
from docgen.pdf import (BatchResult, ConversionError, LibreOfficeMissing, convert_batch, convert_to_pdf,
                        find_soffice, pdfa_declaration)

needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) is not installed: run scripts/install_system_deps.sh")

TITLE = "住宅工程质量潜在缺陷保险告知书"
HEADING = "一、保险责任范围"
BODY = ("依据《住宅工程质量潜在缺陷保险实施细则》第七条，在保险期间内，因工程质量潜在缺陷造成"
        "建筑物损坏的，由保险人负责赔偿修理、加固或者重置的费用。本告知书一式两份，各执一份。")
GLYPHS = "骨直角令"  # 直 and 令 are drawn differently in Chinese (SC) and Japanese (JP) shapes


# ---------------------------------------------------------------- DOCX builders

def _run(paragraph, text: str, east_asia: str, lang: str | None = "zh-CN", size: float | None = None):
    run = paragraph.add_run(text)
    properties = run._element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if lang:
        language = OxmlElement("w:lang")
        language.set(qn("w:eastAsia"), lang)
        properties.append(language)
    if size:
        run.font.size = Pt(size)
    return run


def notice(path: Path, title: str = TITLE) -> Path:
    document = Document()
    _run(document.add_paragraph(), title, "小标宋", size=22)
    _run(document.add_paragraph(), HEADING, "黑体")
    _run(document.add_paragraph(), BODY, "仿宋", size=16)
    document.save(path)
    return path


def glyph_sample(path: Path, east_asia: str, lang: str | None) -> Path:
    document = Document()
    _run(document.add_paragraph(), GLYPHS, east_asia, lang=lang, size=36)
    document.save(path)
    return path


def paragraphs_text(path: Path) -> str:
    return "".join(p.text for p in Document(path).paragraphs)


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render(path: Path) -> bytes:
    document = pdfium.PdfDocument(path)
    try:
        return document[0].render(scale=1).to_pil().convert("L").tobytes()
    finally:
        document.close()


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 not really a zip")
    return path


def plain_text(path: Path) -> Path:
    path.write_text("这是一份纯文本，不是 Word 文档。", encoding="utf-8")  # LibreOffice would import it as text
    return path


def zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return path


class SpawnSpy:
    """Counts soffice processes and records their private profiles."""

    def __init__(self) -> None:
        self.profiles: list[Path] = []
        self.real = pdfmod._spawn

    def __call__(self, soffice, sources, staging, profile, pdfa, out, err):
        self.profiles.append(profile)
        return self.real(soffice, sources, staging, profile, pdfa, out, err)


# ---------------------------------------------------------------- real LibreOffice

@pytest.fixture(scope="session")
def real_batch(tmp_path_factory):
    """One convert_batch call: two notices, four glyph samples and three damaged files."""
    src = tmp_path_factory.mktemp("docx")
    files = {
        "notice": notice(src / "告知书 一.docx"),
        "notice2": notice(src / "notice-2.docx", "回访工作告知书"),
        "glyph_default": glyph_sample(src / "glyph-default.docx", "仿宋", None),  # styles say en-US
        "glyph_zh": glyph_sample(src / "glyph-zh.docx", "仿宋", "zh-CN"),
        "glyph_ja": glyph_sample(src / "glyph-ja.docx", "仿宋", "ja-JP"),
        "glyph_sc": glyph_sample(src / "glyph-sc.docx", "Noto Serif CJK SC", "zh-CN"),
        "not_a_zip": not_a_zip(src / "corrupt.docx"),
        "plain_text": plain_text(src / "plain.docx"),
        "no_document": zip_without_document(src / "empty-zip.docx"),
    }
    out = tmp_path_factory.mktemp("pdf")
    spy = SpawnSpy()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfmod, "_spawn", spy)
        started = time.monotonic()
        result = convert_batch(list(files.values()), out)
        seconds = time.monotonic() - started
    return {name: path.resolve() for name, path in files.items()}, out, result, spy, seconds


@pytest.fixture(scope="session")
def concurrent(tmp_path_factory):
    """Two conversions at the same time, in two threads, each with its own soffice and profile."""
    outcomes: dict[int, list[Path] | BaseException] = {}
    spy = SpawnSpy()

    def work(index: int) -> None:
        base = tmp_path_factory.mktemp(f"concurrent{index}")
        sources = [notice(base / f"文书{index}-{n}.docx", f"告知书{index}-{n}") for n in range(3)]
        try:
            outcomes[index] = convert_to_pdf(sources, base / "out")
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            outcomes[index] = exc

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfmod, "_spawn", spy)
        threads = [threading.Thread(target=work, args=(i,)) for i in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes, spy


@needs_soffice
def test_text_reads_back_as_the_docx_paragraphs(real_batch):
    files, _, result, _, _ = real_batch
    for name in ("notice", "notice2"):
        pdf = result.converted[files[name]]
        assert squeeze(pdf_text(pdf)) == squeeze(paragraphs_text(files[name]))


@needs_soffice
def test_output_names_are_the_input_stems(real_batch):
    files, out, result, _, _ = real_batch
    assert result.converted[files["notice"]] == out.resolve() / "告知书 一.pdf"
    assert {p.name for p in out.iterdir()} == {f"{source.stem}.pdf" for source in result.converted}
    for source in files.values():
        assert source.exists()  # inputs untouched


@needs_soffice
def test_fangsong_and_xiaobiaosong_are_serif_and_heiti_is_sans(real_batch):
    files, _, result, _, _ = real_batch
    with pdfplumber.open(result.converted[files["notice"]]) as document:
        faces = {char["text"]: char["fontname"] for char in document.pages[0].chars}
    # 依 occurs only in the 仿宋 body, 住 only in the 小标宋 title, 范 only in the 黑体 heading.
    # The Noto CJK collection shares one CFF table, so even the SC face is named "…CJKjp…".
    assert "NotoSerifCJK" in faces["依"]
    assert "NotoSerifCJK" in faces["住"]
    assert "NotoSansCJK" in faces["范"]


@needs_soffice
def test_chinese_glyph_shapes_without_a_zh_cn_language_tag(real_batch):
    """python-docx's default East Asian language is en-US; 仿宋 must still give SC shapes."""
    files, _, result, _, _ = real_batch
    shapes = {name: render(result.converted[files[name]]) for name in
              ("glyph_default", "glyph_zh", "glyph_ja", "glyph_sc")}
    assert shapes["glyph_ja"] != shapes["glyph_sc"]  # the test characters do tell SC from JP
    assert shapes["glyph_default"] == shapes["glyph_sc"]
    assert shapes["glyph_zh"] == shapes["glyph_sc"]


@needs_soffice
def test_a_batch_is_one_process_with_a_private_profile_deleted_afterwards(real_batch):
    files, _, result, spy, seconds = real_batch
    assert len(spy.profiles) == 1
    profile = spy.profiles[0]
    assert profile.name.startswith("idi-lo-") and not profile.exists()
    assert len(result.converted) == 6
    print(f"one process, {len(files)} files: {seconds:.1f} s")


@needs_soffice
def test_damaged_files_fail_alone_and_the_batch_goes_on(real_batch):
    files, out, result, _, _ = real_batch
    damaged = {"not_a_zip", "plain_text", "no_document"}
    assert set(result.failed) == {files[name] for name in damaged}
    assert set(result.converted) == {files[name] for name in files if name not in damaged}
    assert "ZIP 结构损坏" in result.failed[files["not_a_zip"]]
    assert "word/document.xml" in result.failed[files["no_document"]]
    assert "LibreOffice 未生成 PDF" in result.failed[files["plain_text"]]
    assert not (out / "plain.pdf").exists()  # not silently imported as a text file
    assert not [p for p in out.iterdir() if p.name.startswith(".idi-pdf-")]  # staging removed
    for path in result.converted.values():
        assert path.stat().st_size > 0


@needs_soffice
def test_strict_conversion_names_the_damaged_file(real_batch, tmp_path):
    files, _, _, _, _ = real_batch
    good = notice(tmp_path / "good.docx")
    with pytest.raises(ConversionError, match="corrupt.docx") as caught:
        convert_to_pdf([good, files["not_a_zip"]], tmp_path / "out")
    assert caught.value.path == files["not_a_zip"]
    assert (tmp_path / "out" / "good.pdf").stat().st_size > 0  # the rest was converted all the same


@needs_soffice
def test_two_concurrent_conversions_both_succeed(concurrent):
    outcomes, spy = concurrent
    for index in (1, 2):
        assert isinstance(outcomes[index], list), outcomes[index]
        assert len(outcomes[index]) == 3
        for pdf in outcomes[index]:
            assert f"告知书{index}-" in squeeze(pdf_text(pdf))
    assert len(spy.profiles) == 2 and len(set(spy.profiles)) == 2
    assert not any(profile.exists() for profile in spy.profiles)


@needs_soffice
def test_pdfa_declares_part_2_conformance_b(tmp_path):
    (pdf,) = convert_to_pdf([notice(tmp_path / "归档.docx")], tmp_path, pdfa=True)
    assert pdfa_declaration(pdf) == ("2", "B")
    assert squeeze(pdf_text(pdf)) == squeeze(paragraphs_text(tmp_path / "归档.docx"))


@needs_soffice
def test_plain_pdf_is_not_pdfa(real_batch):
    files, _, result, _, _ = real_batch
    assert pdfa_declaration(result.converted[files["notice"]]) is None


# ---------------------------------------------------------------- LibreOffice missing

def test_missing_libreoffice_is_a_clear_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setenv("IDI_SOFFICE", "/nonexistent/soffice")
    assert find_soffice() is None
    with pytest.raises(LibreOfficeMissing, match="libreoffice-writer-nogui") as caught:
        convert_to_pdf([notice(tmp_path / "x.docx")], tmp_path)
    assert "install_system_deps.sh" in str(caught.value)


def test_idi_soffice_overrides_the_search(tmp_path, monkeypatch):
    fake = fake_soffice(tmp_path)
    monkeypatch.setenv("IDI_SOFFICE", str(fake))
    assert find_soffice() == fake


def test_nothing_to_convert_needs_no_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("IDI_SOFFICE", "/nonexistent/soffice")
    assert convert_to_pdf([], tmp_path) == []


# ---------------------------------------------------------------- fake soffice

FAKE_SOFFICE = """\
#!{python}
# Stands in for soffice: "converts" each input to a tiny PDF; a name containing "hang" sleeps
# (in a child process, to check the whole process group is killed), "crash" exits with 134,
# "broken" produces nothing. Each call is logged to calls.log.
import os, subprocess, sys, time
from pathlib import Path
args = sys.argv[1:]
outdir = Path(args[args.index("--outdir") + 1])
inputs = [Path(a) for a in args if not a.startswith("-") and a.endswith(".docx")]
log = Path(__file__).with_name("calls.log")
with log.open("a") as handle:
    handle.write(" ".join(p.name for p in inputs) + "\\n")
for path in inputs:
    if "hang" in path.name:
        child = subprocess.Popen(["sleep", "300"])
        Path(__file__).with_name("child.pid").write_text(str(child.pid))
        time.sleep(300)
    if "crash" in path.name:
        sys.exit(134)
    if "broken" in path.name:
        continue
    (outdir / (path.stem + ".pdf")).write_bytes(b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n")
"""


def fake_soffice(directory: Path) -> Path:
    script = directory / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def calls(fake: Path) -> list[list[str]]:
    log = fake.with_name("calls.log")
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


def docx_files(directory: Path, *names: str) -> list[Path]:
    return [notice(directory / f"{name}.docx") for name in names]


@pytest.fixture
def fake(tmp_path, monkeypatch) -> Path:
    script = fake_soffice(tmp_path)
    monkeypatch.setenv("IDI_SOFFICE", str(script))
    return script


def test_a_crash_mid_batch_blames_one_file_and_the_rest_goes_on(fake, tmp_path):
    sources = docx_files(tmp_path, "a", "b-broken", "c-crash", "d", "e")
    result = convert_batch(sources, tmp_path / "out")
    names = {path.name: reason for path, reason in result.failed.items()}
    assert sorted(p.name for p in result.converted) == ["a.docx", "d.docx", "e.docx"]
    assert set(names) == {"b-broken.docx", "c-crash.docx"}
    assert "LibreOffice 未生成 PDF" in names["b-broken.docx"]
    assert "异常退出" in names["c-crash.docx"] and "134" in names["c-crash.docx"]
    # After a crash the first file without output is re-run alone (b: it only failed to load),
    # the rest goes on together; the crash recurs on c, which is then run alone and blamed.
    assert calls(fake) == [["a.docx", "b-broken.docx", "c-crash.docx", "d.docx", "e.docx"],
                           ["b-broken.docx"], ["c-crash.docx", "d.docx", "e.docx"],
                           ["c-crash.docx"], ["d.docx", "e.docx"]]


def test_a_hang_is_killed_with_its_process_group_and_the_rest_goes_on(fake, tmp_path):
    sources = docx_files(tmp_path, "a", "b-hang", "c")
    started = time.monotonic()
    result = convert_batch(sources, tmp_path / "out", timeout=1.5)
    assert time.monotonic() - started < 15
    assert sorted(p.name for p in result.converted) == ["a.docx", "c.docx"]
    (reason,) = result.failed.values()
    assert "超时" in reason
    child = int(fake.with_name("child.pid").read_text())
    time.sleep(0.2)
    assert not _alive(child), "the hanging process's child survived"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")  # a zombie is dead


def test_timeout_in_strict_mode_is_a_conversion_error(fake, tmp_path):
    (source,) = docx_files(tmp_path, "only-hang")
    with pytest.raises(ConversionError, match="only-hang.docx.*超时"):
        convert_to_pdf([source], tmp_path / "out", timeout=1)


def test_a_stale_pdf_is_not_taken_for_a_fresh_one(fake, tmp_path):
    (source,) = docx_files(tmp_path, "x-broken")
    out = tmp_path / "out"
    out.mkdir()
    (out / "x-broken.pdf").write_bytes(b"%PDF-1.4 from an earlier run %%EOF")
    result = convert_batch([source], out)
    assert list(result.failed) == [source.resolve()] and not result.converted


def test_same_stem_fails_the_second_file_only(fake, tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = notice(tmp_path / "one" / "告知书.docx")
    second = notice(tmp_path / "two" / "告知书.docx")
    result = convert_batch([first, second, first], tmp_path / "out")
    assert list(result.converted) == [first.resolve()]
    assert "相同" in result.failed[second.resolve()]
    assert calls(fake) == [["告知书.docx"]]


def test_inputs_are_never_overwritten(fake, tmp_path):
    source = tmp_path / "report.pdf"
    source.write_bytes(b"original")
    result = convert_batch([source], tmp_path)
    assert "覆盖输入文件" in result.failed[source.resolve()]
    assert source.read_bytes() == b"original"


def test_missing_input_file(fake, tmp_path):
    result = convert_batch([tmp_path / "nowhere.docx"], tmp_path / "out")
    assert result.failed == {(tmp_path / "nowhere.docx").resolve(): "文件不存在"}
    assert calls(fake) == []


def test_batch_result_and_error_shapes(tmp_path):
    result = BatchResult()
    assert result.ok
    error = ConversionError({tmp_path / "a.docx": "转换超时", tmp_path / "b.docx": "异常退出"})
    assert error.path == tmp_path / "a.docx" and error.reason == "转换超时"
    assert "a.docx" in str(error) and "b.docx" in str(error) and "2 个文件" in str(error)
