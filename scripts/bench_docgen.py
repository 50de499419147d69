"""Owner notices per second, on one core: .docx through the prepared template (prepare once, fill
many — the `idi generate owner-notice --rows` path), .docx the naive way (template read, parsed
and compiled for every document), and PDF (one LibreOffice process for the whole batch).

    python scripts/bench_docgen.py [-n 500] [--naive 100] [--pdf 50] [--project FILE] [--cpu N] [--keep DIR]

Prints a Markdown table and the peak memory (resource.getrusage) of this process and of its
children (LibreOffice). Target: at least 100 .docx a second on one core.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docgen  # noqa: E402
from docgen import bulk, packets  # noqa: E402
from docgen.render import clear_template_cache  # noqa: E402

TYPE = "owner-notice"


@dataclass
class Measure:
    path: str
    count: int
    seconds: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def owner_rows(n: int) -> bulk.Rows:
    rows = [(i + 2, [f"业主{i:04d}", f"{i // 100 + 1}号楼{i % 100 + 1:02d}室", f"139{i:08d}"]) for i in range(n)]
    return bulk.Rows("合成业主表", ["业主姓名", "户号", "联系电话"], rows)


def prepared(record: packets.ProjectRecord, n: int, out: Path) -> tuple[Measure, list[bulk.Outcome]]:
    """The bulk path: one Batch (template prepared once), one task per row, written to disk."""
    started = time.perf_counter()
    tasks, _ = bulk.row_tasks(docgen.get_type(TYPE), record.data_for(TYPE), owner_rows(n), out)
    outcomes = bulk.Batch(record.pack, force=True).run(tasks)
    seconds = time.perf_counter() - started
    failed = [o for o in outcomes if not o.written]
    if failed:
        raise SystemExit(f"{len(failed)} 份未生成：{failed[0].reason}")
    return Measure("docx，预编译模板（一次编译、多次填充）", n, seconds), outcomes


def naive(record: packets.ProjectRecord, n: int, out: Path) -> Measure:
    """docgen.render per document with the template cache cleared: read, parse, compile each time."""
    data = record.data_for(TYPE)
    started = time.perf_counter()
    for i in range(n):
        clear_template_cache()
        data["owner"] = {"name": f"业主{i:04d}", "unit": f"{i + 1}室"}
        docgen.render(TYPE, data, record.pack, out / f"naive-{i}.docx")
    return Measure("docx，朴素方式（每份重新读取、解析、编译模板）", n, time.perf_counter() - started)


def pdf(outcomes: list[bulk.Outcome], n: int, out: Path) -> Measure:
    batch = outcomes[:n]
    if not shutil.which("soffice"):
        return Measure("pdf（LibreOffice 一次批量转换）", 0, 0.0, "未安装 LibreOffice，跳过")
    try:
        bulk.pdf_converter()
    except Exception as exc:  # noqa: BLE001 - reported in the table
        return Measure("pdf（LibreOffice 一次批量转换）", 0, 0.0, str(exc))
    started = time.perf_counter()
    bulk.convert_pdfs(batch, out)
    seconds = time.perf_counter() - started
    return Measure("pdf（LibreOffice 一次批量转换，含启动）", len(batch), seconds, f"每份 {pages(batch[0].pdf)} 页")


def pages(pdf_path: Path) -> int:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(document)
    finally:
        document.close()


def pin_to_one_core(cpu: int | None) -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "未限制（平台不支持）"
    cpu = min(os.sched_getaffinity(0)) if cpu is None else cpu
    os.sched_setaffinity(0, {cpu})  # inherited by LibreOffice too
    return f"CPU {cpu}"


def table(measures: list[Measure]) -> str:
    lines = ["| 路径 | 份数 | 用时（秒） | 份/秒 | 说明 |", "|---|---:|---:|---:|---|"]
    for m in measures:
        rate = f"{m.rate:.1f}" if m.count else "—"
        lines.append(f"| {m.path} | {m.count} | {m.seconds:.2f} | {rate} | {m.note} |")
    return "\n".join(lines)


def peak_memory() -> str:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"峰值内存：本进程 {own:.0f} MB；子进程（LibreOffice）{children:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="预编译路径生成的 .docx 份数（默认 500）")
    parser.add_argument("--naive", type=int, default=100, help="朴素路径的份数（默认 100）")
    parser.add_argument("--pdf", type=int, default=50, help="转为 PDF 的份数（默认 50；0 跳过）")
    parser.add_argument("--project", type=Path, default=ROOT / "corpus" / "samples" / "project-shanghai.yaml")
    parser.add_argument("--cpu", type=int, help="固定在哪个 CPU 上运行（默认可用的第一个）")
    parser.add_argument("--keep", type=Path, help="把生成的文件留在此文件夹（默认用临时文件夹并删除）")
    args = parser.parse_args()

    core = pin_to_one_core(args.cpu)
    record = packets.load_record(args.project)
    docgen.prepare(TYPE, record.pack)  # import and first compile outside the timings
    with tempfile.TemporaryDirectory(prefix="idi-bench-") as folder:
        out = args.keep or Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        measures = []
        fast, outcomes = prepared(record, args.n, out / "prepared")
        measures.append(fast)
        if args.naive:
            (out / "naive").mkdir(exist_ok=True)
            measures.append(naive(record, args.naive, out / "naive"))
        if args.pdf:
            measures.append(pdf(outcomes, args.pdf, out / "prepared"))
    print(f"保险告知书（{record.pack.id}，{args.project.name}），单核（{core}），Python {sys.version.split()[0]}\n")
    print(table(measures))
    print(f"\n{peak_memory()}")


if __name__ == "__main__":
    main()
