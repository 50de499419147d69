"""docs/document-types.md is generated from the document catalogue and must be current."""
import importlib.util
from pathlib import Path

from docgen import catalogue

SCRIPT = Path(__file__).parents[1] / "scripts" / "gen_doctypes.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_doctypes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_document_types_page_is_current():
    stale = [str(path) for path, text in load_generator().expected_pages().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"文书目录参考文档已过期，请运行 python scripts/gen_doctypes.py：{stale}"


def test_page_lists_every_document_with_its_stage_and_status():
    page = load_generator().page_markdown()
    for entry in catalogue.entries():
        assert f"| `{entry.id}` |" in page
    for stage, title in catalogue.STAGES.items():
        assert f"## {title}（`{stage}`）" in page
    for text in ("模板待建", "| `repair_unit` |", "### 保险告知书（`owner-notice`）", "按户生成",
                 "`documents.<文书 id>`"):
        assert text in page
