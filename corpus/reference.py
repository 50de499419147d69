"""A pack as titled tables of plain text: shared by the terminal view and the generated docs."""
from __future__ import annotations

from dataclasses import dataclass, field

from .schema import COVERAGE_START_SCOPE, DOC_KINDS, MILESTONES, ClauseRequirement, EntityRequirement, Pack

LEVELS = {"mandatory": "必须", "recommended": "建议"}
TIERS = {"basic": "基本险", "additional": "附加险"}
DIRECTIONS = {"after": "之后", "before": "之前", "on": "当日"}


@dataclass
class Section:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    caption: str = ""


def validity_text(pack: Pack) -> str:
    return f"{pack.effective_from} 至 {pack.effective_to or '（未规定截止日）'}"


def header_lines(pack: Pack) -> list[str]:
    return [
        f"规则包 {pack.id}（版本 {pack.version}） · {pack.city}（{pack.province}）",
        f"发布：{'、'.join(pack.issuers)}；{pack.issued or '发布日期未载明'}",
        f"有效期：{validity_text(pack)}（{pack.validity.cite}）"
        + (f"。{pack.effective_note}" if pack.effective_note else ""),
        f"适用范围（{pack.applicability.cite}）：{pack.applicability.quote}",
    ]


def pack_sections(pack: Pack) -> list[Section]:
    return [_coverage(pack), _deadlines(pack), _parameters(pack), _provisions(pack),
            _documents(pack), _clauses(pack), _gaps(pack)]


def _coverage(pack: Pack) -> Section:
    start = pack.coverage.start
    caption = (f"保险责任开始：{MILESTONES[start.anchor]}后{start.offset.describe()}"
               f"（{start.cite}{'，推定' if start.inferred else ''}）"
               + (f"。{pack.coverage.note}" if pack.coverage.note else ""))
    rows = [(s.title, TIERS[s.tier], s.period.describe(), s.cite) for s in pack.coverage.scopes]
    return Section("承保范围与保险期间", ("范围", "险别", "期间", "依据"),
                   rows or [("（未规定）", "", "", "")], caption)


def _deadlines(pack: Pack) -> Section:
    rows = [(d.id, d.title + (f"（{d.condition}）" if d.condition and d.condition not in d.title else ""),
             d.actor, f"{pack.anchor_label(d.anchor)}{DIRECTIONS[d.direction]}",
             d.offset.describe() if d.offset else "", d.cite) for d in pack.deadlines]
    return Section("期限", ("id", "事项", "责任方", "起算", "期限", "依据"), rows)


def _parameters(pack: Pack) -> Section:
    rows = []
    for p in pack.parameters:
        value = (p.amount.describe() if p.amount else p.text) + ("（参照）" if p.binding == "guidance" else "")
        rows.append((p.id, p.title, value, "；".join(filter(None, (p.basis, p.applies_to))), p.cite))
    return Section("金额、比例与数量", ("id", "事项", "规定", "基数/适用", "依据"), rows)


def _provisions(pack: Pack) -> Section:
    rows = [(p.id, p.title, p.actor or "", p.cite) for p in pack.provisions]
    return Section("规定事项", ("id", "事项", "责任方", "依据"), rows)


def _documents(pack: Pack) -> Section:
    rows = [(d.id, d.title, f"{d.issuer} → {d.recipient}", d.when,
             "、".join(e.title for e in d.elements), d.cite) for d in pack.documents]
    return Section("法定文书", ("id", "文书", "出具方 → 接收方", "时间", "内容要素", "依据"), rows)


def _clauses(pack: Pack) -> Section:
    rows = [(f"{pack.id}/{c.id}", c.description, "、".join(DOC_KINDS[k] for k in c.applies_to),
             LEVELS[c.level], _how_checked(pack, c), c.cite) for c in pack.clauses]
    return Section("条款要求", ("规则", "要求", "适用文件", "级别", "检查要点", "依据"), rows)


_ENTITY_KINDS = {"organisation": "单位名称", "insurer": "持牌保险公司", "phone": "电话", "period": "期限",
                 "date": "日期", "percent": "比例", "money": "金额", "text": "内容"}


def _how_checked(pack: Pack, clause: ClauseRequirement) -> str:
    """What `idi check` looks for, in one line: words, values, refusals, condition."""
    parts = ["同一条款内须出现：" + "＋".join("/".join(group[:3]) for group in clause.phrases)]
    if clause.entities:
        parts.append("须填写：" + "、".join(_entity_text(pack, e) for e in clause.entities))
    if clause.negations:
        parts.append("否定说法：" + "、".join(clause.negations[:4]))
    if clause.applies_if:
        parts.append("仅当出现：" + "、".join(clause.applies_if))
    return "；".join(parts)


def _entity_text(pack: Pack, entity: EntityRequirement) -> str:
    bound = ""
    if entity.at_least:
        amount = pack.parameter(entity.at_least).amount
        text = amount.describe() if amount else ""
        bound = f"，{text if text.startswith(('不低于', '不少于', '至少')) else '至少' + text}" if text else ""
    elif entity.scope == COVERAGE_START_SCOPE:
        bound = f"，等于{pack.coverage.start.offset.describe()}"
    elif entity.scope:
        period = next(s.period for s in pack.coverage.scopes if s.id == entity.scope)
        bound = f"，不短于{period.describe()}" if period.value is not None else ""
    return f"{entity.role}（{_ENTITY_KINDS[entity.kind]}{bound}）"


def _gaps(pack: Pack) -> Section:
    rows = [(g.topic, g.note + (f"（{g.cite}）" if g.cite else "")) for g in pack.not_specified]
    return Section("本文件未规定的事项", ("事项", "说明"), rows)


def pack_markdown(pack: Pack) -> str:
    """The reference page of a pack (docs/rules/<id>.md), regenerated by scripts/gen_reference.py."""
    lines = [f"# {pack.title}" + (f"（{pack.document_number}）" if pack.document_number else ""), "",
             "<!-- 由 scripts/gen_reference.py 从规则包生成，请勿手工编辑 -->", ""]
    lines += [f"- {line}" for line in header_lines(pack)] + [""]
    for section in pack_sections(pack):
        if not section.rows:
            continue
        lines += [f"## {section.title}", ""]
        if section.caption:
            lines += [section.caption, ""]
        lines.append("| " + " | ".join(section.columns) + " |")
        lines.append("|" + "---|" * len(section.columns))
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in section.rows]
        lines.append("")
    return "\n".join(lines)


def index_markdown(packs) -> str:
    lines = ["# 规则包参考", "", "<!-- 由 scripts/gen_reference.py 从规则包生成，请勿手工编辑 -->", "",
             "| 规则包 | 城市 | 文件 | 文号 | 有效期 |", "|---|---|---|---|---|"]
    lines += [f"| [{p.id}]({p.id}.md) | {p.city} | {p.title} | {p.document_number or '（无文号）'} | "
              f"{validity_text(p)} |" for p in packs]
    lines += ["", "## 项目里程碑（`idi timeline` 项目文件 milestones 可用的名称）", "",
              "| 名称 | 含义 |", "|---|---|"]
    lines += [f"| `{name}` | {label} |" for name, label in MILESTONES.items()]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
