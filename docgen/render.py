"""Generating a document: validate the data, choose the pack, enforce the rules, fill the template.

    validate(type_id, data) -> model          every problem at once, with Chinese field names
    render(type_id, data, pack, out_path)     one document; RenderResult(path, warnings, …)
    prepare(type_id, pack) -> Generator       template and pack read once, for many documents
    check_template(path, type_id)             variables a user template uses that the type lacks,
                                              and required ones it omits
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import ValidationError

from corpus.errors import IdiError, InputError
from corpus.packs import resolve_pack
from corpus.schema import Pack

from . import catalogue
from .derived import basis_line, citation
from .engine import GAP, PreparedTemplate, Properties, TemplateProblem, assemble, data_sha256, provided_paths
from .rules import enforce
from .schemas import error_lines, lenient, titles_along
from .types import DocumentType, Job, Mandate

TEMPLATES_DIR = Path(__file__).parents[1] / "templates"
PackLike = Union[Pack, str, None]


class UnknownDocumentType(IdiError):
    """A document type id the catalogue does not know, or one whose template is not built yet."""


class NotMandated(IdiError):
    """The chosen pack does not mandate (or imply) the document type."""


class OutputExists(IdiError):
    """The output file exists and overwriting was not asked for."""


@dataclass
class RenderResult:
    path: Optional[Path]
    warnings: list[str]
    type_id: str
    pack: str  # id@version
    template_sha256: str
    data_sha256: str
    draft: bool = False
    content: bytes = field(default=b"", repr=False)


# ---------------------------------------------------------------------------------------------
# Types


def list_types() -> list[DocumentType]:
    """The document types that can be generated, in catalogue order."""
    return catalogue.implemented_types()


def get_type(type_id: str) -> DocumentType:
    found = catalogue.implemented().get(type_id)
    if found:
        return found
    entry = catalogue.entry(type_id)
    if entry is not None:
        raise UnknownDocumentType(f"“{type_id}”（{entry.title}）模板待建，暂不能生成；"
                                  f"可生成的文书：{'、'.join(catalogue.implemented())}")
    raise UnknownDocumentType(f"未知的文书类型 “{type_id}”；可生成的文书：{'、'.join(catalogue.implemented())}"
                              "（idi docs list 列出全部文书）")


def example(type_id: str, pack: PackLike = None) -> dict:
    doc_type = get_type(type_id)
    return doc_type.example(_pack_for_example(doc_type, pack))


def example_text(type_id: str, pack: PackLike = None) -> str:
    doc_type = get_type(type_id)
    return doc_type.example_text(_pack_for_example(doc_type, pack))


def _pack_for_example(doc_type: DocumentType, pack: PackLike) -> Pack:
    if pack is None:
        return doc_type.default_pack()
    chosen = pack if isinstance(pack, Pack) else resolve_pack(pack).pack
    mandate_for(doc_type, chosen)
    return chosen


# ---------------------------------------------------------------------------------------------
# Validation and pack choice


def validate(type_id: str, data: Any, *, draft: bool = False, source: str = "数据"):
    """The type's input model from `data`; an InputError lists every invalid or missing field."""
    doc_type = get_type(type_id)
    model = lenient(doc_type.model) if draft else doc_type.model
    if not isinstance(data, dict):
        raise InputError(f"{source}：顶层应为键值映射（pack:、date:、project: …）")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = error_lines(exc, doc_type.model)
        raise InputError(f"{source}：{len(lines)} 处问题\n" + "\n".join(f"  {line}" for line in lines)) from None


def choose_pack(doc_type: DocumentType, pack: PackLike, model) -> tuple[Pack, Mandate, list[str]]:
    """The pack (argument, else the data's `pack:`, as in force on the document's date)."""
    if isinstance(pack, Pack):
        return pack, mandate_for(doc_type, pack), []
    name = pack or getattr(model, "pack", None)
    if not name:
        raise InputError("未指定规则包：请在数据中写 pack:（规则包 id 或城市名），或使用 --jurisdiction")
    resolution = resolve_pack(name, getattr(model, "date", None) or date.today())
    warnings = [resolution.warning] if resolution.warning else []
    return resolution.pack, mandate_for(doc_type, resolution.pack), warnings


