"""DOCX → PDF (optionally PDF/A-2b) through LibreOffice headless.

Design
------
* One LibreOffice process converts a whole batch (``soffice --convert-to pdf
  --outdir DIR a.docx b.docx ...``): start-up costs 1–3 s, conversion of a
  one-page document a few tens of milliseconds.
* Every process gets a private, throw-away user profile
  (``-env:UserInstallation=file:///tmp/idi-lo-<uuid>``): two LibreOffice
  processes sharing a profile make the second one exit silently without
  converting anything.
* LibreOffice exits 0 even when a document could not be loaded, so success is
  judged only by the output: every expected PDF must exist, be non-empty and end
  with ``%%EOF`` (and, for PDF/A, declare PDF/A-2b in its XMP metadata).
* The import filter is forced to "MS Word 2007 XML": otherwise LibreOffice
  silently converts a damaged ``.docx`` as a plain-text file.
* Output is written to a private staging directory inside ``out_dir`` and then
  moved into place, so a stale PDF from an earlier run is never mistaken for a
  fresh one and a half-written PDF never appears under its final name.
* Time limit: ``timeout`` seconds *per file* — the process is killed (whole
  process group) when no new PDF has appeared for ``timeout`` seconds (the
  first file also gets the start-up allowance, ``timeout`` again, at most 30 s).
* Batch semantics: :func:`convert_batch` never raises for single-file
  failures; it returns a :class:`BatchResult` with ``converted`` and
  ``failed``, both keyed by the *resolved* input path.  When LibreOffice
  crashes or hangs in the middle of a batch, the first file without output is
  re-run alone (to blame the right file) and the rest of the batch goes on in
  a new process.  :func:`convert_to_pdf` is the
  strict variant: it raises :class:`ConversionError` if any file failed (after
  the whole batch ran, so the other PDFs exist).
* Fonts: ``docgen/fonts/fonts.conf`` maps 宋体 / 仿宋 / 小标宋 / 黑体 ... onto
  Noto Serif / Sans CJK SC.  It is applied to the LibreOffice process only,
  through ``FONTCONFIG_FILE``; the system configuration is left alone.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import IdiError

FONTCONFIG_FILE = Path(__file__).with_name("fonts") / "fonts.conf"
INSTALL_HINT = (
    "请安装 LibreOffice 与中文字体：运行 scripts/install_system_deps.sh，"
    "或执行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fontconfig；"
    "也可用环境变量 IDI_SOFFICE 指定 soffice 可执行文件的路径。"
)
DOCX_IMPORT_FILTER = "MS Word 2007 XML"
PDF_FILTER = "pdf:writer_pdf_Export"
# JSON filter options are understood by LibreOffice >= 7.4 (the old
# "SelectPdfVersion=2" form is silently ignored); the same setting is also
# seeded into the private profile, which older versions honour.
PDFA_FILTER = PDF_FILTER + ':{"SelectPdfVersion":{"type":"long","value":"2"}}'
PDFA_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export">\
<prop oor:name="SelectPdfVersion" oor:op="fuse"><value>2</value></prop></item>
</oor:items>
"""
COMMON_LOCATIONS = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice*/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
)
POLL_SECONDS = 0.1
MAX_START_UP_SECONDS = 30


class LibreOfficeMissing(IdiError):
    """LibreOffice (soffice) cannot be found or started."""

    def __init__(self, detail: str = "") -> None:
        prefix = f"未找到 LibreOffice（{detail}），无法将 DOCX 转换为 PDF。" if detail else (
            "未找到 LibreOffice（soffice），无法将 DOCX 转换为 PDF。")
        super().__init__(prefix + INSTALL_HINT)


class ConversionError(IdiError):
    """One or more documents could not be converted; names each file and reason."""

    def __init__(self, failed: dict[Path, str]) -> None:
        self.failed = dict(failed)
        self.path, self.reason = next(iter(self.failed.items()))
        lines = [f"{path}：{reason}" for path, reason in self.failed.items()]
        super().__init__(f"PDF 转换失败（{len(lines)} 个文件）：\n" + "\n".join(lines))


@dataclass
class BatchResult:
    """Outcome of :func:`convert_batch`: input path → PDF path, input path → reason."""

    converted: dict[Path, Path] = field(default_factory=dict)
    failed: dict[Path, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class _Job:
    source: Path
    target: Path


@dataclass(frozen=True)
class _Run:
    """How one soffice process ended."""

    status: str  # "ok" | "timeout" | "crash"
    returncode: int | None
    stderr: str
    timeout: float


# ---------------------------------------------------------------- discovery

def find_soffice() -> Path | None:
    """Locate the soffice executable; ``IDI_SOFFICE`` overrides the search."""
    override = os.environ.get("IDI_SOFFICE")
    if override:
        return _executable(override)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for pattern in COMMON_LOCATIONS:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if _executable(candidate):
                return Path(candidate)
    return None


def _executable(name: str) -> Path | None:
    path = Path(name).expanduser()
    if path.is_file() and os.access(path, os.X_OK):
        return path
    found = shutil.which(name) if os.sep not in name else None
    return Path(found) if found else None


def _require_soffice() -> Path:
    soffice = find_soffice()
    if soffice is None:
        override = os.environ.get("IDI_SOFFICE")
        raise LibreOfficeMissing(f"IDI_SOFFICE={override} 不可执行" if override else "")
    return soffice


# ---------------------------------------------------------------- public API

def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, *, pdfa: bool = False,
                   timeout: float = 120) -> list[Path]:
    """Convert DOCX files to ``out_dir/<stem>.pdf``; strict: any failure raises.

    The whole batch is attempted first, so the PDFs of the files that did
    convert exist even when :class:`ConversionError` is raised.
    """
    result = convert_batch(docx_paths, out_dir, pdfa=pdfa, timeout=timeout)
    if result.failed:
        raise ConversionError(result.failed)
    return [result.converted[source] for source in _unique(docx_paths)]


