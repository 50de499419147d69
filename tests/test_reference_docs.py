"""docs/rules/ is generated from the packs and must be current (datasette's habit)."""
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "gen_reference.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_pages_are_current():
    stale = [str(path) for path, text in load_generator().expected_pages().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"规则包参考文档已过期，请运行 python scripts/gen_reference.py：{stale}"


def test_reference_page_shows_every_rule_with_its_article():
    page = (SCRIPT.parents[1] / "docs" / "rules" / "shanghai-2025.md").read_text(encoding="utf-8")
    for text in ("| policy-upload |", "3个工作日", "| shanghai-2025/insurer-contact |",
                 "第九条（一）5", "## 本文件未规定的事项"):
        assert text in page
