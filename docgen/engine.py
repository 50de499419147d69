"""The template engine: docxtpl's template language, sandboxed and strict, prepared once.

`PreparedTemplate` reads a template once: docxtpl's `patch_xml` turns its tags (`{%p …%}`,
`{%tr …%}`) into plain Jinja, and the Jinja templates of the body, headers and footers are
compiled once; each render only fills them and writes a new zip from the template's other parts.
That is what makes many documents a second possible (docxtpl re-parses and re-compiles per
render). The template language is docxtpl's, evaluated in a jinja2 SandboxedEnvironment (no code
execution through a user's template) with autoescape (data such as `A&B<置业>` stays text).

Strictness: every variable the template prints must have a value. Before rendering, the template's
variable paths (`project.developer.phone`, `meeting.attendees[].name`) are resolved against the
context; every gap is listed at once. With `draft=True` gaps print as 【待补】 and the document
carries a 草稿 watermark. Every output records in its properties the document type, the SHA-256
of the template and of the data, and the rule pack (id@version).
"""
from __future__ import annotations

import contextvars
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Optional
from xml.sax.saxutils import escape as xml_escape

from docx.image.image import Image as DocxImage
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from corpus.errors import IdiError

from .derived import cn_date, cn_ordinal, pct, plain, rmb_upper, yuan

GAP = "【待补】"
WATERMARK_TEXT = "草稿"
_TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_DOCXTPL = DocxTemplate.__new__(DocxTemplate)  # patch_xml and resolve_listing use no state


class TemplateProblem(IdiError):
    """A template that cannot be used: not a .docx, bad tag syntax, unsafe access, missing values."""


# ---------------------------------------------------------------------------------------------
# Jinja environments


class DraftUndefined(ChainableUndefined):
    """A missing value in a draft: prints 【待补】, iterates as empty, is false."""

    def __str__(self) -> str:
        return GAP

    def __html__(self) -> str:
        return GAP


class _Environment(SandboxedEnvironment):
    """Sandboxed; a mapping's keys win over its methods (a field named `items` is data)."""

    def getattr(self, obj, attribute):
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


_INVALID_XML = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _finalize(draft: bool):
    def finalize(value):
        if value is None:
            if draft:
                return GAP
            raise TemplateProblem("模板输出了一个空值（数据缺项）；可加 --draft 生成草稿，缺项标注【待补】")
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, date):
            return cn_date(value)
        if isinstance(value, Decimal):
            return plain(value)
        if isinstance(value, str) and not isinstance(value, Markup):
            return _INVALID_XML.sub("", value)
        if callable(value) and not hasattr(value, "__html__"):
            raise TemplateProblem(f"模板输出了一个方法而不是值：{value!r}")
        return value
    return finalize


def make_environment(draft: bool = False) -> SandboxedEnvironment:
    env = _Environment(undefined=DraftUndefined if draft else StrictUndefined, autoescape=True,
                       finalize=_finalize(draft))
    def only(kind, function):
        """Apply to values of `kind`; pass anything else (None, a draft's gap) through to finalize."""
        return lambda value: function(value) if isinstance(value, kind) and not isinstance(value, bool) else value

    env.filters.update({
        "cn_date": only(date, cn_date),
        "yuan": only((Decimal, int), lambda v: yuan(Decimal(v))),
        "rmb_upper": only((Decimal, int), lambda v: rmb_upper(Decimal(v))),
        "pct": only((Decimal, int), lambda v: pct(Decimal(v))),
        "cn_ordinal": only(int, cn_ordinal),
    })
    return env


_ENVIRONMENTS = {False: make_environment(False), True: make_environment(True)}


# ---------------------------------------------------------------------------------------------
# Images (photos in tables): placed by the render that prints them


@dataclass(frozen=True)
class Image:
    path: Path
    width_mm: float = 40

    def __html__(self) -> str:
        state = _STATE.get()
        if state is None:
            raise TemplateProblem("图片只能在正文中使用")
        return state.place(self)


