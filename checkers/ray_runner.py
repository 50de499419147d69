"""Checking a batch on a Ray cluster: `RayBatchRunner`, the same interface as `BatchRunner`.

`RayBatchRunner(options, settings, address=…, transfer="path"|"bytes", retries=N).run(paths)`
yields one `BatchItem` per path in completion order and keeps `stats` the way the local pool does,
so `idi check`, `InputOrder` and every report writer work unchanged. Ray is an optional extra and
is imported only here, only when a file actually needs checking (a run of cache hits needs none).

- Tasks: each file is one Ray task (a streaming generator: it first says "started", once its
  worker has warmed up, then sends the file's `Outcome`). The per-file logic — page limit, the
  checker, internal errors — is `checkers.batch.check_one`, exactly what a local worker runs.
- Inputs: `transfer="path"` sends the path (every node must see the same files at the same paths:
  shared storage); `transfer="bytes"` has the driver read the file and send its bytes through
  Ray's object store; the worker writes them to a private temporary file under the original name,
  checks it and puts the original path back into the result, so the verdict and every message are
  the same as for the file itself. A file the driver cannot read (missing, not a regular file,
  empty, too large, no permission) gets the same reading error the checker would give.
- Scans: when a file's first page (a PDF's, or any multi-page TIFF) needs OCR, its task does not
  check it but answers with the pages `checkers.ocr.pages_to_ocr` names; each becomes its own task
  (`ocr_page`), and a last task checks the file with the recognised pages (`check_file(…,
  ocr_pages=…)`), so a 20-page scan uses 20 CPUs instead of one. The result is the file's result
  either way: a page whose task fails or times out is left out, and the check recognises it
  itself (and meets the same error or time-out as the local pool would). A text PDF costs one look
  at its first page more than locally. A scan whose first page has a text layer is recognised in
  one task, as locally.
- In flight: at most `settings.jobs` tasks (default: the cluster's CPUs), page tasks first, so the
  driver's memory and the object store stay bounded however many files there are; results stream
  back as they finish.
- Cache: the driver hashes and looks up each file before submitting, and stores fresh verdicts
  and reading errors, exactly like the local pool (`checkers.batch.Runner`); internal errors,
  crashes and time-outs are never stored.
- Time limit: a file's clock starts when its task reports "started" (a worker's warm-up and the
  wait for a free CPU do not count, as with the local pool); past `settings.timeout` the task is
  cancelled with `force=True` (its worker process is killed; Ray starts another) and the file gets
  the local pool's time-out error. The limit covers all attempts of a task; a scan's page tasks and
  its check each have the limit.
- Worker deaths: a task whose worker dies (segfault, SIGKILL, the node lost) is retried by Ray up
  to `retries` times (`max_retries`; Python exceptions are not retried: `check_one` turns them
  into the file's internal error). A file that still kills its worker gets status error with the
  reason; the batch goes on.
- Memory: Ray workers are long-lived and map several GB of address space of their own (the object
  store, thread arenas), so a whole-process RLIMIT_AS as in the local pool is impossible. Instead
  each task lowers the worker's soft RLIMIT_AS for the duration of its file to what the worker has
  mapped plus `max_memory_mb` minus what it already holds resident — the same budget a local worker
  has — and restores it afterwards, so a memory bomb raises MemoryError (the same error as locally)
  instead of growing. What escapes (memory outside Python's allocator counted late, or many heavy
  files on one node) is left to Ray's memory monitor, which kills the biggest worker when the node
  runs short; that file is then retried and finally reported as a crash.
- Ray Client (`ray://host:10001`) cannot stream a task's messages, so there each task returns
  them all when it ends and a file's time runs from its submission (at most `jobs` tasks are in
  flight, so it starts at once) plus PLAIN_START_ALLOWANCE for a worker to start. Ray Client
  needs `ray[client]` (grpcio) on the driver. For long batches prefer running the driver on the
  cluster (`ray job submit -- idi check …`, or `--address HEAD:6379` from a node): Ray Client
  drops the batch if its connection drops.
- OCR threads: every worker runs onnxruntime with one thread (`batch.share_ocr_threads`, as the
  local pool's workers do when they fill the cores): pages are the parallelism.
- Versions: every worker checks that its installed idi, rule packs and reading libraries have
  the driver's versions (`installed_versions`); a node with others stops the batch (its verdicts
  could differ, and the cache would file them under the driver's versions). Uncommitted edits to
  the source are not compared (a tree being edited would make every run fail): install releases
  on the nodes.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from corpus.errors import IdiError

from .batch import (MB, MEMORY_HEADROOM_MB, BatchItem, BatchSettings, Checker, Outcome, Runner, Task,
                    WorkerStartError, _address_space_mb, _for_worker, _page_limit_error, check_one,
                    available_cores, error_result, peak_rss_mb, share_ocr_threads, warm_up)
from .cache import library_versions
from .check import CheckOptions, check_file
from .findings import DocumentResult

TRANSFERS = ("path", "bytes")
DEFAULT_RETRIES = 2
RAY_MISSING = "需要安装 Ray：pip install 'idi[ray]'"
CONNECT_TIMEOUT = 10.0  # seconds to reach a cluster's address
POLL_SECONDS = 5.0  # the longest the driver waits without a deadline (tasks queued on a busy cluster)
PLAIN_START_ALLOWANCE = 30.0  # seconds, with Ray Client: for a worker to start and warm up
MIN_SPLIT_PAGES = 2  # a scan with fewer pages to recognise is checked in one task


class RayUnavailable(IdiError):
    """Ray is not installed, or the cluster cannot be reached."""


def import_ray():
    try:
        import ray
    except ImportError:
        raise RayUnavailable(RAY_MISSING) from None
    return ray


# --- the task (runs in a Ray worker) --------------------------------------------------------------

_warmed: set[str] = set()  # option sets this worker process has warmed up for


def check_task(source: str | bytes, original: str, options: CheckOptions, settings: BatchSettings,
               checker: Checker, versions: str, ocr_pages: dict[int, Any] | None = None, split: bool = True
               ) -> Iterator[tuple[str, Any]]:
    """Check one file (its path, or its bytes): yields ("started", pid) then ("done", Outcome), or
    ("split", page numbers) for a scan whose pages should be recognised as tasks of their own, or
    ("failed", reason) when this worker cannot check anything."""
    failure = _prepare_worker(options, settings, versions)
    if failure:
        yield "failed", failure
        return
    yield "started", os.getpid()
    arguments = {"ocr_pages": ocr_pages} if ocr_pages else {}
    cpu_start = time.process_time()
    with _input_file(source, original) as path, _memory_budget(settings.max_memory_mb):
        pages = scan_pages(path, options, settings) if split else []
        outcome = None if pages else check_one(checker, path, options, settings, **arguments)
    if pages:
        yield "split", (pages, time.process_time() - cpu_start)
        return
    if str(path) != original:
        outcome.result = _renamed(outcome.result, path, Path(original))
    yield "done", outcome


def ocr_task(source: str | bytes, original: str, number: int, options: CheckOptions, settings: BatchSettings,
             versions: str) -> Iterator[tuple[str, Any]]:
    """Recognise page `number` of a scan: yields ("started", pid) then ("page", Page), or
    ("page", None) when the page cannot be recognised (the check then tries it itself and reports
    what goes wrong exactly as the local pool would)."""
    failure = _prepare_worker(options, settings, versions)
    if failure:
        yield "failed", failure
        return
    yield "started", os.getpid()
    from .ocr import ocr_page

    cpu_start = time.process_time()
    with _memory_budget(settings.max_memory_mb):
        try:  # bytes as they are: a failure's message is not used (the check will give its own)
            page = ocr_page(source if isinstance(source, bytes) else Path(source), number,
                            password=options.password)
        except Exception:  # noqa: BLE001 - including MemoryError's relatives: the check will say
            page = None
    yield "page", (page, time.process_time() - cpu_start, peak_rss_mb())


def check_task_messages(*arguments) -> list[tuple[str, Any]]:
    """`check_task`'s messages as one list (for Ray Client)."""
    return list(check_task(*arguments))


