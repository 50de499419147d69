"""OCR of scanned pages with rapidocr (PP-OCR models on onnxruntime), fully offline.

- `pages_to_ocr(path, password=None, mode="auto")`: the 1-based numbers of the pages `extract()`
  would recognise: in `auto` the PDF pages without a usable text layer (no text, or garbage such as
  private-use characters from fonts without a Unicode map), in `always` every PDF page, in `never`
  none; every page of an image file (PNG, JPEG, TIFF) unless `never`; none of a DOCX or TXT.
- `ocr_page(source, page_number, password=None) -> Page`: one page recognised. A PDF page is
  rendered at `RENDER_DPI`; the image is cleaned (red seals removed, deskewed: `checkers.scan`),
  recognised, and its lines grouped in reading order. The page's `ocr` lines keep each line's
  place on the page and its confidence. Underline blanks, which OCR drops, are put back as
  `______` so an empty “联系电话：______” still reads as empty.

The engine is loaded lazily, once per process, from the model files inside the rapidocr wheel,
never downloaded: `engine()` refuses to start if a packaged model is missing. Do not load it in a
process that will fork (onnxruntime's thread pools do not survive a fork): the batch's fork server
never calls into this module.
"""
from __future__ import annotations

import io
import os
import re
import statistics
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .extract import IMAGE_SUFFIXES, OCR_MODES  # noqa: F401 - part of this module's interface
from .model import ExtractionError, OcrLine, Page

RENDER_DPI = 200  # PDF pages: the resolution scanners use for contracts; 12 pt text is ~33 px high
# Tuned engine settings (see scripts/bench_ocr.py, which measures them against the defaults).
DET_MAX_SIDE = 960  # text detection on an image at most this long: lines are large, DB copes at 960
MAX_SIDE = 4000  # crops for recognition come from the full page image (no downscaling below this)
REC_BATCH = 6
TEXT_SCORE = 0.5  # lines the recogniser scores below this are noise (seal remnants, specks)
# Underline blanks: a rule at least this many line heights long with no text on it is a blank.
BLANK_MIN_HEIGHTS = 2.0
BLANK_TEXT = "______"
BLANK_REACH_HEIGHTS = 6.0  # how far after its label a blank may start (a form's next cell), in line heights
LINE_OVERLAP = 0.5  # boxes whose vertical overlap is at least this share of the smaller one share a line
WORD_GAP_HEIGHTS = 0.8  # a gap wider than this many line heights between boxes is written as a space
# Page text counts as usable when at least this share of its visible characters is readable
# (CJK, Latin letters, digits, common punctuation); see usable_text.
READABLE_SHARE = 0.85
CJK_EXPECTED_FROM = 30  # visible characters from which a page of a Chinese document must have ideographs
MIN_CJK_SHARE = 0.05  # Chinese text is ~85% ideographs; tables of figures ~20% or more
SPARSE_TEXT = 20  # fewer readable characters than this over a page-sized image: a scan with a stamp
SCAN_IMAGE_SHARE = 0.5
BLANK_PAGE_INK = 30  # ink pixels (at the skew work size) below which a page is blank: no engine run
THREADS_ENV = "IDI_OCR_THREADS"

_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
           "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
_lock = threading.Lock()
_engine = None


# --- the engine -----------------------------------------------------------------------------------


def model_dir() -> Path:
    """Where the rapidocr wheel keeps its models."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.origin:
        raise ExtractionError("未安装 OCR 引擎 rapidocr，无法识别扫描件")
    return Path(spec.origin).parent / "models"


def model_paths() -> dict[str, Path]:
    """The packaged model file of each stage; an error if one is missing (never downloaded)."""
    folder = model_dir()
    paths = {stage: folder / name for stage, name in _MODELS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ExtractionError(f"OCR 模型文件缺失（{'、'.join(missing)}），请重新安装 rapidocr；不会在运行时下载")
    return paths


def ocr_threads() -> int:
    """Intra-op threads for onnxruntime: IDI_OCR_THREADS, else the cores this process may use."""
    value = os.environ.get(THREADS_ENV, "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:
        return os.cpu_count() or 1


def engine_params(tuned: bool = True) -> dict:
    """rapidocr parameters: always the packaged models; with `tuned`, this project's settings."""
    params = {f"{stage}.model_path": str(path) for stage, path in model_paths().items()}
    params["Global.log_level"] = "error"
    if not tuned:
        return params
    params.update({
        "Global.use_cls": False,  # pages are deskewed and upright: no 180° lines to turn
        "Global.max_side_len": MAX_SIDE,
        "Global.text_score": TEXT_SCORE,
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_MAX_SIDE,
        "Rec.rec_batch_num": REC_BATCH,
        "EngineConfig.onnxruntime.intra_op_num_threads": ocr_threads(),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })
    return params


