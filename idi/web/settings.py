"""What `idi serve` is configured with: address, access token, limits, where jobs live."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

TOKEN_ENV = "IDI_TOKEN"
DEFAULT_PORT = 8765


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: Optional[str] = None  # required on every request when set
    max_upload_mb: float = 200.0  # all files of one check job together
    max_files: int = 500  # files per check job
    jobs: int = 0  # worker processes per check job (0 = one per core), as `idi check --jobs`
    concurrent_checks: int = 1  # check jobs running at once; the others wait in a queue
    max_active_jobs: int = 20  # jobs kept at once (uploading, queued, running or with reports)
    keep_minutes: float = 60.0  # a finished job's reports are deleted after this time
    timeout: float = 120.0  # seconds per file, as `idi check --timeout`
    max_pages: int = 2000  # PDF page limit per file, as `idi check --max-pages`
    cache_dir: Optional[Path] = None  # None: the CLI's default cache (~/.cache/idi)
    cache: bool = True
    work_dir: Optional[Path] = None  # where private job folders are made (default: the system temp)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def cache_directory(self) -> Path:
        from checkers.cache import default_cache_dir
        return self.cache_dir or default_cache_dir()


def token_from_environment() -> Optional[str]:
    value = os.environ.get(TOKEN_ENV, "").strip()
    return value or None


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