def ocr_task_messages(*arguments) -> list[tuple[str, Any]]:
    """`ocr_task`'s messages as one list (for Ray Client)."""
    return list(ocr_task(*arguments))


def scan_pages(path: Path, options: CheckOptions, settings: BatchSettings) -> list[int]:
    """The pages of `path` worth recognising in tasks of their own: those `pages_to_ocr` names,
    when the first page of a PDF needs OCR (a text PDF is not read twice) or the file is a
    multi-page image, and there are at least MIN_SPLIT_PAGES. Never raises: [] checks the file whole."""
    if options.ocr == "never":
        return []
    try:
        from .ocr import page_needs_ocr, pages_to_ocr
        from .extract import open_pdf_data, read_source

        if _page_limit_error(path, options, settings.max_pages):
            return []  # refused whole, as locally
        source = read_source(path)
        if source.kind == "pdf" and options.ocr == "auto":
            pdf = open_pdf_data(path, source.data, options.password)
            try:
                if len(pdf) < MIN_SPLIT_PAGES:
                    return []
                page = pdf[0]
                try:
                    textpage = page.get_textpage()
                    first = textpage.get_text_range()
                    textpage.close()
                finally:
                    page.close()
                if not page_needs_ocr(pdf, 0, first):
                    return []
            finally:
                pdf.close()
        elif source.kind not in ("pdf", "image"):
            return []
        pages = pages_to_ocr(path, password=options.password, mode=options.ocr)
    except Exception:  # noqa: BLE001 - the check reports whatever is wrong with the file
        return []
    return pages if len(pages) >= MIN_SPLIT_PAGES else []


