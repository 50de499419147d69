"""Shared parts of the document types' input: project and its profile, parties and units, insurer,
people and staff, meeting, confirmation, risks, schedules, defect items, dates, money, percentages,
phones.

Each field carries a Chinese title (`Field(title=…)`), so a validation error names the field
both by its path (`insurer.phone`) and in words (保险公司 › 联系电话). Every model refuses
unknown keys: a typo in a data file is an error, never silently ignored.
"""
from __future__ import annotations

import functools
import re
import types
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal, Optional, Union, get_args, get_origin

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      create_model, model_validator)

from corpus.insurers import load_insurers
from corpus.schema import MILESTONES
from corpus.validation import describe_error, field_path

# ---------------------------------------------------------------------------------------------
# Scalar types


def _iso_date(value):
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"日期须写作 YYYY-MM-DD（现为 {value!r}）")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"不是有效的日期（现为 {value!r}）") from None


_PHONE_PATTERNS = (
    r"(?:\+?86)?1[3-9]\d{9}",                    # mobile
    r"0\d{2,3}-?[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?",  # landline with area code, optional extension
    r"[48]00-?\d{3}-?\d{4}",                     # 400 / 800
    r"9[56]\d{3}(?:\d{3})?",                     # 955xx / 956xx service numbers
    r"12\d{3}",                                  # 12345, 12319 … government hotlines
)
_PHONE_RE = re.compile("|".join(f"(?:{p})" for p in _PHONE_PATTERNS))


def _phone(value):
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"电话号码应为文字（现为 {value!r}）")
    shown = value.strip()
    compact = re.sub(r"[\s()（）]", "", shown).replace("—", "-")
    if not _PHONE_RE.fullmatch(compact):
        raise ValueError(f"电话号码格式不正确（现为 {value!r}）：应为11位手机号、带区号的固定电话"
                         "（如 021-12345678）、400/800 电话或 955xx 等服务号码")
    return shown


def _money(value):
    if isinstance(value, bool):
        raise ValueError(f"金额应为数字（现为 {value!r}）")
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"金额应为数字（单位：元，现为 {value!r}）") from None
    if not amount.is_finite():
        raise ValueError(f"金额应为数字（现为 {value!r}）")
    if amount < 0:
        raise ValueError(f"金额不能为负（现为 {value}）")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"金额最多保留两位小数（分），现为 {value}")
    return amount


def _percent(value):
    if isinstance(value, bool):
        raise ValueError(f"百分比应为数字（现为 {value!r}）")
    text = str(value).strip().removesuffix("%").removesuffix("％").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"百分比应为数字，如 1.5 表示 1.5%（现为 {value!r}）") from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise ValueError(f"百分比应在 0 到 100 之间（现为 {value}）")
    return number


def _text(value):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"应为文字（现为 {value!r}）")
    if not value.strip():
        raise ValueError("不能为空")
    return value.strip()


def _clock(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"时间请加引号书写，如 \"09:30—11:30\"（现为 {value!r}，YAML 把 9:30 读成了数字）")
    return _text(value)


