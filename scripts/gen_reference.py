"""Regenerate docs/rules/ from the rule packs (a test fails when they are out of date)."""
from pathlib import Path

from corpus.packs import all_packs
from corpus.reference import index_markdown, pack_markdown

DOCS = Path(__file__).parents[1] / "docs" / "rules"


def expected_pages() -> dict[Path, str]:
    packs = all_packs()
    pages = {DOCS / f"{p.id}.md": pack_markdown(p) for p in packs}
    pages[DOCS / "README.md"] = index_markdown(packs)
    return pages


if __name__ == "__main__":
    DOCS.mkdir(parents=True, exist_ok=True)
    for path, text in expected_pages().items():
        path.write_text(text, encoding="utf-8")
        print(f"写入 {path.relative_to(DOCS.parents[1])}")