@lru_cache(maxsize=1)
def installed_versions() -> str:
    """The versions that decide verdicts on a node: idi's and the reading libraries' (those the
    cache's key names) and every rule pack's."""
    from corpus.packs import all_packs

    packs = {pack.id: pack.version for pack in all_packs()}
    return json.dumps({"libraries": library_versions(), "packs": packs}, sort_keys=True, default=str)


def _prepare_worker(options: CheckOptions, settings: BatchSettings, versions: str) -> str | None:
    """Warm up once per worker process (not charged to any file); the reason when it cannot work."""
    if installed_versions() != versions:
        return "此节点上的 idi、规则包或文件读取库的版本与提交任务的机器不同，请在每个节点安装相同版本"
    share_ocr_threads(available_cores())  # one thread a task: Ray's tasks fill the node's cores
    key = repr(options)
    try:
        if key not in _warmed:
            warm_up(options)
            _warmed.add(key)
    except Exception as exc:  # noqa: BLE001 - reported to the driver, which stops the batch
        return f"{type(exc).__name__}: {exc}"
    resident = _resident_mb()
    if settings.max_memory_mb > 0 and resident is not None \
            and settings.max_memory_mb < resident + MEMORY_HEADROOM_MB:
        return (f"内存上限 {settings.max_memory_mb} MB 过低：检查进程启动后已占用 {resident:.0f} MB，"
                f"至少需要再留 {MEMORY_HEADROOM_MB} MB")
    return None


@contextmanager
def _input_file(source: str | bytes, original: str) -> Iterator[Path]:
    """The path to check: the shared path itself, or the bytes in a private temporary file that has
    the original's name (extraction goes by the suffix, messages by the name)."""
    if not isinstance(source, bytes):
        yield Path(source)
        return
    folder = tempfile.mkdtemp(prefix="idi-ray-")
    try:
        path = Path(folder) / (Path(original).name or "file")
        path.write_bytes(source)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _memory_budget(max_memory_mb: int) -> Iterator[None]:
    """Cap this worker's address space while one file is checked: what is mapped now, plus the
    budget `max_memory_mb` less what is already resident (a local worker's whole limit)."""
    try:
        import resource
    except ImportError:  # not POSIX
        yield
        return
    mapped, resident = _address_space_mb(), _resident_mb()
    if max_memory_mb <= 0 or mapped is None or resident is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = int((mapped + max(max_memory_mb - resident, MEMORY_HEADROOM_MB)) * MB)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _resident_mb() -> float | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except (OSError, ValueError, IndexError):
        return None


