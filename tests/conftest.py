"""Shared fixtures: the sample set of scripts/make_samples.py, built once per session."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # so test modules can import conftest's helpers


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


make_samples = _load_script("make_samples")
HAS_SOFFICE = make_samples.soffice_path() is not None


@pytest.fixture(scope="session")
def sample_set(tmp_path_factory):
    """(directory, manifest): DOCX always, PDF when LibreOffice is installed."""
    out = tmp_path_factory.mktemp("samples")
    manifest = make_samples.build_samples(out, pdf=HAS_SOFFICE)
    return out, yaml.safe_load(manifest.read_text(encoding="utf-8"))
