"""OCR building blocks without the recogniser: seals, deskewing, garbage text layers, the
low-confidence rule, evidence positions, cache and reports."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checkers import scan
from checkers.cache import ResultCache, context_digest, result_from_json
from checkers.check import CheckOptions, check_raw, page_ranges
from checkers.model import OcrLine, Page, RawDocument
from checkers.ocr import Piece, fix_confusions, group_lines, usable_text
from checkers.reports.common import evidence_text, where
from checkers.requirements import LOW_OCR_CONFIDENCE
from ocr_support import ROOT, load_script

make_scans = load_script("make_scans")

SH_CONTRACT = [
    "上海市商品房预售合同",
    "第十八条 住宅工程质量潜在缺陷保险",
    "保险期限起算日之前负责维修的单位为上海申浦建筑工程有限公司，联系电话：021-64581230。",
    "建设单位监督电话：021-64587700。",
    "保险期限内的保险公司为中国太平洋财产保险股份有限公司，联系电话：95500。",
]


def text_page(lines: list[str], height: int = 1400, width: int = 1000) -> np.ndarray:
    """A white page with black text lines (Latin: no CJK font needed), like a 200 dpi scan."""
    import cv2

    page = np.full((height, width, 3), 255, np.uint8)
    for i, line in enumerate(lines):
        cv2.putText(page, line, (60, 120 + 46 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2, cv2.LINE_AA)
    return page


LINES = [f"Clause {i}: the repair unit phone is 021-6458{i:04d} and so on" for i in range(24)]


# --- seals ----------------------------------------------------------------------------------------


def test_seal_suppression_removes_red_and_keeps_the_text_under_it():
    import random

    page = text_page(LINES)
    seal = make_scans.Seal(1, 0.45, 0.3, "clause")
    stamped = make_scans.stamp_seal(page, seal, 200, random.Random(1))
    assert scan.red_mask(stamped).sum() > 5000
    cleaned, removed = scan.suppress_red(stamped)
    assert removed > 5000
    assert scan.red_mask(cleaned).sum() < 0.01 * removed
    # The text under the seal survives: dark pixels of the unstamped page stay dark.
    height, width = page.shape[:2]
    window = (slice(int(0.3 * height) - 150, int(0.3 * height) + 150), slice(int(0.45 * width) - 150, int(0.45 * width) + 150))
    text = page[window].min(axis=2) < 100
    assert text.sum() > 1000
    kept = cleaned[window].min(axis=2)[text] < 128
    assert kept.mean() > 0.9
    # …and the seal's ink in between the letters is gone (paper again).
    seal_only = (~text) & (stamped[window][:, :, 1] < 150)
    assert (cleaned[window].min(axis=2)[seal_only] > 200).mean() > 0.9


def test_a_page_without_red_is_left_alone():
    page = text_page(LINES[:3])
    cleaned, removed = scan.suppress_red(page)
    assert removed == 0 and cleaned is page


# --- deskewing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [1.6, -1.15, 0.45, -2.0])
def test_deskew_recovers_a_known_angle(angle):
    skewed = make_scans.skew(text_page(LINES), angle)
    assert scan.estimate_skew(skewed) == pytest.approx(-angle, abs=0.15)


def test_prepared_boxes_map_back_to_the_page():
    page = text_page(LINES)
    prepared = scan.prepare(make_scans.skew(page, 1.5))
    assert prepared.angle == pytest.approx(-1.5, abs=0.15)
    height, width = page.shape[:2]
    # The page centre stays the centre; a corner region maps inside the page.
    x0, y0, x1, y1 = prepared.page_box(np.array([[width / 2, height / 2]]))
    assert (x0, y0) == pytest.approx((0.5, 0.5), abs=0.001) and (x0, y0) == (x1, y1)
    box = prepared.page_box(np.array([[60, 100], [900, 100], [900, 130], [60, 130]]))
    assert 0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1


def test_a_straight_page_is_not_rotated():
    prepared = scan.prepare(text_page(LINES))
    assert prepared.angle == 0.0 and np.allclose(prepared.to_source, [[1, 0, 0], [0, 1, 0]])


# --- reading order --------------------------------------------------------------------------------


def _piece(text, x0, y0, x1, y1, confidence=0.99):
    points = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    return Piece(text, x0, y0, x1, y1, confidence, points)


def test_pieces_are_grouped_into_lines_in_reading_order():
    pieces = [_piece("021-64581230", 420, 102, 700, 140), _piece("联系电话：", 100, 100, 400, 138),
              _piece("第十八条", 100, 40, 260, 78), _piece("住宅工程质量潜在缺陷保险", 300, 42, 800, 80),
              _piece("下一行", 100, 160, 220, 196)]
    lines = group_lines(pieces)
    assert [[p.text for p in line] for line in lines] == [
        ["第十八条", "住宅工程质量潜在缺陷保险"], ["联系电话：", "021-64581230"], ["下一行"]]


def test_a_phone_dash_read_as_one_is_put_back():
    assert fix_confusions("监督电话：021一64587700") == "监督电话：021-64587700"
    assert fix_confusions("０２１－６４５８") == "０２１-６４５８"
    assert fix_confusions("第一条 2025年12月一日 一、") == "第一条 2025年12月一日 一、"


# --- garbage text layers --------------------------------------------------------------------------


@pytest.mark.parametrize("text, usable", [
    ("第十八条　住宅工程质量潜在缺陷保险\n联系电话：021-64581230", True),
    ("Page one", True),
    ("第 1 页　共 6 页", True),
    ("", False),
    ("   \n\t", False),
    ("(cid:12)(cid:845)(cid:77)(cid:3)(cid:91)", False),
    ("\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009", False),
    ("ÉÏº£ÊÐÉÌÆ··¿Ô¤ÊÛºÏÍ¬µÚÊ®°ËÌõ×¡Õ¬¹¤³ÌÖÊÁ¿", False),  # GBK read as Latin-1
    ('!"#$%&\'()*+,\n-  .  /  0123\t\n456789:;<\n=>\n !"#\n(?@ABCDEFGH\nIJ:K?LMNOPQ RSTUVWXLYZ', False),
    ("\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd 保险 \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd", False),
])
def test_unusable_text_layers_are_recognised(text, usable):
    assert usable_text(text) is usable


def test_a_pdf_whose_fonts_lack_a_unicode_map_is_ocred(sample_set, tmp_path):
    """Strip /ToUnicode from a LibreOffice PDF: pdfium then reads glyph numbers, not text."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    from checkers.extract import extract
    from checkers.ocr import pages_to_ocr

    out, manifest = sample_set
    if not manifest.get("pdf"):
        pytest.skip("no PDF samples (LibreOffice not installed)")
    original = out / "pdf" / "sh-announcement-no-coverage.pdf"
    writer = PdfWriter(clone_from=PdfReader(original))
    stripped = 0
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
                stripped += 1
    assert stripped
    broken = tmp_path / "no-unicode.pdf"
    writer.write(broken)
    garbage = extract(broken, ocr="never")
    assert any(page.text.strip() for page in garbage.pages)  # there is a text layer…
    assert not any(usable_text(page.text) for page in garbage.pages)  # …but it is not text
    assert pages_to_ocr(broken) == list(range(1, len(garbage.pages) + 1))
    assert pages_to_ocr(original) == [] and pages_to_ocr(original, mode="always") == [1, 2]
    assert pages_to_ocr(original, mode="never") == pages_to_ocr(broken, mode="never") == []
    assert pages_to_ocr(out / "docx" / "sh-announcement-no-coverage.docx") == []


