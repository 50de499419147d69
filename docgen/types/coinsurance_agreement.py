"""共保协议 (HZ 第八条; BJ 第十五条, where co-insurance is the rule but the pack names no agreement):
the lead insurer and the followers — each a licensed insurer or its branch — with their shares,
rights and obligations, the premium split, the risk-management fee.

Refused: lead share under `coinsurance-lead-share-min`, fewer followers than
`coinsurance-followers-min`, a premium rate under the pack's floor for the housing type, a fee
outside a mandatory bound. A fee outside a guidance bound (原文“参照”) is a warning."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field, model_validator

from corpus.insurers import normalize

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import coinsurance_structure, premium_rate_floor, risk_management_fee
from ..schemas import DocumentData, Insurer, Money, Organisation, Part, Percent, Project, Text
from . import DocumentType, Job


class Coinsurer(Part):
    insurer: Insurer = Field(title="承保公司")
    share: Percent = Field(title="承保份额（%）")


class PremiumTerms(Part):
    base_label: Optional[Text] = Field(None, title="保险费计算基数名称")
    base: Money = Field(title="保险费计算基数（元）")
    rate: Percent = Field(title="保险费率（%）")
    sum_insured: Optional[Money] = Field(None, title="保险金额（元）")


class CoinsuranceAgreementData(DocumentData):
    place: Optional[Text] = Field(None, title="签订地点")
    project: Project = Field(title="项目")
    premium: PremiumTerms = Field(title="保险费")
    lead: Coinsurer = Field(title="主承保（牵头）公司")
    followers: list[Coinsurer] = Field(min_length=1, title="从保（成员）公司")
    risk_manager: Optional[Organisation] = Field(None, title="风险管理机构")
    risk_management_fee: Optional[Percent] = Field(None, title="风险管理费用（占保险费%）")
    extra_terms: list[Text] = Field(default_factory=list, title="其他约定")

    @model_validator(mode="after")
    def _shares_and_members(self) -> "CoinsuranceAgreementData":
        members = [m for m in [self.lead, *(self.followers or [])] if m is not None]
        shares = [m.share for m in members]
        if members and None not in shares and sum(shares) != Decimal(100):
            raise ValueError(f"各承保公司的承保份额合计应为100%，现为{derived.plain(sum(shares))}%")
        names = [normalize(m.insurer.name) for m in members if m.insurer and m.insurer.name]
        if len(names) != len(set(names)):
            raise ValueError("同一承保公司在共保体中重复出现")
        return self


def _terms(job: Job) -> tuple[str, str]:
    """The pack's words for the lead and the others: 主承保公司/从保公司 or 牵头保险公司/成员保险公司."""
    texts = " ".join(i.quote for i in (*job.pack.parameters, *job.pack.provisions) if i.category in
                     ("co-insurance", "underwriting"))
    return ("牵头保险公司", "成员保险公司") if "牵头" in texts and "主承保" not in texts else ("主承保公司", "从保公司")


def derive(job: Job) -> dict:
    pack, doc, data = job.pack, job.mandate.document, job.model
    lead_term, follower_term = _terms(job)
    premium = derived.times(data.premium.base, data.premium.rate) if data.premium else None
    members = [(lead_term, data.lead)] + [(follower_term, f) for f in data.followers or []]
    base_param = derived.find_parameter(pack, "premium-base")
    rules_text = list(dict.fromkeys(
        f"{p.quote}（{p.cite}）" for p in (*pack.parameters, *pack.provisions)
        if p.category in ("co-insurance", "underwriting") and any(w in p.quote for w in ("共保", "主承保", "牵头"))))
    fee_bounds = [f"{p.title}：{p.amount.describe()}（{p.basis or '保险费'}，{p.cite}"
                  f"{'，参照标准' if p.binding == 'guidance' else ''}）"
                  for p in pack.parameters if p.id.startswith("risk-management-fee-m") and p.amount]
    return {
        "lead_term": lead_term, "follower_term": follower_term,
        "headings": {
            "shares": derived.heading(doc, ("shares",), "各承保公司的承保份额"),
            "rights": derived.heading(doc, ("rights",), "各承保公司的权利"),
            "obligations": derived.heading(doc, ("obligations",), "各承保公司的义务"),
        },
        "premium_total": premium,
        "premium_upper": derived.rmb_upper(premium),
        "base_label": (data.premium.base_label if data.premium else None)
                      or (base_param.text if base_param else "保险费计算基数"),
        "members": [{"role": role, "name": m.insurer.name if m and m.insurer else None,
                     "share": m.share if m else None,
                     "premium": derived.times(premium, m.share) if m else None} for role, m in members],
        "fee_amount": derived.times(premium, data.risk_management_fee),
        "fee_bounds": "；".join(fee_bounds) or None,
        "coinsurance_rules": rules_text,
    }


