"""Fixtures for the OCR tests: scans of a few sample contracts, made with scripts/make_scans.py."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Short documents that between them have passes, missing articles and blank phone lines, with seals
# over a clause the checker reads and over the signature block: 12 pages, about a minute of OCR.
SCANNED_SAMPLES = ("hz-notice-contact-blank", "sh-announcement-insurer-blank", "sh-warranty-no-supervision",
                   "bj-notice-contact-missing")


def load_script(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def scan_set(sample_set, tmp_path_factory):
    """(directory, manifest) of scans of SCANNED_SAMPLES; skipped without PDF samples (LibreOffice)."""
    out, manifest = sample_set
    if not manifest.get("pdf"):
        pytest.skip("LibreOffice (soffice) is not installed: no PDF samples to scan")
    target = tmp_path_factory.mktemp("scans")
    path = load_script("make_scans").build_scans(out, target, only=list(SCANNED_SAMPLES))
    return target, yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def scan_results(scan_set):
    """name → (result of the scan, result of its text original, the scan as extracted), checked once
    per session; the scan's result is `check_file`'s (extract, then check_raw)."""
    from checkers.check import CheckOptions, check_file, check_raw
    from checkers.extract import extract

    directory, manifest = scan_set
    results = {}
    for entry in manifest["scans"]:
        raw = extract(directory / entry["scan"])
        results[entry["name"]] = (check_raw(raw, CheckOptions()), check_file(Path(entry["original"])), raw)
    return results