# --- the low-confidence rule ----------------------------------------------------------------------


def ocr_document(confidence: float, low_line: int | None = None) -> RawDocument:
    """The contract text as if recognised, every line at `confidence` (or only line `low_line`)."""
    text = "\n".join(SH_CONTRACT)
    lines, offset = [], 0
    for i, line in enumerate(SH_CONTRACT):
        score = confidence if low_line is None or i == low_line else 0.99
        lines.append(OcrLine(offset, offset + len(line), (0.1, 0.05 * (i + 1), 0.9, 0.05 * (i + 1) + 0.03), score))
        offset += len(line) + 1
    return RawDocument(Path("scan.pdf"), "pdf", [Page(1, text, tuple(lines))], {}, "pypdfium2:no-text-layer+rapidocr")


OPTIONS = CheckOptions(jurisdiction="shanghai-2025", kind="sales-contract")


def test_findings_on_recognised_text_say_so_with_the_confidence():
    result = check_raw(ocr_document(0.97), OPTIONS)
    plain = check_raw(RawDocument(Path("t.txt"), "txt", [Page(1, "\n".join(SH_CONTRACT))], {}, "text:utf-8"), OPTIONS)
    assert [f.status for f in result.findings] == [f.status for f in plain.findings] == ["pass"] * 3
    for finding in result.findings:
        assert "识别自扫描件" in finding.message and "0.97" in finding.message
        assert all(e.ocr_confidence == 0.97 and e.box and e.page == 1 for e in finding.evidence)
    assert not any("识别自扫描件" in f.message for f in plain.findings)
    assert all(e.ocr_confidence is None and e.box is None for f in plain.findings for e in f.evidence)
    assert any("第1页为扫描图像" in note for note in result.notes)


