"""Many documents at once: one per row of a spreadsheet (CSV or XLSX), or a stage packet's
documents — each type's template prepared once and filled many times.

    read_rows(path) -> Rows                      CSV (UTF-8 with or without BOM, or GB18030) or XLSX
    row_tasks(doc_type, base, rows, out_dir)     one Task per row: the row's cells over the base data
    Batch(pack, ...).run(tasks)                  render and write each; a bad row fails alone
    convert_pdfs(outcomes, out_dir)              a PDF of every written .docx, in one LibreOffice run

Columns name fields of the type's per-owner section (the `owner` of a notice, the `buyer` of a
warranty): by Chinese title (业主姓名, 户号, 联系电话 …), by field name (`name`, `unit` …), or by a
dotted path into the data (`owner.unit`, `project.milestones.delivery`). A row's per-owner
columns replace that section of the base data as a whole, so that one owner's phone never shows
in another owner's notice. File names come from one column, made safe: no path separators, no
`..`, no control characters, no reserved device names.
"""
from __future__ import annotations

import copy
import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from corpus.errors import IdiError, InputError

from .engine import TemplateProblem
from .render import Generator, PackLike, RenderResult, get_type, render, write_atomically
from .rules import RuleViolation
from .schemas import Owner, _inner_model, titles_along
from .types import DocumentType

STATUS_TITLES = {
    "written": "已生成",
    "draft": "已生成草稿",
    "exists": "已存在，跳过",
    "failed": "失败",
    "pending": "模板待建，跳过",
}


@dataclass
class Task:
    """One document to write: its type, its data, where it goes and what the summary calls it."""

    type_id: str
    label: str
    path: Optional[Path] = None  # the .docx (None: nothing to write, e.g. a template not built yet)
    data: Optional[dict] = None
    row: Optional[int] = None


@dataclass
class Outcome:
    task: Task
    status: str  # a key of STATUS_TITLES, or "ready" (rendered, not yet written)
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    result: Optional[RenderResult] = field(default=None, repr=False)
    pdf: Optional[Path] = None
    pdf_error: str = ""
    refused: bool = False  # failed because the regulation forbids the document, not for want of data

    @property
    def written(self) -> bool:
        return self.status in ("written", "draft")

    @property
    def failed(self) -> bool:
        return self.status == "failed" or bool(self.pdf_error)

    @property
    def status_title(self) -> str:
        return STATUS_TITLES.get(self.status, self.status)


# ---------------------------------------------------------------------------------------------
# Rendering many


class Batch:
    """Generators prepared once per type for one pack; renders tasks in memory and writes them.

    With `draft`, a document whose data is incomplete is rendered as a draft (【待补】, watermark);
    complete ones stay final. Refusals under the regulation are failures either way."""

    def __init__(self, pack: PackLike, *, draft: bool = False, force: bool = False, pdf: bool = False,
                 base_dir: Optional[Path] = None, template=None):
        self.pack, self.draft, self.force, self.pdf = pack, draft, force, pdf
        self.base_dir, self.template = base_dir, template
        self._generators: dict[str, Generator] = {}

    def generator(self, type_id: str) -> Generator:
        if type_id not in self._generators:
            self._generators[type_id] = Generator(get_type(type_id), self.pack, self.template)
        return self._generators[type_id]

    def targets(self, task: Task) -> list[Path]:
        return [task.path, task.path.with_suffix(".pdf")] if self.pdf else [task.path]

    def render(self, task: Task) -> Outcome:
        """The document in memory ("ready"), or why not ("exists", "failed")."""
        existing = [p for p in self.targets(task) if p.exists()]
        if existing and not self.force:
            named = "" if existing == [task.path] else f"{'、'.join(p.name for p in existing)} 已存在，"
            return Outcome(task, "exists", f"{named}加 --force 覆盖")
        generator = self.generator(task.type_id)
        options = {"base_dir": self.base_dir, "source": task.label}
        try:
            try:
                result = generator.render_bytes(task.data, **options)
            except (InputError, TemplateProblem):
                if not self.draft:
                    raise
                result = generator.render_bytes(task.data, draft=True, **options)
        except IdiError as exc:
            return Outcome(task, "failed", str(exc), refused=isinstance(exc, RuleViolation))
        return Outcome(task, "ready", warnings=result.warnings, result=result)

    def write(self, outcome: Outcome) -> Outcome:
        if outcome.status != "ready":
            return outcome
        try:
            write_atomically(outcome.task.path, outcome.result.content)
        except OSError as exc:
            outcome.status, outcome.reason = "failed", f"无法写入 {outcome.task.path}：{exc.strerror or exc}"
            return outcome
        outcome.result.path = outcome.task.path
        outcome.status = "draft" if outcome.result.draft else "written"
        outcome.result.content = b""  # written: free the memory of a large batch
        return outcome

    def run(self, tasks: Iterable[Task], progress: Optional[Callable[[Outcome], None]] = None) -> list[Outcome]:
        """Render and write each task in turn; a failed one is reported and the batch goes on."""
        outcomes = []
        for task in tasks:
            outcome = self.write(self.render(task))
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes


