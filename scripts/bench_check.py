#!/usr/bin/env python3
"""Benchmark `idi check` against plain text extraction of the same PDFs.

    python scripts/bench_check.py [--n 500] [--pages 20] [--work DIR] [--plumber-files K]

1. Builds N contracts of about 20 pages as PDF (once; kept in --work for later runs): the sample
   set's documents (scripts/make_samples.py), each padded with its own ordinary clauses in a
   different order to about 20 pages, written as DOCX and converted by LibreOffice (one call per
   100 documents).
2. Times, each in a fresh process: `idi check DIR --jobs 1` and `--jobs 2` (cold: --no-cache),
   pypdfium2 text extraction page by page, and pdfplumber's extract_text (on the first K files
   only when --plumber-files is given: it is much slower; rates are per page, so still comparable).
3. Prints a Markdown table: files, pages, wall time, pages per second, time per page relative to
   pypdfium2 extraction, processor time per page (for idi check: its workers' time on the files, so
   the figure does not depend on other load on the machine) and its ratio, and peak resident memory
   per process (for idi check: the largest of its workers, as reported in the JSON summary); a last
   row gives the fixed cost of one `idi check` run (start-up and warm-up).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

PAD_TITLE = "补充约定"
PAD_PARAGRAPHS = 3  # paragraphs per padding article
CONVERT_BATCH = 100  # documents per LibreOffice call
STARTUP_TEXT = "上海市商品房预售合同\n第十八条 住宅工程质量潜在缺陷保险\n建设单位监督电话：021-64587700。\n"


# --- the corpus -----------------------------------------------------------------------------------


def build_corpus(out: Path, count: int, pages: int) -> list[Path]:
    """N padded contracts as PDF in out/pdf (reused when already there)."""
    import make_samples as ms

    pdf_dir, docx_dir = out / "pdf", out / "docx"
    names = [f"合同-{i:04d}" for i in range(count)]
    if all((pdf_dir / f"{name}.pdf").exists() for name in names):
        return [pdf_dir / f"{name}.pdf" for name in names]
    docx_dir.mkdir(parents=True, exist_ok=True)
    cases, packs = ms.all_cases(), ms.packs_by_id()
    contexts = {pack_id: ms.context(pack) for pack_id, pack in packs.items() if pack_id in ms.CASTS}
    for index, name in enumerate(names):
        path = docx_dir / f"{name}.docx"
        if not path.exists():
            case = cases[index % len(cases)]
            doc = ms.build_document(case, contexts[ms.FAMILIES[case.family].pack])
            ms.render_docx(padded(doc, pages * ms.LINES_PER_PAGE - 8, random.Random(index)), path)
    started = time.perf_counter()
    missing = [docx_dir / f"{name}.docx" for name in names if not (pdf_dir / f"{name}.pdf").exists()]
    for first in range(0, len(missing), CONVERT_BATCH):  # LibreOffice tires in very long runs
        ms.convert_to_pdf(missing[first:first + CONVERT_BATCH], pdf_dir)
    print(f"LibreOffice 转换 {len(missing)} 个文件用时 {time.perf_counter() - started:.0f} 秒", file=sys.stderr)
    return [pdf_dir / f"{name}.pdf" for name in names]


def padded(doc, lines: int, rng: random.Random):
    """`doc` with articles of its own ordinary paragraphs (shuffled) added until it fills about `lines`."""
    import make_samples as ms

    pool = [b for s in doc.sections if s.key != "front" for b in s.body
            if isinstance(b, ms.Para) and not b.key and b.style == "body"]
    rng.shuffle(pool)
    have = estimated_lines(doc)
    extra, chunk, used = [], [], 0
    while pool and have < lines:
        para = pool[used % len(pool)]
        used += 1
        chunk.append(para)
        have += ms.estimate_block_lines(para)
        if len(chunk) == PAD_PARAGRAPHS or have >= lines:
            extra.append(ms.Section(f"pad-{len(extra)}", PAD_TITLE, tuple(chunk)))
            have += 1
            chunk = []
    keys = [s.key for s in doc.sections]
    at = next((keys.index(k) for k in ("force-majeure", "signatures") if k in keys), len(keys))
    return replace(doc, sections=(*doc.sections[:at], *extra, *doc.sections[at:]))


def estimated_lines(doc) -> int:
    import make_samples as ms

    total = 3  # the title
    for section in doc.sections:
        total += 1 if section.title else 0
        for block in section.body:
            if isinstance(block, ms.Para):
                total += ms.estimate_block_lines(block)
            else:
                total += sum(max(ms.estimate_lines(cell, 0) for cell in row) for row in block.rows) * 2
    return total


# --- measurements ---------------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    files: int
    pages: int
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float  # processor time spent on the files (idi check: in its workers)
    note: str = ""
    rated: bool = True  # pages per second mean something

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0


def measure_startup(scratch: Path) -> Measure:
    """`idi check` on one short text: the fixed cost (interpreter, imports, the workers' warm-up)."""
    folder = scratch / "startup"
    folder.mkdir(exist_ok=True)
    (folder / "合同.txt").write_text(STARTUP_TEXT, encoding="utf-8")
    measure = measure_idi([folder], 1)
    measure.name, measure.note = "idi check 启动开销（1 个短文本）", "每次运行的固定开销，已含在各 idi check 行的用时中"
    measure.rated = False
    return measure


def measure_idi(paths: list[Path], jobs: int) -> Measure:
    command = [sys.executable, "-m", "idi", "check", *map(str, paths), "--jobs", str(jobs), "--no-cache", "--quiet",
               "--format", "json"]
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)
        seconds = time.perf_counter() - started
        out.seek(0)
        data = json.load(out)
    pages = sum(doc["pages"] for doc in data["documents"])
    summary = data["summary"]
    note = f"通过 {summary['pass']}，不合格 {summary['fail']}，无法读取 {summary['error']}"
    return Measure(f"idi check --jobs {jobs}", summary["files"], pages, seconds, summary["peak_worker_rss_mb"],
                   summary["worker_cpu_seconds"], note)


