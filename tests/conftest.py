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


# A one-clause Shanghai contract that passes every check the clause carries: cheap files for the
# batch and executor tests.
CONTRACT = """上海市商品房预售合同
第十八条 住宅工程质量潜在缺陷保险
保险期限起算日之前负责维修的单位为上海申浦建筑工程有限公司，联系电话：021-64581230。
建设单位监督电话：021-64587700。
保险期限内的保险公司为中国太平洋财产保险股份有限公司，联系电话：95500。
"""


@pytest.fixture
def folder(tmp_path):
    """make(*names, text=CONTRACT) → paths of text files with those names in a fresh folder."""
    def make(*names: str, text: str = CONTRACT) -> list[Path]:
        paths = []
        for name in names:
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths
    return make
