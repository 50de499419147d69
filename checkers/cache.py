"""Results of earlier checks, keyed by file content, so re-checking an unchanged folder is instant.

A key is the SHA-256 of:
- the file's bytes (not its name, date or path: a renamed or copied file is still a hit);
- the *context*: `CACHE_FORMAT`, every pack's id and version, a digest of the checker's and the
  corpus's own files (code and data: a changed rule, registry or extractor invalidates everything
  without anyone remembering to bump a number), the versions of the libraries that read the files,
  and the options that change a verdict (jurisdiction, kind, project file contents, user rules
  contents, PDF password, page limit, OCR mode). The OCR engine's and image libraries' versions
  are among the libraries: a new model can read a scan differently.

One JSON file per key under `<cache dir>/results/<2 hex>/<key>.json`, written atomically
(temporary file + rename), so parallel runs never see half an entry. The document's path is not
stored: it is put back on reading. Unreadable, corrupt or foreign entries count as misses. Only
verdicts and reading errors are stored; internal errors, crashes and time-outs never are (the
batch decides, see `checkers.batch`).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus.packs import all_packs

from .check import CheckOptions
from .findings import DocumentResult, Evidence, Finding

CACHE_FORMAT = 2  # bump when the stored entry's shape changes
MAX_HASHED_BYTES = 256 * 2**20  # larger files are refused by extraction anyway: not worth hashing
PATH_TOKEN = "\x00path\x00"
_BLOCK = 2**20
_LIBRARIES = ("idi", "pypdfium2", "pypdf", "lxml", "jieba", "rapidfuzz", "pydantic",
              "rapidocr", "onnxruntime", "opencv-python-headless", "numpy", "Pillow")
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_SOURCE_DIRS = ("checkers", "corpus")
_SOURCE_SUFFIXES = (".py", ".yaml", ".txt")
# Files that do not change verdicts: running and reporting, and sample projects (a project file is
# part of the key through its contents when it is used).
_NOT_CHECKER = ("checkers/batch.py", "checkers/ray_runner.py", "checkers/cache.py", "checkers/reports/", "corpus/samples/")


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/idi, else ~/.cache/idi."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "idi"


@dataclass
class ResultCache:
    directory: Path
    context: str  # hex digest of everything but the file that decides a result

    @classmethod
    def open(cls, directory: Path, options: CheckOptions, max_pages: int | None = None) -> ResultCache:
        return cls(Path(directory) / "results", context_digest(options, max_pages))

    def key(self, path: Path) -> str | None:
        """The entry key of a regular, readable file; None when the file cannot be hashed."""
        digest = file_digest(path)
        if digest is None:
            return None
        return hashlib.sha256(f"{self.context}:{digest}".encode()).hexdigest()

    def get(self, key: str, path: Path) -> DocumentResult | None:
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if entry.get("format") != CACHE_FORMAT or entry.get("context") != self.context:
                return None
            return result_from_json(entry["result"], path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, unreadable or corrupt: a miss

    def put(self, key: str, result: DocumentResult) -> bool:
        """Store a result; False when the cache cannot be written (the batch goes on without it)."""
        entry = {"format": CACHE_FORMAT, "context": self.context, "result": _without_path(result)}
        target = self._entry(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out, ensure_ascii=False)
            os.replace(temporary, target)
            return True
        except OSError:
            return False

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes; None for anything else (FIFOs would block) or on errors."""
    try:
        info = os.stat(path)  # before opening: opening a FIFO would wait for a writer
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_HASHED_BYTES:
            return None
        with open(path, "rb") as handle:
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(_BLOCK), b""):
                digest.update(block)
            return digest.hexdigest()
    except OSError:
        return None


def context_digest(options: CheckOptions, max_pages: int | None = None) -> str:
    material = {
        "format": CACHE_FORMAT,
        "checker": checker_digest(),
        "packs": {pack.id: pack.version for pack in all_packs()},
        "libraries": library_versions(),
        "jurisdiction": options.jurisdiction,
        "kind": options.kind,
        "project": options.project,
        "rules": [rules.model_dump(mode="json") for rules in options.rules],
        "password": hashlib.sha256(options.password.encode()).hexdigest() if options.password else None,
        "max_pages": max_pages,
        "ocr": options.ocr,
    }
    text = json.dumps(material, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1)
def checker_digest() -> str:
    """Digest of the code and data that decide verdicts: checkers/ and corpus/ (.py, .yaml, .txt)."""
    digest = hashlib.sha256()
    for path in sorted(_source_files()):
        relative = path.relative_to(_PACKAGE_ROOT).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _source_files() -> list[Path]:
    files = []
    for folder in _SOURCE_DIRS:
        for path in (_PACKAGE_ROOT / folder).rglob("*"):
            relative = path.relative_to(_PACKAGE_ROOT).as_posix()
            if (path.suffix in _SOURCE_SUFFIXES and path.is_file() and "__pycache__" not in relative
                    and not relative.startswith(_NOT_CHECKER)):
                files.append(path)
    return files


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    return versions


def _without_path(result: DocumentResult) -> dict[str, Any]:
    data = result.as_json()
    path = str(result.path)
    data["path"] = None
    data["error"] = data["error"].replace(path, PATH_TOKEN) if data["error"] else None
    data["notes"] = [note.replace(path, PATH_TOKEN) for note in data["notes"]]
    return data


def result_from_json(data: dict[str, Any], path: Path) -> DocumentResult:
    """A DocumentResult from its `as_json()` form (with `path` for a stored entry's placeholder)."""
    text = str(path)
    findings = [Finding(**{**f, "evidence": [Evidence(**e) for e in f["evidence"]]}) for f in data["findings"]]
    error = data["error"]
    return DocumentResult(
        path=Path(path), kind=data["kind"], jurisdiction=data["jurisdiction"],
        error=error.replace(PATH_TOKEN, text) if error else None, findings=findings,
        notes=[str(note).replace(PATH_TOKEN, text) for note in data["notes"]], pages=int(data["pages"]))