class _RenderState:
    def __init__(self):
        self.part = "word/document.xml"
        self.images: list[tuple[str, str, bytes, str]] = []  # (part, rId, blob, ext)

    def place(self, image: Image) -> str:
        blob = image.path.read_bytes()
        info = DocxImage.from_blob(blob)
        width = Mm(image.width_mm)
        height = int(width * info.px_height / info.px_width)
        index = len(self.images) + 1
        rid = f"rIdIdiImage{index}"
        ext = info.ext if info.ext != "jpg" else "jpeg"
        self.images.append((self.part, rid, blob, ext))
        inline = CT_Inline.new_pic_inline(5000 + index, rid, f"photo{index}.{ext}", width, height)
        xml = inline.xml if hasattr(inline, "xml") else ""
        xml = re.sub(r"^<\?xml[^>]*>", "", xml)
        return ('</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r><w:t xml:space="preserve">' % xml)


_STATE: contextvars.ContextVar[Optional[_RenderState]] = contextvars.ContextVar("idi_render", default=None)


# ---------------------------------------------------------------------------------------------
# Variables a template uses


@dataclass
class Use:
    path: str
    output: bool  # printed or iterated (needs a value), as opposed to tested
    guards: tuple[str, ...]

    @property
    def guarded(self) -> bool:
        return any(_covers(g, self.path) for g in self.guards)


def _covers(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


_BUILTIN_NAMES = {"loop", "range", "namespace", "dict", "lipsum", "cycler", "joiner", "true", "false",
                  "none", "True", "False", "None", "caller", "varargs", "kwargs"}


class _Walker:
    """Collects variable paths from a Jinja AST, following loop variables and `set` aliases."""

    def __init__(self):
        self.uses: list[Use] = []

    def walk(self, node: nodes.Node, aliases: dict, guards: tuple[str, ...]) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                self.expr(child, aliases, guards, output=True)
        elif isinstance(node, nodes.If):
            tested = self.expr(node.test, aliases, guards, output=False)
            for child in node.body:
                self.walk(child, aliases, guards + tuple(tested))
            for child in (*node.elif_, *node.else_):
                self.walk(child, aliases, guards)
        elif isinstance(node, nodes.For):
            paths = self.expr(node.iter, aliases, guards, output=True)
            inner = dict(aliases)
            for name in _names(node.target):
                inner[name] = (paths[0] + "[]") if paths else None
            if node.test is not None:
                self.expr(node.test, inner, guards, output=False)
            for child in node.body:
                self.walk(child, inner, guards)
            for child in node.else_:
                self.walk(child, aliases, guards)
        elif isinstance(node, nodes.Assign):
            paths = self.expr(node.node, aliases, guards, output=False)
            for name in _names(node.target):
                aliases[name] = paths[0] if paths else None
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            return
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, aliases, guards, output=False)
                else:
                    self.walk(child, aliases, guards)

    def expr(self, node: nodes.Node, aliases: dict, guards: tuple[str, ...], output: bool) -> list[str]:
        """Record the paths `node` reads; return those it evaluates to (for aliases and guards)."""
        path = self.path_of(node, aliases)
        if path is not None:
            if path:
                self.uses.append(Use(path, output, guards))
            return [path] if path else []
        if isinstance(node, nodes.Filter) and node.name in ("default", "d"):
            inner = self.expr(node.node, aliases, guards, output=False)
            for arg in node.args:
                self.expr(arg, aliases, guards, output)
            return inner
        if isinstance(node, nodes.CondExpr):
            tested = self.expr(node.test, aliases, guards, output=False)
            self.expr(node.expr1, aliases, guards + tuple(tested), output)
            if node.expr2 is not None:
                self.expr(node.expr2, aliases, guards, output)
            return []
        if isinstance(node, nodes.Test):
            self.expr(node.node, aliases, guards, output=False)
            return []
        if isinstance(node, (nodes.And, nodes.Or, nodes.Not, nodes.Compare)):
            found = []
            for child in node.iter_child_nodes():
                found += self.expr(child, aliases, guards, output=False)
            return found
        results = []
        for child in node.iter_child_nodes():
            results += self.expr(child, aliases, guards, output)
        if isinstance(node, nodes.Filter) and results:
            return results[:1]
        return results if isinstance(node, nodes.Call) else []

    def path_of(self, node: nodes.Node, aliases: dict) -> Optional[str]:
        """'a.b[].c' for Name/Getattr/Getitem chains; '' for names to ignore; None otherwise."""
        if isinstance(node, nodes.Name):
            if node.name in aliases:
                return aliases[node.name] or ""
            return "" if node.name in _BUILTIN_NAMES else node.name
        if isinstance(node, nodes.Getattr):
            base = self.path_of(node.node, aliases)
            return None if base is None else (base and f"{base}.{node.attr}")
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = self.path_of(node.node, aliases)
            if base is None:
                return None
            key = node.arg.value
            return base and (f"{base}[]" if isinstance(key, int) else f"{base}.{key}")
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) \
                and node.node.attr in ("items", "keys", "values"):
            return self.path_of(node.node.node, aliases)
        return None


