"""住宅工程质量潜在缺陷保险合同 (SH 第六条, HZ 第七条, BJ 第十条, JY 第八条, JX 三（六）): the contract
between the developer and the insurer (or co-insurers). Its clauses are composed from the pack, so each
city's contract carries what its regulation asks, headed by the pack's own element titles and worded so
that the pack's clause requirements for insurance contracts are met (each in one numbered clause): the
insured object, scopes (basic and additional), each scope's period and the cover start, the sum insured,
the deductible, the premium (base × rate, paid as the pack says, with the risk-management fee where it is
part of it), co-insurance, risk management and the attachments, the claims service standards, emergency
repairs, disputes, changes, subrogation.

Refused: a rate under the pack's floor, a fee over a mandatory bound, co-insurance short of the pack's
structure (or missing where it is the rule), a deductible where the pack forbids one, a period shorter
than the pack's. Warned: a contract signed after the milestone the pack says it must precede.
Required where the pack leaves it to the contract: the scopes (SH), each minimum period (HZ additional,
JY), the cover start (JY), the emergency-repair time (BJ)."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import (act_before, coinsurance_structure, premium_rate_floor, refuse, risk_management_fee, scope_periods,
                     warn)
from ..schemas import DocumentData, Insurer, Percent, Policy, Project, Text
from . import DocumentType, Job
from .coinsurance_agreement import Coinsurer, PremiumTerms


class InsuranceContractData(DocumentData):
    place: Optional[Text] = Field(None, title="签订地点")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="保险人（共保的为主承保或牵头保险公司）")
    lead_share: Optional[Percent] = Field(None, title="主承保（牵头）公司承保份额（%）")
    followers: list[Coinsurer] = Field(default_factory=list, title="共保体其他承保公司")
    policy: Policy = Field(title="保险单")
    premium: PremiumTerms = Field(title="保险费与保险金额")
    risk_management_fee: Optional[Percent] = Field(None, title="风险管理费用（占保险费%）")
    liability_start: Optional[Text] = Field(None, title="保险责任开始时间（合同约定）",
                                            description="规定未明确时必填，如 自竣工验收备案之日起满1年之日")
    additional_start: Optional[Text] = Field(None, title="附加险保险责任开始时间")
    deductible: Optional[Text] = Field(None, title="免赔额约定", description="不设免赔额的不填")
    service_standards: list[Text] = Field(min_length=1, title="理赔服务标准（受理、查勘、核定、维修等）")
    emergency_repair: Optional[Text] = Field(None, title="影响基本生活的索赔先行维修时限", description="如 收到索赔申请后24小时内")
    dispute: Literal["仲裁", "诉讼"] = Field(title="争议解决方式（仲裁/诉讼）")
    arbitration_commission: Optional[Text] = Field(None, title="仲裁委员会")
    extra_terms: list[Text] = Field(default_factory=list, title="其他约定")

    @model_validator(mode="after")
    def _consistent(self) -> "InsuranceContractData":
        if self.dispute == "仲裁" and not self.arbitration_commission:
            raise ValueError("约定仲裁的，请写明仲裁委员会（arbitration_commission）")
        shares = [self.lead_share, *(f.share for f in self.followers or [] if f is not None)]
        if self.followers and None not in shares and sum(shares) != Decimal(100):
            raise ValueError(f"各承保公司的承保份额合计应为100%，现为{derived.plain(sum(shares))}%")
        return self


def _deductible_rule(pack) -> Optional[str]:
    """'forbidden' (HZ 不得设置), 'basic-free' (BJ 基本险不计), None (the pack says nothing)."""
    param = next((p for p in pack.parameters if p.category == "deductible"), None)
    if param is None or not param.text:
        return None
    return "forbidden" if "不得" in param.text else "basic-free" if "不计免赔额" in param.text else None


def _clauses(job: Job) -> list[dict]:
    data, pack, doc = job.model, job.pack, job.mandate.document
    elements = {e.id for e in doc.elements} if doc else set()
    term = derived.period_term(doc, pack)
    tiers = {s.title: s.tier for s in pack.coverage.scopes}
    rows = derived.scope_rows(pack, data.policy.scopes if data.policy else [])
    extra = [r for r in rows if tiers.get(r["title"]) == "additional" or "附加" in (r["title"] or "")]
    basic = [r for r in rows if r not in extra]
    project, premium = data.project, data.premium
    start = pack.coverage.start
    agreed = data.liability_start or (derived.liability_start_rule(pack) if start.offset.specified else "按保险单约定")
    start_rule = f"保险责任开始时间：{agreed}；依照规定，{derived.clean_quote(start.quote)}（{start.cite}）"
    claims = derived.claim_context(job.pack, data.insurer)
    lead_term, follower_term = derived.coinsurance_terms(job.pack)
    amount = derived.times(premium.base, premium.rate) if premium else None
    found = []

    def add(ids, default, *parts, when=True):
        """A clause headed by the pack's element title (the periods' without its parenthetical summary)."""
        text = "".join(p for p in parts if p)
        heading = derived.heading(doc, ids, default)
        if when and text:
            found.append({"heading": derived.strip_parenthetical(heading) if "coverage-periods" in ids else heading,
                          "body": text})

    add(("buildings-covered",), "保险标的",
        f"本合同的保险标的为{project.name}（项目地址：{project.address}）" if project else None,
        "，保险合同涵盖投保项目范围内的所有建筑物。",
        _rules("依照规定，", derived.quoted(pack, "one-project-one-policy", "one-policy-per-permit", "covered-buildings")))
    add(("coverage-scope", "basic-and-additional"), "保险范围",
        f"在{term}内，因工程质量潜在缺陷造成下列损坏的，由保险人依照本合同负责维修或赔偿：",
        "；".join(f"{r['title']}：{r['contents']}" for r in rows if r["contents"]) or "按保险条款约定", "。",
        f"其中，{'、'.join(r['title'] for r in basic)}为基本险，{'、'.join(r['title'] for r in extra)}为附加险。"
        if basic and extra else None,
        _rules("", derived.quoted(pack, "basic-and-additional-required", "basic-scope-standard")))
    periods = "；".join(f"{r['title']}的{term}为{r['period']}" for r in rows)
    merged = "coverage-periods" in elements and "liability-start" not in elements
    add(("coverage-periods",), term, f"各项{term}：{periods}。" if periods else f"各项{term}按保险单约定。",
        f"各项{term}自保险责任开始之日起计算。{start_rule}。" if merged else None)
    add(("liability-start",), "保险责任开始时间", f"{start_rule}。",
        _rules("", [line for line in derived.provision_quotes(pack, ("warranty",), ("保险责任开始",))]), when=not merged)
    extra_text = "；".join(f"{r['title']}（{r['contents']}），{term}{r['period']}" for r in extra)
    add(("additional-cover-terms",), "附加险",
        f"附加险的保险范围、{term}和保险责任开始时间：" + (
            f"{extra_text}；保险责任开始时间为{data.additional_start or '按保险单约定'}。" if extra else
            "投保人投保附加险的，附加险的具体保险范围、保险期间和保险责任开始时间在附加险条款中约定，作为本合同的组成部分。"),
        when="additional-cover-terms" in elements)
    add((), "保险责任",
        f"在{term}内，因工程质量潜在缺陷造成保险范围内的房屋损坏，由保险人依照本合同的约定履行维修或赔偿责任。",
        _rules("", derived.provision_quotes(pack, ("claims", "warranty"), ("履行维修或赔偿责任", "理赔保修义务", "实际修复"))))
    add((), "责任免除", claims["exclusions_text"] if claims["exclusions_text"] != "以保险合同约定为准"
        else f"责任免除以本合同所附保险条款为准（{pack.city}的规定未列明除外责任）", "。")
    add(("sum-insured",), "保险金额",
        f"本合同保险金额为{derived.yuan(premium.sum_insured)}（大写：人民币{derived.rmb_upper(premium.sum_insured)}），"
        "为保险人在本保险单项下承担的最大赔偿限额。" if premium and premium.sum_insured else None,
        _rules("依照规定，", derived.quoted(pack, "indemnity-limit")))
    rule = _deductible_rule(pack)
    add(("deductible", "no-deductible"), "免赔额",
        "本合同不设免赔额。" if rule == "forbidden" else
        f"基本险不计免赔额；附加险免赔额：{data.deductible or '不设免赔额'}。" if rule == "basic-free" else
        f"免赔额：{data.deductible}。" if data.deductible else f"本合同不设免赔额（{pack.city}的规定未规定免赔额）。",
        _rules("依照规定，", derived.quoted(pack, "deductible")))
    payment = derived.quoted(pack, "premium-payment")
    fee_bound = next((p for p in pack.parameters if p.id.startswith("risk-management-fee-max") and p.amount), None)
    add(("premium",), "保险费",
        f"保险费计算基数为{premium.base_label or _base_label(pack)}{derived.yuan(premium.base)}，"
        f"保险费率{derived.pct(premium.rate)}，"
        f"保险费为{derived.yuan(amount)}（大写：人民币{derived.rmb_upper(amount)}）。" if premium else None,
        "投保人应于签订本合同时一次性支付保险费，保险人收到全额保险费后签发保险单。" if payment else
        "投保人按保险单约定的时间支付保险费。",
        f"保险费中含风险管理费用{derived.yuan(derived.times(amount, data.risk_management_fee))}，占保险费的"
        f"{derived.pct(data.risk_management_fee)}（{fee_bound.title}：{fee_bound.amount.describe()}，{fee_bound.cite}）。"
        if fee_bound and data.risk_management_fee is not None else None,
        _rules("依照规定，", payment + derived.quoted(pack, "premium-base")))
    members = [f for f in data.followers or [] if f is not None and f.insurer]
    add(("coinsurance",), "共同保险",
        f"本合同采取共保模式承保，共保体由{lead_term}{data.insurer.name}和{follower_term}"
        f"{'、'.join(f.insurer.name for f in members)}组成；{lead_term}{data.insurer.name}的承保份额为"
        f"{derived.pct(data.lead_share)}，" + "，".join(f"{f.insurer.name}的承保份额为{derived.pct(f.share)}" for f in members)
        + f"。各承保公司按承保份额承担保险责任，{lead_term}代表共保体签发保险单、统一提供理赔服务。" if members else None,
        _rules("依照规定，", derived.provision_quotes(pack, ("underwriting",), ("共保",))), when=bool(members))
    attachments = [f"《{d.title}》" for d in pack.documents if "附件" in f"{d.issuer}{d.recipient}{d.when}"]
    add((), "风险管理", _rules("", derived.provision_quotes(pack, ("risk-management",), ("签订之后", "签订后", "签订保险合同前"))),
        "建设单位应配合保险人及其委托的风险管理机构开展工程质量风险管理，按规定整改检查发现的质量缺陷。")
    add(("attachments",), "合同附件",
        f"下列文件经投保人确认后作为本合同的附件，与本合同具有同等效力：{''.join(attachments)}。" if attachments else None,
        _rules("依照规定，", derived.quoted(pack, "contract-attachments")))
    add(("claims-service-standards", "service-standards"), "理赔服务标准",
        f"在本合同约定的{term}内（{periods}），保险人按以下标准提供理赔受理、现场查勘、索赔核定、理赔维修等服务："
        if periods else "理赔受理、现场查勘、索赔核定、理赔维修等服务标准：", "；".join(data.service_standards or []), "。",
        f"依照规定：{'；'.join(derived.claim_steps(pack))}。" if derived.claim_steps(pack)
        else f"{pack.city}的规定未规定理赔时限，以上服务标准由双方约定。",
        f"{claims['hotline_text']}。" if claims["hotline_text"] else None)
    emergency = derived.find_deadline(pack, "emergency-repair")
    add(("emergency-repair-time",), "应急维修",
        f"对于影响基本生活且属于保险责任范围内的索赔申请，保险人在{data.emergency_repair}先行组织维修，同时完成现场查勘。"
        if data.emergency_repair else None, _rules("依照规定，", derived.quoted(pack, "emergency-repair")),
        when=emergency is not None or "emergency-repair-time" in elements)
    venue = (f"提交{data.arbitration_commission}仲裁" if data.dispute == "仲裁" and data.arbitration_commission
             else "依法向保险标的所在地有管辖权的人民法院提起诉讼")
    add(("dispute-resolution", "report-dispute-method"), "争议解决",
        _rules("依照规定，", derived.provision_quotes(pack, ("dispute",))),
        f"因本合同发生的争议，包括保险人与投保人就评估报告中工程质量缺陷认定、质量缺陷和保险责任认定发生的争议，"
        f"双方协商解决；协商不成的，{venue}。")
    add((), "合同的变更与解除", _rules("", derived.quoted(
        pack, "contract-change-consent", "no-unilateral-termination", "no-maintenance-deposit",
        "no-property-warranty-deposit", "developer-insolvency", "ownership-transfer")))
    add((), "代位追偿", _rules("", derived.provision_quotes(pack, ("subrogation",))))
    add((), "其他约定", "；".join(data.extra_terms or []), "。", when=bool(data.extra_terms))
    for no, clause in enumerate(found, 1):
        clause["no"] = derived.cn_ordinal(no)
    return found


def _rules(prefix: str, lines: list[str]) -> Optional[str]:
    return f"{prefix}{'；'.join(lines)}。" if lines else None


def _base_label(pack) -> str:
    base = derived.find_parameter(pack, "premium-base")
    return base.text if base and base.text else ""


def derive(job: Job) -> dict:
    data = job.model
    lead_term, follower_term = derived.coinsurance_terms(job.pack)
    insurers = [(lead_term if data.followers else "保险人", data.insurer)] + [
        (follower_term, f.insurer) for f in data.followers or [] if f is not None]
    insurers = [{"role": role, "name": i.name} for role, i in insurers if i is not None]
    developer = data.project.developer.name if data.project and data.project.developer else None
    return {"clauses": _clauses(job), "insurers": insurers,
            "signatories": [{"role": "投保人（被保险人）", "name": developer}, *insurers]}


def requirements(job: Job) -> list[tuple[str, str]]:
    data, pack, problems = job.model, job.pack, []
    given = {t.scope: t for t in (data.policy.scopes if data.policy else []) if t is not None and t.scope}
    if not pack.coverage.scopes and not (data.policy and data.policy.scopes):
        problems.append(("policy.scopes", f"{pack.city}的规则包未列承保范围与保险期限（{pack.coverage.note}），请按合同写明"))
    for scope in pack.coverage.scopes:
        if scope.period.specified and scope.period.bound == "min" and scope.id not in given:
            problems.append(("policy.scopes", f"请写明{scope.title}的保险期限（{scope.period.describe()}，{scope.cite}）："
                                              f"scope: {scope.id}, years: …"))
    if not pack.coverage.start.offset.specified and not data.liability_start:
        problems.append(("liability_start", f"{pack.city}的规定未给出保险责任开始时间（{pack.coverage.start.offset.note}，"
                                            f"{pack.coverage.start.cite}），请按合同约定写明"))
    emergency = derived.find_deadline(pack, "emergency-repair")
    if emergency is not None and not data.emergency_repair:
        problems.append(("emergency_repair", f"{emergency.title}的时限由保险合同约定（{emergency.cite}），请写明"))
    if data.premium is not None and data.premium.sum_insured is None:
        problems.append(("premium.sum_insured", "请写明保险金额（保险人承担的最大赔偿限额）"))
    return problems


def rules(job: Job):
    data, pack = job.model, job.pack
    findings = scope_periods(pack, data.policy.scopes if data.policy else [])
    if data.premium:
        findings += premium_rate_floor(pack, data.premium.rate, data.project.housing_type if data.project else None)
    findings += risk_management_fee(pack, data.risk_management_fee)
    followers = [f for f in data.followers or [] if f is not None]
    if followers:
        findings += coinsurance_structure(pack, data.lead_share, len(followers))
    mandatory = derived.find_provision(pack, "coinsurance-mandatory")
    if mandatory and not followers:  # in a draft, a gap to fill rather than a breach
        findings.append((warn if job.draft else refuse)(pack, mandatory.id, mandatory.cite,
                                                        f"{derived.clean_quote(mandatory.quote)}；本合同未列共保体的其他承保公司"))
    forbidden = next((p for p in pack.parameters if p.category == "deductible"), None)
    if _deductible_rule(pack) == "forbidden" and data.deductible:
        findings.append(refuse(pack, forbidden.id, forbidden.cite, f"{derived.clean_quote(forbidden.quote)}；本合同约定了免赔额"
                                                                   f"（{data.deductible}）"))
    signing = derived.find_deadline(pack, "contract-signing")
    milestones = derived.milestones(data.project)
    if signing and signing.anchor in milestones:
        findings += act_before(pack, signing.id, data.date, milestones[signing.anchor], "本合同签订日期")
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.plain("投保人（被保险人）：{{ project.developer.name }}")
    with b.each("s", "insurers"):
        b.plain("{{ s.role }}：{{ s.name }}")
    b.plain("保险单号：{{ policy.number }}")
    b.para("投保人就{{ project.name }}（项目地址：{{ project.address }}）向保险人投保住宅工程质量潜在缺陷保险。{{ doc.basis }}，"
           "双方在平等自愿的基础上订立本合同，条款如下：")
    with b.each("c", "clauses"):
        b.clause("{{ c.no }}、", "{{ c.heading }}", "{{ c.body }}")
    b.para("本合同自各方盖章之日起成立，保险人收到全额保险费后签发保险单。本合同一式{{ signatories|length }}份，各方各执一份。")
    b.signing()


TYPE = DocumentType(
    id="insurance-contract",
    title="住宅工程质量潜在缺陷保险合同",
    summary="建设单位与保险公司（共保体）的保险合同：保险标的、范围、期间及起算、保险金额、免赔额、保险费、共保、风险管理与附件、理赔服务标准、争议解决",
    model=InsuranceContractData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="underwriting",
    checked_as="insurance-contract",
    markers={"coverage-periods": "保险期"},  # the heading drops the pack's parenthetical (“不少于10年” reads as a negation)
    required=("clauses", "signatories", "insurers", "project.developer.name", "policy.number"),
)