def engine():
    """The process's OCR engine, made on first use."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = make_engine(tuned=True)
        return _engine


def make_engine(tuned: bool = True):
    """A rapidocr engine on the packaged models, its models loaded; tuned: this project's settings
    and onnxruntime sessions whose idle threads sleep."""
    from rapidocr import RapidOCR
    from rapidocr.inference_engine.onnxruntime.main import OrtInferSession

    ocr = RapidOCR(params=engine_params(tuned))
    if not tuned:
        return ocr
    original = OrtInferSession.__dict__["_init_sess_opts"]
    OrtInferSession._init_sess_opts = staticmethod(_session_options)
    try:
        ocr._load_det_model()
        ocr._load_rec_model()
    finally:
        OrtInferSession._init_sess_opts = original
    return ocr


def _session_options(_config=None):
    """onnxruntime options for the tuned engine.

    onnxruntime's worker threads spin while waiting for work by default, burning a core between the
    many small recognition batches; on a machine with two cores shared with other processes that
    costs more than it saves, so idle threads sleep. The memory arena is on (rapidocr turns it off):
    measured ~15% faster, and no larger peak memory over a 20-page scan. rapidocr has no setting for
    spinning, so its session options are replaced while `make_engine` loads the models.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.intra_op_num_threads = ocr_threads()
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = True
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


# --- which pages ----------------------------------------------------------------------------------


def usable_text(text: str) -> bool:
    """Whether a page's text layer can be trusted instead of OCR.

    The documents checked here are Chinese, so a page of CJK_EXPECTED_FROM or more characters
    of which almost none are ideographs is a font without a Unicode map: subset fonts number their
    glyphs from 0x21 on, which reads as `!"#$%&'()*+,-./0123…` (and if the page really is in a
    Latin script, OCR reads it just as well). Also unusable: no text; (cid:…) codes; or less than
    READABLE_SHARE readable characters, i.e. mostly characters no Chinese contract is written in —
    private-use code points and replacement characters (glyphs of fonts without a Unicode map),
    control characters, Latin-1 symbols and accented letters of mis-decoded GBK (ÉÏº£ÊÐ …).
    """
    visible = [c for c in text if not c.isspace()]
    if not visible or "(cid:" in text:
        return False
    if len(visible) >= CJK_EXPECTED_FROM and sum(map(_ideograph, visible)) < MIN_CJK_SHARE * len(visible):
        return False
    return sum(map(_readable, visible)) >= READABLE_SHARE * len(visible)


def _ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x2FFFF


def _readable(char: str) -> bool:
    code = ord(char)
    return (0x21 <= code <= 0x7E  # ASCII letters, digits, punctuation
            or 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E  # CJK and full-width punctuation
            or 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x2FFFF  # ideographs
            or 0x2010 <= code <= 0x2027 or code in (0xB7, 0xD7, 0xB0)  # dashes, quotes, ·×°
            or 0x2460 <= code <= 0x24FF or 0x2160 <= code <= 0x217F  # ①, Ⅰ
            or 0x2E80 <= code <= 0x2FDF)  # CJK radicals


def pages_to_ocr(path: Path, *, password: str | None = None, mode: str = "auto") -> list[int]:
    """1-based numbers of the pages `extract(path, ocr=mode)` recognises with OCR."""
    from .extract import open_pdf_data, pdf_page_texts, read_source

    _check_mode(mode)
    path = Path(path)
    source = read_source(path)
    if mode == "never" or source.kind not in ("pdf", "image"):
        return []
    if source.kind == "image":
        return list(range(1, image_page_count(path, source.data) + 1))
    texts = pdf_page_texts(path, source.data, password)
    if mode == "always":
        return list(range(1, len(texts) + 1))
    pdf = open_pdf_data(path, source.data, password)
    try:
        return [i + 1 for i, text in enumerate(texts) if page_needs_ocr(pdf, i, text)]
    finally:
        pdf.close()


def page_needs_ocr(pdf, index: int, text: str) -> bool:
    """Whether page `index` of a pypdfium2 document lacks a usable text layer (mode auto).

    Garbage or no text; or a few characters over a page-sized image (a scan with a page number or
    a filing stamp added as text).
    """
    if not usable_text(text):
        return True
    readable = sum(_readable(c) for c in text)
    return readable < SPARSE_TEXT and _image_share(pdf, index) >= SCAN_IMAGE_SHARE