def _names(target: nodes.Node) -> list[str]:
    if isinstance(target, nodes.Name):
        return [target.name]
    return [n.name for n in target.find_all(nodes.Name)]


def template_uses(sources: Iterable[str], env: SandboxedEnvironment) -> list[Use]:
    walker = _Walker()
    for source in sources:
        walker.walk(env.parse(source), {}, ())
    return walker.uses


# ---------------------------------------------------------------------------------------------
# Resolving paths in a context (gaps) and listing the paths a context provides


_MISSING = object()


def resolve(context: Any, path: str) -> list[Any]:
    """Every value at `path` ('a.b[].c' fans out over lists); _MISSING where a step is absent."""
    values = [context]
    for step in re.findall(r"[^.\[\]]+|\[\]", path):
        following = []
        for value in values:
            if value is _MISSING or value is None:
                following.append(value)
            elif step == "[]":
                following.extend(value if isinstance(value, (list, tuple)) else [_MISSING])
            elif isinstance(value, dict):
                following.append(value.get(step, _MISSING))
            else:
                following.append(getattr(value, step, _MISSING))
        values = following
    return values


def gaps(context: dict, uses: list[Use]) -> list[str]:
    """Paths the template prints (unguarded) whose value is missing or empty in `context`."""
    found = []
    for use in uses:
        if not use.output or use.guarded or use.path in found:
            continue
        if any(v is _MISSING or v is None for v in resolve(context, use.path)):
            found.append(use.path)
    return found


def provided_paths(value: Any, prefix: str = "") -> set[str]:
    """Paths a context offers: 'project.name', 'attendees[].phone', … (lists merge their items)."""
    paths = {prefix} if prefix else set()
    if isinstance(value, dict):
        for key, child in value.items():
            paths |= provided_paths(child, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, (list, tuple)):
        paths.add(prefix + "[]")
        for child in value:
            paths |= provided_paths(child, prefix + "[]")
    return paths


# ---------------------------------------------------------------------------------------------
# The prepared template


class PreparedTemplate:
    """A .docx template read, patched and compiled once, filled many times."""

    def __init__(self, source: bytes, name: str = "模板"):
        self.name = name
        self.sha256 = hashlib.sha256(source).hexdigest()
        try:
            archive = zipfile.ZipFile(io.BytesIO(source))
            self.parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        except (zipfile.BadZipFile, OSError):
            raise TemplateProblem(f"{name}：不是有效的 .docx 文件") from None
        if "word/document.xml" not in self.parts:
            raise TemplateProblem(f"{name}：不是 Word 文档（缺少 word/document.xml）")
        self.sources = {part: self._patch(self.parts[part]) for part in self.parts if _TEMPLATED.fullmatch(part)}
        self._compiled: dict[bool, dict[str, Any]] = {}
        try:
            self.uses = template_uses(self.sources.values(), _ENVIRONMENTS[False])
        except TemplateSyntaxError as exc:
            raise TemplateProblem(f"{name}：模板标记语法错误（{exc.message}）") from None

    @staticmethod
    def _patch(xml: bytes) -> str:
        text = _DOCXTPL.patch_xml(xml.decode("utf-8"))
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", text)

    def compiled(self, draft: bool) -> dict[str, Any]:
        if draft not in self._compiled:
            env = _ENVIRONMENTS[draft]
            self._compiled[draft] = {part: env.from_string(src) for part, src in self.sources.items()}
        return self._compiled[draft]

    def gaps(self, context: dict) -> list[str]:
        return gaps(context, self.uses)

    def fill(self, context: dict, draft: bool = False) -> tuple[dict[str, bytes], list]:
        """The rendered parts (only those that changed) and the images placed."""
        state = _RenderState()
        token = _STATE.set(state)
        rendered = {}
        try:
            for part, template in self.compiled(draft).items():
                state.part = part
                xml = template.render(context)
                xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
                xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
                rendered[part] = _DOCXTPL.resolve_listing(xml).encode("utf-8")
        except UndefinedError as exc:
            raise TemplateProblem(f"{self.name}：模板使用了数据中没有的值（{_undefined_text(exc)}）；"
                                  "可加 --draft 生成草稿，缺项标注【待补】") from None
        except SecurityError as exc:
            raise TemplateProblem(f"{self.name}：模板试图访问不安全的属性或方法，已拒绝（{exc}）") from None
        except (TemplateError, TypeError) as exc:
            raise TemplateProblem(f"{self.name}：模板渲染出错（{exc}）") from None
        finally:
            _STATE.reset(token)
        return rendered, state.images


