#!/usr/bin/env python3
"""Throughput of the local process pool against Ray, with 1 and 2 workers, on the same files.

    python scripts/bench_scale.py [--n 200] [--pages 20] [--scans 2] [--scan-pages 4] [--tiny 200]
                                  [--work DIR] [--workers 1 2]

Needs the ray extra (pip install 'idi[ray]') and LibreOffice (to build the contracts).

1. Files (kept in --work for later runs): N text contracts of about 20 pages as PDF
   (scripts/bench_check.py's corpus); K scanned contracts, the first P pages of the first K text
   contracts through scripts/make_scans.py (sealed, skewed, noisy, JPEG: image-only PDFs); and
   `--tiny` one-line text files, whose checking costs almost nothing, to measure the cost of a task.
2. For each executor and worker count: the local pool with `--jobs W`; Ray on a local runtime of W
   CPUs (`ray.init(num_cpus=W)`, its start-up timed separately), warmed up on a few tiny files
   first so that every Ray worker has loaded the packs (the local pool's workers fork warm from
   its fork server). Each set of files is checked cold (no cache), in this process, through the
   same `Runner` interface `idi check` uses.
3. Prints a Markdown table (wall time, files and pages per second, the workers' processor time
   per page: that figure does not depend on other load on the machine), Ray's start-up time and
   the cost of one task (Ray's wall time per tiny file less the local pool's, with one worker).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

TINY_TEXT = "上海市商品房预售合同\n第十八条 住宅工程质量潜在缺陷保险\n建设单位监督电话：021-64587700。\n"
WARM_UP_FILES = 8


@dataclass
class Row:
    executor: str
    workers: int
    corpus: str
    files: int
    pages: int
    seconds: float
    cpu_seconds: float
    errors: int
    page_tasks: int = 0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0


# --- the files ------------------------------------------------------------------------------------


def build_scans(out: Path, originals: list[Path], pages: int) -> list[Path]:
    """Image-only scans of the first `pages` pages of each original (reused when already there)."""
    import make_scans
    from pypdf import PdfReader, PdfWriter

    out.mkdir(parents=True, exist_ok=True)
    scans = []
    for original in originals:
        target = out / f"扫描-{original.stem}-{pages}页.pdf"
        if not target.exists():
            cut = out / f".{original.stem}-{pages}.pdf"
            writer = PdfWriter()
            for page in PdfReader(original).pages[:pages]:
                writer.add_page(page)
            writer.write(cut)
            make_scans.scan_pdf(cut, target, {}, random.Random(original.stem))
            cut.unlink()
        scans.append(target)
    return scans


def build_tiny(out: Path, count: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = out / f"短文本-{index:04d}.txt"
        if not path.exists():
            path.write_text(TINY_TEXT + f"第{index}号\n", encoding="utf-8")  # distinct: no two share a cache key
        paths.append(path)
    return paths


# --- measuring ------------------------------------------------------------------------------------


def measure(executor: str, workers: int, corpus: str, files: list[Path], runner) -> Row:
    started = time.perf_counter()
    items = list(runner.run(files))
    seconds = time.perf_counter() - started
    stats = runner.stats
    pages = sum(item.result.pages for item in items)
    row = Row(executor, workers, corpus, len(items), pages, seconds, stats.cpu_seconds, stats.statuses["error"],
              stats.page_tasks)
    print(f"  {executor} ×{workers} {corpus}: {seconds:.1f} 秒", file=sys.stderr)
    return row


def run_local(workers: int, corpora: dict[str, list[Path]], settings_args: dict) -> list[Row]:
    from checkers.batch import BatchRunner, BatchSettings
    from checkers.check import CheckOptions

    settings = BatchSettings(jobs=workers, **settings_args)
    return [measure("本机进程池", workers, name, files, BatchRunner(CheckOptions(), settings))
            for name, files in corpora.items()]


def run_ray(workers: int, corpora: dict[str, list[Path]], settings_args: dict, warm: list[Path],
            transfer: str) -> tuple[list[Row], float]:
    import ray

    from checkers.batch import BatchSettings
    from checkers.check import CheckOptions
    from checkers.ray_runner import RayBatchRunner

    started = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    startup = time.perf_counter() - started
    try:
        settings = BatchSettings(jobs=workers, **settings_args)
        list(RayBatchRunner(CheckOptions(), settings, transfer=transfer).run(warm))  # every worker warm
        rows = [measure("Ray", workers, name, files, RayBatchRunner(CheckOptions(), settings, transfer=transfer))
                for name, files in corpora.items()]
    finally:
        ray.shutdown()
    return rows, startup


def table(rows: list[Row]) -> str:
    lines = ["| 执行方式 | 工作进程 | 文件 | 文件数 | 页数 | 用时（秒） | 文件/秒 | 页/秒 | 每页 CPU（毫秒） | 无法读取 |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r.executor} | {r.workers} | {r.corpus} | {r.files} | {r.pages} | {r.seconds:.1f} | "
                     f"{r.files / r.seconds:.1f} | {r.pages / r.seconds:.1f} | {r.cpu_ms_per_page:.1f} | {r.errors} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="本机进程池与 Ray 的吞吐量对比")
    parser.add_argument("--n", type=int, default=200, help="文字版合同数量（默认 200）")
    parser.add_argument("--pages", type=int, default=20, help="每份合同的大致页数（默认 20）")
    parser.add_argument("--scans", type=int, default=2, help="扫描件数量（默认 2，0 为不测）")
    parser.add_argument("--scan-pages", type=int, default=4, help="每份扫描件的页数（默认 4）")
    parser.add_argument("--tiny", type=int, default=200, help="测量每个任务开销用的短文本数量（默认 200）")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="工作进程数（默认 1 2）")
    parser.add_argument("--transfer", choices=["path", "bytes"], default="path", help="Ray 传送文件的方式")
    parser.add_argument("--max-memory", type=int, default=0,
                        help="每个进程的内存上限 MB（默认 0 不限：本机进程池的默认上限对 OCR 偏紧）")
    parser.add_argument("--work", type=Path, help="存放生成文件的目录（默认临时目录；已有则复用）")
    args = parser.parse_args()
    from bench_check import build_corpus

    with tempfile.TemporaryDirectory(prefix="idi-scale-") as scratch:
        work = args.work or Path(scratch)
        texts = build_corpus(work, args.n, args.pages)
        corpora = {f"文字版 PDF（{args.pages} 页）": texts}
        if args.scans:
            corpora[f"扫描件 PDF（{args.scan_pages} 页）"] = build_scans(work / "scans", texts[:args.scans],
                                                                   args.scan_pages)
        tiny = build_tiny(work / "tiny", args.tiny + WARM_UP_FILES)
        corpora["短文本（任务开销）"] = tiny[WARM_UP_FILES:]
        settings_args = {"max_memory_mb": args.max_memory}
        rows: list[Row] = []
        startups = {}
        for workers in args.workers:
            rows += run_local(workers, corpora, settings_args)
        for workers in args.workers:
            ray_rows, startups[workers] = run_ray(workers, corpora, settings_args, tiny[:WARM_UP_FILES],
                                                  args.transfer)
            rows += ray_rows
    print(table(rows))
    print()
    print("Ray 本地运行时启动用时：" + "，".join(f"{w} 个 CPU {s:.1f} 秒" for w, s in startups.items()))
    tiny_rows = {(r.executor, r.workers): r for r in rows if r.corpus.startswith("短文本")}
    if ("Ray", 1) in tiny_rows and ("本机进程池", 1) in tiny_rows:
        ray_row, local_row = tiny_rows[("Ray", 1)], tiny_rows[("本机进程池", 1)]
        overhead = 1000 * (ray_row.seconds / ray_row.files - local_row.seconds / local_row.files)
        print(f"每个 Ray 任务的额外开销（1 个工作进程，短文本）：{overhead:.1f} 毫秒"
              f"（Ray {1000 * ray_row.seconds / ray_row.files:.1f} 毫秒/文件，"
              f"本机 {1000 * local_row.seconds / local_row.files:.1f} 毫秒/文件）")
    scan_rows = [r for r in rows if r.corpus.startswith("扫描件") and r.pages]
    for r in scan_rows:
        print(f"{r.executor} ×{r.workers} 扫描件：每页 CPU {r.cpu_ms_per_page / 1000:.2f} 秒，"
              f"每页用时 {r.seconds / r.pages:.2f} 秒，页任务 {r.page_tasks} 个")


if __name__ == "__main__":
    main()
