"""`idi check`: verify the clauses the regulations require in submitted documents, one file or a
folder of thousands (in parallel, time- and memory-limited, cached), with reports for reviewers;
on this machine's cores (the local process pool) or on a Ray cluster (`--executor ray`)."""
from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeRemainingColumn)
from rich.table import Table

from checkers.batch import (DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, BatchItem, BatchRunner, BatchSettings,
                            BatchStats, InputOrder, Runner, available_cores)
from checkers.cache import ResultCache, default_cache_dir
from checkers.check import OCR_MODES, CheckOptions, KIND_TITLES, load_project_data, load_user_rules
from checkers.extract import IMAGE_SUFFIXES
from checkers.findings import DocumentResult
from checkers.ray_runner import DEFAULT_RETRIES, TRANSFERS, RayBatchRunner, RayUnavailable, import_ray  # ray: lazily
from checkers.reports import ReportError, ReportWriter, open_report
from checkers.reports.jsonl import JsonReport
from corpus.packs import resolve_pack
from corpus.schema import DOC_KINDS

from .views import console

SUPPORTED = (".pdf", ".docx", ".txt", *IMAGE_SUFFIXES)  # scans as images: PNG, JPEG, TIFF
EXECUTORS = ("local", "ray")
GLOB_CHARACTERS = "*?["
STATUS_LABELS = {"pass": "[green]通过[/green]", "fail": "[red]不合格[/red]", "warn": "[yellow]提示[/yellow]",
                 "not-applicable": "[dim]不适用[/dim]", "error": "[red]无法读取[/red]"}


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--jurisdiction", "-j", help="规则包 id 或城市名（默认按项目文件或正文判断）。")
@click.option("--kind", "-k", type=click.Choice(DOC_KINDS), help="文书类型（默认按标题和正文判断）。")
@click.option("--project", type=click.Path(dir_okay=False, path_type=Path),
              help="项目文件：文中的保险公司、电话、维修单位须与之一致。")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="附加规则文件（规则包的 clauses 格式），可多次指定。")
@click.option("--password", help="加密 PDF 的打开密码（对没有密码的文件无影响）。")
@click.option("--ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="文字识别：auto 只识别没有可用文本层的页（扫描件），always 识别每一页，never 不识别。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="标准输出的格式。")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="报告文件，按扩展名选择格式：.html .xlsx .csv .jsonl .json；可多次指定。")
@click.option("--jobs", type=click.IntRange(min=1),
              help="并行检查的进程数（默认：全部 CPU 核心）；用 Ray 时为同时检查的文件数（默认：集群的 CPU 数）。")
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True,
              help="每个文件的检查时间上限（秒），超时的文件记为无法读取。")
@click.option("--max-memory", type=click.IntRange(min=0), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              help="每个检查进程的内存上限（MB，0 为不限；用 Ray 时为每个任务的内存预算）。")
@click.option("--max-pages", type=click.IntRange(min=0), default=0, show_default=True,
              help="PDF 页数上限，超过的文件不检查并记为无法读取（0 为不限）。")
@click.option("--no-cache", is_flag=True, help="不使用也不保存缓存的检查结果。")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="缓存目录（默认 $XDG_CACHE_HOME/idi 或 ~/.cache/idi）。")
@click.option("--executor", type=click.Choice(EXECUTORS),
              help="在哪里检查：local 本机的多个进程（默认），ray 在 Ray 集群上（需要 pip install 'idi[ray]'）。")
@click.option("--address", help="Ray 集群地址：主机:6379（在集群的节点上运行时）或 ray://主机:10001（Ray Client，"
                                "需要 ray[client]）；意味着 --executor ray。不指定时用环境变量 RAY_ADDRESS "
                                "或本机用 ray start 启动的集群，都没有则在本机启动一个。")
@click.option("--transfer", type=click.Choice(TRANSFERS),
              help="Ray 节点如何拿到文件：path 按路径读取（各节点须挂载同一共享存储，默认），"
                   "bytes 由本机读取后经 Ray 对象存储发送。")
@click.option("--retries", type=click.IntRange(min=0),
              help=f"Ray 检查进程异常退出时，同一文件最多重试的次数（默认 {DEFAULT_RETRIES}）。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条，表格输出只显示汇总。")