def _undefined_text(exc: UndefinedError) -> str:
    match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", str(exc))
    return (match.group(1) or match.group(2)) if match else str(exc)


# ---------------------------------------------------------------------------------------------
# Assembling the output package: properties, watermark, images


@dataclass
class Properties:
    title: str
    type_id: str
    type_title: str
    pack: str  # id@version
    template_sha256: str
    data_sha256: str
    draft: bool = False
    creator: str = "idi"
    extra: dict[str, str] = field(default_factory=dict)

    def custom(self) -> dict[str, str]:
        return {"idi-type": self.type_id, "idi-template-sha256": self.template_sha256,
                "idi-data-sha256": self.data_sha256, "idi-pack": self.pack,
                "idi-draft": "true" if self.draft else "false", **self.extra}


_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def assemble(template: PreparedTemplate, rendered: dict[str, bytes], images: list,
             props: Properties) -> bytes:
    parts = dict(template.parts)
    parts.update(rendered)
    _add_images(parts, images)
    if props.draft:
        _add_watermark(parts)
    _set_properties(parts, props)
    return write_zip(parts)


def write_zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", parts["[Content_Types].xml"])
        for name, content in parts.items():
            if name != "[Content_Types].xml":
                archive.writestr(name, content)
    return out.getvalue()


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _add_relationship(parts: dict[str, bytes], part: str, rid: str, rel_type: str, target: str) -> None:
    name = _rels_name(part)
    xml = parts.get(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                          b'</Relationships>').decode("utf-8")
    xml = re.sub(r'<Relationship [^>]*Id="%s"[^>]*/>' % re.escape(rid), "", xml)
    entry = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'
    parts[name] = xml.replace("</Relationships>", entry + "</Relationships>").encode("utf-8")


def _add_content_type(parts: dict[str, bytes], entry: str) -> None:
    xml = parts["[Content_Types].xml"].decode("utf-8")
    if entry not in xml:
        xml = xml.replace("</Types>", entry + "</Types>")
    parts["[Content_Types].xml"] = xml.encode("utf-8")


def _add_images(parts: dict[str, bytes], images: list) -> None:
    mime = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
            "tiff": "image/tiff"}
    for index, (part, rid, blob, ext) in enumerate(images, start=1):
        media = f"word/media/idi_photo{index}.{ext}"
        parts[media] = blob
        target = media[len("word/"):] if part.startswith("word/") else "/" + media
        _add_relationship(parts, part, rid, _REL_IMAGE, target)
        content_types = parts["[Content_Types].xml"].decode("utf-8")
        if f'Extension="{ext}"' not in content_types:
            _add_content_type(parts, f'<Default Extension="{ext}" ContentType="{mime.get(ext, "image/" + ext)}"/>')