def test_a_low_confidence_match_is_a_warn_not_a_pass():
    result = check_raw(ocr_document(LOW_OCR_CONFIDENCE - 0.2), OPTIONS)
    assert [f.status for f in result.findings] == ["warn"] * 3
    assert all("请人工核对" in f.message for f in result.findings)


def test_only_findings_resting_on_the_doubtful_line_are_warned():
    result = check_raw(ocr_document(0.5, low_line=3), OPTIONS)  # the supervision phone's line
    statuses = {f.rule.split("/")[1]: f.status for f in result.findings}
    assert statuses == {"repair-unit": "pass", "supervision-phone": "warn", "insurer-contact": "pass"}


def test_a_fail_on_recognised_text_stays_a_fail():
    lines = [line.replace("021-64587700", "______") for line in SH_CONTRACT]
    doc = ocr_document(0.5)
    doc.pages[0] = Page(1, "\n".join(lines), doc.pages[0].ocr)
    statuses = {f.rule.split("/")[1]: f.status for f in check_raw(doc, OPTIONS).findings}
    assert statuses["supervision-phone"] == "fail"


def test_page_ranges():
    assert page_ranges([5, 1, 2, 3, 7, 8]) == "1-3、5、7-8" and page_ranges([4]) == "4"


# --- cache and reports ----------------------------------------------------------------------------


def test_cache_round_trips_ocr_evidence(tmp_path):
    result = check_raw(ocr_document(0.93), OPTIONS)
    cache = ResultCache.open(tmp_path, OPTIONS)
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 scan")
    key = cache.key(source)
    assert cache.put(key, result)
    again = cache.get(key, source)
    assert again.as_json() == {**result.as_json(), "path": str(source)}
    assert again.findings[0].evidence[0] == result.findings[0].evidence[0]
    assert isinstance(again.findings[0].evidence[0].box, tuple)
    assert result_from_json(json.loads(json.dumps(result.as_json())), source).findings == result.findings


def test_the_ocr_mode_is_part_of_the_cache_key():
    digests = {context_digest(CheckOptions(ocr=mode)) for mode in ("auto", "always", "never")}
    assert len(digests) == 3


def test_reports_show_the_ocr_marker_and_confidence():
    finding = check_raw(ocr_document(0.93), OPTIONS).findings[0].as_json()
    evidence = finding["evidence"][0]
    assert where(evidence).startswith("第1页·") and "扫描件识别 置信度0.93 位于页面左10%–90%" in where(evidence)
    assert "扫描件识别" in evidence_text(finding)
    plain = {**evidence, "ocr_confidence": None, "box": None}
    assert "扫描件" not in where(plain)


def test_csv_rows_carry_the_marker():
    from checkers.reports.csv import rows

    cells = [cell for row in rows(check_raw(ocr_document(0.93), OPTIONS).as_json()) for cell in row]
    assert any("扫描件识别 置信度0.93" in str(cell) for cell in cells)


# --- the batch's fork server never loads the engine -----------------------------------------------


def test_warming_up_a_worker_does_not_load_the_ocr_engine():
    code = ("import sys; from checkers import batch; from checkers.check import CheckOptions; "
            "batch.warm_up(CheckOptions()); "
            "print(sorted(m for m in ('onnxruntime', 'rapidocr', 'cv2') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
