"""Build templates/<type>.docx from the template specs in docgen/types/ (python-docx, GB/T 9704).

Templates are authored as Python (each type module's `spec`), so they can be reviewed and diffed;
this script writes the .docx files users can open, copy and adapt. Builds are deterministic;
tests/test_docgen_templates.py fails when a committed template differs from a fresh build.

    .venv/bin/python scripts/build_templates.py           # write templates/*.docx
    .venv/bin/python scripts/build_templates.py --check   # exit 1 if any is out of date
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docgen import list_types
from docgen.render import TEMPLATES_DIR


def expected_templates() -> dict[Path, bytes]:
    return {TEMPLATES_DIR / f"{t.id}.docx": t.template_bytes for t in list_types()}


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def stale() -> list[Path]:
    return [path for path, data in expected_templates().items()
            if not path.exists() or parts(path.read_bytes()) != parts(data)]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        out_of_date = stale()
        for path in out_of_date:
            print(f"模板已过期：{path}（运行 python scripts/build_templates.py 重新生成）")
        return 1 if out_of_date else 0
    TEMPLATES_DIR.mkdir(parents=True, exist_ok=True)
    for path, data in expected_templates().items():
        path.write_bytes(data)
        print(f"写入 {path.relative_to(TEMPLATES_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
