"""OCR end to end on real scans (scripts/make_scans.py): verdicts, blanks, images, ocr_pages, the CLI,
and no network."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ocr_support
from checkers import ocr
from checkers.check import CheckOptions, check_file
from checkers.extract import extract
from checkers.ocr import BLANK_TEXT, ocr_page, pages_to_ocr
from ocr_support import SCANNED_SAMPLES, scan_results, scan_set  # noqa: F401 - fixtures


def _statuses(result) -> dict[str, str]:
    return {f.rule: f.status for f in result.findings}


def test_scans_get_the_verdicts_of_their_text_originals(scan_set, scan_results):
    _, manifest = scan_set
    assert sorted(scan_results) == sorted(SCANNED_SAMPLES)
    for entry in manifest["scans"]:
        scanned, original, _ = scan_results[entry["name"]]
        assert scanned.error is None, scanned.error
        assert (scanned.kind, scanned.jurisdiction) == (entry["kind"], entry["jurisdiction"])
        assert _statuses(scanned) == _statuses(original) == entry["expected"], entry["name"]


def test_scans_were_really_skewed_and_sealed(scan_set):
    _, manifest = scan_set
    for entry in manifest["scans"]:
        assert {seal["over"] for seal in entry["seals"]} == {"signature", "clause"}
        assert all(abs(angle) <= 2.0 for angle in entry["skew"]) and any(abs(a) > 0.3 for a in entry["skew"])


def test_findings_on_scans_carry_confidence_and_place(scan_results):
    for scanned, _, _ in scan_results.values():
        assert any("扫描图像，已用 OCR 识别文字" in note for note in scanned.notes)
        for finding in scanned.findings:
            if not finding.evidence:
                continue
            assert "识别自扫描件" in finding.message and "识别置信度" in finding.message
            for evidence in finding.evidence:
                assert evidence.page and 0.5 <= evidence.ocr_confidence <= 1
                x0, y0, x1, y1 = evidence.box
                assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1


def test_a_blank_phone_line_still_reads_as_missing(scan_results):
    scanned, _, doc = scan_results["hz-notice-contact-blank"]
    finding = next(f for f in scanned.findings if f.rule == "hangzhou-2024/notice-claims-contact")
    assert finding.status == "fail" and "未填写" in finding.message
    line = next(line for page in doc.pages for line in page.text.split("\n") if "理赔联系电话：" in line)
    blank = line.split("理赔联系电话：")[1]
    assert blank.startswith("__") and not any(c.isdigit() for c in blank.split("；")[0]), line
    # The owner's form on the last page: its empty cells read as blanks, as in the text layer.
    assert f"联系电话 {BLANK_TEXT}" in doc.pages[-1].text.split("\n")
    scanned, _, _ = scan_results["sh-announcement-insurer-blank"]
    assert _statuses(scanned)["shanghai-2025/announcement-insurer"] == "fail"


def test_underline_blanks_are_put_back_when_the_recogniser_drops_them():
    """A label followed by an empty rule: the recogniser reads only the label."""
    import cv2
    from PIL import Image, ImageDraw, ImageFont

    font_path = next((p for p in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                  "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc") if Path(p).exists()), None)
    if font_path is None:
        pytest.skip("no CJK font to draw the test page")
    page = Image.new("RGB", (1654, 600), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(font_path, 34)
    draw.text((150, 100), "维修单位联系电话：", fill="black", font=font)
    width = draw.textlength("维修单位联系电话：", font=font)
    draw.line([(150 + width + 6, 142), (150 + width + 300, 142)], fill="black", width=3)
    draw.text((150, 200), "建设单位监督电话：021-64587700", fill="black", font=font)
    image = cv2.GaussianBlur(np.asarray(page), (3, 3), 0.6)
    text = ocr.recognise(1, image).text.split("\n")
    assert text[0].endswith("联系电话：" + BLANK_TEXT), text
    assert not any(c.isdigit() for c in text[0]) and "021-64587700" in text[1]


def test_ocr_never_gives_the_clear_error(scan_set):
    directory, _ = scan_set
    path = directory / "hz-notice-contact-blank.pdf"
    result = check_file(path, CheckOptions(ocr="never"))
    assert result.status == "error"
    assert str(path) in result.error and "没有可读取的文本层" in result.error and "--ocr never" in result.error
    assert pages_to_ocr(path, mode="never") == [] and pages_to_ocr(path) == [1, 2, 3]


def test_ocr_pages_give_the_same_result_as_ocr_inside_extract(scan_set, scan_results):
    directory, _ = scan_set
    path = directory / "sh-warranty-no-supervision.pdf"
    pages = {number: ocr_page(path, number) for number in pages_to_ocr(path)}
    given = check_file(path, ocr_pages=pages)
    scanned, _, raw = scan_results["sh-warranty-no-supervision"]
    assert given.as_json() == scanned.as_json()
    assert extract(path, ocr_pages=pages).pages == raw.pages
    assert ocr_page(path.read_bytes(), 2) == pages[2]


def test_image_files_are_read_as_scans(scan_set, scan_results, tmp_path):
    """The pages of a scan saved as PNG, JPEG and one multi-page TIFF."""
    import pypdfium2 as pdfium
    from PIL import Image

    directory, _ = scan_set
    pdf = pdfium.PdfDocument(str(directory / "bj-notice-contact-missing.pdf"))
    frames = [Image.fromarray(ocr.render_pdf_page(pdf, i)) for i in range(len(pdf))]
    pdf.close()
    tiff = tmp_path / "扫描 件.tiff"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_lzw")
    assert pages_to_ocr(tiff) == list(range(1, len(frames) + 1)) and pages_to_ocr(tiff, mode="never") == []
    doc = extract(tiff)
    assert doc.format == "image" and doc.method == "rapidocr" and doc.ocr_pages == [1, 2, 3]
    result = check_file(tiff)
    assert _statuses(result) == _statuses(scan_results["bj-notice-contact-missing"][1]) != {}
    png = tmp_path / "page.png"
    frames[0].save(png)
    jpeg = tmp_path / "page.jpg"
    frames[0].save(jpeg, quality=80)
    assert extract(png).pages[0].text[:30] == doc.pages[0].text[:30]
    assert "告知书" in extract(jpeg).pages[0].text
    never = check_file(png, CheckOptions(ocr="never"))
    assert "没有可读取的文本层" in never.error and str(png) in never.error


def test_a_file_named_as_an_image_that_is_not_one_names_the_file(tmp_path):
    from checkers.model import ExtractionError

    fake = tmp_path / "fake.png"
    fake.write_text("not an image", encoding="utf-8")
    with pytest.raises(ExtractionError, match="fake.png.*不是 PNG、JPEG 或 TIFF"):
        extract(fake)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    with pytest.raises(ExtractionError, match="broken.jpg.*图片文件无法读取"):
        extract(broken)


def test_nothing_is_downloaded(monkeypatch, scan_set):
    """A fresh engine, with every network connection refused, loads the packaged models and reads."""
    def refuse(*args, **kwargs):
        raise AssertionError("OCR tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(ocr, "_engine", None)
    paths = ocr.model_paths()
    assert all(path.is_file() and path.parent == ocr.model_dir() for path in paths.values())
    assert "rapidocr" in str(ocr.model_dir())
    directory, _ = scan_set
    page = ocr_page(directory / "sh-warranty-no-supervision.pdf", 1)
    assert "质量保证书" in page.text


def test_missing_models_are_an_error_not_a_download(monkeypatch, tmp_path):
    from checkers.model import ExtractionError

    monkeypatch.setattr(ocr, "model_dir", lambda: tmp_path)
    with pytest.raises(ExtractionError, match="OCR 模型文件缺失.*不会在运行时下载"):
        ocr.model_paths()


def _idi(*args):
    run = subprocess.run([sys.executable, "-m", "idi", *map(str, args)], capture_output=True, text=True,
                         cwd=ocr_support.ROOT, timeout=600)
    assert "Traceback" not in run.stderr, run.stderr
    return run


def test_the_cli_checks_a_scan(scan_set, tmp_path):
    directory, _ = scan_set
    path = directory / "sh-announcement-insurer-blank.pdf"
    args = ["check", path, "--format", "json", "--jobs", "1", "--no-cache"]
    never = _idi(*args, "--ocr", "never")
    assert never.returncode == 1
    document = json.loads(never.stdout)["documents"][0]
    assert document["status"] == "error" and "没有可读取的文本层" in document["error"]
    auto = _idi(*args, "--ocr", "auto", "-o", tmp_path / "r.html")
    assert auto.returncode == 1, auto.stderr  # the insurer is left blank: a fail
    document = json.loads(auto.stdout)["documents"][0]
    statuses = {f["rule"]: f["status"] for f in document["findings"]}
    assert statuses.get("shanghai-2025/announcement-insurer") == "fail", document
    evidence = [e for f in document["findings"] for e in f["evidence"]]
    assert evidence and all(e["ocr_confidence"] and len(e["box"]) == 4 for e in evidence)
    assert "扫描件识别 置信度" in (tmp_path / "r.html").read_text(encoding="utf-8")
