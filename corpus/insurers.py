"""Registry of licensed property & casualty insurers, and matching of names against it.

The registry (insurers.yaml beside this module) lists the legal names of the insurers in the
regulator's list of insurance legal entities, with their usual short names and hotlines. It
answers two questions the paperwork checkers ask:

* `identify(name)`: is this entity a licensed insurer, one of its branches, or something that
  must never pass as one (a broker, an agent, a loss adjuster, a property manager, a developer)?
* `find_in_text(text)`: where in a free text (a contract, a policy) are insurers named?
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .errors import PackError
from .validation import describe_error, field_path
from .yamlio import load_yaml_file

DEFAULT_PATH = Path(__file__).with_name("insurers.yaml")

KINDS = ("insurer", "branch", "broker", "agent", "adjuster", "property-management",
         "real-estate", "unknown")
MarkerKind = Literal["broker", "agent", "adjuster", "property-management", "real-estate"]

# Endings of branch names: …上海市分公司, …浦东支公司, …中心支公司, …营业部, …营销服务部.
_BRANCH_SUFFIX = "(?:分公司|支公司|营业部|营销服务部)"
# Place words before the suffix: CJK ideographs and brackets, but no function words, so that
# “中国太平洋财产保险股份有限公司委托的分公司” is not read as one branch name.
_PLACE_CHAR = r"(?:(?![的与和及或为在向由对是将把被给从至于])[\u4e00-\u9fff()])"
_BRANCH_RE = re.compile(f"(?:{_PLACE_CHAR}{{0,12}}?{_BRANCH_SUFFIX})+")
# Tail of an organisation name after a non-insurer marker (…保险经纪有限公司, …物业服务中心).
_ORG_TAIL_RE = re.compile(f"{_PLACE_CHAR}{{0,8}}?(?:有限责任公司|股份有限公司|有限公司|公司|中心|部|社)")


# ---------------------------------------------------------------------------------------------
# Public data types


@dataclass(frozen=True)
class Insurer:
    name: str
    short_names: tuple[str, ...]
    hotline: str | None
    lists: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class Identification:
    """What a name denotes. `branch` is the part after the insurer's name, e.g. “上海市分公司”."""

    kind: str
    insurer: Insurer | None
    branch: str | None
    reason: str


@dataclass(frozen=True)
class MarkerGroup:
    """Words that mark an entity as a non-insurer of one kind (e.g. 保险经纪 → broker)."""

    kind: str
    label: str
    markers: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# YAML schema

_NonEmpty = Annotated[str, StringConstraints(min_length=1)]
_Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]


class _InsurerModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: _NonEmpty
    short_names: list[_NonEmpty] = Field(default_factory=list)
    hotline: str | None = Field(default=None, pattern=r"^[0-9]{5,12}$")
    lists: list[_Month] = Field(min_length=1)
    note: str | None = None


class _MarkerGroupModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: MarkerKind
    label: _NonEmpty
    markers: list[_NonEmpty] = Field(min_length=1)


class _RegistryModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list_date: _Month
    source: _NonEmpty
    insurers: list[_InsurerModel] = Field(min_length=1)
    non_insurer_markers: list[_MarkerGroupModel] = Field(min_length=1)


def _fail(path: Path, problems: list[str]) -> PackError:
    shown = "；".join(problems[:5]) + ("；……" if len(problems) > 5 else "")
    return PackError(f"{path}：保险机构名录有误：{shown}")


def _parse(raw: Any, path: Path) -> _RegistryModel:
    if not isinstance(raw, dict):
        raise _fail(path, ["（顶层）：应为键值映射（list_date、source、insurers、non_insurer_markers）"])
    try:
        return _RegistryModel.model_validate(raw)
    except ValidationError as exc:
        raise _fail(path, [f"{field_path(e['loc'])}：{describe_error(e)}" for e in exc.errors()]) from None


# ---------------------------------------------------------------------------------------------
# Normalisation