def measure_extraction(library: str, files: list[Path]) -> Measure:
    """Run this script's extraction mode in a fresh process (its own peak memory)."""
    command = [sys.executable, __file__, "--extract", library, *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    data = json.loads(result.stdout)
    return Measure(f"{library} 提取文本", len(files), data["pages"], data["seconds"], data["peak_rss_mb"],
                   data["cpu_seconds"])


def extract_all(library: str, files: list[str]) -> None:
    """The extraction mode: extract every page's text, print pages, seconds and peak memory as JSON."""
    extractor = {"pypdfium2": _pdfium_pages, "pdfplumber": _plumber_pages}[library]
    extractor(files[0])  # imports and first-use costs are not the files' (idi check warms up too)
    started, cpu_started = time.perf_counter(), time.process_time()
    pages = sum(extractor(path) for path in files)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_rss_mb": peak}))


def _pdfium_pages(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def _plumber_pages(path: str) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def table(measures: list[Measure]) -> str:
    base = next(m for m in measures if m.name.startswith("pypdfium2"))
    rows = ["| 方法 | 文件 | 页数 | 用时（秒） | 页/秒 | 每页用时 ÷ pypdfium2 | 每页 CPU（毫秒） | "
            "每页 CPU ÷ pypdfium2 | 峰值内存（MB/进程） | 备注 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for m in measures:
        rated = m.rated and m.pages_per_second
        rate = f"{m.pages_per_second:.0f}" if rated else "—"
        ratio = f"{base.pages_per_second / m.pages_per_second:.2f}×" if rated else "—"
        cpu = f"{m.cpu_ms_per_page:.2f}" if rated else "—"
        cpu_ratio = f"{m.cpu_ms_per_page / base.cpu_ms_per_page:.2f}×" if rated else "—"
        rows.append(f"| {m.name} | {m.files} | {m.pages} | {m.seconds:.1f} | {rate} | {ratio} | {cpu} | {cpu_ratio} | "
                    f"{m.peak_rss_mb:.0f} | {m.note} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="idi check 性能测试")
    parser.add_argument("--n", type=int, default=500, help="合同数量（默认 500）")
    parser.add_argument("--pages", type=int, default=20, help="每份合同的大致页数（默认 20）")
    parser.add_argument("--work", type=Path, help="存放生成的合同的目录（默认临时目录；已有则复用）")
    parser.add_argument("--plumber-files", type=int, help="pdfplumber 只测前 K 个文件（它慢得多）")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="要测的并行数（默认 1 2）")
    parser.add_argument("--extract", choices=["pypdfium2", "pdfplumber"], help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.extract:
        return extract_all(args.extract, args.files)
    with tempfile.TemporaryDirectory(prefix="idi-bench-") as scratch:
        work = args.work or Path(scratch)
        files = build_corpus(work, args.n, args.pages)
        measures = [measure_extraction("pypdfium2", files)]
        measures += [measure_idi(files, jobs) for jobs in args.jobs]
        measures.append(measure_startup(Path(scratch)))
        measures.append(measure_extraction("pdfplumber", files[:args.plumber_files or len(files)]))
    print(table(measures))


if __name__ == "__main__":
    main()
