"""报价函: the insurer's formal quotation to an enquiring developer (SH 第五条): the premium
computed from base × rate (in figures and in RMB capital numerals), signed by the business head,
sealed by the company."""
from __future__ import annotations

from datetime import timedelta
from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import premium_rate_floor
from ..schemas import DocumentData, Insurer, IsoDate, Money, Part, Percent, Person, Project, ScopeTerm, Text
from . import DocumentType, Job


class Quotation(Part):
    requested_on: IsoDate = Field(title="询价日期")
    base_label: Optional[Text] = Field(None, title="保险费计算基数名称", description="如 建筑安装工程总造价")
    base: Money = Field(title="保险费计算基数（元）")
    rate: Percent = Field(title="保险费率（%）")
    sum_insured: Optional[Money] = Field(None, title="保险金额（元）")
    estimated: bool = Field(False, title="设计阶段按影响因素预估")
    valid_days: int = Field(30, ge=1, le=365, title="报价有效期（日）")
    scopes: list[ScopeTerm] = Field(default_factory=list, title="承保范围与保险期限")
    terms: list[Text] = Field(default_factory=list, title="特别约定")


class QuotationLetterData(DocumentData):
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司")
    quotation: Quotation = Field(title="报价")
    business_head: Person = Field(title="业务部门负责人")
    contact: Optional[Person] = Field(None, title="联系人")


def derive(job: Job) -> dict:
    pack, q = job.pack, job.model.quotation
    premium = derived.times(q.base, q.rate) if q else None
    base_param = derived.find_parameter(pack, "premium-base")
    notes = []
    adjustment = derived.find_parameter(pack, "premium-adjustment")
    if q and q.estimated and adjustment:
        notes.append(f"{adjustment.text}（{adjustment.cite}）。")
    rate_rule = derived.find_parameter(pack, "premium-rate")
    if rate_rule:
        notes.append(f"保险费率：{derived.strip_parenthetical(rate_rule.text)}（{rate_rule.cite}）。")
    notes += [f"{t}。" if not t.endswith("。") else t for t in (q.terms if q else None) or []]
    system = derived.find_provision(pack, "quotation-letter-system")
    if system:
        notes.append(f"{system.summary}（{system.cite}）。")
    return {
        "premium": premium,
        "premium_upper": derived.rmb_upper(premium),
        "base_label": (q.base_label if q else None) or (base_param.text if base_param else "保险费计算基数"),
        "valid_until": (q.requested_on + timedelta(days=q.valid_days)) if q and q.requested_on and q.valid_days else None,
        "cover_text": derived.scopes_sentence(derived.scope_rows(pack, q.scopes if q else [])) or "按保险合同约定",
        "notes": notes,
    }


def rules(job: Job):
    q, project = job.model.quotation, job.model.project
    return premium_rate_floor(job.pack, q.rate if q else None, project.housing_type if project else None)


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{{ project.developer.name }}：")
    b.para("贵单位于{{ quotation.requested_on }}就{{ project.name }}（{{ project.address }}）投保住宅工程质量潜在缺陷保险"
           "向我公司询价。{{ doc.basis }}，我公司以本报价函正式报价如下：")
    b.heading("一、报价内容")
    b.particulars(
        "项目名称", "项目地址",
        ("投保人（建设单位）", "{{ project.developer.name }}"),
        ("{{ base_label }}", "{{ quotation.base|yuan }}"),
        ("保险费率", "{{ quotation.rate|pct }}"),
        ("保险费（小写）", "{{ premium|yuan }}"),
        ("保险费（大写）", "人民币{{ premium_upper }}"),
        ("保险金额", "{% if quotation.sum_insured %}{{ quotation.sum_insured|yuan }}{% else %}按保险合同约定{% endif %}"),
        ("承保范围与保险期限", "{{ cover_text }}"),
        ("报价有效期", "至{{ valid_until }}"),
    )
    b.heading("二、报价说明")
    b.para("1．保险费＝{{ base_label }}×保险费率＝{{ quotation.base|yuan }}×{{ quotation.rate|pct }}"
           "＝{{ premium|yuan }}（大写：人民币{{ premium_upper }}）。")
    with b.each("note", "notes"):
        b.para("{{ loop.index + 1 }}．{{ note }}")
    with b.when("contact"):
        b.para("联系人：{{ contact.name }}{% if contact.phone %}，联系电话：{{ contact.phone }}{% endif %}。")
    b.closing("特此函告。", "业务部门负责人签字：____________",
                "（{{ business_head.name }}{% if business_head.title %}，{{ business_head.title }}{% endif %}）",
                "", "{{ insurer.name }}", "（保险公司盖章）")


TYPE = DocumentType(
    id="quotation-letter",
    title="报价函",
    summary="保险公司向询价客户出具的正式报价函：保险费（基数×费率，大写金额）、业务部门负责人签字、公司盖章",
    model=QuotationLetterData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    checked_as="quotation-letter",
    required=("premium", "premium_upper", "quotation.rate", "quotation.base", "insurer.name", "business_head.name"),
)