def convert_pdfs(outcomes: list[Outcome], out_dir: Path, *, pdfa: bool = False) -> None:
    """A PDF of every written .docx, all in one LibreOffice run (docgen.pdf); sets each outcome's
    `pdf`, or its `pdf_error` when that file failed (the others are converted all the same)."""
    written = [o for o in outcomes if o.written]
    if not written:
        return
    try:
        from .pdf import convert_batch
    except ImportError:
        raise IdiError(PDF_MISSING) from None
    result = convert_batch([o.task.path for o in written], Path(out_dir), pdfa=pdfa)
    for outcome in written:
        source = outcome.task.path.resolve()
        outcome.pdf = result.converted.get(source)
        outcome.pdf_error = result.failed.get(source, "")


def pdf_converter() -> Callable[..., list[Path]]:
    """docgen.pdf.convert_to_pdf, or a clear error where it is not available."""
    try:
        from .pdf import convert_to_pdf
    except ImportError:
        raise IdiError(PDF_MISSING) from None
    return convert_to_pdf


PDF_MISSING = "PDF 转换功能（docgen.pdf）不可用；请输出 .docx，或安装后重试"


def render_pdf(type_id: str, data: dict, pack: PackLike, out_path: Path, *, draft: bool = False,
               template=None, base_dir: Optional[Path] = None, source: str = "数据",
               pdfa: bool = False) -> RenderResult:
    """Render one document as PDF: the .docx in a private folder, converted by LibreOffice."""
    convert = pdf_converter()
    with tempfile.TemporaryDirectory(prefix="idi-") as folder:
        docx = Path(folder) / f"{Path(out_path).stem}.docx"
        result = render(type_id, data, pack, docx, draft=draft, template=template, base_dir=base_dir,
                        source=source)
        pdfs = convert([docx], Path(folder), pdfa=pdfa)
        Path(out_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdfs[0]), out_path)
    result.path = Path(out_path)
    return result


# ---------------------------------------------------------------------------------------------
# File names


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 80  # characters; a CJK character takes 3 of a file name's 255 bytes


def safe_filename(text: Any, fallback: str) -> str:
    """`text` as a file name (without extension): no separators or traversal; `fallback` if empty."""
    name = re.sub(r"\s+", " ", "" if text is None else str(text))
    name = _UNSAFE.sub("_", name).strip(" .")[:MAX_NAME].strip(" .")
    if not name:
        return fallback
    return f"_{name}" if name.split(".")[0].upper() in _RESERVED else name


def unique_names(names: list[tuple[str, str]]) -> list[str]:
    """(name, suffix if taken) pairs -> names unique within the batch (ignoring case)."""
    seen: set[str] = set()
    unique = []
    for name, suffix in names:
        chosen = name if name.lower() not in seen else f"{name}（{suffix}）"
        seen.add(chosen.lower())
        unique.append(chosen)
    return unique


# ---------------------------------------------------------------------------------------------
# Reading rows


@dataclass
class Rows:
    source: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_rows(path: Union[Path, str]) -> Rows:
    """The header row and the data rows of a CSV or XLSX file (first sheet); empty rows skipped."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}：文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        numbered = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        numbered = _xlsx_rows(path)
    else:
        raise InputError(f"{path}：只支持 .csv 或 .xlsx 文件")
    numbered = [(n, [_cell(c) for c in cells]) for n, cells in numbered]
    numbered = [(n, cells) for n, cells in numbered if any(c is not None for c in cells)]
    if not numbered:
        raise InputError(f"{path}：没有表头行")
    (_, header), *data = numbered
    headers = [str(h or "").strip() for h in header]
    while headers and not headers[-1]:
        headers.pop()
    if not data:
        raise InputError(f"{path}：只有表头，没有数据行")
    return Rows(str(path), headers, data)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{path}：无法识别文件编码（应为 UTF-8 或 GB18030）") from None


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    text = _decode(path)
    first = text.split("\n", 1)[0]
    dialect = csv.excel_tab if "\t" in first and "," not in first else csv.excel
    return list(enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1))


def _xlsx_rows(path: Path) -> list[tuple[int, tuple]]:
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InputError(f"{path}：无法读取 Excel 文件（{type(exc).__name__}）") from None
    try:
        sheet = workbook.worksheets[0]
        return list(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _cell(value: Any) -> Any:
    """A cell as text the models read: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------------------------------------
