"""The rule-pack schema: what a regulation's YAML may say, validated strictly on load.

Every item that carries a rule cites its article (`cite`) and quotes the regulation verbatim
(`quote`, compared without whitespace), so a test can find the number in the text it came from.
A number the regulation does not give is `value: null` with a `note` saying so; nothing is invented.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Unit vocabulary: machine name -> Chinese label used in every output.
TIME_UNITS = {
    "calendar_days": "日",
    "working_days": "个工作日",
    "hours": "小时",
    "months": "个月",
    "years": "年",
}
OTHER_UNITS = {
    "percent": "%",
    "yuan": "元",
    "hundred_million_yuan": "亿元",
    "persons": "人",
    "times": "倍",
    "count": "个",
    "per_month": "次/月",
}
UNITS = {**TIME_UNITS, **OTHER_UNITS}

# Project milestones a deadline may run from, with their Chinese names.
MILESTONES = {
    "quotation_requested": "意向客户询价",
    "policy_issued": "保单签发",
    "construction_permit": "办理施工许可",
    "construction_start": "工程开工",
    "briefing_meeting": "风险管理交底会召开",
    "final_report_issued": "最终评估报告出具",
    "household_acceptance": "分户验收",
    "pre_viewing": "质量预看房",
    "inspection_report_done": "专项检查报告完成",
    "test_result_obtained": "获得检测结果",
    "completion_accepted": "竣工验收合格",
    "completion_filed": "竣工验收备案",
    "notices_handed_over": "用户告知书、责任范围说明书交于建设单位",
    "delivery": "房屋交付（交房）",
    "first_repair_claim": "业主首次提出维修主张",
    "claim_received": "收到索赔申请（报案）",
    "determination_made": "作出核定",
    "claim_agreed": "与被保险人（业主）达成赔偿协议",
    "appraisal_result": "取得争议鉴定结果",
    "repair_completed": "维修完成",
    "liability_start": "保险责任开始（按保单约定）",
}
# Events the timeline derives from the pack itself; deadlines may run from them too.
LIABILITY_START = "liability-start"
COVERAGE_END_PREFIX = "coverage-end:"

DOC_KINDS = {
    "sales-contract": "商品房买卖合同（预售/出售）",
    "quality-warranty": "住宅质量保证书",
    "construction-contract": "施工（承发包）合同",
    "design-contract": "设计合同",
    "supply-contract": "设备材料供应合同",
    "insurance-contract": "潜在缺陷保险合同",
    "owner-notice": "保险告知书",
    "owner-announcement": "业主公告",
    "quotation-letter": "报价函",
    "meeting-minutes": "会议纪要",
    "risk-report": "风险管理报告",
}

Unit = Literal[tuple(UNITS)]  # type: ignore[valid-type]
DocKind = Literal[tuple(DOC_KINDS)]  # type: ignore[valid-type]
Slug = Field(pattern=SLUG)


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a pack must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """An item traceable to the regulation: the article and the words it rests on."""

    cite: str = Field(min_length=1, description="条款，如 第九条（一）5、工作指引 4.3、三（七）")
    quote: str = Field(min_length=4, description="原文摘录（比较时忽略空白）")


class Amount(Strict):
    """A number with its unit; `value: null` means the regulation gives none (then `note` says so)."""

    value: Optional[float] = None
    unit: Unit
    bound: Literal["exact", "min", "max"] = "exact"
    note: Optional[str] = None

    @model_validator(mode="after")
    def _unspecified_needs_note(self) -> "Amount":
        if self.value is None and not self.note:
            raise ValueError("value 为空（规定未给出数值）时必须用 note 说明")
        if self.value is not None and self.value < 0:
            raise ValueError("数值不能为负")
        return self

    @property
    def specified(self) -> bool:
        return self.value is not None

    def describe(self) -> str:
        """Chinese text such as '不少于10年' or '未规定（按保险合同约定）'."""
        if self.value is None:
            return f"未规定（{self.note}）"
        number = f"{self.value:g}"
        prefix = {"exact": "", "min": "不低于", "max": "不高于"}[self.bound]
        return f"{prefix}{number}{UNITS[self.unit]}"


class CoverageStart(Cited):
    """When cover starts, as a period after a milestone (or unspecified, with a note)."""

    anchor: Literal["completion_accepted", "completion_filed", "delivery"]
    offset: Amount
    inferred: bool = Field(False, description="由相关条文推定而非直接规定")
    note: Optional[str] = None

    @field_validator("offset")
    @classmethod
    def _time_unit(cls, offset: Amount) -> Amount:
        return _require_time_unit(offset)


class Scope(Cited):
    id: str = Slug
    title: str
    tier: Literal["basic", "additional"]
    items: list[str] = []
    period: Amount

    @field_validator("period")
    @classmethod
    def _time_unit(cls, period: Amount) -> Amount:
        return _require_time_unit(period)


class Coverage(Strict):
    start: CoverageStart
    scopes: list[Scope] = []
    note: Optional[str] = Field(None, description="范围或期限未在本文件中规定时的说明")

    @model_validator(mode="after")
    def _empty_needs_note(self) -> "Coverage":
        if not self.scopes and not self.note:
            raise ValueError("未列出承保范围时必须用 note 说明原因")
        return self


class Deadline(Cited):
    """A time limit on an act, running from a milestone or from another event."""

    id: str = Slug
    title: str
    actor: str
    anchor: str = Field(description="起算事件：里程碑名、liability-start、coverage-end:<范围> 或另一期限的 id")
    direction: Literal["after", "before", "on"]
    offset: Optional[Amount] = Field(None, description="direction 为 on 时不填")
    kind: Literal["deadline", "period"] = Field(
        "deadline", description="deadline：须在期限内完成的行为（末日遇休假日顺延）；period：期间届满日（不顺延）")
    condition: Optional[str] = Field(None, description="适用条件，如“保险期间届满后交房的”")
    note: Optional[str] = None

    @model_validator(mode="after")
    def _offset_matches_direction(self) -> "Deadline":
        if self.direction == "on" and self.offset is not None:
            raise ValueError("direction 为 on（事件当日）时不应填写 offset")
        if self.direction != "on":
            if self.offset is None:
                raise ValueError("direction 为 after/before 时必须填写 offset（未规定数值时 value 为空并说明）")
            _require_time_unit(self.offset)
        return self


class Parameter(Cited):
    """A money amount, ratio, count or qualitative value (such as the premium base)."""

    id: str = Slug
    title: str
    category: Literal[
        "premium", "risk-management", "co-insurance", "guarantee-fund", "testing", "deductible",
        "warranty", "insurer-qualification", "staffing", "inspection", "claims", "other",
    ]
    amount: Optional[Amount] = None
    text: Optional[str] = Field(None, description="非数值的规定，如保费计算基数")
    basis: Optional[str] = Field(None, description="比例或倍数的基数，如“保险费”“签约合同价”")
    applies_to: Optional[str] = None
    binding: Literal["mandatory", "guidance"] = Field(
        "mandatory", description="guidance：原文为“宜”“参照”“鼓励”等")
    note: Optional[str] = None

    @model_validator(mode="after")
    def _has_value(self) -> "Parameter":
        if self.amount is None and not self.text:
            raise ValueError("amount 与 text 至少填写一项")
        return self


class Provision(Cited):
    """A qualitative duty or rule: exclusions, platform and hotline duties, dispute routes …"""

    id: str = Slug
    title: str
    category: Literal[
        "scope", "exclusion", "platform", "hotline", "claims", "dispute", "subrogation",
        "risk-management", "underwriting", "contract", "warranty", "supervision", "other",
    ]
    actor: Optional[str] = None
    summary: Optional[str] = None


class Element(Strict):
    """A content element a mandated document must hold."""

    id: str = Slug
    title: str
    cite: Optional[str] = None


class MandatedDocument(Cited):
    id: str = Slug
    title: str
    aliases: list[str] = []
    issuer: str
    recipient: str
    when: str
    event: Optional[str] = Field(None, description="相关期限 id 或里程碑名")
    elements: list[Element] = []


COVERAGE_START_SCOPE = "coverage-start"


class EntityRequirement(Strict):
    """A value that must be filled in near the clause: a name, phone, period …"""

    kind: Literal["organisation", "insurer", "phone", "period", "date", "percent", "money", "text"]
    role: str = Field(description="该值的含义，如“维修单位名称”“保险公司联系电话”")
    cues: list[str] = Field([], description="引出该值的提示词，如 名称、联系电话、监督电话")
    scope: Optional[str] = Field(
        None, description="kind 为 period 时：期限不得短于该承保范围（coverage.scopes 的 id）的期限；"
                          f"取 {COVERAGE_START_SCOPE} 时须等于保险责任起算间隔（coverage.start.offset）")
    at_least: Optional[str] = Field(
        None, description="参数 id：kind 为 percent/money 时数值不得低于该参数；kind 为 insurer/organisation 时须列出不少于该数目的不同名称")
    project_key: Optional[str] = Field(
        None, description="使用 --project 时，该值须等于项目文件中此键（点号路径，如 insurer.phone）的值")


class ClauseRequirement(Cited):
    """A clause that submitted documents of certain kinds must (or should) carry."""

    id: str = Slug
    title: str
    applies_to: list[DocKind] = Field(min_length=1)  # type: ignore[valid-type]
    level: Literal["mandatory", "recommended"]
    description: str
    phrases: list[list[str]] = Field(
        min_length=1, description="须在同一条款内同时出现的词组；每组内为同义词，出现其一即可")
    entities: list[EntityRequirement] = []
    negations: list[str] = Field([], description="出现即视为否定该义务的说法（通用否定词之外）")
    exemptions: list[str] = Field(
        [], description="句中出现这些词时，该句的否定说法不计（如附加险可另行约定免赔额）")
    applies_if: list[str] = Field(
        [], description="仅当文书中出现其中任一词语时才适用（如仅对共保合同适用）；为空则总是适用")

    @field_validator("phrases")
    @classmethod
    def _no_empty_groups(cls, groups: list[list[str]]) -> list[list[str]]:
        if any(not group or any(not p.strip() for p in group) for group in groups):
            raise ValueError("词组不能为空")
        return groups


class Gap(Strict):
    """A topic the regulation leaves open: said explicitly so no one fills it in by guessing."""

    topic: str
    note: str
    cite: Optional[str] = None


class Source(Strict):
    file: str = Field(pattern=r"^[a-z0-9-]+\.txt$", description="corpus/sources/ 下的原文文件")
    note: Optional[str] = None


class Pack(Strict):
    id: str = Slug
    version: str = Field(pattern=r"^\d{4}\.\d+$", description="规则包版本，如 2025.1；改动规则时递增")
    city: str
    city_en: str = Field(pattern=r"^[a-z]+$")
    province: str
    aliases: list[str] = []
    title: str
    document_number: Optional[str] = None
    issuers: list[str] = Field(min_length=1)
    issued: Optional[date] = None
    effective_from: date
    effective_to: Optional[date] = None
    effective_note: Optional[str] = None
    validity: Cited = Field(description="规定施行日期或有效期的条文")
    applicability: Cited
    source: Source
    coverage: Coverage
    deadlines: list[Deadline] = []
    parameters: list[Parameter] = []
    provisions: list[Provision] = []
    documents: list[MandatedDocument] = []
    clauses: list[ClauseRequirement] = []
    not_specified: list[Gap] = []

    @model_validator(mode="after")
    def _consistent(self) -> "Pack":
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to 早于 effective_from")
        for name in ("deadlines", "parameters", "provisions", "documents", "clauses"):
            _require_unique_ids(name, getattr(self, name))
        _require_unique_ids("coverage.scopes", self.coverage.scopes)
        self._check_anchors()
        return self

    def _check_anchors(self) -> None:
        known = set(MILESTONES) | {LIABILITY_START} | {
            COVERAGE_END_PREFIX + s.id for s in self.coverage.scopes}
        ids = {d.id for d in self.deadlines}
        for i, deadline in enumerate(self.deadlines):
            if deadline.anchor not in known | ids:
                raise ValueError(
                    f"deadlines[{i}]（{deadline.id}）的起算事件 “{deadline.anchor}” 未定义；"
                    f"可用：里程碑 {', '.join(MILESTONES)}、{LIABILITY_START}、{COVERAGE_END_PREFIX}<范围id> 或其他期限 id")
        _require_acyclic({d.id: d.anchor for d in self.deadlines})
        scopes = {s.id for s in self.coverage.scopes}
        for i, clause in enumerate(self.clauses):
            for entity in clause.entities:
                if entity.scope and entity.scope not in scopes | {COVERAGE_START_SCOPE}:
                    raise ValueError(f"clauses[{i}]（{clause.id}）引用的承保范围 “{entity.scope}” 未定义")
                if entity.at_least and entity.at_least not in {p.id for p in self.parameters}:
                    raise ValueError(f"clauses[{i}]（{clause.id}）引用的参数 “{entity.at_least}” 未定义")
        for i, doc in enumerate(self.documents):
            if doc.event and doc.event not in known | ids:
                raise ValueError(f"documents[{i}]（{doc.id}）的 event “{doc.event}” 未定义")

    # --- questions code asks of a pack -------------------------------------------------
    def deadline(self, deadline_id: str) -> Deadline:
        return _by_id(self.deadlines, deadline_id, f"{self.id} 未定义期限")

    def parameter(self, parameter_id: str) -> Parameter:
        return _by_id(self.parameters, parameter_id, f"{self.id} 未定义参数")

    def document(self, document_id: str) -> MandatedDocument:
        return _by_id(self.documents, document_id, f"{self.id} 未规定文件")

    def anchor_label(self, anchor: str) -> str:
        """Chinese name of what a deadline runs from: a milestone, the cover start or end, a deadline."""
        if anchor in MILESTONES:
            return MILESTONES[anchor]
        if anchor == LIABILITY_START:
            return "保险责任开始"
        if anchor.startswith(COVERAGE_END_PREFIX):
            return f"保险期间届满（{anchor[len(COVERAGE_END_PREFIX):]}）"
        return self.deadline(anchor).title

    def clauses_for(self, kind: str) -> list[ClauseRequirement]:
        return [c for c in self.clauses if kind in c.applies_to]

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def citation(self, cite: str) -> str:
        """Full citation: document number (or title) and article."""
        return f"{self.document_number or '《' + self.title + '》'} {cite}"


def _require_time_unit(amount: Amount) -> Amount:
    if amount.unit not in TIME_UNITS:
        raise ValueError(f"期限单位必须是 {', '.join(TIME_UNITS)} 之一，而不是 {amount.unit}")
    return amount


def _require_unique_ids(name: str, items: list) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"{name} 中 id “{item.id}” 重复")
        seen.add(item.id)


def _require_acyclic(edges: dict[str, str]) -> None:
    for start in edges:
        node, path = start, [start]
        while node in edges:
            node = edges[node]
            if node == start:
                raise ValueError(f"期限的起算事件形成循环：{' → '.join(path + [node])}")
            path.append(node)


def _by_id(items: list, item_id: str, message: str):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"{message} “{item_id}”")

