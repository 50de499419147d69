"""Regenerate docs/document-types.md from the document catalogue (a test fails when it is out of date)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen import catalogue  # noqa: E402
from docgen.bulk import owner_section, per_owner  # noqa: E402
from docgen.packets import RECORD_KEYS  # noqa: E402
from docgen import schemas  # noqa: E402
from docgen.schemas import DocumentData, _inner_model  # noqa: E402

PAGE = ROOT / "docs" / "document-types.md"
COMMON = set(DocumentData.model_fields)  # pack, date, doc_number: every document's own


def expected_pages() -> dict[Path, str]:
    return {PAGE: page_markdown()}


def page_markdown() -> str:
    entries = catalogue.entries()
    types = catalogue.implemented_types()
    lines = ["# 文书目录", "", "<!-- 由 scripts/gen_doctypes.py 从文书目录（docgen.catalogue）生成，请勿手工编辑 -->", "",
             "各城市规则包规定或提及的全部文书，按项目阶段排列。“可生成”的文书用 `idi generate TYPE --data 数据文件` 生成"
             "（`idi generate TYPE --example` 输出示例数据）；一个阶段的全部文书用 "
             "`idi generate --stage 阶段 --data 项目文件 -o 文件夹` 生成，“模板待建”的文书在其中列为跳过。", "",
             f"共 {len(entries)} 种文书，其中 {len(types)} 种可生成。"]
    for stage, title in catalogue.STAGES.items():
        lines += _stage_section(stage, title, [e for e in entries if e.stage == stage])
    lines += _record_section(types)
    for doc_type in types:
        lines += _type_section(doc_type)
    return "\n".join(lines) + "\n"


def _stage_section(stage: str, title: str, entries) -> list[str]:
    lines = ["", f"## {title}（`{stage}`）", ""]
    if not entries:
        return lines + ["（各规则包均未规定此阶段的文书。）"]
    lines += ["| id | 名称 | 城市与依据 | 出具方 → 接收方，时点 | 状态 |", "|---|---|---|---|---|"]
    for entry in entries:
        basis = "<br>".join(f"{m.pack.city} {m.cite}" + ("（推定）" if m.basis == "provision" else "")
                            for m in entry.mandates)
        parties = "<br>".join(_cell(f"{m.issuer} → {m.recipient}，{m.when}") for m in entry.mandates)
        name = f"[{entry.title}](#{entry.id})" if entry.available else entry.title
        lines.append(f"| `{entry.id}` | {_cell(name)} | {basis} | {parties} | {entry.status} |")
    return lines


def _record_section(types) -> list[str]:
    """The shared parts: fields of several types holding one of the common schemas (项目, 保险公司 …)."""
    users: dict[str, list[str]] = {}
    for doc_type in types:
        for name, info in doc_type.model.model_fields.items():
            part = _inner_model(info.annotation)
            if name not in COMMON and part is not None and part.__module__ == schemas.__name__:
                users.setdefault(f"`{name}` | {_cell(info.title or '')}", []).append(f"`{doc_type.id}`")
    lines = ["", "## 项目文件（阶段文书包的数据）", "",
             "`idi timeline` 的项目文件（`pack`、`name`、`milestones`）加上各文书共用的部分。每份文书取其用到的顶层部分，"
             "再以 `documents.<文书 id>` 下该文书自己的数据按键合并覆盖（列表整体替换）；`name`、`milestones` 同时作为 "
             f"`project.name`、`project.milestones`。项目文件自身的键：{'、'.join(f'`{k}`' for k in RECORD_KEYS)}。"
             "列出 `owners` 时，可按户生成的文书每户一份。顶层的部分对用到它的每种文书都相同；因文书而异的"
             "（如各文书的 `contact`、`owner`）写在 `documents.<文书 id>` 下。示例：corpus/samples/project-*.yaml。", "",
             "| 部分 | 名称 | 使用该部分的文书 |", "|---|---|---|"]
    lines += [f"| {part} | {'、'.join(ids)} |" for part, ids in sorted(users.items()) if len(ids) > 1]
    return lines


def _type_section(doc_type) -> list[str]:
    entry = catalogue.entry(doc_type.id)
    packs = "、".join(f"{m.pack.city}（`{m.pack.id}`）" for m in entry.mandates)
    section = owner_section(doc_type)
    rows = f"；`--rows` 每行填写 `{section}`" if section else ""
    lines = ["", f"### {doc_type.title}（`{doc_type.id}`）<a id=\"{doc_type.id}\"></a>", "", _cell(doc_type.summary), "",
             f"阶段：{catalogue.STAGES[doc_type.stage]}；规则包：{packs}"
             f"{'；按户生成（项目文件列出 owners 时每户一份）' if per_owner(doc_type) else ''}{rows}。", "",
             "| 字段 | 名称 | 必填 |", "|---|---|---|"]
    for name, info in doc_type.model.model_fields.items():
        lines.append(f"| `{name}` | {_cell(info.title or '')} | {'是' if info.is_required() else '否'} |")
    return lines


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    for path, text in expected_pages().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"写入 {path.relative_to(ROOT)}")
