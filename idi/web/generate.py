"""The generate page's server side: the catalogue, a type's form (JSON schema and example data),
and generating through the same docgen calls as `idi generate`, with the same Chinese messages."""
from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from corpus.errors import IdiError, InputError
from corpus.schema import MILESTONES

SOURCE = "表单"  # where the data came from, as `idi generate` names the data file
PDF_SLOTS = threading.BoundedSemaphore(2)  # LibreOffice conversions at once (about 260 MB each)
_LINE = re.compile(r"^(?P<path>[^（：\s]+)(?:（(?P<titles>.*?)）)?(?:：(?P<problem>.*))?$")


@dataclass
class Generated:
    filename: str
    content: bytes
    media_type: str
    warnings: list[str] = field(default_factory=list)


class FormError(IdiError):
    """A refusal to show next to the form: the message as the CLI prints it, and per-field lines."""

    def __init__(self, message: str, errors: Optional[list[dict]] = None) -> None:
        super().__init__(message)
        self.errors = errors if errors is not None else field_errors(message)


def catalogue() -> list[dict[str, Any]]:
    """Every document type that can be generated, grouped by project stage, in catalogue order."""
    import docgen
    from docgen import catalogue as cat
    groups: dict[str, dict[str, Any]] = {}
    for doc_type in docgen.list_types():
        entry = cat.entry(doc_type.id)
        stage = doc_type.stage
        group = groups.setdefault(stage, {"stage": stage, "title": cat.STAGES[stage], "types": []})
        group["types"].append({
            "id": doc_type.id, "title": doc_type.title, "summary": doc_type.summary,
            "aliases": list(entry.aliases) if entry else [],
            "packs": [{"id": p.id, "city": p.city} for p in doc_type.packs()],
        })
    order = list(cat.STAGES)
    return sorted(groups.values(), key=lambda g: order.index(g["stage"]))


def form(type_id: str, pack: Optional[str] = None) -> dict[str, Any]:
    """A type's form: its JSON schema, the example data for the pack, the packs to choose from."""
    import docgen
    doc_type = docgen.get_type(type_id)
    example = docgen.example(type_id, pack or None)
    chosen = example.get("pack")
    packs = [{"id": p.id, "city": p.city, "title": p.title, "in_force": p.in_force(_today())}
             for p in doc_type.packs()]
    return {"id": doc_type.id, "title": doc_type.title, "summary": doc_type.summary, "pack": chosen,
            "packs": packs, "schema": doc_type.json_schema(), "example": _plain(example),
            "milestones": dict(MILESTONES)}


def _today():
    from datetime import date
    return date.today()


def _plain(value: Any) -> Any:
    """Dates, Decimals … as the strings a form shows."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def generate(type_id: str, data: Any, fmt: str = "docx", draft: bool = False) -> Generated:
    """The document as `idi generate TYPE --data FILE -o OUT.docx|.pdf [--draft]` makes it."""
    import docgen
    from docgen.bulk import safe_filename
    if fmt not in ("docx", "pdf"):
        raise FormError(f"输出格式应为 docx 或 pdf（现为 {fmt!r}）", [])
    doc_type = docgen.get_type(type_id)
    if not isinstance(data, dict):
        raise FormError(f"{SOURCE}：顶层应为键值映射（pack:、date:、project: …）", [])
    refuse_file_paths(data)
    name = safe_filename(_document_name(doc_type.title, data), doc_type.id)
    folder = Path(tempfile.mkdtemp(prefix="idi-web-gen-"))  # private (0700), also the base for relative paths
    try:
        if fmt == "docx":
            result = docgen.render(type_id, data, None, None, draft=draft, base_dir=folder, source=SOURCE)
            return Generated(f"{name}.docx", result.content,
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             list(result.warnings))
        output = folder / "out" / "document.pdf"
        with PDF_SLOTS:
            result = docgen.render_pdf(type_id, data, None, output, draft=draft, base_dir=folder, source=SOURCE)
        return Generated(f"{name}.pdf", output.read_bytes(), "application/pdf", list(result.warnings))
    except InputError as exc:
        raise FormError(str(exc)) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _document_name(title: str, data: dict) -> str:
    owner = data.get("owner") if isinstance(data.get("owner"), dict) else {}
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    extra = owner.get("name") or project.get("name")
    return f"{title}-{extra}" if isinstance(extra, str) and extra.strip() else title


def refuse_file_paths(data: Any, path: str = "") -> None:
    """Photos are file paths on the machine that generates: a browser must not name server files."""
    problems = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                inner = f"{where}.{key}" if where else str(key)
                if key == "photo" and item not in (None, ""):
                    problems.append(inner)
                else:
                    walk(item, inner)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk(data, path)
    if problems:
        lines = [f"{p}：网页生成不支持照片文件路径，请留空（需要照片时请用命令行 idi generate）" for p in problems]
        raise FormError(f"{SOURCE}：{len(lines)} 处问题\n" + "\n".join(f"  {line}" for line in lines))


def field_errors(message: str) -> list[dict[str, str]]:
    """Per-field problems from a docgen message (`  insurer.phone（保险公司 › 联系电话）：…` lines)."""
    errors = []
    for line in message.splitlines()[1:]:
        if not line.startswith("  "):
            continue
        text = line.strip()
        match = _LINE.match(text)
        if not match:
            continue
        errors.append({"path": match.group("path"), "titles": match.group("titles") or "",
                       "problem": (match.group("problem") or "").strip(), "line": text})
    return errors