def normalize(text: str) -> str:
    """NFKC (full-width brackets and digits become ASCII) and no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise char by char, keeping for each output char the index of its source char."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for nch in unicodedata.normalize("NFKC", ch):
            if not nch.isspace():
                out.append(nch)
                index.append(i)
    return "".join(out), index


# ---------------------------------------------------------------------------------------------
# Consistency checks across entries (duplicates, traps)


def _consistency_problems(model: _RegistryModel) -> list[str]:
    problems: list[str] = []
    owner: dict[str, str] = {}
    markers = [m for g in model.non_insurer_markers for m in g.markers]
    for i, ins in enumerate(model.insurers):
        names = [("name", ins.name)] + [(f"short_names[{j}]", s) for j, s in enumerate(ins.short_names)]
        for field, name in names:
            where = f"insurers[{i}].{field}"
            key = normalize(name)
            if key in owner and owner[key] != ins.name:
                problems.append(f"{where}：“{name}”已用于 {owner[key]}，名称或简称不能重复")
            owner.setdefault(key, ins.name)
            hit = next((m for m in markers if m in key), None)
            if hit:
                problems.append(f"{where}：“{name}”含有非保险公司标记“{hit}”")
    return problems


# ---------------------------------------------------------------------------------------------
# Registry


class InsurerRegistry:
    """Licensed insurers of one published list, with name matching."""

    def __init__(self, list_date: str, source: str, insurers: tuple[Insurer, ...],
                 marker_groups: tuple[MarkerGroup, ...]):
        self.list_date = list_date
        self.source = source
        self.insurers = insurers
        self.marker_groups = marker_groups
        self._legal = {normalize(i.name): i for i in insurers}
        self._short = {normalize(s): i for i in insurers for s in i.short_names}
        self._names = {**self._short, **self._legal}
        alternation = "|".join(re.escape(n) for n in sorted(self._names, key=len, reverse=True))
        self._name_re = re.compile(alternation)
        self._markers = sorted(((m, g) for g in marker_groups for m in g.markers),
                               key=lambda mg: len(mg[0]), reverse=True)

    # -- lookups

    @property
    def list_label(self) -> str:
        year, month = self.list_date.split("-")
        return f"保险机构法人名单（{year}年{int(month)}月）"

    def by_name(self, name: str) -> Insurer | None:
        """The insurer whose legal name or short name is exactly `name` (after normalising)."""
        return self._names.get(normalize(name))

    # -- identify

    def identify(self, name: str) -> Identification:
        """Insurer, branch, non-insurer kind or unknown, with a reason for users."""
        key, name = normalize(name), name.strip()
        if not key:
            return Identification("unknown", None, None, "名称为空")
        refused = self._refuse(key, name)
        if refused:
            return refused
        if key in self._names:
            return self._as_insurer(key, name)
        return self._as_branch(key, name) or self._unknown(key, name)

    def _refuse(self, key: str, shown: str) -> Identification | None:
        """Non-insurer if any marker occurs; the last one in the name tells the entity's kind."""
        hits = [(key.rfind(m) + len(m), g) for m, g in self._markers if m in key]
        if not hits:
            return None
        _, group = max(hits, key=lambda hit: hit[0])
        return Identification(group.kind, None, None, f"“{shown}”是{group.label}，不是保险公司")

    def _status(self, insurer: Insurer) -> str:
        """Whether the insurer is in the newest list, plus its note, as a clause."""
        if self.list_date in insurer.lists:
            text = f"在{self.list_label}中"
        else:
            text = f"不在{self.list_label}中，请核实其现状"
        return text + (f"；备注：{insurer.note}" if insurer.note else "")

    def _as_insurer(self, key: str, shown: str) -> Identification:
        insurer = self._names[key]
        if key == normalize(insurer.name):
            reason = f"{insurer.name}{self._status(insurer)}"
        else:
            reason = f"“{shown}”是{insurer.name}的常用简称，该公司{self._status(insurer)}"
        return Identification("insurer", insurer, None, reason)

    def _longest_prefix(self, key: str) -> str | None:
        found = self._name_re.match(key)
        return found.group(0) if found else None

    def _as_branch(self, key: str, shown: str) -> Identification | None:
        prefix = self._longest_prefix(key)
        if prefix is None:
            return None
        insurer, rest = self._names[prefix], key[len(prefix):]
        if self._branch_end(key, len(prefix)) != len(key):
            return Identification("unknown", None, None,
                                  f"“{shown}”以“{prefix}”开头，但“{rest}”不是分支机构的常见写法"
                                  "（××分公司、××支公司、××营业部、××营销服务部）")
        reason = f"“{shown}”是{insurer.name}的分支机构，该公司{self._status(insurer)}"
        return Identification("branch", insurer, rest, reason)

    def _unknown(self, key: str, shown: str) -> Identification:
        reason = f"未在{self.list_label}中找到“{shown}”"
        close = difflib.get_close_matches(key, list(self._legal), n=1, cutoff=0.8)
        if close:
            reason += f"；是否指“{self._legal[close[0]].name}”？"
        return Identification("unknown", None, None, reason)

    # -- find in text

    def find_in_text(self, text: str) -> list[tuple[int, int, Identification]]:
        """Spans (start, end in `text`) naming an insurer or one of its branches.

        Matches are longest-first and non-overlapping; whitespace and line breaks inside a name
        are tolerated. A name run straight into a non-insurer word (“大地保险经纪有限公司”) is
        reported with that kind (broker, agent …) and no insurer, so checkers can flag it.
        """
        norm, index = _normalize_with_map(text)
        spans: list[tuple[int, int, Identification]] = []
        pos = 0
        while (found := self._name_re.search(norm, pos)) is not None:
            start, end, ident = self._read_match(norm, found)
            spans.append((index[start], index[end - 1] + 1, ident))
            pos = end
        return spans

    def _branch_end(self, norm: str, pos: int) -> int | None:
        """End of a branch designation starting at `pos` (“上海市分公司”), if it names no insurer."""
        branch = _BRANCH_RE.match(norm, pos)
        if branch is None or self._name_re.search(norm, pos, branch.end()):
            return None
        return branch.end()

    def _read_match(self, norm: str, found: re.Match[str]) -> tuple[int, int, Identification]:
        start, end = found.span()
        branch_end = self._branch_end(norm, end)
        stop = branch_end or end
        refused = self._marker_run_on(norm, start, end, stop)
        if refused:
            return refused
        key = norm[start:stop]
        ident = self._as_branch(key, key) if branch_end else self._as_insurer(key, key)
        return start, stop, ident

    def _marker_run_on(self, norm: str, start: int, end: int,
                       stop: int) -> tuple[int, int, Identification] | None:
        """A non-insurer word the name runs into: “大地保险|经纪有限公司”, “人保财险|代理有限公司”.

        A marker straddling the end of the name always counts. One starting right after the name
        counts after a short name (“人保财险代理…”) or when it is a full marker such as 保险经纪
        (“…股份有限公司保险经纪部”), but not a bare verb after a legal name (“…公司代理销售”).
        """
        is_short = normalize(self._names[norm[start:end]].name) != norm[start:end]
        for marker, group in self._markers:
            at = _marker_at(norm, marker, start, end, stop)
            if at is None or (at >= end and not (is_short or len(marker) >= 4)):
                continue
            tail = _ORG_TAIL_RE.match(norm, at + len(marker))
            last = tail.end() if tail else at + len(marker)
            reason = f"“{norm[start:last]}”是{group.label}，不是保险公司"
            return start, last, Identification(group.kind, None, None, reason)
        return None