def convert_batch(docx_paths: Sequence[Path], out_dir: Path, *, pdfa: bool = False,
                  timeout: float = 120) -> BatchResult:
    """Convert DOCX files; never raises for a single file's failure.

    ``timeout`` is per file: LibreOffice is killed when no new PDF has
    appeared for that many seconds.  Raises only :class:`LibreOfficeMissing`
    (LibreOffice absent, and there is something to convert).
    """
    sources = _unique(docx_paths)
    result = BatchResult()
    if not sources:
        return result
    soffice = _require_soffice()
    out_dir = Path(out_dir).resolve()
    jobs = _plan(sources, out_dir, result.failed)
    if not jobs:
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".idi-pdf-", dir=out_dir))
    try:
        batches: deque[list[_Job]] = deque([jobs])
        while batches:
            batch = batches.popleft()
            batches.extendleft(reversed(_convert_round(soffice, batch, staging, pdfa, timeout, result)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def pdfa_declaration(pdf: Path) -> tuple[str, str] | None:
    """(part, conformance) declared in the PDF's XMP metadata, e.g. ("2", "B"); else None."""
    from pypdf import PdfReader

    try:
        xmp = PdfReader(pdf).xmp_metadata
        part, conformance = xmp.pdfaid_part, xmp.pdfaid_conformance
    except Exception:  # noqa: BLE001 - an unreadable PDF declares nothing
        return None
    return (str(part), str(conformance).upper()) if part and conformance else None


# ---------------------------------------------------------------- planning

def _unique(paths: Sequence[Path]) -> list[Path]:
    """Resolved input paths, duplicates dropped, order kept."""
    if isinstance(paths, (str, Path)):
        raise TypeError("docx_paths 应为路径列表，而不是单个路径")
    return list(dict.fromkeys(Path(p).resolve() for p in paths))


def _plan(sources: list[Path], out_dir: Path, failed: dict[Path, str]) -> list[_Job]:
    """Validate inputs and assign output names; invalid ones go to ``failed``."""
    jobs: list[_Job] = []
    claimed: dict[Path, Path] = {}
    inputs = set(sources)
    for source in sources:
        target = out_dir / (source.stem + ".pdf")
        reason = _input_problem(source) or _target_problem(target, claimed, inputs)
        if reason:
            failed[source] = reason
            continue
        claimed[target] = source
        jobs.append(_Job(source, target))
    return jobs


def _input_problem(source: Path) -> str | None:
    if not source.exists():
        return "文件不存在"
    if not source.is_file():
        return "不是文件"
    return None


def _target_problem(target: Path, claimed: dict[Path, Path], inputs: set[Path]) -> str | None:
    if target in claimed:
        return f"输出文件名 {target.name} 与 {claimed[target]} 相同，PDF 会互相覆盖；请改名或分批转换"
    if target in inputs:
        return f"输出文件 {target} 会覆盖输入文件"
    return None


def _docx_diagnosis(source: Path) -> str:
    """Why LibreOffice may have refused a file, judged from its ZIP structure."""
    try:
        with zipfile.ZipFile(source) as archive:
            if "word/document.xml" not in archive.namelist():
                return "不是有效的 DOCX 文件：缺少 word/document.xml"
            return "文件可能已损坏，或不是有效的 Word 文档"
    except (zipfile.BadZipFile, OSError):
        return "不是有效的 DOCX 文件：ZIP 结构损坏"


# ---------------------------------------------------------------- one round

def _convert_round(soffice: Path, batch: list[_Job], staging: Path, pdfa: bool,
                   timeout: float, result: BatchResult) -> list[list[_Job]]:
    """Run one soffice process over ``batch``; return the batches still to run."""
    run = _run_soffice(soffice, [job.source for job in batch], staging, pdfa, timeout)
    missing: dict[_Job, str] = {}
    for job in batch:
        problem = _collect(job, staging, pdfa)
        if problem is None:
            result.converted[job.source] = job.target
        else:
            missing[job] = problem
    if run.status == "ok":
        for job, problem in missing.items():
            result.failed[job.source] = problem
        return []
    return _after_abnormal_end(batch, missing, run, result)


def _after_abnormal_end(batch: list[_Job], missing: dict[_Job, str], run: _Run,
                        result: BatchResult) -> list[list[_Job]]:
    """LibreOffice hung or crashed: blame a lone file, otherwise isolate the suspect.

    LibreOffice converts in argument order, so a missing PDF before the last
    produced one is an ordinary load failure; the first missing one after it
    is the suspect, re-run alone; the rest of the batch goes on in a new process.
    """
    if len(batch) == 1:
        if missing:
            result.failed[batch[0].source] = _abnormal_reason(run)
        return []
    reached = [i for i, job in enumerate(batch) if job not in missing]
    last = reached[-1] if reached else -1
    for job in batch[:last + 1]:
        if job in missing:
            result.failed[job.source] = missing[job]
    unreached = batch[last + 1:]
    if not unreached:
        return []
    suspect, rest = unreached[0], unreached[1:]
    return [[suspect]] + ([rest] if rest else [])


def _collect(job: _Job, staging: Path, pdfa: bool) -> str | None:
    """Move a finished PDF into place; return the reason when there is none."""
    produced = staging / job.target.name
    problem = _pdf_problem(job.source, produced, pdfa)
    if problem is None:
        os.replace(produced, job.target)
    else:
        produced.unlink(missing_ok=True)
    return problem


def _pdf_problem(source: Path, pdf: Path, pdfa: bool) -> str | None:
    if not pdf.is_file():
        return f"LibreOffice 未生成 PDF（{_docx_diagnosis(source)}）"
    size = pdf.stat().st_size
    if size == 0:
        return "LibreOffice 生成的 PDF 为空文件"
    with pdf.open("rb") as handle:
        handle.seek(max(0, size - 1024))
        if b"%%EOF" not in handle.read():
            return "LibreOffice 生成的 PDF 不完整"
    if pdfa and pdfa_declaration(pdf) != ("2", "B"):
        return "LibreOffice 未按 PDF/A-2b 输出（版本可能过旧）"
    return None


def _abnormal_reason(run: _Run) -> str:
    if run.status == "timeout":
        return f"转换超时（{run.timeout:g} 秒内未完成），LibreOffice 已被终止" + _stderr_note(run)
    return f"LibreOffice 异常退出（返回码 {run.returncode}）" + _stderr_note(run)


def _stderr_note(run: _Run) -> str:
    lines = [line for line in run.stderr.splitlines()
             if line.strip() and "javaldx" not in line]
    return f"；LibreOffice 输出：{' / '.join(lines[-3:])}" if lines else ""


# ---------------------------------------------------------------- process

def _run_soffice(soffice: Path, sources: list[Path], staging: Path, pdfa: bool,
                 timeout: float) -> _Run:
    """Run one soffice process with a private profile and a per-file watchdog."""
    profile = Path(tempfile.gettempdir()) / f"idi-lo-{uuid.uuid4().hex}"
    try:
        _prepare_profile(profile, pdfa)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            status, code = _watch(_spawn(soffice, sources, staging, profile, pdfa, out, err),
                                  staging, timeout)
            err.seek(0)
            return _Run(status, code, err.read().decode("utf-8", "replace"), timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _prepare_profile(profile: Path, pdfa: bool) -> None:
    (profile / "user").mkdir(parents=True)
    if pdfa:
        (profile / "user" / "registrymodifications.xcu").write_text(
            PDFA_PROFILE_SETTINGS, encoding="utf-8")


def _command(soffice: Path, sources: list[Path], staging: Path, profile: Path,
             pdfa: bool) -> list[str]:
    return [
        str(soffice), f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
        "--nolockcheck", f"--infilter={DOCX_IMPORT_FILTER}",
        "--convert-to", PDFA_FILTER if pdfa else PDF_FILTER,
        "--outdir", str(staging),
        *(str(source.absolute()) for source in sources),
    ]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux"):
        env["LC_ALL"] = "C.UTF-8"  # same output whatever the caller's locale
    if FONTCONFIG_FILE.is_file():
        env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    return env


def _spawn(soffice: Path, sources: list[Path], staging: Path, profile: Path, pdfa: bool,
           out, err) -> subprocess.Popen:
    try:
        return subprocess.Popen(
            _command(soffice, sources, staging, profile, pdfa), env=_environment(),
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
    except OSError as exc:
        raise LibreOfficeMissing(f"{soffice} 无法启动：{exc}") from exc


def _watch(process: subprocess.Popen, staging: Path, timeout: float) -> tuple[str, int | None]:
    """Wait for soffice; kill its process group when no PDF appears for ``timeout`` s."""
    seen = 0
    deadline = time.monotonic() + timeout + min(timeout, MAX_START_UP_SECONDS)
    try:
        while True:
            try:
                code = process.wait(timeout=POLL_SECONDS)
                return ("ok" if code == 0 else "crash"), code
            except subprocess.TimeoutExpired:
                pass
            count = sum(1 for _ in staging.glob("*.pdf"))
            if count > seen:
                seen, deadline = count, time.monotonic() + timeout
            elif time.monotonic() > deadline:
                _kill_group(process)
                return "timeout", None
    finally:
        _kill_group(process)  # reap helpers (oosplash / soffice.bin) left behind


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    except AttributeError:  # no process groups (Windows)
        process.kill()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
