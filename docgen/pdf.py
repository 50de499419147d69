"""DOCX → PDF through LibreOffice headless.

One LibreOffice process converts a whole batch (start-up costs 1–3 s), with a private user
profile per process (two conversions sharing a profile fail silently) that is deleted
afterwards, a time limit that kills the whole process group, and our fontconfig aliases
(fonts/fonts.conf: 宋体/仿宋/楷体/小标宋 → Noto Serif CJK SC, 黑体 → Noto Sans CJK SC) applied to
that process only. LibreOffice exits 0 even when a file failed, so every expected PDF is checked.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from corpus.errors import IdiError

FONTS_CONF = Path(__file__).parent / "fonts" / "fonts.conf"
START_UP_SECONDS = 30  # allowed for LibreOffice to start, on top of the per-file time
PDF_EXPORT = "pdf:writer_pdf_Export"
# LibreOffice ≥ 7.4 takes filter options as JSON; SelectPdfVersion 2 is PDF/A-2b.
PDFA_EXPORT = PDF_EXPORT + ':{"SelectPdfVersion":{"type":"long","value":"2"}}'
INSTALL_HINT = "请先安装：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk（或运行 scripts/setup.sh）"


class LibreOfficeMissing(IdiError):
    def __init__(self) -> None:
        super().__init__(f"未找到 LibreOffice（soffice），无法转换为 PDF。{INSTALL_HINT}")


class ConversionError(IdiError):
    """One or more files could not be converted; the message names each and why."""


@dataclass
class BatchResult:
    converted: dict[Path, Path] = field(default_factory=dict)  # input .docx → output .pdf
    failed: dict[Path, str] = field(default_factory=dict)  # input .docx → Chinese reason


def find_soffice() -> Path | None:
    """LibreOffice's soffice: $IDI_SOFFICE, else on PATH, else the usual install places."""
    override = os.environ.get("IDI_SOFFICE")
    if override:
        return Path(override) if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def convert_batch(docx_paths: Sequence[Path], out_dir: Path, *, pdfa: bool = False,
                  timeout_per_file: float = 60) -> BatchResult:
    """Convert every file in one LibreOffice process; a file that fails does not stop the others."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing()
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = [Path(p).resolve() for p in docx_paths]
    _refuse_name_clashes(sources)
    result = BatchResult()
    if not sources:
        return result
    timeout = START_UP_SECONDS + timeout_per_file * len(sources)
    started = time.time() - 1  # a PDF older than this run is not its output
    problem = _run(soffice, sources, out_dir, pdfa, timeout)
    for source in sources:
        target = out_dir / f"{source.stem}.pdf"
        if target.is_file() and target.stat().st_size > 0 and target.stat().st_mtime >= started:
            result.converted[source] = target
        else:
            result.failed[source] = problem or "LibreOffice 未生成 PDF（文件可能已损坏或不是有效的 .docx）"
    return result


def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, *, pdfa: bool = False,
                   timeout: float = 120) -> list[Path]:
    """The PDFs of `docx_paths`, in order; any failure is a ConversionError naming each file."""
    result = convert_batch(docx_paths, out_dir, pdfa=pdfa, timeout_per_file=timeout)
    if result.failed:
        raise ConversionError("；".join(f"{path}：{reason}" for path, reason in result.failed.items()))
    return [result.converted[Path(p).resolve()] for p in docx_paths]


def _refuse_name_clashes(sources: list[Path]) -> None:
    stems: dict[str, Path] = {}
    for source in sources:
        other = stems.setdefault(source.stem, source)
        if other != source:
            raise ConversionError(f"{other} 与 {source} 同名，转换后的 PDF 会互相覆盖；请分批转换")


def _run(soffice: Path, sources: list[Path], out_dir: Path, pdfa: bool, timeout: float) -> str | None:
    """Run one LibreOffice conversion; a Chinese reason when the process itself failed."""
    profile = Path(tempfile.mkdtemp(prefix="idi-lo-"))
    command = [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", PDFA_EXPORT if pdfa else PDF_EXPORT,
               "--outdir", str(out_dir), *map(str, sources)]
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "LC_ALL": "C.UTF-8"}
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return f"LibreOffice 转换超时（超过 {timeout:.0f} 秒），已终止"
        if process.returncode != 0:
            return f"LibreOffice 异常退出（退出码 {process.returncode}）：{stderr.decode(errors='replace')[-200:]}"
        return None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