def mandate_for(doc_type: DocumentType, pack: Pack) -> Mandate:
    mandate = doc_type.mandate(pack)
    if mandate is None:
        packs = "、".join(f"{p.id}（{p.city}）" for p in doc_type.packs())
        raise NotMandated(f"{pack.id}（{pack.title}）未规定《{doc_type.title}》，不生成该文书；"
                          f"规定该文书的规则包：{packs}")
    return mandate


# ---------------------------------------------------------------------------------------------
# Templates


_PREPARED: dict[str, PreparedTemplate] = {}


def load_template(doc_type: DocumentType, template: Union[Path, str, bytes, None] = None) -> PreparedTemplate:
    """A prepared template: the user's file, else templates/<type>.docx, else one built from the spec."""
    if isinstance(template, bytes):
        source, name = template, "模板"
    elif template is not None:
        path = Path(template)
        try:
            source, name = path.read_bytes(), str(path)
        except OSError:
            raise TemplateProblem(f"{path}：模板文件不存在或无法读取") from None
    else:
        path = TEMPLATES_DIR / f"{doc_type.id}.docx"
        source, name = (path.read_bytes(), str(path)) if path.exists() else (doc_type.template_bytes, doc_type.id)
    key = f"{len(source)}:{hash(source)}"
    if key not in _PREPARED:
        _PREPARED[key] = PreparedTemplate(source, name)
    return _PREPARED[key]


def clear_template_cache() -> None:
    _PREPARED.clear()


# ---------------------------------------------------------------------------------------------
# Context


def build_context(doc_type: DocumentType, job: Job) -> dict:
    data = job.model.model_dump(mode="python")
    pack = job.pack
    common = {
        "doc": {"type": doc_type.id, "title": job.mandate.title, "cite": job.mandate.cite,
                "basis": basis_line(pack, job.mandate.cite), "citation": citation(pack, job.mandate.cite),
                "issuer": job.mandate.issuer, "recipient": job.mandate.recipient},
        "regulation": {"id": pack.id, "version": pack.version, "title": pack.title, "city": pack.city,
                  "document_number": pack.document_number, "name": citation(pack, "")},
    }
    derived = doc_type.derive(job)
    clash = (set(common) | set(derived)) & set(data)
    if clash:
        raise RuntimeError(f"{doc_type.id}: derived keys clash with data fields: {sorted(clash)}")
    return {**data, **common, **derived}


# ---------------------------------------------------------------------------------------------
# Rendering


class Generator:
    """One document type, one template (and optionally one pack), ready to fill many times."""

    def __init__(self, doc_type: DocumentType, pack: PackLike = None, template=None):
        self.doc_type = doc_type
        self.pack = pack if isinstance(pack, Pack) or pack is None else resolve_pack(pack).pack
        self.template = load_template(doc_type, template)

    def render_bytes(self, data: dict, *, draft: bool = False, base_dir: Optional[Path] = None,
                     source: str = "数据") -> RenderResult:
        doc_type = self.doc_type
        model = validate(doc_type.id, data, draft=draft, source=source)
        pack, mandate, warnings = choose_pack(doc_type, self.pack, model)
        job = Job(model, pack, mandate, draft, Path(base_dir) if base_dir else Path.cwd())
        warnings += self._requirements(job, source)
        warnings += enforce(doc_type.rules(job), mandate.title)
        context = build_context(doc_type, job)
        warnings += self._gaps(context, model, draft)
        rendered, images = self.template.fill(context, draft)
        props = Properties(
            title=_document_title(mandate.title, model), type_id=doc_type.id, type_title=doc_type.title,
            pack=f"{pack.id}@{pack.version}", template_sha256=self.template.sha256,
            data_sha256=data_sha256(model.model_dump(mode="json")), draft=draft)
        content = assemble(self.template, rendered, images, props)
        return RenderResult(None, warnings, doc_type.id, props.pack, props.template_sha256,
                            props.data_sha256, draft, content)

    def render(self, data: dict, out_path: Union[Path, str], *, draft: bool = False, force: bool = False,
               base_dir: Optional[Path] = None, source: str = "数据") -> RenderResult:
        out_path = Path(out_path)
        if out_path.exists() and not force:
            raise OutputExists(f"{out_path}：文件已存在；如需覆盖请加 --force")
        result = self.render_bytes(data, draft=draft, base_dir=base_dir, source=source)
        write_atomically(out_path, result.content)
        result.path = out_path
        return result

    def _requirements(self, job: Job, source: str) -> list[str]:
        problems = [f"{path}（{' › '.join(titles_along(self.doc_type.model, _loc(path)))}）：{message}"
                    for path, message in self.doc_type.requirements(job)]
        if not problems:
            return []
        if job.draft:
            return [f"草稿缺项：{p}" for p in problems]
        raise InputError(f"{source}：{len(problems)} 处问题（{job.pack.id} 的要求）\n"
                         + "\n".join(f"  {p}" for p in problems))

    def _gaps(self, context: dict, model, draft: bool) -> list[str]:
        missing = self.template.gaps(context)
        if not missing:
            return []
        described = [_describe_path(self.doc_type, path) for path in missing]
        if draft:
            return [f"草稿缺项（以{GAP}标注）：{d}" for d in described]
        raise TemplateProblem(f"{self.template.name}：数据缺少模板需要的 {len(described)} 项，不予生成"
                              "（可加 --draft 生成草稿，缺项标注【待补】）：\n"
                              + "\n".join(f"  {d}" for d in described))


