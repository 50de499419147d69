"""Checking many files in worker processes: streamed, time-limited, memory-limited, crash-proof.

`BatchRunner(options, settings).run(paths)` yields one `BatchItem` per path, in completion order
(`item.index` is the input position). At most `jobs` files are in flight, so memory stays bounded
however many files there are; the caller consumes results as they arrive.

- Processes, not threads: pypdfium2 is not thread-safe, and a process can be killed. Workers fork
  from a fork server (safe while the parent runs threads such as a progress bar) that has warmed
  up once what the checker loads lazily (rule packs, insurer registry, jieba's dictionary, PDF
  libraries: about a second, charged to no file), so a worker, or its replacement after a time-out,
  is ready in milliseconds. Each worker caps its address space with RLIMIT_AS (`max_memory_mb`),
  ignores Ctrl-C (the parent stops it) and checks one file at a time. Without a fork server
  (not POSIX) workers are spawned and warm up themselves. Scripts that run a batch need the usual
  `if __name__ == "__main__":` guard.
- Time limit: a file still running after `timeout` seconds gets status error and its worker is
  killed; a fresh worker is started for the next file.
- OCR threads: each worker gets its share of the cores for onnxruntime (`share_ocr_threads`;
  IDI_OCR_THREADS overrides): one thread each when the workers fill the cores, all of them when
  one worker checks one scan (a 20-page scan then takes 44 s instead of 71 s). More threads than
  cores make onnxruntime's thread pools crawl.
- A worker that dies (segfault, killed by the system, MemoryError) costs only its current file,
  which gets status error with the reason. A Python exception other than the checker's own
  IdiError is an internal error for that file. None of these is cached.
- Cache: with `settings.cache`, the parent hashes each file first; a hit is yielded without any
  worker (workers are started only when a file needs checking), a fresh verdict or reading error
  is stored.

What does not depend on where files are checked — the run loop, cache look-ups and stores, the
totals, the page limit, the per-file check with its internal-error handling, the error results for
time-outs and crashes — is in `Runner` and `check_one`, shared with the Ray executor
(`checkers.ray_runner.RayBatchRunner`).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from corpus.errors import IdiError

from .cache import ResultCache
from .check import CheckOptions, check_file, check_raw
from .findings import DocumentResult
from .model import Page, RawDocument

DEFAULT_TIMEOUT = 300.0  # seconds per file: a 20-page scan needs about a minute of OCR
DEFAULT_MAX_MEMORY_MB = 3072  # address space per worker: OCR's engine maps about 1.6 GB
STARTUP_TIMEOUT = 120.0  # seconds for a worker to import and warm up
MEMORY_HEADROOM_MB = 100  # at least this much above a fresh worker's address space
STOP_GRACE = 5.0  # seconds a worker gets to exit before it is killed
MB = 2**20
_WARM_UP_ON_IMPORT = "IDI_BATCH_WARM_UP_ON_IMPORT"
OCR_THREADS_ENV = "IDI_OCR_THREADS"  # checkers.ocr.THREADS_ENV (not imported here: it loads numpy)

Checker = Callable[[Path, CheckOptions], DocumentResult]

_WARM_UP_TEXT = """上海市商品房预售合同
第十八条 住宅工程质量潜在缺陷保险
保险期限起箅日之前负责维修的单位为上海申浦建筑工程有限公司，联系电话：021-64581230。
建设单位监督电话：021-64587700。
保险期限内的保险公司为中国太平洋财产保险股份有限公司，联系电话：95500。
"""
_SIGNAL_REASONS = {getattr(signal, name): reason for name, reason in (
    ("SIGKILL", "被强制终止（SIGKILL），可能是内存耗尽后被系统终止"),
    ("SIGSEGV", "崩溃（SIGSEGV 段错误），文件可能含有触发解析库缺陷的内容"),
    ("SIGABRT", "异常中止（SIGABRT），可能是内存不足或解析库内部错误"),
    ("SIGBUS", "崩溃（SIGBUS 总线错误）"),
) if hasattr(signal, name)}


@dataclass(frozen=True)
class BatchSettings:
    jobs: int = 0  # worker processes; 0 = one per available core
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB  # 0 = no limit
    max_pages: int = 0  # refuse PDFs with more pages; 0 = no limit
    cache: ResultCache | None = None

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else available_cores()


@dataclass
class BatchItem:
    index: int  # position in the input
    result: DocumentResult
    cached: bool = False
    seconds: float = 0.0  # wall time in a worker (0 for a cache hit)

    @property
    def path(self) -> Path:
        return self.result.path


@dataclass
class BatchStats:
    """Running totals, updated as items are yielded (a progress bar reads them)."""

    statuses: Counter = field(default_factory=Counter)  # pass | fail | error → files
    cached: int = 0
    cache_write_failures: int = 0
    timeouts: int = 0
    crashes: int = 0
    page_tasks: int = 0  # scanned pages recognised as tasks of their own (the Ray executor)
    workers_started: int = 0
    peak_rss_mb: float = 0.0  # the largest peak resident set size of any worker
    cpu_seconds: float = 0.0  # processor time the workers spent on files
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def files(self) -> int:
        return sum(self.statuses.values())

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def as_json(self) -> dict:
        return {"files": self.files, "pass": self.statuses["pass"], "fail": self.statuses["fail"],
                "error": self.statuses["error"], "cached": self.cached, "timeouts": self.timeouts,
                "crashes": self.crashes, "workers": self.workers_started,
                "peak_worker_rss_mb": round(self.peak_rss_mb, 1), "seconds": round(self.elapsed, 3),
                "worker_cpu_seconds": round(self.cpu_seconds, 3)}


class WorkerStartError(IdiError):
    """A worker could not start (before reading any file): the environment, not a file, is at fault."""


def available_cores() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --- checking one file (in any executor's worker) ------------------------------------------------


@dataclass
class Outcome:
    """What checking one file produced, as a worker sends it back."""

    result: DocumentResult
    internal: bool  # an internal error: never cached
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    fatal: bool = False  # the worker should exit after this reply (its state may be damaged)


def check_one(checker: Checker, path: Path, options: CheckOptions, settings: BatchSettings,
              **check_arguments) -> Outcome:
    """Check one file with `checker`: the page limit first; a MemoryError or any exception other
    than the checker's own reading errors becomes an internal error for this file, never an exception."""
    start, cpu_start = time.perf_counter(), time.process_time()
    internal = fatal = False
    try:
        result = (_page_limit_error(path, options, settings.max_pages)
                  or checker(path, options, **check_arguments))
    except MemoryError:
        result, internal, fatal = error_result(path, memory_message(settings.max_memory_mb)), True, True
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the batch
        result, internal = error_result(path, f"检查时发生内部错误（{type(exc).__name__}: {exc}），请报告此问题"), True
    return Outcome(result, internal, time.perf_counter() - start, time.process_time() - cpu_start,
                   peak_rss_mb(), fatal)


