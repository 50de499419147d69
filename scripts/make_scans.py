#!/usr/bin/env python3
"""Scanned versions of the sample contracts: what reviewers receive once contracts are signed and sealed.

Each page of a sample PDF (scripts/make_samples.py) is rendered at 200 dpi, a red round seal is
stamped over the signature block and over part of a clause the checker reads, the page is skewed
by a random angle within ±2°, noise is added, and it is JPEG-compressed; the pages are wrapped back
into an image-only PDF. Everything is seeded: the same inputs give the same scans.

    python scripts/make_scans.py OUT_DIR [--samples SAMPLES_DIR] [--only NAME ...] [--limit N]
                                 [--seed N] [--dpi 200] [--quality 70]

Without --samples the sample set is built first (LibreOffice needed) into OUT_DIR/samples.
Output: OUT_DIR/<name>.pdf and OUT_DIR/manifest.yaml, which maps each scan to its text original
(the PDF and its expected verdicts) and records each page's skew and seals.
"""
from __future__ import annotations

import argparse
import io
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

DPI = 200
MAX_SKEW = 2.0  # degrees, either way
JPEG_QUALITY = 70
NOISE_SIGMA = 6.0  # grey levels of Gaussian sensor noise
SEAL_DIAMETER_MM = 40  # the common size of a company's official seal (公章)
SEAL_RGB = (214, 32, 44)
SEAL_OPACITY = 0.85
SIGNATURE_MARKERS = ("签订日期", "（盖章）", "（签章）", "盖章", "签章", "签字")
FONT_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                   "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@dataclass
class Seal:
    page: int  # 1-based
    x: float  # centre, as a fraction of the page width / height
    y: float
    over: str  # "signature" | "clause"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="扫描件样本：盖章、倾斜、噪声、JPEG 压缩后重新封装为 PDF")
    parser.add_argument("out", type=Path, help="输出目录")
    parser.add_argument("--samples", type=Path, help="scripts/make_samples.py 的输出目录（默认在 OUT/samples 重新生成）")
    parser.add_argument("--only", nargs="*", default=None, help="只处理这些样本（名称）")
    parser.add_argument("--limit", type=int, default=0, help="最多处理多少份（0 = 全部）")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--dpi", type=int, default=DPI)
    parser.add_argument("--quality", type=int, default=JPEG_QUALITY, help="JPEG 质量（1-95）")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    samples = args.samples or _build_samples(args.out / "samples")
    manifest = build_scans(samples, args.out, only=args.only, limit=args.limit, seed=args.seed,
                           dpi=args.dpi, quality=args.quality)
    count = len(yaml.safe_load(manifest.read_text(encoding="utf-8"))["scans"])
    print(f"已生成 {count} 份扫描件（用时 {time.perf_counter() - started:.1f} 秒）：{args.out}\n清单：{manifest}")
    return 0


def _build_samples(out: Path) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_samples

    if make_samples.soffice_path() is None:
        raise SystemExit("需要 LibreOffice（soffice）生成样本 PDF，或用 --samples 指定已有样本目录")
    make_samples.build_samples(out, pdf=True)
    return out


