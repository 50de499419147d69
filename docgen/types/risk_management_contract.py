"""风险管理委托合同 (HZ 第十一条, BJ 第十八条, SH 第七条（一）): the insurer engages a risk-management
body in writing. The services are the reports and checks the pack gives the body; the rights and
duties of each side are the pack's own (quoted with their articles: the insurer's risk-management
duties, the body's, those of both) plus the usual contractual ones; the fee is checked against the
pack's bounds and stated with them; the body's independence is a term.

When the contract is signed depends on the pack: before the insurance contract (SH), after it (HZ, BJ).
Refused: a fee outside a mandatory bound (BJ ≤30% of the premium); a risk manager that is a participant.
Warned: a fee under a guidance bound (HZ 参照不低于15%); a contract signed on the wrong side of the
insurance contract."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import independence, risk_management_fee, warn
from ..schemas import DocumentData, Insurer, IsoDate, Money, Organisation, Part, Percent, Person, Policy, Project, Text
from . import DocumentType, Job

ORDER = {"签订保险合同前": "before", "合同签订后": "after", "合同签订之后": "after"}


class Fee(Part):
    premium: Optional[Money] = Field(None, title="保险费（元）")
    percent: Optional[Percent] = Field(None, title="风险管理费用（占保险费%）")
    amount: Optional[Money] = Field(None, title="风险管理费用（元）")
    first_payment: Optional[Money] = Field(None, title="首期费用（元）")
    schedule: list[Text] = Field(default_factory=list, title="支付节点")

    @model_validator(mode="after")
    def _given(self) -> "Fee":
        if self.percent is None and self.amount is None:
            raise ValueError("风险管理费用请写明比例（percent）或金额（amount）")
        return self

    def share(self) -> Optional[Decimal]:
        """The fee as a percentage of the premium, given or computed."""
        if self.percent is not None:
            return self.percent
        if self.amount is not None and self.premium:
            return (self.amount * 100 / self.premium).quantize(Decimal("0.01"))
        return None


class RiskManagementContractData(DocumentData):
    place: Optional[Text] = Field(None, title="签订地点")
    project: Project = Field(title="项目")
    insurer: Insurer = Field(title="委托方（保险公司）")
    risk_manager: Organisation = Field(title="受托方（风险管理机构）")
    policy: Optional[Policy] = Field(None, title="保险单（已签发的）")
    insurance_signed_on: Optional[IsoDate] = Field(None, title="保险合同签订日期（已签订或计划签订）")
    services: list[Text] = Field(default_factory=list, title="其他服务内容")
    staff: list[Person] = Field(min_length=1, title="项目负责人及风控人员")
    fee: Fee = Field(title="风险管理费用")
    term: Text = Field(title="服务期限", description="如 自本合同签订之日起至最终评估报告出具且保险公司审核完毕之日止")
    extra_terms: list[Text] = Field(default_factory=list, title="其他约定")


def _order(pack) -> Optional[tuple[str, str, object]]:
    """Whether the pack wants this contract before or after the insurance contract, and where it says so."""
    for p in pack.provisions:
        if p.category == "risk-management" and "风险管理" in p.quote:
            for words, order in ORDER.items():
                if words in p.quote:
                    return order, words, p
    return None


def derive(job: Job) -> dict:
    data, pack, doc = job.model, job.pack, job.mandate.document
    order = _order(pack)
    duties = derived.duties_of(pack, "保险公司", "风险管理机构", categories=("risk-management", "platform"),
                                deadline_words=("风险", "交底", "报告", "检查"),
                                skip=("rmo-independence", *([order[2].id] if order else [])))
    fee = data.fee
    bounds = [f"{p.title}：{p.amount.describe()}（{p.basis or '保险费'}，{p.cite}"
              f"{'，参照标准' if p.binding == 'guidance' else ''}）" if p.amount else f"{p.title}：{p.text}（{p.cite}）"
              for p in pack.parameters if p.category == "risk-management"]
    authorization = next((d for d in pack.documents if d.id == "risk-management-authorization"), None)
    return {
        "headings": {"rights": derived.heading(doc, ("rights-and-obligations", "rights-obligations"), "双方的权利和义务")},
        "engagement_rule": f"{derived.clean_quote(order[2].quote)}（{order[2].cite}）" if order else None,
        "reports": [f"《{d.title}》（{d.cite}）" for d in pack.documents if d.issuer.startswith("风险管理机构")],
        "checks": [f"{derived.clean_quote(p.quote)}（{p.cite}）" for p in pack.parameters if p.category == "inspection"],
        "insurer_duties": duties["first"], "manager_duties": duties["second"], "mutual_duties": duties["both"],
        "authorization": f"《{authorization.title}》（{authorization.cite}）" if authorization else None,
        "fee_share": fee.share() if fee else None,
        "fee_amount": (fee.amount if fee and fee.amount is not None else derived.times(fee.premium, fee.percent))
        if fee else None,
        "fee_bounds": derived.joined(bounds),
        "independence_text": derived.joined(derived.quoted(pack, "rmo-independence")),
        "signatories": [{"role": role, "name": party.name} for role, party in
                        (("甲方（委托方）", data.insurer), ("乙方（受托方）", data.risk_manager)) if party is not None],
    }


def rules(job: Job):
    data, pack = job.model, job.pack
    findings = independence(job.pack, data.risk_manager, data.project)
    findings += risk_management_fee(pack, data.fee.share() if data.fee else None)
    order, signed = _order(pack), data.insurance_signed_on
    if order and signed and data.date:
        kind, words, provision = order
        if (kind == "before" and data.date > signed) or (kind == "after" and data.date < signed):
            findings.append(warn(pack, provision.id, provision.cite,
                                 f"风险管理合同应在保险合同{'签订前' if kind == 'before' else '签订后'}签订；本合同日期为"
                                 f"{derived.cn_date(data.date)}，保险合同签订日期为{derived.cn_date(signed)}"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.plain("甲方（委托方）：{{ insurer.name }}")
    b.plain("乙方（受托方）：{{ risk_manager.name }}")
    b.para("甲方承保{{ project.name }}（项目地址：{{ project.address }}；建设单位：{{ project.developer.name }}）住宅工程质量"
           "潜在缺陷保险{% if policy %}（保险单号：{{ policy.number }}）{% endif %}，委托乙方对保险责任内容实施工程质量风险管理。"
           "{% if engagement_rule %}{{ engagement_rule }}。{% endif %}{{ doc.basis }}，双方订立本合同。")
    b.heading("一、服务内容")
    b.para("乙方按照有关法律、法规、技术标准和本合同约定，对本项目的工程质量潜在缺陷风险实施辨识、分析、评估和报告，"
           "提出处理建议并跟踪整改销项{% if checks %}；{% for c in checks %}{{ c }}{% if not loop.last %}；{% endif %}"
           "{% endfor %}{% endif %}{% if reports %}；编制并提交"
           "{% for r in reports %}{{ r }}{% if not loop.last %}、{% endif %}"
           "{% endfor %}{% endif %}。")
    b.numbered("services", "{{ s }}", "s")
    b.heading("二、{{ headings.rights }}")
    b.heading2("（一）甲方的权利和义务")
    b.para("甲方按本合同约定支付风险管理费用，向乙方提供保险合同及所需工程资料{% if authorization %}，"
           "出具{{ authorization }}{% endif %}；甲方有权审核乙方的工作成果，对乙方的工作质量进行考核评价。"
           "{% for d in insurer_duties %}{{ d }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.heading2("（二）乙方的权利和义务")
    b.para("乙方按本合同配备项目负责人和风控人员，按时提交工作成果，如实报告发现的质量风险，对工作中知悉的商业秘密保密，"
           "不得将本合同转包；乙方有权查阅与风险管理有关的工程资料、进入施工现场开展检查。"
           "{% for d in manager_duties %}{{ d }}{% if not loop.last %}；{% endif %}{% endfor %}"
           "{% if manager_duties %}。{% endif %}")
    with b.when("mutual_duties"):
        b.heading2("（三）双方共同遵守的规定")
        b.para("{% for d in mutual_duties %}{{ d }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.clause("三、", "风险管理费用",
             "本合同风险管理费用{% if fee_amount %}为{{ fee_amount|yuan }}（大写：人民币{{ fee_amount|rmb_upper }}）{% endif %}"
             "{% if fee_share %}，占保险费的{{ fee_share|pct }}{% endif %}"
             "{% if fee.first_payment %}；首期费用{{ fee.first_payment|yuan }}，于本合同签订后支付{% endif %}"
             "{% if fee.schedule %}；支付节点：{% for s in fee.schedule %}{{ s }}{% if not loop.last %}；{% endif %}"
             "{% endfor %}{% endif %}。{% if fee_bounds %}规定：{{ fee_bounds }}。{% endif %}")
    b.heading("四、项目人员")
    b.table([("序号", 14, "{{ loop.index }}"), ("姓名", 30, "{{ p.name }}"), ("职务（角色）", 72, "{{ p.title or '—' }}"),
             ("联系电话", 40, "{{ p.phone or '—' }}")], "staff", "p")
    b.clause("五、", "独立性",
             "{% if independence_text %}{{ independence_text }}。{% endif %}乙方保证与本项目的建设、勘察、设计、施工、监理单位"
             "及材料设备供应单位不存在隶属、关联关系或其他利害关系；违反的，甲方有权解除本合同。")
    b.clause("六、", "服务期限", "{{ term }}。")
    with b.when("extra_terms"):
        b.heading("七、其他约定")
        b.numbered("extra_terms", "{{ t }}", "t")
    b.para("本合同未尽事宜由双方协商解决；协商不成的，依法向甲方所在地有管辖权的人民法院提起诉讼。本合同自双方盖章之日起生效，"
           "一式两份，双方各执一份。")
    b.signing()


TYPE = DocumentType(
    id="risk-management-contract",
    title="风险管理委托合同",
    summary="保险公司与风险管理机构的书面委托合同：服务内容、双方的权利和义务、风险管理费用（按规则包核对比例）、人员、独立性、期限",
    model=RiskManagementContractData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="underwriting",
    markers={"fee": "风险管理费用"},
    required=("insurer.name", "risk_manager.name", "staff", "fee", "term"),
)