_WATERMARK = (
    '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/>'
    '<v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
    '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
    '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="IdiDraftWatermark{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:414pt;height:207pt;rotation:315;'
    'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
    'fillcolor="#c0c0c0" stroked="f"><v:fill opacity="0.5"/>'
    '<v:textpath style="font-family:&quot;黑体&quot;;font-size:1pt" string="{text}"/></v:shape>'
    '</w:pict></w:r></w:p>'
)
_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _add_watermark(parts: dict[str, bytes]) -> None:
    """A diagonal grey 草稿 (VML text, as Word writes watermarks) in every page header."""
    document = parts["word/document.xml"].decode("utf-8")
    rels = parts.get("word/_rels/document.xml.rels", b"").decode("utf-8")
    targets = dict(re.findall(r'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({rid: target for target, rid in
                    re.findall(r'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    for n, section in enumerate(re.findall(r"<w:sectPr[ >].*?</w:sectPr>", document, flags=re.S), start=1):
        refs = re.findall(r'<w:headerReference [^>]*?r:id="([^"]+)"', section)
        if not re.search(r'<w:headerReference [^>]*w:type="default"', section):
            rid, name = f"rIdIdiDraft{n}", f"word/idi_draft_header{n}.xml"
            parts[name] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<w:hdr {_VML_NS}></w:hdr>').encode("utf-8")
            _add_relationship(parts, "word/document.xml", rid, _REL_HEADER, name[len("word/"):])
            _add_content_type(parts, f'<Override PartName="/{name}" ContentType="{_CT_HEADER}"/>')
            updated = re.sub(r"(<w:sectPr[^>]*>)",
                             rf'\1<w:headerReference w:type="default" r:id="{rid}"/>', section, count=1)
            document = document.replace(section, updated)
            refs.append(rid)
            targets[rid] = name[len("word/"):]
        for rid in refs:
            _watermark_header(parts, "word/" + targets[rid].lstrip("/").removeprefix("word/"), n)
    parts["word/document.xml"] = document.encode("utf-8")


def _watermark_header(parts: dict[str, bytes], name: str, n: int) -> None:
    xml = parts[name].decode("utf-8")
    if "IdiDraftWatermark" in xml:
        return
    root = re.match(r"(?s)(.*?<w:hdr)([^>]*)>", xml)
    attrs = root.group(2)
    for decl in ('xmlns:v="urn:schemas-microsoft-com:vml"', 'xmlns:o="urn:schemas-microsoft-com:office:office"'):
        if decl.split("=")[0] not in attrs:
            attrs += " " + decl
    shape = _WATERMARK.replace("{n}", str(n)).replace("{spid}", str(2049 + n)).replace("{text}", WATERMARK_TEXT)
    xml = root.group(1) + attrs + ">" + xml[root.end():]
    xml = xml.replace("</w:hdr>", shape + "</w:hdr>")
    parts[name] = xml.encode("utf-8")


def _set_properties(parts: dict[str, bytes], props: Properties) -> None:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = f"idi; {props.type_id}; {props.pack}"
    comments = (f"由 idi 生成；文书类型 {props.type_id}；规则包 {props.pack}；"
                f"模板 SHA-256 {props.template_sha256}；数据 SHA-256 {props.data_sha256}"
                + ("；草稿" if props.draft else ""))
    e = xml_escape
    parts["docProps/core.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{e(props.title)}</dc:title><dc:subject>{e(props.type_id)}</dc:subject>"
        f"<dc:creator>{e(props.creator)}</dc:creator><cp:keywords>{e(keywords)}</cp:keywords>"
        f"<dc:description>{e(comments)}</dc:description><cp:category>{e(props.type_title)}</cp:category>"
        f"<dc:language>zh-CN</dc:language><cp:lastModifiedBy>idi</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'
    ).encode("utf-8")
    entries = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{e(name)}"><vt:lpwstr>{e(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(props.custom().items(), start=2))
    parts["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{entries}</Properties>'
    ).encode("utf-8")
    _add_relationship(parts, "", "rIdIdiCustomProps", _REL_CUSTOM, "docProps/custom.xml")
    _add_content_type(parts, f'<Override PartName="/docProps/custom.xml" ContentType="{_CT_CUSTOM}"/>')


def read_properties(path: Path | str) -> dict[str, str]:
    """The idi-* custom properties of a generated document (empty if it has none)."""
    with zipfile.ZipFile(path) as archive:
        try:
            xml = archive.read("docProps/custom.xml").decode("utf-8")
        except KeyError:
            return {}
    from xml.sax.saxutils import unescape
    return {unescape(name): unescape(value) for name, value in
            re.findall(r'<property [^>]*name="([^"]*)"[^>]*><vt:lpwstr>(.*?)</vt:lpwstr>', xml, flags=re.S)}


def data_sha256(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