# Columns to fields


# Words people head such columns with, beyond the fields' own titles.
_EXTRA_WORDS = {
    "name": ("姓名", "业主", "业主名称", "买受人", "名称"),
    "unit": ("户号", "房号", "房间号", "门牌号", "房屋"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系方式"),
    "address": ("地址", "住址"),
}


def owner_section(doc_type: DocumentType) -> Optional[str]:
    """The type's per-owner field (an Owner: `owner`, `buyer` …), if it has one."""
    return next((name for name, info in doc_type.model.model_fields.items()
                 if _inner_model(info.annotation) is Owner), None)


def per_owner(doc_type: DocumentType) -> bool:
    """Whether the type is one document per owner (its Owner field is optional, e.g. a notice)."""
    section = owner_section(doc_type)
    return section is not None and not doc_type.model.model_fields[section].is_required()


@dataclass
class Columns:
    paths: list[Optional[str]]  # the dotted data path of each column (None: ignored)
    section: Optional[str]  # the per-owner section the rows replace
    ignored: list[str]


def map_columns(doc_type: DocumentType, headers: list[str], source: str = "表格") -> Columns:
    section = owner_section(doc_type)
    words = _section_words(doc_type, section) if section else {}
    paths: list[Optional[str]] = []
    for header in headers:
        key = _key(header)
        if key in words:
            paths.append(f"{section}.{words[key]}")
        elif "." in header and _valid_path(doc_type, header.strip()):
            paths.append(header.strip())
        else:
            paths.append(None)
    ignored = [h for h, p in zip(headers, paths) if p is None]
    mapped = [p for p in paths if p]
    doubled = sorted({p for p in mapped if mapped.count(p) > 1})
    if doubled:
        raise InputError(f"{source}：多个列对应同一字段：{'、'.join(doubled)}")
    if not mapped:
        known = "、".join(dict.fromkeys(words)) or "（该文书没有按户填写的部分）；也可用字段路径作列名，如 project.name"
        raise InputError(f"{source}：没有一列能对应 {doc_type.id} 的字段；可用的列名：{known}")
    return Columns(paths, section, ignored)


def _key(header: str) -> str:
    return re.sub(r"[\s:：*]", "", header).lower()


def _section_words(doc_type: DocumentType, section: str) -> dict[str, str]:
    """Column words -> field name, for the per-owner section: names, titles, their parts."""
    model = _inner_model(doc_type.model.model_fields[section].annotation)
    words: dict[str, str] = {}
    for name, info in model.model_fields.items():
        title = info.title or name
        found = (name, f"{section}.{name}", title, re.sub(r"（.*?）", "", title),
                 *re.findall(r"（(.*?)）", title), *_EXTRA_WORDS.get(name, ()))
        for word in found:
            words.setdefault(_key(word), name)
    return words


def _valid_path(doc_type: DocumentType, path: str) -> bool:
    parts = tuple(path.split("."))
    return all(parts) and len(titles_along(doc_type.model, parts)) == len(parts)


def row_tasks(doc_type: DocumentType, base: dict, rows: Rows, out_dir: Path, *,
              name_column: Optional[str] = None) -> tuple[list[Task], Columns]:
    """One task per row: the row's cells over `base`, named after the `name_column` cell."""
    columns = map_columns(doc_type, rows.headers, rows.source)
    index = name_index(rows, name_column)
    names = unique_names([(safe_filename(cells[index] if index < len(cells) else None, f"第{n}行"), f"第{n}行")
                          for n, cells in rows.rows])
    tasks = [Task(doc_type.id, f"第{n}行", Path(out_dir) / f"{name}.docx", row_data(base, columns, cells), n)
             for (n, cells), name in zip(rows.rows, names)]
    return tasks, columns


def name_index(rows: Rows, name_column: Optional[str]) -> int:
    if name_column is None:
        return 0
    keys = [_key(h) for h in rows.headers]
    if _key(name_column) not in keys:
        raise InputError(f"{rows.source}：没有名为 “{name_column}” 的列；表头：{'、'.join(rows.headers)}")
    return keys.index(_key(name_column))


def row_data(base: dict, columns: Columns, cells: list[Any]) -> dict:
    data = copy.deepcopy(base)
    if columns.section and any(p and p.startswith(columns.section + ".") for p in columns.paths):
        data.pop(columns.section, None)
    for path, value in zip(columns.paths, cells):
        if path and value is not None:
            set_path(data, path, value)
    return data


def set_path(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        child = data.get(part)
        if not isinstance(child, dict):
            child = data[part] = {}
        data = child
    data[last] = value


def deep_merge(base: dict, over: dict) -> dict:
    """`over` on top of `base`: mappings merge key by key, anything else (lists too) replaces."""
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