def check(paths, jurisdiction, kind, project, rule_files, password, ocr, fmt, outputs, jobs, timeout, max_memory,
          max_pages, no_cache, cache_dir, executor, address, transfer, retries, quiet) -> None:
    """检查 PATHS（PDF、DOCX、TXT 文件或扫描图片，文件夹，或加引号的通配符如 "送审/**/*.pdf"）是否载明规定的条款。

    文件夹递归检查其中的 PDF、DOCX、TXT 文件和扫描图片（PNG、JPEG、TIFF；跳过隐藏文件和 Word 临时文件 ~$*）。多个文件并行检查；
    无法读取、超时或使检查进程崩溃的文件记为“无法读取”并说明原因，其余文件照常检查。
    结果按文件内容缓存，未改动的文件再次检查时直接取用。

    --executor ray 在 Ray 集群上检查（--jobs 为同时检查的文件数，默认为集群的 CPU 数），报告、缓存和退出码与本机相同。

    退出码：0 全部通过；1 有不合格或无法读取的文件；2 用法错误。
    """
    executor = _executor(executor, address, transfer, retries)
    options = _check_options(jurisdiction, kind, project, rule_files, password, ocr)
    files = expand_paths(paths)
    cache = None if no_cache else ResultCache.open(cache_dir or default_cache_dir(), options, max_pages)
    settings = BatchSettings(jobs=_jobs(jobs, executor, len(files)), timeout=timeout, max_memory_mb=max_memory,
                             max_pages=max_pages, cache=cache)
    reports = _reports(outputs)  # a report that cannot be written is refused before any checking
    stdout_output = JsonReport(None, sys.stdout) if fmt == "json" else TableOutput(quiet)
    progress = not quiet and not (fmt == "json" and sys.stdout.isatty())  # JSON would tear the bar
    stats = run(files, options, settings, [stdout_output, *reports], progress=progress, executor=executor)
    print_summary(stats, outputs, console if fmt == "table" else Console(stderr=True))
    sys.exit(1 if stats.statuses["fail"] or stats.statuses["error"] else 0)


def _jobs(jobs: int | None, executor: dict, files: int) -> int:
    """Worker processes (0: Ray decides). Locally no more than files, so that a lone scan's worker
    gets all the cores for OCR (batch.share_ocr_threads)."""
    if executor["executor"] != "local":
        return jobs or 0
    return min(jobs or available_cores(), files)


def _executor(executor, address, transfer, retries) -> dict:
    """The executor's settings for `make_runner`; Ray options without Ray are usage errors."""
    executor = executor or ("ray" if address else "local")
    if executor == "local":
        given = [name for name, value in (("--address", address), ("--transfer", transfer), ("--retries", retries))
                 if value is not None]
        if given:
            raise click.UsageError(f"{'、'.join(given)} 只用于 --executor ray")
        return {"executor": "local"}
    try:
        import_ray()  # before any checking: a missing extra is a usage error
    except RayUnavailable as exc:
        raise click.UsageError(str(exc)) from None
    return {"executor": "ray", "address": address, "transfer": transfer or "path",
            "retries": DEFAULT_RETRIES if retries is None else retries}


def make_runner(options: CheckOptions, settings: BatchSettings, executor: str = "local", **ray_settings) -> Runner:
    """The local process pool, or the Ray executor (`address`, `transfer`, `retries`)."""
    if executor == "ray":
        return RayBatchRunner(options, settings, **ray_settings)
    return BatchRunner(options, settings)


def _check_options(jurisdiction, kind, project, rule_files, password, ocr) -> CheckOptions:
    if jurisdiction:
        resolve_pack(jurisdiction)  # an unknown pack is a usage error, not a per-file one
    return CheckOptions(
        jurisdiction=jurisdiction, kind=kind,
        project=load_project_data(project) if project else None,
        rules=[load_user_rules(path) for path in rule_files], password=password, ocr=ocr)


def _reports(outputs: Iterable[Path]) -> list[ReportWriter]:
    writers: list[ReportWriter] = []
    try:
        for path in dict.fromkeys(outputs):
            writers.append(open_report(path))
    except ReportError as exc:
        for writer in writers:
            writer.abort()
        raise click.UsageError(str(exc)) from None
    return writers


def run(files: list[Path], options: CheckOptions, settings: BatchSettings, outputs: list,
        progress: bool = True, executor: dict | None = None) -> BatchStats:
    """Check the files, feeding every output in input order; outputs are aborted if the batch is.
    `executor`: `make_runner`'s settings (default: the local process pool)."""
    runner = make_runner(options, settings, **(executor or {}))
    order = InputOrder()
    try:
        with BatchProgress(len(files), enabled=progress and sys.stderr.isatty()) as bar:
            for item in runner.run(files):
                bar.update(runner.stats)
                for ready in order.push(item):
                    for output in outputs:
                        output.add(ready)
        for output in outputs:
            output.close(runner.stats)
    except BaseException:
        for output in outputs:
            output.abort()
        raise
    return runner.stats


# --- which files ----------------------------------------------------------------------------------


