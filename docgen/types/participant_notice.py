"""投保情况书面告知（致参建单位） (HZ 第十条, BJ 第九条): the developer tells the participating units in
writing that the project is insured — insurer (or co-insurers, in the pack's words), policy, scopes and
periods, when cover starts, the risk manager — and what they must do to cooperate with the insurer's
risk assessment: general duties, then the pack's own provisions binding participants (site access,
rectification, subrogation, liability not exempted), quoted with their articles.

Warned: a notice dated before the insurance contract it reports; no co-insurers where the pack makes
co-insurance the rule (BJ 第十五条)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder, person
from ..rules import mandate_warning, warn
from ..schemas import (DocumentData, Insurer, InsurerName, IsoDate, Money, Organisation, Person, Policy, Project, Text,
                       Unit)
from . import DocumentType, Job


PARTICIPANTS = ("参建单位", "施工单位", "监理单位", "监理等单位", "责任单位", "责任方")
GENERAL_DUTIES = (
    "指定配合风险管理工作的联系人，为保险公司及其委托的风险管理机构进入施工现场开展检查评估提供便利条件",
    "按风险管理机构的要求及时提供设计文件、施工组织设计和专项方案、隐蔽工程验收记录、材料进场检验和检测报告等工程资料",
    "参加风险管理交底会，对风险管理机构检查发现并经确认的质量缺陷按要求整改，提供整改前后对比照片、影像和整改情况说明",
    "发生质量事故或发现重大质量隐患时，及时报告建设单位，配合保险公司开展事故原因调查、联合查勘和证据保全",
)


class ParticipantNoticeData(DocumentData):
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险公司（共保的，为主承保或牵头保险公司）")
    coinsurers: list[InsurerName] = Field(default_factory=list, title="共保体其他承保公司")
    policy: Policy = Field(title="保险单")
    contract_signed_on: IsoDate = Field(title="保险合同签订日期")
    sum_insured: Optional[Money] = Field(None, title="保险金额（元）")
    risk_manager: Optional[Organisation] = Field(None, title="风险管理机构")
    recipients: list[Unit] = Field(min_length=1, title="相关参建单位")
    duties: list[Text] = Field(default_factory=list, title="其他配合义务")
    contact: Person = Field(title="建设单位联系人")


def derive(job: Job) -> dict:
    data, pack, doc = job.model, job.pack, job.mandate.document
    term = derived.period_term(doc, pack)
    rows = derived.scope_rows(pack, data.policy.scopes if data.policy else [])
    own = (derived.clean_quote(doc.quote),) if doc else ()
    rules = [f"依照规定，{line}" for line in derived.provision_quotes(
        pack, ("risk-management", "subrogation", "dispute"), PARTICIPANTS, exclude_actors=("风险管理机构",), exclude=own)]
    lead_term, follower_term = derived.coinsurance_terms(job.pack)
    return {
        "headings": {"details": derived.heading(doc, ("insurance-details",), "投保住宅工程质量潜在缺陷保险的相关情况"),
                     "duties": derived.heading(doc, ("cooperation-duties",), "参建单位配合保险公司开展工程质量风险评估工作的相关义务")},
        "period_term": term,
        "scopes_text": derived.scopes_sentence(rows, term) or "按保险合同约定",
        "start_rule": derived.liability_start_rule(pack),
        "lead_term": lead_term, "follower_term": follower_term,
        "duty_lines": [*GENERAL_DUTIES, *rules, *(data.duties or [])],
        "checks_text": derived.joined(f"{derived.clean_quote(p.quote)}（{p.cite}）" for p in pack.parameters
                                       if p.category == "inspection"),
        "copies": [x.name for x in (data.insurer, data.risk_manager) if x is not None and x.name],
    }


def rules(job: Job):
    data, pack, findings = job.model, job.pack, []
    if data.contract_signed_on and data.date and data.date < data.contract_signed_on:
        findings.append(mandate_warning(job.mandate, f"书面告知的是已投保的情况；本告知日期为{derived.cn_date(data.date)}，"
                                                      f"早于保险合同签订日期{derived.cn_date(data.contract_signed_on)}"))
    mandatory = derived.find_provision(pack, "coinsurance-mandatory")
    if mandatory and not data.coinsurers:
        findings.append(warn(pack, mandatory.id, mandatory.cite, f"{derived.clean_quote(mandatory.quote)}，"
                                                                 "本告知未列共保体的其他承保公司（coinsurers）"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{% for r in recipients %}{{ r.name }}{% if not loop.last %}、{% endif %}{% endfor %}：")
    b.para("本单位建设的{{ project.name }}（项目地址：{{ project.address }}）已于{{ contract_signed_on }}与保险公司签订"
           "住宅工程质量潜在缺陷保险合同。{{ doc.basis }}，现将投保情况书面告知贵单位，并明确贵单位的配合义务如下：")
    b.clause("一、", "{{ headings.details }}",
             "{% if coinsurers %}本项目采取共保模式承保，{{ lead_term }}为{{ insurer.name }}（联系电话：{{ insurer.phone }}），"
             "{{ follower_term }}为{% for c in coinsurers %}{{ c }}{% if not loop.last %}、{% endif %}{% endfor %}"
             "{% else %}承保的保险公司为{{ insurer.name }}（联系电话：{{ insurer.phone }}）{% endif %}；"
             "保险单号：{{ policy.number }}；保险合同签订日期：{{ contract_signed_on }}"
             "{% if sum_insured %}；保险金额：{{ sum_insured|yuan }}{% endif %}；保险范围及{{ period_term }}：{{ scopes_text }}；"
             "保险责任开始时间：{{ start_rule }}"
             "{% if risk_manager %}；保险公司委托的风险管理机构：{{ risk_manager.name }}"
             "{% if risk_manager.phone %}（联系电话：{{ risk_manager.phone }}）{% endif %}{% endif %}。")
    b.heading("二、{{ headings.duties }}")
    b.numbered("duty_lines", "{{ d }}。", "d")
    with b.when("checks_text"):
        b.para("风险管理机构的检查安排：{{ checks_text }}。")
    b.clause("三、", "联系方式",
             "本单位联系人：" + person("contact") + "。请贵单位收到本告知后签署回执，"
             "并将配合工作的联系人及联系方式告知本单位。")
    b.closing("特此告知。", "{{ project.developer.name }}", "（盖章）", copies=True)
    b.blank()
    b.plain("回执：")
    b.table([("参建单位", 66, "{{ r.name }}"), ("类别", 30, "{{ r.role }}"), ("签收人", 30, ""), ("签收日期", 30, "")],
            "recipients", "r")


TYPE = DocumentType(
    id="participant-notice",
    title="投保情况书面告知（致参建单位）",
    summary="建设单位致相关参建单位的书面告知：投保缺陷保险的相关情况、参建单位配合保险公司开展工程质量风险评估工作的义务",
    model=ParticipantNoticeData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    required=("recipients", "insurer.name", "policy.number", "scopes_text", "duty_lines"),
)