def prepare(type_id: str, pack: PackLike = None, template=None) -> Generator:
    return Generator(get_type(type_id), pack, template)


def render(type_id: str, data: dict, pack: PackLike = None, out_path: Union[Path, str, None] = None, *,
           draft: bool = False, template=None, force: bool = False, base_dir: Optional[Path] = None,
           source: str = "数据") -> RenderResult:
    """Render one document; with no `out_path` the .docx bytes are in `result.content`."""
    generator = prepare(type_id, pack, template)
    if out_path is None:
        return generator.render_bytes(data, draft=draft, base_dir=base_dir, source=source)
    return generator.render(data, out_path, draft=draft, force=force, base_dir=base_dir, source=source)


def write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _document_title(title: str, model) -> str:
    project = getattr(model, "project", None)
    name = getattr(project, "name", None)
    return f"{title}（{name}）" if name else title


def _loc(path: str) -> tuple:
    return tuple(re.findall(r"[^.\[\]]+", path))


def _describe_path(doc_type: DocumentType, path: str) -> str:
    titles = titles_along(doc_type.model, _loc(path))
    return f"{path}（{' › '.join(titles)}）" if titles else path


# ---------------------------------------------------------------------------------------------
# Checking a user's template against a type


@dataclass
class TemplateReport:
    template: str
    type_id: str
    unknown: list[str]  # used by the template, not provided by the type
    missing: list[str]  # required by the type, not used by the template

    @property
    def ok(self) -> bool:
        return not self.unknown and not self.missing


_SCALAR_ATTRIBUTES = {"year", "month", "day"}


def type_paths(doc_type: DocumentType) -> set[str]:
    """Every path a type's context can provide: its model's fields and, from its examples, the
    derived values (for each pack that mandates it)."""
    paths = _model_paths(doc_type.model)
    for pack in doc_type.packs():
        model = doc_type.model.model_validate(doc_type.example(pack))
        job = Job(model, pack, doc_type.mandate(pack), False, Path.cwd())
        paths |= provided_paths(build_context(doc_type, job))
    return paths


def _model_paths(model, prefix: str = "") -> set[str]:
    from .schemas import _inner_model
    paths = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        annotation = info.annotation
        is_list = "list[" in str(annotation) or "List[" in str(annotation)
        is_dict = "dict[" in str(annotation)
        paths.add(path)
        if is_list:
            path += "[]"
            paths.add(path)
        if is_dict:
            paths.add(path + ".*")
        inner = _inner_model(annotation)
        if inner is not None:
            paths |= _model_paths(inner, path)
    return paths


def _known(path: str, provided: set[str]) -> bool:
    if path in provided:
        return True
    if any(p.startswith(path + ".") or p.startswith(path + "[") for p in provided):
        return True
    head, _, last = path.rpartition(".")
    if head and (head + ".*") in provided:
        return True
    return bool(head) and head in provided and last in _SCALAR_ATTRIBUTES


def check_template(template: Union[Path, str, bytes], type_id: str) -> TemplateReport:
    doc_type = get_type(type_id)
    prepared = load_template(doc_type, template)
    provided = type_paths(doc_type)
    used = [u.path for u in prepared.uses]
    unknown = sorted({p for p in used if not _known(p, provided)})
    missing = [r for r in doc_type.required if not any(u == r or u.startswith(r + ".") or u.startswith(r + "[")
                                                       for u in used)]
    return TemplateReport(prepared.name, type_id, unknown, missing)