def _renamed(result: DocumentResult, temporary: Path, original: Path) -> DocumentResult:
    """The result of a temporary copy, told of the original file."""
    old, new = str(temporary), str(original)
    result.path = original
    result.error = result.error.replace(old, new) if result.error else result.error
    result.notes = [note.replace(old, new) for note in result.notes]
    return result


# --- the driver ----------------------------------------------------------------------------------


@dataclass
class _File:
    """A file being checked: its source for tasks, and the pages recognised so far for a scan."""

    task: Task
    source: Any  # the path (str), or an ObjectRef of the file's bytes
    pages: dict[int, Any] = field(default_factory=dict)  # page number → Page
    waiting: int = 0  # page tasks not finished
    split: bool = False  # its pages were sent to page tasks


@dataclass
class _Flight:
    """A Ray task in flight: the file's check, or one of its pages (`page`)."""

    file: _File
    generator: Any  # ray.ObjectRefGenerator
    page: int | None = None
    deadline: float | None = None  # set when the task reports that it started


@dataclass
class _Connection:
    ray: Any
    remote: Any  # the check task with this batch's retry options
    ocr: Any  # the page task
    options: Any  # ObjectRefs of what every task shares
    settings: Any
    slots: int
    owned: bool  # this runner started the runtime (and shuts it down)
    plain: bool  # tasks return all their messages at the end (Ray Client has no streaming generators)
    workers: set = field(default_factory=set)