def build_scans(samples_dir: Path, out_dir: Path, *, only: list[str] | None = None, limit: int = 0,
                seed: int = 2025, dpi: int = DPI, quality: int = JPEG_QUALITY) -> Path:
    """Scan every selected sample that has a PDF; write OUT_DIR/manifest.yaml and return its path."""
    samples_dir, out_dir = Path(samples_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = yaml.safe_load((samples_dir / "manifest.yaml").read_text(encoding="utf-8"))
    chosen = [s for s in source["samples"] if s.get("pdf") and (only is None or s["name"] in only)]
    if limit:
        chosen = chosen[:limit]
    entries = []
    for sample in chosen:
        rng = random.Random(f"{seed}:{sample['name']}")
        original = samples_dir / sample["pdf"]
        target = out_dir / f"{sample['name']}.pdf"
        facts = scan_pdf(original, target, sample, rng, dpi=dpi, quality=quality)
        entries.append({"name": sample["name"], "scan": target.name, "original": str(original.resolve()),
                        "kind": sample["kind"], "jurisdiction": sample["jurisdiction"],
                        "expected": sample["expected"], **facts})
    manifest = out_dir / "manifest.yaml"
    header = "# 扫描件样本清单（scripts/make_scans.py 生成）：scan 为扫描件，original 为其文字版原件。\n"
    body = yaml.safe_dump({"generator": "scripts/make_scans.py", "dpi": dpi, "seed": seed, "quality": quality,
                           "scans": entries}, allow_unicode=True, sort_keys=False)
    manifest.write_text(header + body, encoding="utf-8")
    return manifest


def scan_pdf(original: Path, target: Path, sample: dict, rng: random.Random, *, dpi: int = DPI,
             quality: int = JPEG_QUALITY) -> dict:
    """Render, seal, skew, add noise, compress; write an image-only PDF. Returns the manifest facts."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(original))
    try:
        seals = _seal_places(pdf, sample)
        images, skews = [], []
        for index in range(len(pdf)):
            page = pdf[index]
            image = page.render(scale=dpi / 72).to_numpy()[:, :, :3].copy()
            page.close()
            for seal in (s for s in seals if s.page == index + 1):
                image = stamp_seal(image, seal, dpi, rng)
            angle = round(rng.uniform(-MAX_SKEW, MAX_SKEW), 2)
            skews.append(angle)
            images.append(degrade(skew(image, angle), rng, quality))
    finally:
        pdf.close()
    images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality)
    return {"pages": len(images), "skew": skews,
            "seals": [{"page": s.page, "x": round(s.x, 4), "y": round(s.y, 4), "over": s.over} for s in seals]}


# --- where the seals go ----------------------------------------------------------------------------


def _seal_places(pdf, sample: dict) -> list[Seal]:
    seals = []
    signature = _find(pdf, SIGNATURE_MARKERS, reverse=True)
    if signature:
        page, x, y = signature
        seals.append(Seal(page, min(x + 0.18, 0.8), y, "signature"))
    else:  # no signature block: the company seal goes at the foot of the last page
        seals.append(Seal(len(pdf), 0.7, 0.8, "signature"))
    clause_text = [t for t in sample.get("key_text", [])[1:] if len(t) >= 4]
    clause = _find(pdf, clause_text or [sample.get("title", "")])
    if clause:
        page, x, y = clause
        seals.append(Seal(page, min(max(x + 0.08, 0.2), 0.8), y + 0.02, "clause"))
    return seals


def _find(pdf, needles, reverse: bool = False) -> tuple[int, float, float] | None:
    """(page, x, y) of the first (or last) occurrence of any needle, as fractions of the page."""
    order = range(len(pdf) - 1, -1, -1) if reverse else range(len(pdf))
    for index in order:
        page = pdf[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            for needle in needles:
                if not needle:
                    continue
                searcher = textpage.search(needle)
                found = searcher.get_next()
                searcher.close()
                if found:
                    left, bottom, right, top = textpage.get_charbox(found[0])
                    return index + 1, left / width, 1 - (bottom + top) / 2 / height
        finally:
            textpage.close()
            page.close()
    return None


# --- drawing ----------------------------------------------------------------------------------------


def seal_image(diameter: int, rng: random.Random) -> np.ndarray:
    """A round seal as an ink-coverage map (0..1, float32): ring, five-pointed star, arc of text."""
    size = diameter + 8
    canvas = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(canvas)
    centre, radius = size / 2, diameter / 2
    ring = max(3, diameter // 28)
    draw.ellipse([centre - radius, centre - radius, centre + radius, centre + radius], outline=255, width=ring)
    star = [(centre + radius * (0.32 if k % 2 == 0 else 0.13) * math.sin(math.pi * k / 5),
             centre - radius * (0.32 if k % 2 == 0 else 0.13) * math.cos(math.pi * k / 5)) for k in range(10)]
    draw.polygon(star, fill=255)
    _arc_text(canvas, "合同专用章样本印章有限公司", centre, radius * 0.72, diameter // 9)
    mask = np.asarray(canvas, dtype=np.float32) / 255.0
    # Uneven ink: a seal never prints solid.
    grain = np.array([[rng.uniform(0.55, 1.0) for _ in range(8)] for _ in range(8)], dtype=np.float32)
    grain = cv2.resize(grain, (size, size), interpolation=cv2.INTER_CUBIC)
    return np.clip(mask * grain, 0, 1)


def _arc_text(canvas: Image.Image, text: str, centre: float, radius: float, size: int) -> None:
    font_path = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)
    if font_path is None:
        return  # the arc of text is decoration; ring and star are enough to cover the text
    font = ImageFont.truetype(font_path, size)
    span = math.radians(240)
    for k, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * k / max(len(text) - 1, 1)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size // 2, size // 2), char, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = int(centre + radius * math.cos(angle) - size)
        y = int(centre + radius * math.sin(angle) - size)
        canvas.paste(255, (x, y), glyph)


def stamp_seal(image: np.ndarray, seal: Seal, dpi: int, rng: random.Random) -> np.ndarray:
    """Multiply red ink over the page (ink over black text stays black), as a real stamp does."""
    diameter = int(SEAL_DIAMETER_MM / 25.4 * dpi)
    coverage = seal_image(diameter, rng) * SEAL_OPACITY
    height, width = image.shape[:2]
    size = coverage.shape[0]
    x0, y0 = int(seal.x * width - size / 2), int(seal.y * height - size / 2)
    xs, ys = slice(max(x0, 0), min(x0 + size, width)), slice(max(y0, 0), min(y0 + size, height))
    piece = coverage[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0, None]
    ink = np.array(SEAL_RGB, dtype=np.float32) / 255.0
    out = image.astype(np.float32)
    out[ys, xs] *= 1 - piece + piece * ink
    return out.astype(np.uint8)


def skew(image: np.ndarray, angle: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(246, 246, 244))


def degrade(image: np.ndarray, rng: random.Random, quality: int) -> Image.Image:
    """Scanner softness, sensor noise, a slightly grey paper, dust; then JPEG compression."""
    noise_rng = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(image, (3, 3), 0.6).astype(np.float32)
    out = out * 0.96 + 4  # paper is never quite white, toner never quite black
    out += noise_rng.normal(0, NOISE_SIGMA, out.shape[:2])[:, :, None]
    dust = noise_rng.random(out.shape[:2]) < 0.0004
    out[dust] = 60
    buffer = io.BytesIO()
    Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


if __name__ == "__main__":
    sys.exit(main())
