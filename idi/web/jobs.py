"""Check jobs of the web app: a private folder per job, uploads under server-made names, the batch
run in a background thread, per-file results as they arrive, reports, clean-up and expiry.

A job's id is a random token (`secrets.token_urlsafe`): knowing one job's id tells nothing about
another's, and every file a job touches lives in its own folder made by `tempfile.mkdtemp` (mode
0700). Uploaded files are stored as `00000.pdf`, `00001.docx` … — the name the browser sent is
kept only for display and never used as a path. The uploads are deleted as soon as the batch
ends (whatever the outcome); the reports stay until the job expires.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from checkers.batch import BatchItem, BatchRunner, BatchSettings, InputOrder
from checkers.check import KIND_TITLES, CheckOptions
from checkers.findings import DocumentResult
from checkers.reports import open_report
from checkers.reports.common import jurisdiction_text, reason
from corpus.errors import IdiError

from .settings import Settings

log = logging.getLogger("idi.web")

REPORTS = {"html": ("report.html", "合规检查报告.html", "text/html; charset=utf-8"),
           "xlsx": ("report.xlsx", "合规检查报告.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "json": ("report.json", "合规检查报告.json", "application/json")}
STATE_TEXT = {"uploading": "等待上传", "queued": "排队中", "running": "检查中", "done": "已完成",
              "failed": "出错", "cancelled": "已取消"}
MAX_NAME_CHARS = 400
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


class JobError(IdiError):
    """A request the job manager refuses: `status` is the HTTP status, the message is Chinese."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def allowed_suffixes() -> tuple[str, ...]:
    """What the checker reads (PDF, DOCX, TXT, and images once extraction supports OCR of scans)."""
    from checkers.extract import SUPPORTED_SUFFIXES
    return tuple(SUPPORTED_SUFFIXES)


def display_name(name: str) -> str:
    """The name a browser sent (maybe a relative path in a dropped folder), for display only.

    Absolute names, drive letters and `..` components are refused (they are never used as paths
    anyway: that is a client trying something); `\\` counts as a separator.
    """
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").strip()
    if not text or len(text) > MAX_NAME_CHARS or _CONTROL.search(text):
        raise JobError(400, "文件名为空、过长或含有控制字符，已拒绝")
    parts = text.split("/")
    if text.startswith("/") or _DRIVE.match(text) or ".." in parts:
        raise JobError(400, f"文件名“{text}”含有路径（/、\\、..），已拒绝")
    parts = [p for p in parts if p not in ("", ".")]
    if not parts:
        raise JobError(400, f"文件名“{text}”不是文件名，已拒绝")
    return "/".join(parts)


@dataclass
class Upload:
    index: int
    name: str  # display name
    stored: Path  # server-made path inside the job's uploads folder
    size: int = 0
    complete: bool = False
    dropped: bool = False  # refused or interrupted: its index stays unused
    result: Optional[dict[str, Any]] = None  # as_json(), path shown as `name`
    cached: bool = False


@dataclass
class Job:
    id: str
    folder: Path
    jurisdiction: Optional[str]
    kind: Optional[str]
    created: float = field(default_factory=time.time)
    touched: float = field(default_factory=time.time)  # the last upload's start or end
    state: str = "uploading"
    uploads: list[Upload] = field(default_factory=list)
    bytes: int = 0
    statuses: Counter = field(default_factory=Counter)
    started: Optional[float] = None
    finished: Optional[float] = None
    message: Optional[str] = None  # why the job failed
    reports: list[str] = field(default_factory=list)  # formats written
    cancelled: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def upload_dir(self) -> Path:
        return self.folder / "uploads"

    @property
    def report_dir(self) -> Path:
        return self.folder / "reports"

    @property
    def ended(self) -> bool:
        return self.state in ("done", "failed", "cancelled")

    def report_path(self, fmt: str) -> Optional[Path]:
        if fmt not in REPORTS or fmt not in self.reports:
            return None
        return self.report_dir / REPORTS[fmt][0]

    def summary(self) -> dict[str, Any]:
        """What the page polls: state, counts and one row per file (without the findings)."""
        with self.lock:
            files = [_row(u) for u in self.uploads if u.complete]
            checked = sum(u.result is not None for u in self.uploads)
            return {
                "id": self.id, "state": self.state, "state_text": STATE_TEXT[self.state],
                "jurisdiction": self.jurisdiction, "kind": self.kind,
                "files": len(files), "checked": checked, "bytes": self.bytes,
                "counts": {s: self.statuses[s] for s in ("pass", "fail", "error")},
                "seconds": round((self.finished or time.time()) - self.started, 1) if self.started else None,
                "message": self.message, "reports": list(self.reports), "rows": files,
            }


