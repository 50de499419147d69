"""保障基金补足书面约定 (HZ 第二十条): the developer and the lead insurer agree in writing that what the
guarantee fund spent on repairs done first is paid back by the developer into the fund's account before
cover starts. Dates the cover start from the pack, totals what was spent, computes the project's fund
(the pack's share of the contract price) and its cap, and quotes the deduction the construction
contract must allow where the builder was liable.

Refused: a repayment date on or after the cover start (第二十条: 在保险期限开始前补足到位)."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import cover_start_requirements, refuse
from ..schemas import DocumentData, Insurer, IsoDate, Money, Part, Policy, Project, Text
from . import DocumentType, Job

REPLENISH = "fund-replenishment"


class FundUse(Part):
    date: IsoDate = Field(title="先行维修日期")
    item: Text = Field(title="维修事项")
    amount: Money = Field(title="使用保障基金金额（元）")


class Account(Part):
    name: Text = Field(title="账户名称")
    bank: Text = Field(title="开户银行")
    number: Text = Field(title="账号")


class ReplenishmentAgreementData(DocumentData):
    place: Optional[Text] = Field(None, title="签订地点")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="主承保公司")
    policy: Policy = Field(title="保险单")
    contract_price: Optional[Money] = Field(None, title="承揽工程签约合同价（元）")
    account: Account = Field(title="保障基金专用账户")
    uses: list[FundUse] = Field(default_factory=list, title="已使用的保障基金（先行维修）")
    pay_by: Optional[IsoDate] = Field(None, title="约定补足日期", description="须在保险期限开始前；不填则写明保险期限开始前")
    extra_terms: list[Text] = Field(default_factory=list, title="其他约定")


def _start(job: Job):
    return derived.event_date(job.pack, derived.milestones(job.model.project), "liability-start")


def derive(job: Job) -> dict:
    data, pack, doc = job.model, job.pack, job.mandate.document
    total = sum((u.amount for u in data.uses or [] if u is not None and u.amount is not None), Decimal(0))
    ratio = derived.find_parameter(pack, "guarantee-fund-ratio")
    cap = derived.find_parameter(pack, "guarantee-fund-use-cap")
    fund = derived.times(data.contract_price, Decimal(str(ratio.amount.value))) if ratio else None
    return {
        "headings": {"replenishment": derived.heading(doc, ("replenishment",), "先行维修使用的保障基金费用由建设单位补足"),
                     "deadline": derived.heading(doc, ("deadline",), "保险期限开始前补足到位")},
        "cover_start": _start(job),
        "used_total": total, "used_upper": derived.rmb_upper(total),
        "fund": fund,
        "fund_rule": f"{ratio.title}：{ratio.amount.describe()}（{ratio.basis}，{ratio.cite}）" if ratio else None,
        "cap": fund * Decimal(str(cap.amount.value)) if fund is not None and cap else None,
        "cap_rule": f"{cap.title}：{cap.amount.describe()}（{cap.basis}，{cap.cite}）" if cap else None,
        "agreement_rule": derived.joined(derived.quoted(pack, "fund-replenishment-agreement")),
        "deduction_rule": derived.joined(derived.quoted(pack, "guarantee-fund-deduction")),
        "signatories": [{"role": role, "name": party.name} for role, party in
                        (("甲方（建设单位）", data.project.developer if data.project else None),
                         ("乙方（主承保公司）", data.insurer)) if party is not None],
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    return cover_start_requirements(job.pack, job.model.project)


def rules(job: Job):
    data, rule, start = job.model, derived.find_deadline(job.pack, REPLENISH), _start(job)
    if rule and start and data.pay_by and data.pay_by >= start:
        return [refuse(job.pack, rule.id, rule.cite, f"先行维修使用的保障基金费用由建设单位在保险期限开始前补足到位；"
                                                     f"保险期限开始于{derived.cn_date(start)}，约定补足日期为"
                                                     f"{derived.cn_date(data.pay_by)}")]
    return []


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.plain("甲方（建设单位）：{{ project.developer.name }}")
    b.plain("乙方（主承保公司）：{{ insurer.name }}")
    b.para("{{ project.name }}（项目地址：{{ project.address }}）由甲方投保住宅工程质量潜在缺陷保险，乙方为主承保公司"
           "（保险单号：{{ policy.number }}）。{% if agreement_rule %}{{ agreement_rule }}。{% endif %}{{ doc.basis }}，"
           "甲乙双方约定如下：")
    b.clause("一、", "{{ headings.replenishment }}",
             "保险期限开始前，业主依据基金使用细则使用保障基金先行维修的，先行维修使用的保障基金费用由甲方补足至保障基金专用账户"
             "（户名：{{ account.name }}；开户银行：{{ account.bank }}；账号：{{ account.number }}）。补足金额以乙方出具的"
             "保障基金使用清单（附维修事项、维修单位和费用凭证）为准。"
             "{% if uses %}截至本约定签订之日，已使用保障基金{{ uses|length }}笔，合计{{ used_total|yuan }}"
             "（大写：人民币{{ used_upper }}），明细见下表。{% endif %}")
    with b.when("uses"):
        b.table([("序号", 14, "{{ loop.index }}"), ("日期", 34, "{{ u.date }}"), ("维修事项", 72, "{{ u.item }}"),
                 ("金额", 36, "{{ u.amount|yuan }}")], "uses", "u")
    b.clause("二、", "{{ headings.deadline }}",
             "本项目保险期限自{{ cover_start }}开始。甲方应{% if pay_by %}于{{ pay_by }}前{% else %}在保险期限开始（{{ cover_start }}）前"
             "{% endif %}将上述费用及此后至保险期限开始前新发生的先行维修费用补足到位；乙方应在收到款项后书面确认。")
    b.clause("三、", "施工单位责任的扣除", "{% if deduction_rule %}{{ deduction_rule }}。{% endif %}"
             "甲方补足的保障基金属于施工单位责任的，由甲方依照施工合同向施工单位追偿或从工程质量保证金中扣除，不影响甲方按本约定补足。")
    b.clause("四、", "保障基金",
             "{% if fund_rule %}{{ fund_rule }}{% if fund %}，本项目按签约合同价{{ contract_price|yuan }}"
             "计为{{ fund|yuan }}{% endif %}。"
             "{% endif %}{% if cap_rule %}{{ cap_rule }}{% if cap %}，本项目为{{ cap|yuan }}{% endif %}。{% endif %}"
             "保障基金的使用依照基金使用细则办理。")
    with b.when("extra_terms"):
        b.heading("五、其他约定")
        b.numbered("extra_terms", "{{ t }}", "t")
    b.para("本约定自双方盖章之日起生效，一式两份，双方各执一份。")
    b.signing()


TYPE = DocumentType(
    id="fund-replenishment-agreement",
    title="保障基金补足书面约定",
    summary="建设单位与主承保公司约定：先行维修使用的保障基金费用由建设单位在保险期限开始前补足至保障基金专用账户",
    model=ReplenishmentAgreementData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="pre-cover",
    required=("project.developer.name", "insurer.name", "account.number", "cover_start"),
)