def expand_paths(arguments: Iterable[str | Path]) -> list[Path]:
    """Files as given (any extension: extraction says what is wrong), folders searched recursively,
    glob patterns (with **) expanded; each file once, in the order given."""
    files: dict[str, Path] = {}
    for argument in arguments:
        for path in _expand(str(argument)):
            files.setdefault(os.path.abspath(path), path)
    if not files:
        raise click.UsageError("没有找到要检查的 PDF、DOCX 或 TXT 文件")
    return list(files.values())


def _expand(argument: str) -> Iterator[Path]:
    path = Path(argument)
    if path.is_dir():
        yield from walk(path)
    elif any(c in argument for c in GLOB_CHARACTERS) and not os.path.lexists(path):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            click.echo(f"提示：“{argument}”没有匹配的文件", err=True)
        for match in map(Path, matches):
            if match.is_dir():
                yield from walk(match)
            elif _wanted(match.name):
                yield match
    else:
        yield path


def walk(folder: Path) -> list[Path]:
    """Supported files under `folder`, sorted; hidden entries, Word lock files and symlinked folders
    are skipped, but a broken link or an unreadable file is listed (it gets a clear error)."""
    found = []
    for root, folders, names in os.walk(folder, followlinks=False):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found += [Path(root) / name for name in names if _wanted(name)]
    return sorted(found)


def _wanted(name: str) -> bool:
    return (Path(name).suffix.lower() in SUPPORTED and not name.startswith((".", "~$")))


# --- terminal output ------------------------------------------------------------------------------


class BatchProgress:
    """A progress bar on stderr with counts and time left; does nothing when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.progress = Progress(
            SpinnerColumn(), TextColumn("检查"), BarColumn(), MofNCompleteColumn(),
            TextColumn("通过 [green]{task.fields[passed]}[/] · 不合格 [red]{task.fields[failed]}[/] · "
                       "无法读取 {task.fields[errors]}"),
            TextColumn("· 剩余"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True) if enabled else None
        self.total = total

    def __enter__(self) -> BatchProgress:
        if self.progress:
            self.progress.start()
            self.task = self.progress.add_task("检查", total=self.total, passed=0, failed=0, errors=0)
        return self

    def update(self, stats: BatchStats) -> None:
        if self.progress:
            counts = stats.statuses
            self.progress.update(self.task, completed=stats.files, passed=counts["pass"], failed=counts["fail"],
                                 errors=counts["error"])

    def __exit__(self, *exc) -> None:
        if self.progress:
            self.progress.stop()


class TableOutput:
    """Each file's findings as a table on stdout (only the summary with `quiet`)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def add(self, item: BatchItem) -> None:
        if not self.quiet:
            print_result(item.result)

    def close(self, stats: BatchStats) -> None:
        pass

    def abort(self) -> None:
        pass


def print_result(result: DocumentResult) -> None:
    kind = KIND_TITLES.get(result.kind, "") if result.kind else ""
    console.print(f"\n[bold]{escape(str(result.path))}[/bold]  {STATUS_LABELS[result.status]}"
                  f"  {kind} {result.jurisdiction or ''}")
    if result.error:
        console.print(f"  {escape(result.error)}")
        return
    for note in result.notes:
        console.print(f"  [dim]{escape(note)}[/dim]")
    if not result.findings:
        return
    table = Table(box=box.SIMPLE, show_lines=False, expand=False)
    for column in ("规则", "结论", "说明", "证据（页·条款）", "依据"):
        table.add_column(column, overflow="fold")
    for finding in result.findings:
        where = "；".join(f"第{e.page}页·{e.clause}" for e in finding.evidence if e.page)
        table.add_row(finding.rule, STATUS_LABELS[finding.status], escape(finding.message),
                      escape(where), escape(finding.citation))
    console.print(table)


def print_summary(stats: BatchStats, outputs: Iterable[Path], out: Console) -> None:
    counts = stats.statuses
    out.print(f"\n共 {stats.files} 个文件：通过 {counts['pass']}，不合格 {counts['fail']}，"
              f"无法读取 {counts['error']}。", soft_wrap=True)
    details = [f"用时 {stats.elapsed:.1f} 秒", f"检查进程 {stats.workers_started} 个"]
    if stats.cached:
        details.append(f"{stats.cached} 个文件的结果来自缓存")
    if stats.timeouts:
        details.append(f"{stats.timeouts} 个文件超时")
    if stats.crashes:
        details.append(f"{stats.crashes} 个文件使检查进程异常退出")
    if stats.cache_write_failures:
        details.append(f"{stats.cache_write_failures} 个结果未能写入缓存（缓存目录不可写？可用 --cache-dir 另选）")
    out.print(f"[dim]{escape('；'.join(details))}。[/dim]", highlight=False, soft_wrap=True)
    for path in dict.fromkeys(outputs):
        out.print(f"报告已写入 {escape(str(path))}", highlight=False, soft_wrap=True)
