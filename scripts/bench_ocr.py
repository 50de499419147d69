#!/usr/bin/env python3
"""Benchmark OCR of scanned contracts: speed against rapidocr out of the box, and verdict agreement.

    python scripts/bench_ocr.py [--work DIR] [--scans N] [--speed-pages K] [--rounds R] [--long-pages 20]

1. Builds (once, kept in --work) the sample set (scripts/make_samples.py, LibreOffice needed) and
   scanned versions of its PDFs (scripts/make_scans.py; N spread over the set, default all).
2. Speed, on the same K pages (spread over the scans), in this process, alternating R rounds so
   that other load on the machine hits both alike; each engine is loaded and run once before timing:
   - out of the box: `RapidOCR()` with its default settings (the packaged models, pointed at
     explicitly), on the page rendered at 200 dpi;
   - tuned: `checkers.ocr.recognise` on the same image, including seal suppression, deskewing,
     underline blanks and line grouping.
   Both report wall and processor time per page (best round), and how close each page's text is
   to the text layer of the original PDF (rapidfuzz ratio after removing whitespace).
3. Agreement: every scan and its text original are checked (`check_file`, --ocr auto); per finding,
   whether the statuses are the same; and how many findings match the manifest's expected verdicts.
4. A long scanned contract (bench_check's 20-page padding of a sample) is checked by `idi check`
   in a fresh process: the time a reviewer waits, start-up and model loading included.
Prints Markdown tables for the README.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import yaml  # noqa: E402


# The OCR engine's address space (onnxruntime's and OpenCV's threads and their malloc arenas) is
# about 1.6 GB at its peak, above the batch's default --max-memory of 1536 MB.
LONG_MAX_MEMORY_MB = 3072


@dataclass
class Speed:
    name: str
    wall: float  # seconds per page, best round
    cpu: float
    similarity: float  # mean text similarity to the original's text layer, 0..100


def ensure_scans(work: Path, limit: int) -> tuple[Path, dict]:
    import make_samples
    import make_scans

    samples = work / "samples"
    if not (samples / "manifest.yaml").exists():
        make_samples.build_samples(samples, pdf=True)
    scans = work / "scans"
    manifest = scans / "manifest.yaml"
    names = spread([s["name"] for s in yaml.safe_load((samples / "manifest.yaml").read_text(encoding="utf-8"))["samples"]
                    if s.get("pdf")], limit)
    existing = yaml.safe_load(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
    if existing is None or [s["name"] for s in existing["scans"]] != names:
        make_scans.build_scans(samples, scans, only=names)
    return scans, yaml.safe_load(manifest.read_text(encoding="utf-8"))


def spread(names: list[str], limit: int) -> list[str]:
    """`limit` names evenly spaced through the list (every city and kind), or all of them."""
    if not limit or limit >= len(names):
        return names
    return [names[round(i * (len(names) - 1) / (limit - 1))] for i in range(limit)] if limit > 1 else names[:1]


def speed_pages(scans: Path, manifest: dict, count: int) -> list[tuple]:
    """(image, original text) of `count` pages taken round-robin from the scans."""
    import pypdfium2 as pdfium

    from checkers.extract import extract
    from checkers.ocr import render_pdf_page

    chosen, queue = [], [(s, 0) for s in manifest["scans"]]
    while queue and len(chosen) < count:
        sample, index = queue.pop(0)
        if index < sample["pages"]:
            chosen.append((sample, index))
            queue.append((sample, index + 1))
    pages = []
    for sample, index in chosen:
        pdf = pdfium.PdfDocument(str(scans / sample["scan"]))
        image = render_pdf_page(pdf, index)
        pdf.close()
        original = extract(Path(sample["original"]), ocr="never").pages[index].text
        pages.append((image, original))
    return pages


def measure_speed(pages: list[tuple], rounds: int) -> list[Speed]:
    from checkers import ocr

    default = ocr.make_engine(tuned=False)
    runners = {
        "rapidocr out of the box (default settings, 200 dpi page)": lambda img: _text_of(default(img)),
        "tuned (checkers.ocr: seal removal, deskew, det ≤ 960 px, no cls, quiet threads)":
            lambda img: ocr.recognise(1, img).text,
    }
    for run in runners.values():
        run(pages[0][0])  # load the models
    best: dict[str, tuple[float, float, float]] = {}
    for _ in range(rounds):
        for name, run in runners.items():
            wall, cpu = time.perf_counter(), time.process_time()
            texts = [run(image) for image, _ in pages]
            wall, cpu = (time.perf_counter() - wall) / len(pages), (time.process_time() - cpu) / len(pages)
            similarity = statistics.mean(_similarity(t, o) for t, (_, o) in zip(texts, pages))
            old = best.get(name)
            best[name] = (min(wall, old[0]) if old else wall, min(cpu, old[1]) if old else cpu, similarity)
    return [Speed(name, *values) for name, values in best.items()]


def _text_of(result) -> str:
    return "\n".join(getattr(result, "txts", None) or ())


def _similarity(text: str, original: str) -> float:
    from rapidfuzz import fuzz

    squeeze = lambda s: "".join(s.split())  # noqa: E731
    return fuzz.ratio(squeeze(text), squeeze(original))


def measure_agreement(scans: Path, manifest: dict) -> dict:
    from checkers.check import check_file

    same = total = expected_ok = expected_total = pages = 0
    seconds = 0.0
    mismatches = []
    for sample in manifest["scans"]:
        started = time.perf_counter()
        scanned = check_file(scans / sample["scan"])
        seconds += time.perf_counter() - started
        pages += scanned.pages
        original = {f.rule: f.status for f in check_file(Path(sample["original"])).findings}
        if scanned.error:
            mismatches.append(f"{sample['name']}: {scanned.error}")
        for finding in scanned.findings:
            total += 1
            same += original.get(finding.rule) == finding.status
            if original.get(finding.rule) != finding.status:
                mismatches.append(f"{sample['name']} {finding.rule}: 扫描件 {finding.status}，原件 "
                                  f"{original.get(finding.rule)}（{finding.message}）")
        for rule, status in sample["expected"].items():
            expected_total += 1
            expected_ok += any(f.rule == rule and f.status == status for f in scanned.findings)
        total += sum(rule not in {f.rule for f in scanned.findings} for rule in original)
    return {"scans": len(manifest["scans"]), "pages": pages, "same": same, "total": total,
            "expected_ok": expected_ok, "expected_total": expected_total, "seconds": seconds,
            "mismatches": mismatches}


def measure_long(work: Path, pages: int) -> dict:
    """`idi check` on a scanned contract of about `pages` pages, in a fresh process."""
    import bench_check
    import make_scans

    [original] = bench_check.build_corpus(work / "long", 1, pages)
    scan = work / "long" / f"scan-{original.name}"
    if not scan.exists():
        facts = make_scans.scan_pdf(original, scan, {"key_text": [], "title": ""}, random.Random(7))
        (work / "long" / "scan.yaml").write_text(yaml.safe_dump(facts), encoding="utf-8")
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "idi", "check", str(scan), "--format", "json", "--jobs", "1",
                              "--no-cache", "--cache-dir", cache, "--max-memory", str(LONG_MAX_MEMORY_MB),
                              "--timeout", "600"], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
    data = json.loads(run.stdout) if run.stdout.strip().startswith("{") else {}
    result = (data.get("results") or data.get("documents") or [{}])[0] if data else {}
    summary = data.get("summary") or {}
    return {"pages": result.get("pages"), "seconds": seconds, "status": result.get("status"),
            "error": result.get("error"), "cpu": summary.get("worker_cpu_seconds"),
            "rss": summary.get("peak_worker_rss_mb"), "returncode": run.returncode, "stderr": run.stderr[-500:]}


def report(speeds: list[Speed], agreement: dict, long: dict | None, page_count: int) -> str:
    base = speeds[0]
    rows = ["| OCR | s/page (wall) | pages/s | CPU s/page | speed-up (wall) | text similarity to original |",
            "|---|---:|---:|---:|---:|---:|"]
    for speed in speeds:
        rows.append(f"| {speed.name} | {speed.wall:.2f} | {1 / speed.wall:.2f} | {speed.cpu:.2f} | "
                    f"{base.wall / speed.wall:.2f}× | {speed.similarity:.1f}% |")
    rows.append("")
    rows.append(f"(same {page_count} scanned pages for both; best of the rounds)")
    rows.append("")
    rows += ["| verdict agreement, scanned vs text original | |", "|---|---:|",
             f"| scans (pages) | {agreement['scans']} ({agreement['pages']}) |",
             f"| findings with the same status | {agreement['same']}/{agreement['total']} "
             f"({100 * agreement['same'] / max(agreement['total'], 1):.1f}%) |",
             f"| findings with the manifest's expected verdict | {agreement['expected_ok']}/{agreement['expected_total']} |",
             f"| checking time, scans | {agreement['seconds']:.0f} s "
             f"({agreement['seconds'] / max(agreement['pages'], 1):.2f} s/page) |"]
    if long:
        rows.append(f"| `idi check --jobs 1` on a {long['pages']}-page scanned contract (fresh process) | "
                    f"{long['seconds']:.1f} s, worker CPU {long['cpu']} s, peak RSS {long['rss']} MB ({long['status']}) |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "idi-bench-ocr")
    parser.add_argument("--scans", type=int, default=0, help="scan N samples evenly spread over the set (0: all)")
    parser.add_argument("--speed-pages", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--long-pages", type=int, default=20, help="0 to skip the long contract")
    parser.add_argument("--no-agreement", action="store_true")
    args = parser.parse_args()
    scans, manifest = ensure_scans(args.work, args.scans)
    pages = speed_pages(scans, manifest, args.speed_pages)
    speeds = measure_speed(pages, args.rounds)
    agreement = {"scans": 0, "pages": 0, "same": 0, "total": 0, "expected_ok": 0, "expected_total": 0,
                 "seconds": 0.0, "mismatches": []} if args.no_agreement else measure_agreement(scans, manifest)
    long = measure_long(args.work, args.long_pages) if args.long_pages else None
    for line in agreement["mismatches"]:
        print("不一致：", line, file=sys.stderr)
    if long and (long["returncode"] not in (0, 1) or long["error"]):
        print("长合同检查失败：", long["error"], long["stderr"], file=sys.stderr)
    print(report(speeds, agreement, long, len(pages)))


if __name__ == "__main__":
    main()