def _marker_at(norm: str, marker: str, start: int, end: int, stop: int) -> int | None:
    """Start of `marker` if it begins in [start, stop] and runs past the name's end."""
    for at in range(max(start, end - len(marker) + 1), stop + 1):
        if norm.startswith(marker, at):
            return at
    return None


# ---------------------------------------------------------------------------------------------
# Loading


def _build(model: _RegistryModel) -> InsurerRegistry:
    insurers = tuple(Insurer(i.name, tuple(i.short_names), i.hotline, tuple(i.lists), i.note)
                     for i in model.insurers)
    groups = tuple(MarkerGroup(g.kind, g.label, tuple(g.markers)) for g in model.non_insurer_markers)
    return InsurerRegistry(model.list_date, model.source, insurers, groups)


def _load(path: Path) -> InsurerRegistry:
    model = _parse(load_yaml_file(path, PackError), path)
    problems = _consistency_problems(model)
    if problems:
        raise _fail(path, problems)
    return _build(model)


@functools.lru_cache(maxsize=1)
def _load_default() -> InsurerRegistry:
    return _load(DEFAULT_PATH)


def load_insurers(path: Path | None = None) -> InsurerRegistry:
    """Load the registry; the default one (beside this module) is read once and cached."""
    return _load_default() if path is None else _load(Path(path))