def _row(upload: Upload) -> dict[str, Any]:
    row = {"index": upload.index, "name": upload.name, "size": upload.size, "status": None}
    result = upload.result
    if result is not None:
        row.update({
            "status": result["status"], "kind": result["kind"], "kind_title": KIND_TITLES.get(result["kind"] or "", ""),
            "jurisdiction": result["jurisdiction"], "city": jurisdiction_text(result["jurisdiction"]),
            "failed": [f["rule"] for f in result["findings"] if f["status"] == "fail"],
            "warned": [f["rule"] for f in result["findings"] if f["status"] == "warn"],
            "titles": {f["rule"]: f["title"] for f in result["findings"] if f["status"] in ("fail", "warn")},
            "error": result["error"], "reason": reason(result["error"], upload.name), "cached": upload.cached,
        })
    return row


def public_result(result: DocumentResult, upload: Upload) -> DocumentResult:
    """The result as the person sees it: their file's name, not the server's path."""
    def shown(text: str) -> str:
        return text.replace(str(upload.stored), upload.name).replace(upload.stored.name, upload.name)
    return dataclasses.replace(result, path=Path(upload.name), error=shown(result.error) if result.error else None,
                               notes=[shown(n) for n in result.notes])


class JobManager:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=max(settings.concurrent_checks, 1),
                                       thread_name_prefix="idi-check")
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap, name="idi-job-reaper", daemon=True)
        self._reaper.start()

    # -- jobs ---------------------------------------------------------------------------------------

    def create(self, jurisdiction: Optional[str], kind: Optional[str]) -> Job:
        self.expire()
        with self.lock:
            if len(self.jobs) >= self.settings.max_active_jobs:
                raise JobError(503, f"服务器上同时保留的检查任务已达上限（{self.settings.max_active_jobs} 个），"
                                    "请稍后再试，或删除已下载报告的任务")
            folder = Path(tempfile.mkdtemp(prefix="idi-web-", dir=self.settings.work_dir))  # mode 0700
            (folder / "uploads").mkdir(mode=0o700)
            (folder / "reports").mkdir(mode=0o700)
            job = Job(secrets.token_urlsafe(24), folder, jurisdiction, kind)
            self.jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise JobError(404, "没有这个检查任务（可能已过期被删除）")
        return job

    def delete(self, job: Job) -> None:
        job.cancelled = True
        with self.lock:
            self.jobs.pop(job.id, None)
        if not (job.state in ("running",)):
            shutil.rmtree(job.folder, ignore_errors=True)
        # a running job removes its folder when its thread sees `cancelled`

    # -- uploads ------------------------------------------------------------------------------------

    def reserve(self, job: Job, name: str, declared_size: Optional[int]) -> Upload:
        """A place for one more upload, after every check that can be made before reading it."""
        shown = display_name(name)
        suffix = PurePosixPath(shown).suffix.lower()
        base = PurePosixPath(shown).name
        allowed = allowed_suffixes()
        if suffix not in allowed or base.startswith(("~$",)):
            raise JobError(415, f"“{shown}”：不支持的文件类型，只接受 {'、'.join(s.lstrip('.').upper() for s in allowed)}")
        with job.lock:
            if job.state != "uploading":
                raise JobError(409, "该任务已开始检查，不能再添加文件")
            if sum(not u.dropped for u in job.uploads) >= self.settings.max_files:
                raise JobError(413, f"文件数超过上限：每次最多检查 {self.settings.max_files} 个文件")
            if declared_size is not None and job.bytes + declared_size > self.settings.max_upload_bytes:
                raise JobError(413, self._too_big(shown))
            upload = Upload(len(job.uploads), shown, job.upload_dir / f"{len(job.uploads):05d}{suffix}")
            job.uploads.append(upload)
            job.touched = time.time()
        return upload

    def _too_big(self, name: str) -> str:
        return (f"“{name}”：上传总量超过上限 {self.settings.max_upload_mb:g} MB，已拒绝；"
                "请分批检查")

    def received(self, job: Job, upload: Upload, size: int) -> None:
        """Account for `size` more bytes of `upload`; JobError(413) past the job's limit."""
        with job.lock:
            job.bytes += size
            upload.size += size
            if job.bytes > self.settings.max_upload_bytes:
                raise JobError(413, self._too_big(upload.name))

    def finish_upload(self, job: Job, upload: Upload) -> None:
        with job.lock:
            upload.complete = True
            job.touched = time.time()

    def drop_upload(self, job: Job, upload: Upload) -> None:
        """Forget a failed upload: its bytes, its file; its index stays unused."""
        with job.lock:
            job.bytes -= upload.size
            upload.size = 0
            upload.complete = False
            upload.dropped = True
        upload.stored.unlink(missing_ok=True)

    # -- running ------------------------------------------------------------------------------------

    def start(self, job: Job) -> None:
        with job.lock:
            if job.state != "uploading":
                raise JobError(409, "该任务已经开始")
            job.uploads = [u for u in job.uploads if u.complete]
            if not job.uploads:
                raise JobError(400, "没有上传任何文件")
            for index, upload in enumerate(job.uploads):  # positions without the refused uploads
                upload.index = index
            job.state = "queued"
        self.pool.submit(self._run, job)

    def _run(self, job: Job) -> None:
        try:
            if job.cancelled:
                job.state = "cancelled"
                return
            job.state, job.started = "running", time.time()
            self._check(job)
            job.state = "cancelled" if job.cancelled else "done"
        except Exception as exc:  # noqa: BLE001 - the page shows it; the server goes on
            log.exception("check job %s failed", job.id)
            job.message = str(exc) if isinstance(exc, IdiError) else f"内部错误：{type(exc).__name__}: {exc}"
            job.state = "failed"
        finally:
            job.finished = time.time()
            shutil.rmtree(job.upload_dir, ignore_errors=True)
            if job.cancelled:
                shutil.rmtree(job.folder, ignore_errors=True)

    def _check(self, job: Job) -> None:
        from checkers.cache import ResultCache
        options = CheckOptions(jurisdiction=job.jurisdiction, kind=job.kind)
        cache = (ResultCache.open(self.settings.cache_directory(), options, self.settings.max_pages)
                 if self.settings.cache else None)
        runner = BatchRunner(options, BatchSettings(jobs=self.settings.jobs, timeout=self.settings.timeout,
                                                    max_pages=self.settings.max_pages, cache=cache))
        writers = [open_report(job.report_dir / REPORTS[fmt][0]) for fmt in REPORTS]
        order = InputOrder()
        items = runner.run([u.stored for u in job.uploads])
        try:
            try:
                for item in items:
                    self._record(job, item, order, writers)
                    if job.cancelled:
                        break
            finally:
                items.close()  # stops the workers at once
            if job.cancelled:
                raise _Cancelled
            for writer in writers:
                writer.close(runner.stats)
            job.reports = list(REPORTS)
        except _Cancelled:
            for writer in writers:
                writer.abort()
        except BaseException:
            for writer in writers:
                writer.abort()
            raise

    @staticmethod
    def _record(job: Job, item: BatchItem, order: InputOrder, writers: list) -> None:
        upload = job.uploads[item.index]
        shown = public_result(item.result, upload)
        with job.lock:
            upload.result, upload.cached = shown.as_json(), item.cached
            job.statuses[shown.status] += 1
        for ready in order.push(BatchItem(item.index, shown, item.cached, item.seconds)):
            for writer in writers:
                writer.add(ready)

    # -- expiry -------------------------------------------------------------------------------------

    def expire(self, now: Optional[float] = None) -> list[str]:
        """Delete jobs whose reports are older than `keep_minutes` and uploads abandoned that long."""
        now = now or time.time()
        keep = self.settings.keep_minutes * 60
        gone = []
        with self.lock:
            for job in list(self.jobs.values()):
                since = job.finished if job.ended else (job.touched if job.state == "uploading" else None)
                if since is not None and now - since > keep:
                    self.jobs.pop(job.id, None)
                    gone.append(job)
        for job in gone:
            job.cancelled = True
            shutil.rmtree(job.folder, ignore_errors=True)
        return [job.id for job in gone]

    def _reap(self) -> None:
        while not self._stop.wait(30):
            try:
                self.expire()
            except Exception:  # noqa: BLE001
                log.exception("expiring jobs failed")

    def shutdown(self) -> None:
        """Stop: cancel every job and delete every job folder."""
        self._stop.set()
        with self.lock:
            jobs = list(self.jobs.values())
            self.jobs.clear()
        for job in jobs:
            job.cancelled = True
        self.pool.shutdown(wait=True, cancel_futures=True)
        for job in jobs:
            shutil.rmtree(job.folder, ignore_errors=True)


class _Cancelled(Exception):
    pass