def _licensed_insurer(name: str) -> str:
    """A licensed insurer or one of its branches; brokers, agents and unknown names are refused."""
    found = load_insurers().identify(name)
    if found.kind not in ("insurer", "branch"):
        raise ValueError(f"须为持牌财产保险公司或其分支机构：{found.reason}")
    return name


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Phone = Annotated[str, BeforeValidator(_phone)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Percent = Annotated[Decimal, BeforeValidator(_percent)]
Text = Annotated[str, BeforeValidator(_text)]
ClockText = Annotated[str, BeforeValidator(_clock)]
InsurerName = Annotated[Text, AfterValidator(_licensed_insurer)]
Severity = Literal["严重", "一般"]
RiskLevel = Literal["高", "中", "低"]
HousingType = Literal["商品房", "保障房"]
Milestone = Literal[tuple(MILESTONES)]  # type: ignore[valid-type]


class Part(BaseModel):
    """Base of every input model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------------
# Parties and people


class Person(Part):
    name: Text = Field(title="姓名")
    title: Optional[Text] = Field(None, title="职务")
    phone: Optional[Phone] = Field(None, title="联系电话")


class Organisation(Part):
    name: Text = Field(title="单位名称")
    address: Optional[Text] = Field(None, title="地址")
    contact: Optional[Text] = Field(None, title="联系人")
    phone: Optional[Phone] = Field(None, title="联系电话")


class Unit(Organisation):
    """A participating unit named with its role (施工单位、设计单位、监理单位、设备材料供应商 …)."""

    role: Text = Field(title="单位类别", description="如 施工单位、设计单位、监理单位、设备材料供应商、物业服务企业")


class StaffMember(Part):  # one of a team: risk managers, inspectors, the claims or emergency team
    unit: Optional[Text] = Field(None, title="单位")
    name: Text = Field(title="姓名")
    role: Text = Field(title="岗位（职责）")
    qualification: Optional[Text] = Field(None, title="执业资格或职称")
    years: Optional[int] = Field(None, ge=0, le=60, title="工程建设工作年限")
    phone: Optional[Phone] = Field(None, title="联系电话")


class Confirmation(Part):  # a party's confirmation of a plan or a reply
    by: Person = Field(title="确认人")
    signed_on: IsoDate = Field(title="确认日期")


class Developer(Organisation):
    supervision_phone: Optional[Phone] = Field(None, title="建设单位监督电话")


class Insurer(Part):
    """The insurer (or its branch) that issues or is named in the document."""

    name: InsurerName = Field(title="保险公司名称")
    address: Optional[Text] = Field(None, title="地址")
    contact: Optional[Text] = Field(None, title="联系人")
    phone: Phone = Field(title="联系电话")
    claims_department: Optional[Text] = Field(None, title="负责理赔工作的部门")
    claims_phone: Optional[Phone] = Field(None, title="报案（理赔）电话")


class Owner(Part):
    """A home owner (房屋所有权人); `unit` is the house number (户号/房号)."""

    name: Text = Field(title="业主姓名")
    unit: Optional[Text] = Field(None, title="户号（房号）")
    phone: Optional[Phone] = Field(None, title="联系电话")
    address: Optional[Text] = Field(None, title="通讯地址")


# ---------------------------------------------------------------------------------------------
# Project and policy


class Project(Part):
    name: Text = Field(title="项目名称")
    address: Text = Field(title="项目地址")
    housing_type: Optional[HousingType] = Field(None, title="住宅类型（商品房/保障房）")
    developer: Developer = Field(title="建设单位")
    builder: Optional[Organisation] = Field(None, title="施工单位")
    designer: Optional[Organisation] = Field(None, title="设计单位")
    supervisor: Optional[Organisation] = Field(None, title="监理单位")
    milestones: dict[Milestone, IsoDate] = Field(  # type: ignore[valid-type]
        default_factory=dict, title="里程碑日期")


class ProjectProfile(Part):
    """工程概况 beyond the shared Project: size, structure, delivery standard, cost."""

    area: Optional[Decimal] = Field(None, gt=0, title="总建筑面积（平方米）")
    buildings: Optional[int] = Field(None, ge=1, title="楼栋数")
    households: Optional[int] = Field(None, ge=1, title="总户数")
    structure: Optional[Text] = Field(None, title="结构形式")
    storeys: Optional[Text] = Field(None, title="层数", description="如 地上18层、地下2层")
    foundation: Optional[Text] = Field(None, title="基础形式")
    fitout: Optional[Text] = Field(None, title="交付标准", description="如 全装修、毛坯")
    cost: Optional[Money] = Field(None, title="建筑安装工程造价（元）")


class ScopeTerm(Part):
    """A coverage scope of the policy: `scope` names a pack scope (to state the contract's period),
    or `title` describes one the pack does not list (where the regulation leaves scopes to the contract)."""

    scope: Optional[Text] = Field(None, title="规则包中的承保范围 id")
    title: Optional[Text] = Field(None, title="承保范围名称")
    items: list[Text] = Field(default_factory=list, title="承保内容")
    years: int = Field(ge=1, le=100, title="保险期限（年）")

    @model_validator(mode="after")
    def _named(self) -> "ScopeTerm":
        if not self.scope and not self.title:
            raise ValueError("scope（规则包承保范围 id）与 title（承保范围名称）至少填写一项")
        return self


class Policy(Part):
    number: Text = Field(title="保险单号")
    scopes: list[ScopeTerm] = Field(default_factory=list, title="承保范围与保险期限（按保险合同）")


# ---------------------------------------------------------------------------------------------
# Meetings, defects, risks, schedules


class Attendee(Part):
    unit: Text = Field(title="单位")
    name: Text = Field(title="姓名")
    role: Text = Field(title="职务（角色）")
    phone: Phone = Field(title="联系电话")


class Meeting(Part):
    date: IsoDate = Field(title="会议日期")
    time: ClockText = Field(title="会议时间", description="如 09:30—11:30")
    place: Text = Field(title="会议地点")
    host: Person = Field(title="主持人")
    recorder: Optional[Person] = Field(None, title="记录人")
    attendees: list[Attendee] = Field(min_length=1, title="参会人员")


class DefectItem(Part):
    number: Text = Field(title="编号")
    location: Text = Field(title="部位")
    description: Text = Field(title="缺陷描述")
    severity: Severity = Field(title="严重程度（严重/一般）")
    rectified: bool = Field(title="是否已整改")
    rectification: Optional[Text] = Field(None, title="整改情况说明")
    photo: Optional[Text] = Field(None, title="照片文件路径")


class ReportDefect(DefectItem):
    """A defect as a process or special inspection records it: found when, who rectifies, by when."""

    found_on: Optional[IsoDate] = Field(None, title="发现日期")
    responsible: Optional[Text] = Field(None, title="整改责任单位")
    due: Optional[IsoDate] = Field(None, title="整改期限")
    recommendation: Optional[Text] = Field(None, title="处理意见和建议")


class RiskEntry(Part):
    part: Text = Field(title="部位或分部分项工程")
    risk: Text = Field(title="可能存在的质量风险")
    level: RiskLevel = Field(title="风险等级（高/中/低）")
    measure: Optional[Text] = Field(None, title="防控措施或建议")


class ScheduleRow(Part):
    stage: Text = Field(title="阶段")
    period: Text = Field(title="计划时间")
    work: Text = Field(title="工作内容")
    inspections_per_month: Optional[int] = Field(
        None, ge=0, le=31, title="每月过程检查次数", description="施工阶段填写；规则包规定最低频次的，少于该频次不予生成")
    output: Optional[Text] = Field(None, title="成果文件")


class DocumentData(Part):
    """Fields every document has: the rule pack, the date it is dated, its number if any."""

    pack: Text = Field(title="规则包或城市", description="规则包 id（如 shanghai-2025）或城市名（如 上海）")
    date: IsoDate = Field(title="成文日期")
    doc_number: Optional[Text] = Field(None, title="发文字号", description="如 沪人保函〔2026〕12号")


class InsuredData(DocumentData):
    """Fields of a document on the cover of an insured project: the project, the insurer, the policy."""

    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    policy: Policy = Field(title="保险单")


class RiskManagementData(DocumentData):
    """Fields of a risk-management report or plan: the project, the insurer, the risk manager it engaged."""

    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="风险管理机构")


# ---------------------------------------------------------------------------------------------
# Error messages: every problem with its path and the Chinese titles along it

_EXTRA_MESSAGES = {
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "too_long": "最多 {max_length} 项",
    "enum": "取值应为 {expected} 之一",
}


def describe(error: dict) -> str:
    """One problem in Chinese (corpus.validation's wording, plus the kinds our inputs add)."""
    template = _EXTRA_MESSAGES.get(error["type"])
    if template is None:
        return describe_error(error)
    text = template.format(**error.get("ctx", {}))
    if not isinstance(error.get("input"), (dict, list)):
        text += f"（现为 {error['input']!r}）"
    return text


def titles_along(model: type[BaseModel], loc: tuple) -> list[str]:
    """Chinese titles of the fields on a path: ('insurer', 'phone') -> ['保险公司', '联系电话']."""
    titles: list[str] = []
    current = model
    for part in loc:
        if isinstance(part, int):
            titles[-1:] = [f"{titles[-1]}第{part + 1}项"] if titles else []
            continue
        if part in MILESTONES and current is None:
            titles.append(MILESTONES[part])
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            current = None
            continue
        info = fields[part]
        titles.append(info.title or part)
        current = inner_model(info.annotation)
    return titles


def inner_model(annotation):
    """The model class a field holds, through Optional, list and dict; None for scalars."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


_inner_model = inner_model  # the name render.py, bulk.py and scripts/gen_doctypes.py still import


def error_lines(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        titles = " › ".join(titles_along(model, loc))
        where = field_path(loc) + (f"（{titles}）" if titles else "")
        lines.append(f"{where}：{describe(error)}")
    return lines


# ---------------------------------------------------------------------------------------------
# Draft mode: the same models with every field optional, so a draft can be rendered with gaps


@functools.lru_cache(maxsize=None)
def lenient(model: type[BaseModel]) -> type[BaseModel]:
    """`model` with every field optional (recursively); validators still check what is given."""
    fields = {}
    for name, info in model.model_fields.items():
        annotation = _lenient_type(info.annotation)
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        if not info.is_required():
            default = info.get_default(call_default_factory=True)
        else:  # a missing list is an empty one (a template loops over it); anything else is a gap
            default = [] if get_origin(info.annotation) is list else None
        fields[name] = (Optional[annotation], Field(default, title=info.title, description=info.description))
    return create_model(f"{model.__name__}Draft", __base__=model, **fields)


def _lenient_type(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lenient(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is None or not args or origin is Literal or origin is Annotated:
        return annotation
    if origin in (Union, types.UnionType):
        return Union[tuple(_lenient_type(a) for a in args)]
    return origin[tuple(_lenient_type(a) for a in args)]