def _image_share(pdf, index: int) -> float:
    """The largest share of the page that one image object covers."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        width, height = page.get_size()
        best = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_pos()
            best = max(best, (right - left) * (top - bottom) / max(width * height, 1.0))
        return best
    finally:
        page.close()


def _check_mode(mode: str) -> None:
    if mode not in OCR_MODES:
        raise ValueError(f"OCR 模式应为 {'、'.join(OCR_MODES)} 之一，而不是“{mode}”")


# --- one page -------------------------------------------------------------------------------------


def ocr_page(source: Path | bytes, page_number: int, *, password: str | None = None) -> Page:
    """Recognise one page (1-based) of a PDF or image file, given as a path or as its bytes."""
    from .extract import is_image, open_pdf_data, read_source

    if isinstance(source, (bytes, bytearray, memoryview)):
        path, data = Path("<内存中的文件>"), bytes(source)
        kind = "image" if is_image(data) else "pdf"
    else:
        path = Path(source)
        found = read_source(path)
        data, kind = found.data, found.kind
    if kind == "image":
        return recognise(page_number, load_image_page(path, data, page_number))
    if kind != "pdf":
        raise ExtractionError(f"{path}：不是 PDF 或图片文件，无法进行 OCR")
    pdf = open_pdf_data(path, data, password)
    try:
        if not 1 <= page_number <= len(pdf):
            raise ExtractionError(f"{path}：没有第 {page_number} 页（共 {len(pdf)} 页）")
        return recognise_pdf_page(path, pdf, page_number - 1)
    finally:
        pdf.close()


def recognise_pdf_page(path: Path, pdf, index: int) -> Page:
    """OCR page `index` (0-based) of an open pypdfium2 document."""
    try:
        image = render_pdf_page(pdf, index)
    except Exception as exc:  # pdfium raises plain errors on damaged pages
        raise ExtractionError(f"{path}：第 {index + 1} 页无法渲染为图像进行 OCR（{exc}）") from None
    return recognise(index + 1, image)


def render_pdf_page(pdf, index: int, dpi: int = RENDER_DPI) -> np.ndarray:
    """A pypdfium2 page as an RGB array at `dpi` (forms drawn, as printed)."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
        return np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])
    finally:
        page.close()


def image_page_count(path: Path, data: bytes) -> int:
    with _open_image(path, data) as image:
        return getattr(image, "n_frames", 1)


def load_image_page(path: Path, data: bytes, page_number: int) -> np.ndarray:
    """Frame `page_number` (1-based) of an image file as RGB."""
    from PIL import ImageOps

    with _open_image(path, data) as image:
        frames = getattr(image, "n_frames", 1)
        if not 1 <= page_number <= frames:
            raise ExtractionError(f"{path}：没有第 {page_number} 页（共 {frames} 页）")
        image.seek(page_number - 1)
        frame = ImageOps.exif_transpose(image.copy())
        return np.asarray(frame.convert("RGB"))


def _open_image(path: Path, data: bytes):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 200_000_000  # a 600 dpi A0 scan; beyond that, a decompression bomb
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        return image
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ExtractionError(f"{path}：图片文件无法读取（{type(exc).__name__}: {exc}）") from None


def recognise(number: int, image: np.ndarray) -> Page:
    """OCR one page image into a Page with its lines' places and confidences."""
    from . import scan

    if scan.ink_pixels(image) < BLANK_PAGE_INK:
        return Page(number, "", ())  # a blank page: nothing to recognise
    try:
        prepared = scan.prepare(image)
        result = engine()(prepared.image)
    except Exception as exc:  # OpenCV and onnxruntime report running out of memory as plain errors
        if "memory" in str(exc).lower() or "alloc" in str(exc).lower():
            raise MemoryError(f"OCR 第 {number} 页时内存不足") from None
        raise
    pieces = _pieces(result)
    pieces += _blanks(prepared.image, pieces)
    return _page(number, group_lines(pieces), prepared)