# --- the worker process ---------------------------------------------------------------------------


def _worker_main(conn: Connection, options: CheckOptions, settings: BatchSettings, checker: Checker) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    share_ocr_threads(settings.workers)
    try:
        _limit_memory(settings.max_memory_mb)
        warm_up(options)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops the batch
        conn.send(("failed", str(exc) if isinstance(exc, WorkerStartError) else f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", peak_rss_mb()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        outcome = check_one(checker, task[1], options, settings)
        conn.send(("done", (task[0], outcome)))
        if outcome.fatal:
            return


def share_ocr_threads(workers: int) -> None:
    """onnxruntime threads for this process: the cores divided among `workers` (at least one), unless
    IDI_OCR_THREADS says otherwise. The last digit of a recognition confidence can change with the
    thread count; verdicts did not on the scanned sample set."""
    os.environ.setdefault(OCR_THREADS_ENV, str(max(available_cores() // max(workers, 1), 1)))


def _limit_memory(max_memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: no address-space limit
        return
    if max_memory_mb <= 0:
        return

    used = _address_space_mb()
    if used is not None and max_memory_mb < used + MEMORY_HEADROOM_MB:
        raise WorkerStartError(f"内存上限 {max_memory_mb} MB 过低：检查进程启动后已占用 {used:.0f} MB，"
                               f"至少需要再留 {MEMORY_HEADROOM_MB} MB")
    limit = max_memory_mb * MB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_mb() -> float | None:
    """This process's virtual memory size (what RLIMIT_AS limits), where /proc tells it."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") / MB
    except (OSError, ValueError):
        return None


def warm_up(options: CheckOptions) -> None:
    """Load what the checker loads lazily (packs, registry, jieba, PDF libraries) by checking a text."""
    import pypdf  # noqa: F401 - imported for their start-up cost
    import pypdfium2  # noqa: F401

    raw = RawDocument(Path("warm-up.txt"), "txt", [Page(1, _WARM_UP_TEXT)], {}, "text:utf-8")
    check_raw(raw, CheckOptions())
    if options.jurisdiction or options.kind or options.project or options.rules:
        check_raw(raw, options)


def _page_limit_error(path: Path, options: CheckOptions, max_pages: int) -> DocumentResult | None:
    """An error result for a PDF with more than `max_pages` pages (0: no limit), counted cheaply."""
    if max_pages <= 0:
        return None
    import pypdfium2 as pdfium

    if not Path(path).is_file():  # opening a named pipe would wait forever
        return None
    try:
        with open(path, "rb") as handle:
            if b"%PDF-" not in handle.read(1024):
                return None
        pdf = pdfium.PdfDocument(str(path), password=options.password)
    except (OSError, pdfium.PdfiumError):
        return None  # the checker reports unreadable files with the precise reason
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages <= max_pages:
        return None
    return error_result(path, f"PDF 共 {pages} 页，超过页数上限 {max_pages} 页（--max-pages），未检查")


def error_result(path: Path, problem: str) -> DocumentResult:
    """A result with status error: the reason, after the file's name."""
    return DocumentResult(path=Path(path), error=f"{path}：{problem}")


def memory_message(max_memory_mb: int) -> str:
    return f"内存不足：检查此文件所需内存超过每个检查进程的上限 {max_memory_mb} MB（--max-memory）"


def timeout_message(timeout: float) -> str:
    return (f"检查超时：超过每个文件 {timeout:g} 秒的时间上限（--timeout），已终止；"
            "文件可能过大或结构异常")


def peak_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not POSIX
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- the parent: what every executor shares -------------------------------------------------------


@dataclass
class Task:
    index: int
    path: Path
    key: str | None  # cache key, when cached


class Runner:
    """The executor-independent half of a batch: the run loop (bounded in-flight work, cache hits
    yielded at once, results in completion order), cache look-ups and stores, the totals and the
    error results for time-outs and crashes. An executor supplies `_has_room`, `_submit`, `_busy`,
    `_collect` (wait for the next completions; never longer than the nearest deadline) and `_stop`."""

    def __init__(self, options: CheckOptions, settings: BatchSettings | None = None,
                 checker: Checker = check_file) -> None:
        self.options = options
        self.settings = settings or BatchSettings()
        self.checker = checker  # a module-level function: workers import it by name
        self.stats = BatchStats()

    def run(self, paths: Iterable[Path]) -> Iterator[BatchItem]:
        """Check every path; yield items as they complete. Workers are stopped however this ends."""
        self.stats = BatchStats()
        pending = enumerate(paths)
        exhausted = False
        try:
            while True:
                while not exhausted and self._has_room():
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    hit, key = self._lookup(Path(task[1]))
                    if hit is not None:
                        yield from self._counted([BatchItem(task[0], hit, cached=True)])
                    else:
                        self._submit(Task(task[0], Path(task[1]), key))
                if exhausted and not self._busy():
                    break
                yield from self._counted(self._collect())
        finally:
            self._stop()
            self.stats.finished = time.monotonic()

    # the executor's part

    def _has_room(self) -> bool:
        raise NotImplementedError

    def _submit(self, task: Task) -> None:
        raise NotImplementedError

    def _busy(self) -> bool:
        raise NotImplementedError

    def _collect(self) -> list[BatchItem]:
        raise NotImplementedError

    def _stop(self) -> None:
        raise NotImplementedError

    # shared

    def _lookup(self, path: Path) -> tuple[DocumentResult | None, str | None]:
        """The cached result (or None) and the cache key (None without a cache or a hashable file)."""
        cache = self.settings.cache
        key = cache.key(path) if cache else None
        return (cache.get(key, path) if key else None), key

    def _done(self, task: Task, outcome: Outcome) -> BatchItem:
        """A file checked: counted, and stored in the cache unless it is an internal error."""
        self.stats.peak_rss_mb = max(self.stats.peak_rss_mb, outcome.peak_rss_mb)
        self.stats.cpu_seconds += outcome.cpu_seconds
        if task.key and not outcome.internal and self.settings.cache:
            self.stats.cache_write_failures += not self.settings.cache.put(task.key, outcome.result)
        return BatchItem(task.index, outcome.result, seconds=outcome.seconds)

    def _crashed(self, task: Task, reason: str) -> BatchItem:
        """A file whose worker died (never cached)."""
        self.stats.crashes += 1
        return BatchItem(task.index, error_result(task.path, reason))

    def _timed_out(self, task: Task) -> BatchItem:
        """A file past the time limit (never cached)."""
        self.stats.timeouts += 1
        return BatchItem(task.index, error_result(task.path, timeout_message(self.settings.timeout)),
                         seconds=self.settings.timeout)

    def _counted(self, items: list[BatchItem]) -> Iterator[BatchItem]:
        for item in items:
            self.stats.statuses[item.result.status] += 1
            self.stats.cached += item.cached
            yield item


# --- the local process pool -----------------------------------------------------------------------


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    task: Task | None = None
    deadline: float = 0.0
    retiring: bool = False

    @property
    def idle(self) -> bool:
        return self.ready and self.task is None and not self.retiring


class BatchRunner(Runner):
    """Files checked in worker processes on this machine (see the module's description)."""

    def __init__(self, options: CheckOptions, settings: BatchSettings | None = None,
                 checker: Checker = check_file) -> None:
        super().__init__(options, settings, checker)
        self._workers: list[_Worker] = []
        self._context = None  # made when the first worker is needed: a run of cache hits needs none

    # dispatching

    def _has_room(self) -> bool:
        return any(w.idle for w in self._workers) or self._live_workers() < self.settings.workers

    def _busy(self) -> bool:
        return any(w.task for w in self._workers)

    def _live_workers(self) -> int:
        return sum(not w.retiring for w in self._workers)

    def _submit(self, task: Task) -> None:
        while True:
            worker = next((w for w in self._workers if w.idle), None) or self._start_worker()
            try:
                worker.conn.send((task.index, task.path))
                break
            except OSError:  # died while idle: forget it and use another
                self._discard(worker)
        worker.task = task
        if worker.ready:
            worker.deadline = time.monotonic() + self.settings.timeout

    def _start_worker(self) -> _Worker:
        self._context = self._context or _process_context()
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_worker_main, name="idi-check-worker", daemon=True,
                                         args=(child_end, self.options, _for_worker(self.settings), self.checker))
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end, deadline=time.monotonic() + STARTUP_TIMEOUT)
        self._workers.append(worker)
        self.stats.workers_started += 1
        return worker

    # collecting

    def _collect(self) -> list[BatchItem]:
        """Wait for replies, deaths or the next deadline; return the items that completed."""
        watched = [w for w in self._workers if w.task or not w.ready or w.retiring]
        if not watched:
            return []
        wait_for = max(min(w.deadline for w in watched) - time.monotonic(), 0)
        signalled = set(wait([*(w.conn for w in watched), *(w.process.sentinel for w in watched)], wait_for))
        items = []
        for worker in watched:
            if worker.conn in signalled:
                items += self._receive(worker)
            elif worker.process.sentinel in signalled:
                items += self._died(worker)
            elif time.monotonic() >= worker.deadline:
                items += self._expired(worker)
        return items

    def _receive(self, worker: _Worker) -> list[BatchItem]:
        try:
            message, payload = worker.conn.recv()
        except (EOFError, OSError):
            return self._died(worker)
        if message == "failed":
            self._discard(worker)
            raise WorkerStartError(f"检查进程无法启动：{payload}（--max-memory）")
        if message == "ready":
            worker.ready = True
            worker.deadline = time.monotonic() + (self.settings.timeout if worker.task else STARTUP_TIMEOUT)
            self.stats.peak_rss_mb = max(self.stats.peak_rss_mb, payload)
            return []
        return [self._finished(worker, payload[1])]

    def _finished(self, worker: _Worker, outcome: Outcome) -> BatchItem:
        task, worker.task = worker.task, None
        if outcome.fatal:
            worker.retiring = True
            worker.deadline = time.monotonic() + STOP_GRACE
        return self._done(task, outcome)

    def _died(self, worker: _Worker) -> list[BatchItem]:
        task = worker.task
        worker.process.join(STOP_GRACE)
        code = worker.process.exitcode
        self._discard(worker)
        if not worker.ready:
            raise WorkerStartError(f"检查进程启动时{_exit_reason(code)}")
        if task is None:
            return []  # a retiring worker that exited, or one that died idle
        return [self._crashed(task, f"检查进程{_exit_reason(code)}，此文件未能检查完成")]

    def _expired(self, worker: _Worker) -> list[BatchItem]:
        task = worker.task
        self._discard(worker)
        if not worker.ready and not worker.retiring:
            raise WorkerStartError(f"检查进程启动超时（超过 {STARTUP_TIMEOUT:.0f} 秒）")
        if task is None:
            return []
        return [self._timed_out(task)]

    # stopping

    def _discard(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(STOP_GRACE)
        worker.conn.close()
        self._workers.remove(worker)

    def _stop(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        for worker in list(self._workers):
            if worker.task is None:
                worker.process.join(max(deadline - time.monotonic(), 0))
            self._discard(worker)


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "没有响应"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return _SIGNAL_REASONS.get(-code, f"被信号 {name} 终止")
    return f"意外退出（退出码 {code}）"


def _for_worker(settings: BatchSettings) -> BatchSettings:
    """The settings a worker needs: not the cache (the parent reads and writes it)."""
    return BatchSettings(jobs=settings.jobs, timeout=settings.timeout, max_memory_mb=settings.max_memory_mb,
                         max_pages=settings.max_pages)


def _process_context():
    """Fork server where there is one (POSIX): workers fork from a clean, single-threaded server that
    imported and warmed up the checker once, so a worker is ready in milliseconds; otherwise spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "checkers.batch"])
    os.environ[_WARM_UP_ON_IMPORT] = "1"  # only the server starting now sees it
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(_WARM_UP_ON_IMPORT, None)
    return context


def _warm_up_fork_server() -> None:
    """Run when the fork server imports this module: every worker then starts warm."""
    try:
        warm_up(CheckOptions())
    except Exception:  # noqa: BLE001 - workers warm up themselves and report what fails
        pass


class InputOrder:
    """Releases items in input order, holding those that complete ahead of a slower file (at most
    what the workers finish within one file's time limit)."""

    def __init__(self) -> None:
        self._waiting: dict[int, BatchItem] = {}
        self._next = 0

    def push(self, item: BatchItem) -> list[BatchItem]:
        self._waiting[item.index] = item
        ready = []
        while self._next in self._waiting:
            ready.append(self._waiting.pop(self._next))
            self._next += 1
        return ready


if os.environ.get(_WARM_UP_ON_IMPORT) == "1":
    _warm_up_fork_server()
