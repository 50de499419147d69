"""Checking one document end to end: extract → normalise → segment → classify → evaluate."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from corpus.errors import IdiError, InputError
from corpus.insurers import load_insurers
from corpus.packs import resolve_pack
from corpus.schema import DOC_KINDS, ClauseRequirement, Coverage, Pack, Parameter, Slug, Strict
from corpus.validation import format_validation_error
from corpus.yamlio import load_yaml_file

from .classify import classify_kind, classify_pack
from .extract import METHOD_OCR, OCR_MODES, extract, needs_ocr  # noqa: F401 - OCR_MODES for the shells
from .findings import DocumentResult
from .model import Page, RawDocument
from .normalise import normalise
from .requirements import Analysed, Context, evaluate
from .segment import segment

KIND_TITLES = {
    "sales-contract": "商品房买卖（预售/出售）合同", "quality-warranty": "住宅质量保证书",
    "construction-contract": "施工合同", "design-contract": "设计合同", "supply-contract": "设备材料供应合同",
    "insurance-contract": "保险合同", "owner-notice": "保险告知书", "owner-announcement": "业主公告",
    "quotation-letter": "报价函", "meeting-minutes": "会议纪要", "risk-report": "风险评估/检查报告",
}
assert set(KIND_TITLES) == set(DOC_KINDS)


class UserRules(Strict):
    """Extra rules a user supplies with --rules, in the pack's clause format."""

    id: str = Slug
    title: str
    parameters: list[Parameter] = []
    clauses: list[ClauseRequirement] = Field(min_length=1)


@dataclass
class RuleSource:
    """Where a requirement comes from: a pack, or a user's rule file read against a pack."""

    id: str
    title: str
    coverage: Coverage
    parameters: list[Parameter]

    def citation(self, cite: str) -> str:
        return f"《{self.title}》{cite}"

    def parameter(self, parameter_id: str) -> Parameter:
        return next(p for p in self.parameters if p.id == parameter_id)


@dataclass
class CheckOptions:
    jurisdiction: str | None = None  # pack id or city name; default: from the project or the text
    kind: str | None = None  # default: classified from the text
    project: dict[str, Any] | None = None
    rules: list[UserRules] = field(default_factory=list)
    password: str | None = None
    ocr: str = "auto"  # OCR_MODES: pages without a usable text layer (auto), every page, or none


def load_user_rules(path: Path) -> UserRules:
    data = load_yaml_file(path, error=InputError)
    try:
        return UserRules.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(exc, path)) from None


def load_project_data(path: Path) -> dict[str, Any]:
    data = load_yaml_file(path, error=InputError)
    if not isinstance(data, dict):
        raise InputError(f"{path}：项目文件应为 YAML 映射（键: 值）")
    return data


def check_file(path: Path, options: CheckOptions | None = None, *,
               ocr_pages: Mapping[int, Page] | None = None) -> DocumentResult:
    """Check one file; a file that cannot be read yields a result with `error` set, never an exception.

    `ocr_pages` (page number → Page from `checkers.ocr.ocr_page`) are pages recognised elsewhere,
    e.g. in parallel; the result is the same as when `extract` recognises them itself.
    """
    options = options or CheckOptions()
    result = DocumentResult(path=Path(path))
    try:
        raw = extract(Path(path), password=options.password, ocr=options.ocr, ocr_pages=ocr_pages)
    except IdiError as exc:
        result.error = str(exc)
        return result
    return check_raw(raw, options)


def check_raw(raw: RawDocument, options: CheckOptions | None = None) -> DocumentResult:
    """Check an extracted document (a file's text, or text built in memory)."""
    result = DocumentResult(path=raw.path, pages=len(raw.pages))
    try:
        _evaluate(raw, options or CheckOptions(), result)
    except IdiError as exc:
        result.error = str(exc)
    return result


def _evaluate(raw: RawDocument, options: CheckOptions, result: DocumentResult) -> None:
    if not any(page.text.strip() for page in raw.pages):
        raise InputError(_no_text_message(raw, options))
    recognised = {page.number: page for page in raw.pages if page.recognised}
    if recognised:
        result.notes.append(_ocr_note(list(recognised.values())))
    text = normalise(raw)
    doc = Analysed(text, segment(text), recognised)
    kind = options.kind or classify_kind(text.text)
    if kind is None:
        raise InputError(f"{raw.path}：无法判断文书类型，请用 --kind 指定（{'、'.join(DOC_KINDS)}）")
    pack = _pack_for(options, text.text, raw.path, result)
    result.kind, result.jurisdiction = kind, pack.id
    if not options.kind:
        result.notes.append(f"文书类型按内容判断为：{KIND_TITLES[kind]}（{kind}）")
    context = Context(load_insurers(), options.project)
    result.findings = [evaluate(req, pack, doc, context) for req in pack.clauses_for(kind)]
    for rules in options.rules:
        source = _user_source(rules, pack)
        result.findings += [evaluate(req, source, doc, context)
                            for req in rules.clauses if kind in req.applies_to]
    if not result.findings:
        result.notes.append(f"{pack.id} 对{KIND_TITLES[kind]}没有条款要求")


def _no_text_message(raw: RawDocument, options: CheckOptions) -> str:
    if raw.ocr_pages:
        return f"{raw.path}：没有可读取的文本层，OCR 也未识别出文字（可能是空白页，或图像过于模糊）"
    if needs_ocr(raw) and options.ocr == "never":
        return f"{raw.path}：没有可读取的文本层（可能是扫描件，需要 OCR；当前指定了 --ocr never）"
    return f"{raw.path}：没有可读取的文本层（可能是扫描件，需要 OCR）"


def _ocr_note(pages: list[Page]) -> str:
    """第1-6页为扫描图像，已用 OCR 识别文字（rapidocr，行平均置信度 0.98）"""
    scores = [line.confidence for page in pages for line in page.ocr or ()]
    mean = f"，行平均置信度 {sum(scores) / len(scores):.2f}" if scores else ""
    return f"第{page_ranges([p.number for p in pages])}页为扫描图像，已用 OCR 识别文字（{METHOD_OCR}{mean}）"


def page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → "1-3、5"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return "、".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _pack_for(options: CheckOptions, text: str, path: Path, result: DocumentResult) -> Pack:
    name = options.jurisdiction or (options.project or {}).get("pack")
    if name:
        resolution = resolve_pack(str(name))
        if resolution.warning:
            result.notes.append(resolution.warning)
        return resolution.pack
    pack = classify_pack(text)
    if pack is None:
        raise InputError(f"{path}：无法从正文判断所属城市，请用 --jurisdiction 指定规则包")
    result.notes.append(f"规则包按正文中的城市名判断为：{pack.id}（{pack.city}）")
    return resolve_pack(pack.city).pack


def _user_source(rules: UserRules, pack: Pack) -> RuleSource:
    """User rules read against the document's pack: its coverage, and its parameters after theirs."""
    return RuleSource(rules.id, rules.title, pack.coverage, [*rules.parameters, *pack.parameters])