@dataclass
class Piece:
    """A recognised box (or an underline blank) in prepared-image pixels."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float
    points: np.ndarray

    @property
    def height(self) -> float:
        return self.y1 - self.y0


# A dash between digits (021-64587700, also full-width －) is often read as 一 (one) or a long dash;
# between two digits 一 is never the numeral in these documents, so it is put back as "-".
_DIGIT_DASH = re.compile(r"(?<=[0-9０-９])[一—－‐‑–](?=[0-9０-９])")


def fix_confusions(text: str) -> str:
    """Undo the recogniser's known confusions that change meaning (a phone's dash read as 一)."""
    return _DIGIT_DASH.sub("-", text)


def _pieces(result) -> list[Piece]:
    boxes, txts, scores = getattr(result, "boxes", None), getattr(result, "txts", None), getattr(result, "scores", None)
    if boxes is None or txts is None:
        return []
    pieces = []
    for box, text, score in zip(boxes, txts, scores):
        points = np.asarray(box, dtype=np.float64).reshape(-1, 2)
        text = fix_confusions(text.strip())
        if text:
            (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
            pieces.append(Piece(text, x0, y0, x1, y1, float(score), points))
    return pieces


def _blanks(image: np.ndarray, pieces: list[Piece]) -> list[Piece]:
    """Underline blanks (“联系电话：______”) the recogniser dropped, as `______` pieces.

    A blank is a horizontal rule that starts just after a recognised piece, on its baseline, and
    has no text on it (a filled-in underline has its text recognised above it, overlapping the
    rule). Table borders start at the table's edge, not after a label, and are left alone.
    """
    from .scan import horizontal_rules

    if not pieces:
        return []
    height = statistics.median(p.height for p in pieces)
    rules = horizontal_rules(image, int(BLANK_MIN_HEIGHTS * height * 0.6))
    blanks = []
    for rule in rules:
        if rule.x1 - rule.x0 < BLANK_MIN_HEIGHTS * height * 0.6:
            continue
        label = _label_before(rule, pieces, height)
        if label is None or _covered(rule, pieces, height):
            continue
        top, bottom = rule.y - label.height * 0.8, rule.y + rule.thickness
        points = np.array([[rule.x0, top], [rule.x1, top], [rule.x1, bottom], [rule.x0, bottom]])
        blanks.append(Piece(BLANK_TEXT, rule.x0, top, rule.x1, bottom, label.confidence, points))
    return blanks


def _label_before(rule, pieces: list[Piece], height: float) -> Piece | None:
    """The piece the rule continues: the nearest ending left of the rule's start (at most
    BLANK_REACH_HEIGHTS away: the next cell of a form), with the rule on its baseline."""
    best, best_gap = None, BLANK_REACH_HEIGHTS * height
    for piece in pieces:
        gap = rule.x0 - piece.x1
        baseline = piece.y0 + piece.height * 0.5 <= rule.y <= piece.y1 + piece.height * 0.6
        if baseline and -height * 0.5 <= gap <= best_gap:
            best, best_gap = piece, gap
    return best


def _covered(rule, pieces: list[Piece], height: float) -> bool:
    """Whether recognised text stands on the rule (a filled-in blank)."""
    for piece in pieces:
        overlap = min(piece.x1, rule.x1) - max(piece.x0, rule.x0)
        on_it = piece.y0 - height * 0.2 <= rule.y <= piece.y1 + height * 0.6
        if overlap > height and on_it:
            return True
    return False


def group_lines(pieces: Sequence[Piece]) -> list[list[Piece]]:
    """Pieces grouped into lines (top to bottom), each line's pieces left to right.

    A piece joins the line whose vertical extent it overlaps by at least LINE_OVERLAP of the
    smaller height; pieces are taken in order of their vertical centre, so slight skew left after
    deskewing does not merge neighbouring lines.
    """
    lines: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: (p.y0 + p.y1) / 2):
        for line in reversed(lines[-3:]):
            top, bottom = min(p.y0 for p in line), max(p.y1 for p in line)
            overlap = min(bottom, piece.y1) - max(top, piece.y0)
            if overlap >= LINE_OVERLAP * min(piece.height, bottom - top):
                line.append(piece)
                break
        else:
            lines.append([piece])
    for line in lines:
        line.sort(key=lambda p: p.x0)
    lines.sort(key=lambda line: min(p.y0 for p in line))
    return lines


def _page(number: int, lines: list[list[Piece]], prepared) -> Page:
    texts, ocr_lines, offset = [], [], 0
    for line in lines:
        text = _line_text(line)
        points = np.vstack([p.points for p in line])
        confidence = round(min(p.confidence for p in line), 4)  # a blank carries its label's score
        ocr_lines.append(OcrLine(offset, offset + len(text), prepared.page_box(points), confidence))
        texts.append(text)
        offset += len(text) + 1
    return Page(number, "\n".join(texts), tuple(ocr_lines))


def _line_text(line: list[Piece]) -> str:
    height = statistics.median(p.height for p in line)
    parts = [line[0].text]
    for before, piece in zip(line, line[1:]):
        gap = piece.x0 - before.x1
        parts.append((" " if gap > WORD_GAP_HEIGHTS * height else "") + piece.text)
    return "".join(parts)
