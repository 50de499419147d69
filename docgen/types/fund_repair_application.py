"""保障基金先行维修书面申请 (HZ 第二十条): where, within the pack's period from the owner's first repair
claim (2 months), the developer has not agreed a repair plan with the owner and started the repair, the
owner may apply in writing to the lead insurer to have the repair done first out of the guarantee fund
under the fund's rules. The application dates the claim, the developer's duties and the end of the
period from the pack, and quotes the fund's purpose and limits.

Refused: an application where the developer has agreed a plan and started the repair (the condition
of 第二十条 does not hold). Warned: an application before the period has run out; a first claim outside
the time the fund covers (from the pack's start after delivery to the cover start)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import refuse, warn
from ..schemas import DocumentData, Insurer, IsoDate, Owner, Part, Policy, Project, Text
from . import DocumentType, Job

FIRST_REPAIR, INSPECTION, NOTIFY, FUND_START = ("fund-first-repair", "first-repair-inspection",
                                               "first-repair-notify-developer", "fund-complaint-start")


class RepairClaim(Part):
    claimed_on: IsoDate = Field(title="首次提出维修主张日期")
    location: Text = Field(title="质量问题部位")
    description: Text = Field(title="质量问题现象")
    inspected_on: Optional[IsoDate] = Field(None, title="建设单位派员现场查看日期")
    negotiation: Text = Field(title="与建设单位协商情况")
    agreed: bool = Field(False, title="是否已就维修方案达成一致")
    started: bool = Field(False, title="建设单位是否已启动维修")


class FundRepairApplicationData(DocumentData):
    owner: Owner = Field(title="申请人（业主）")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="主承保公司")
    policy: Policy = Field(title="保险单")
    claim: RepairClaim = Field(title="首次维修主张")
    requested: list[Text] = Field(min_length=1, title="申请先行维修的事项")
    attachments: list[Text] = Field(default_factory=list, title="附件")


def _dates(job: Job) -> dict:
    claim = job.model.claim
    milestones = derived.milestones(job.model.project, first_repair_claim=claim.claimed_on if claim else None)
    events = derived.events(job.pack, milestones)
    return {i: (events[i].date if i in events else None)
            for i in (FIRST_REPAIR, INSPECTION, NOTIFY, FUND_START, "liability-start")}


def derive(job: Job) -> dict:
    pack, dates = job.pack, _dates(job)
    rules = {i: derived.find_deadline(pack, i) for i in (FIRST_REPAIR, INSPECTION, NOTIFY)}
    cap = [f"{p.title}：{p.amount.describe()}（{p.basis}，{p.cite}）" for p in pack.parameters
           if p.category == "guarantee-fund" and p.amount and p.amount.bound == "max"]
    return {
        "window_end": dates[FIRST_REPAIR],
        "window_rule": derived.joined(derived.quoted(pack, FIRST_REPAIR)),
        "duties": [derived.deadline_duty(rules[i], dates[i]) for i in (NOTIFY, INSPECTION) if rules[i]],
        "fund_text": derived.joined(derived.quoted(pack, "guarantee-fund-use", "fund-substitute-repair") + cap),
        "fund_from": dates[FUND_START], "fund_until": dates["liability-start"],
    }


def rules(job: Job):
    data, pack, dates = job.model, job.pack, _dates(job)
    rule, claim, findings = derived.find_deadline(pack, FIRST_REPAIR), data.claim, []
    if rule is None or claim is None:
        return []
    if claim.agreed and claim.started:
        findings.append(refuse(pack, rule.id, rule.cite, "建设单位已就维修方案与业主达成一致意见并启动维修，"
                                                        "不符合申请使用保障基金先行维修的条件"))
    end, period = dates[FIRST_REPAIR], derived.deadline_period(rule, noted=True).removesuffix("内")
    if end and data.date and data.date < end:
        findings.append(warn(pack, rule.id, rule.cite, f"自首次维修主张当日起{period}"
                                                       f"（至{derived.cn_date(end)}）建设单位未达成维修方案并启动维修的，"
                                                       f"业主方可申请；本申请日期为{derived.cn_date(data.date)}"))
    start, until = dates[FUND_START], dates["liability-start"]
    if (start and claim.claimed_on < start) or (until and claim.claimed_on >= until):
        findings.append(warn(pack, FUND_START, derived.find_deadline(pack, FUND_START).cite,
                             f"保障基金用于交付后{derived.cn_date(start) if start else ''}起至保险期限开始"
                             f"{'（' + derived.cn_date(until) + '）' if until else ''}前的潜在缺陷维修保障；"
                             f"首次维修主张日期{derived.cn_date(claim.claimed_on)}不在该期间内"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead()
    b.addressee("{{ insurer.name }}：")
    b.para("申请人{{ owner.name }}系{{ project.name }}{% if owner.unit %}{{ owner.unit }}{% endif %}业主"
           "（保险单号：{{ policy.number }}）。"
           "{{ doc.basis }}，申请人就下列质量问题申请依据基金使用细则使用保障基金先行维修：")
    b.clause("一、", "首次维修主张",
             "{{ claim.claimed_on }}，申请人向保险公司提出首次维修主张：{{ claim.location }}出现{{ claim.description }}。"
             "依照规定：{% for d in duties %}{{ d }}{% if not loop.last %}；{% endif %}{% endfor %}。"
             "{% if claim.inspected_on %}建设单位于{{ claim.inspected_on }}派员现场查看。{% else %}建设单位未派员现场查看。{% endif %}")
    b.clause("二、", "建设单位未达成维修方案并启动维修的情况",
             "{{ claim.negotiation }}。{% if claim.agreed %}双方虽已就维修方案达成一致，建设单位未启动维修。"
             "{% elif claim.started %}建设单位未与申请人就维修方案达成一致意见。{% else %}综上，建设单位未与申请人就维修方案"
             "达成一致意见，亦未启动维修。{% endif %}{{ window_rule }}；本项维修主张的上述期间至{{ window_end }}届满。")
    b.heading("三、申请事项")
    b.para("请主承保公司依据基金使用细则，使用保障基金对下列事项先行维修：")
    b.numbered("requested", "{{ r }}", "r")
    b.clause("四、", "保障基金的使用",
             "{% if fund_text %}{{ fund_text }}。{% endif %}{% if fund_from and fund_until %}本项目保障基金的维修保障期间为"
             "{{ fund_from }}起至保险期限开始（{{ fund_until }}）前。{% endif %}申请人同意配合现场查看和维修，提供必要的入户条件。")
    with b.when("attachments"):
        b.plain("附件：{% for a in attachments %}{{ loop.index }}．{{ a }}{% if not loop.last %}；{% endif %}{% endfor %}")
    b.signature("申请人：{{ owner.name }}（签字）",
                "{% if owner.phone %}联系电话：{{ owner.phone }}{% endif %}")


TYPE = DocumentType(
    id="fund-repair-application",
    title="保障基金先行维修书面申请",
    summary="首次维修主张起2个月内建设单位未与业主达成维修方案并启动维修的，业主向主承保公司申请使用保障基金先行维修",
    model=FundRepairApplicationData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="claims",
    required=("owner.name", "claim.claimed_on", "window_end", "requested", "insurer.name"),
)