def rules(job: Job):
    data = job.model
    lead_share = data.lead.share if data.lead else None
    followers = len([f for f in data.followers if f is not None]) if data.followers else None
    rate = data.premium.rate if data.premium else None
    housing = data.project.housing_type if data.project else None
    return (coinsurance_structure(job.pack, lead_share, followers)
            + premium_rate_floor(job.pack, rate, housing)
            + risk_management_fee(job.pack, data.risk_management_fee))


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}住宅工程质量潜在缺陷保险）", number=True)
    b.plain("{{ lead_term }}：{{ lead.insurer.name }}")
    with b.each("f", "followers"):
        b.plain("{{ follower_term }}：{{ f.insurer.name }}")
    b.para("为{{ project.name }}（项目地址：{{ project.address }}；建设单位：{{ project.developer.name }}）"
           "住宅工程质量潜在缺陷保险，{{ doc.basis }}，各承保公司经协商一致，以共保方式承保，订立本协议。")
    b.heading("一、{{ headings.shares }}")
    b.table([("承保公司", 66, "{{ m.name }}"), ("身份", 30, "{{ m.role }}"), ("承保份额", 24, "{{ m.share|pct }}"),
             ("保险费分摊", 36, "{{ m.premium|yuan }}")], "members", "m")
    b.para("{{ lead_term }}{{ lead.insurer.name }}的承保份额为{{ lead.share|pct }}，各承保公司按承保份额承担保险责任。"
           "保险费以{{ base_label }}{{ premium.base|yuan }}为计算基数，保险费率{{ premium.rate|pct }}，"
           "保险费合计{{ premium_total|yuan }}（大写：人民币{{ premium_upper }}）"
           "{% if premium.sum_insured %}，保险金额{{ premium.sum_insured|yuan }}{% endif %}。")
    b.heading("二、{{ headings.rights }}")
    b.para("1．各承保公司按承保份额享有保险费收益，保险费由{{ lead_term }}统一收取后按份额划转。")
    b.para("2．{{ lead_term }}代表共保体出具保险单、签订风险管理委托合同、统一提供理赔服务，并有权就共保事务统一对外联络。")
    b.para("3．{{ follower_term }}有权了解承保、风险管理和理赔情况，查阅相关资料，对重大赔案参与会商。")
    b.heading("三、{{ headings.obligations }}")
    b.para("1．各承保公司按承保份额承担保险责任，分摊赔款和理赔费用，不得以任何理由拒绝或拖延分摊。")
    b.para("2．{{ lead_term }}负责委托和管理风险管理机构、受理报案、组织查勘核定和维修，按规定报送和录入承保、风险管理和理赔信息。")
    b.para("3．{{ follower_term }}应在收到{{ lead_term }}分摊通知后及时支付应分摊的赔款和费用，并配合{{ lead_term }}开展工作。")
    with b.when("coinsurance_rules"):
        b.para("4．各方遵守下列规定：{% for r in coinsurance_rules %}{{ r }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.heading("四、风险管理费用")
    b.para("{% if risk_management_fee is not none %}风险管理费用为保险费的{{ risk_management_fee|pct }}，"
           "即{{ fee_amount|yuan }}{% if risk_manager %}，支付给风险管理机构{{ risk_manager.name }}{% endif %}，"
           "由各承保公司按承保份额分摊。{% else %}风险管理费用由各承保公司另行约定。{% endif %}"
           "{% if fee_bounds %}规定：{{ fee_bounds }}。{% endif %}")
    b.heading("五、其他约定")
    b.numbered("extra_terms", "{{ t }}", "t")
    b.para("本协议自各承保公司盖章之日起生效，一式{{ members|length }}份，各方各执一份。")
    b.blank()
    b.table([("承保公司", 66, "{{ m.name }}"), ("身份", 26, "{{ m.role }}"), ("盖章", 32, ""),
             ("授权代表签字", 32, "")], "members", "m")
    b.right("签订日期：{{ date }}{% if place %}　签订地点：{{ place }}{% endif %}")


TYPE = DocumentType(
    id="coinsurance-agreement",
    title="共保协议",
    summary="共保体各承保公司的共保协议：主承保（牵头）与从保（成员）公司、承保份额、权利义务、保险费与风险管理费用分摊",
    model=CoinsuranceAgreementData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    implied_by=("coinsurance-mandatory",),
    default_parties=("共保体各承保公司（牵头保险公司和成员保险公司）", "各承保公司", "采取共保模式承保时"),
    required=("lead.insurer.name", "lead.share", "members", "premium_total", "premium_upper"),
)