class RayBatchRunner(Runner):
    """A batch on Ray: files become Ray tasks (see the module's description)."""

    def __init__(self, options: CheckOptions, settings: BatchSettings | None = None,
                 checker: Checker = check_file, *, address: str | None = None, transfer: str = "path",
                 retries: int = DEFAULT_RETRIES, init_options: dict[str, Any] | None = None,
                 streaming: bool | None = None) -> None:
        super().__init__(options, settings, checker)
        if transfer not in TRANSFERS:
            raise ValueError(f"transfer must be one of {TRANSFERS}")
        self.address = address
        self.transfer = transfer
        self.retries = max(retries, 0)
        self.init_options = init_options or {}  # extra ray.init arguments for a runtime started here
        self.streaming = streaming  # tasks stream their messages; None: unless through Ray Client
        self._ray: _Connection | None = None  # connected when the first file needs checking
        self._flights: list[_Flight] = []
        self._queue: deque[Callable[[], None]] = deque()  # tasks waiting for a free slot (a scan's pages)
        self._ready: list[BatchItem] = []  # results known without a task (bytes the driver cannot read)

    # connecting

    def _connect(self) -> _Connection:
        if self._ray:
            return self._ray
        ray = import_ray()
        owned = not ray.is_initialized()
        if owned:
            _reachable(self.address)
            try:
                ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                         logging_level="WARNING", **self.init_options)
            except Exception as exc:  # noqa: BLE001 - Ray raises many kinds; all mean no cluster
                where = f" {self.address}" if self.address else ""
                raise RayUnavailable(f"无法启动或连接 Ray 集群{where}：{type(exc).__name__}: {exc}") from None
        slots = self.settings.jobs or max(int(ray.cluster_resources().get("CPU", 1)), 1)
        from ray.util.client import ray as ray_client

        plain = not self.streaming if self.streaming is not None else ray_client.is_connected()
        task_options = {"num_cpus": 1, "max_retries": self.retries, "retry_exceptions": False}
        if plain:  # Ray Client cannot stream a task's messages: each task returns them all at the end
            functions = (check_task_messages, ocr_task_messages)
        else:
            functions = (check_task, ocr_task)
            task_options["num_returns"] = "streaming"
        check, ocr = (ray.remote(function).options(**task_options) for function in functions)
        self._ray = _Connection(ray, check, ocr, ray.put(self.options), ray.put(_for_worker(self.settings)),
                                slots, owned, plain)
        return self._ray

    # dispatching

    def _has_room(self) -> bool:
        return self._ray is None or (not self._queue and len(self._flights) < self._ray.slots)

    def _busy(self) -> bool:
        return bool(self._flights or self._ready or self._queue)

    def _submit(self, task: Task) -> None:
        conn = self._connect()
        source: Any = str(task.path)
        if self.transfer == "bytes":
            data = _read_input(task.path)
            if isinstance(data, DocumentResult):  # the reading error the checker would report
                self._ready.append(self._done(task, Outcome(data, False, 0.0, 0.0, 0.0)))
                return
            source = conn.ray.put(data)  # once, for the file's check and its page tasks
        self._check(_File(task, source))

    def _check(self, file: _File) -> None:
        """The file's check task: the first (which may answer with pages to recognise), or the last,
        with the recognised pages."""
        conn = self._ray
        generator = conn.remote.remote(file.source, str(file.task.path), conn.options, conn.settings, self.checker,
                                       installed_versions(), file.pages or None, not file.split)
        self._flights.append(_Flight(file, generator, deadline=self._plain_deadline()))

    def _recognise(self, file: _File, number: int) -> None:
        conn = self._ray
        self.stats.page_tasks += 1
        generator = conn.ocr.remote(file.source, str(file.task.path), number, conn.options, conn.settings,
                                    installed_versions())
        self._flights.append(_Flight(file, generator, page=number, deadline=self._plain_deadline()))

    def _plain_deadline(self) -> float | None:
        """With Ray Client a task cannot say when it starts: its time runs from submission (at most
        `jobs` tasks are in flight, so it starts at once), with an allowance for a worker's start."""
        if not self._ray.plain:
            return None
        return time.monotonic() + self.settings.timeout + PLAIN_START_ALLOWANCE

    def _split(self, file: _File, pages: list[int]) -> None:
        """A scan: its pages go to the queue (ahead of new files); the check follows the last."""
        file.waiting, file.split = len(pages), True
        for number in pages:
            self._queue.append(lambda number=number: self._recognise(file, number))

    def _page_done(self, file: _File, number: int, page: Any) -> None:
        if page is not None:
            file.pages[number] = page
        file.waiting -= 1
        if file.waiting == 0:
            self._queue.appendleft(lambda: self._check(file))

    def _pump(self) -> None:
        while self._ray and self._queue and len(self._flights) < self._ray.slots:
            self._queue.popleft()()

    # collecting

    def _collect(self) -> list[BatchItem]:
        self._pump()
        if self._ready:
            items, self._ready = self._ready, []
            return items
        if not self._flights:
            return []
        ray = self._ray.ray
        generators = [f.generator for f in self._flights]
        deadlines = [f.deadline for f in self._flights if f.deadline is not None]
        wait_for = POLL_SECONDS
        if deadlines:
            wait_for = min(max(min(deadlines) - time.monotonic(), 0), POLL_SECONDS)
        ready, _ = ray.wait(generators, num_returns=1, timeout=wait_for)
        if ready:  # and everything else that is ready by now
            ready, _ = ray.wait(generators, num_returns=len(generators), timeout=0)
        ready = {id(g) for g in ready}
        items = []
        for flight in list(self._flights):
            if id(flight.generator) in ready:
                items += self._receive(flight)
            elif flight.deadline is not None and time.monotonic() >= flight.deadline:
                self._forget(flight, cancel=True)
                if flight.page is None:
                    items.append(self._timed_out(flight.file.task))
                else:  # the check will recognise the page itself, and time out as the local pool does
                    self._page_done(flight.file, flight.page, None)
        self._pump()
        return items

    def _receive(self, flight: _Flight) -> list[BatchItem]:
        ray = self._ray.ray
        try:
            if self._ray.plain:  # every message at once
                messages = ray.get(flight.generator)
            else:  # the next message
                messages = [ray.get(next(flight.generator))]
        except StopIteration:  # ended without a result: cannot happen unless the task was lost
            messages = [("lost", None)]
        except ray.exceptions.RayError as exc:
            messages = [("error", exc)]
        items = []
        for message, payload in messages:
            items += self._handle(flight, message, payload)
        return items

    def _handle(self, flight: _Flight, message: str, payload: Any) -> list[BatchItem]:
        task = flight.file.task
        if message == "started":
            if not self._ray.plain:  # the time limit starts now (with Ray Client: at submission)
                flight.deadline = time.monotonic() + self.settings.timeout
            self._ray.workers.add(payload)
            self.stats.workers_started = len(self._ray.workers)
            return []
        self._forget(flight)
        if message == "failed":
            raise WorkerStartError(f"检查进程无法启动：{payload}（--max-memory）")
        if flight.page is not None:  # a page: recognised, or left to the check
            page = None
            if message == "page":
                page, cpu_seconds, peak = payload
                self.stats.cpu_seconds += cpu_seconds
                self.stats.peak_rss_mb = max(self.stats.peak_rss_mb, peak)
            self._page_done(flight.file, flight.page, page)
            return []
        if message == "split":
            pages, cpu_seconds = payload
            self.stats.cpu_seconds += cpu_seconds
            self._split(flight.file, pages)
            return []
        if message == "lost":
            return [self._crashed(task, "检查任务没有返回结果，此文件未能检查完成")]
        if message == "error":
            return [self._failed(task, payload)]
        return [self._done(task, payload)]

    def _failed(self, task: Task, exc: Exception) -> BatchItem:
        """A task that raised through Ray: its worker died more times than it was retried, or the
        task itself failed outside the checker (never cached)."""
        exceptions = self._ray.ray.exceptions
        if isinstance(exc, exceptions.RayTaskError):
            cause = getattr(exc, "cause", None) or exc
            return BatchItem(task.index, error_result(
                task.path, f"检查时发生内部错误（{type(cause).__name__}: {cause}），请报告此问题"))
        if isinstance(exc, exceptions.OutOfMemoryError):
            reason = "因所在节点内存不足被 Ray 终止"
        elif isinstance(exc, exceptions.WorkerCrashedError):
            reason = "异常退出（崩溃、被强制终止或内存耗尽）"
        else:
            reason = f"失败（{type(exc).__name__}）"
        retried = f"，多次异常退出（已重试 {self.retries} 次）" if self.retries else "（未重试）"
        return self._crashed(task, f"检查进程{reason}{retried}，此文件未能检查完成")

    # stopping

    def _forget(self, flight: _Flight, cancel: bool = False) -> None:
        self._flights.remove(flight)
        if cancel:
            try:
                self._ray.ray.cancel(flight.generator, force=True)
            except Exception:  # noqa: BLE001 - already finished or gone
                pass

    def _stop(self) -> None:
        for flight in list(self._flights):
            self._forget(flight, cancel=True)
        self._ready = []
        self._queue.clear()
        if self._ray and self._ray.owned:
            self._ray.ray.shutdown()
        self._ray = None


def _reachable(address: str | None) -> None:
    """Refuse at once a cluster address nothing listens on (Ray itself retries for minutes)."""
    import socket

    if not address or address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # Ray says what is wrong with it
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise RayUnavailable(f"无法连接 Ray 集群 {address}：{exc.strerror or exc}") from None


def _read_input(path: Path) -> bytes | DocumentResult:
    """The file's bytes for a task, or the result for a file that cannot be read or is not what its
    name says (extraction's own error, so the verdict is the same as when a worker reads the file)."""
    from .extract import read_source

    try:
        return read_source(Path(path)).data
    except IdiError as exc:
        return DocumentResult(path=Path(path), error=str(exc))
