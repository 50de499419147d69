"""保险告知书 / 用户告知书: the notice to each owner of what is insured, for how long, from when,
how to claim, who handles claims and the owner's duties (SH 第七条（五）, HZ 第十四条,
BJ 第十三条, JY 第十条). One per owner when generated in bulk (owner name and house number)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import cover_requirements, scope_periods
from ..schemas import InsuredData, Owner
from . import DocumentType, Job


class OwnerNoticeData(InsuredData):
    owner: Optional[Owner] = Field(None, title="业主")


def derive(job: Job) -> dict:
    data, doc = job.model, job.mandate.document
    owner = data.owner
    greeting = "尊敬的业主："
    if owner is not None and owner.name:
        greeting = f"尊敬的{owner.name}" + (f"（{owner.unit}）" if owner.unit else "") + "："
    return {
        "greeting": greeting,
        "coverage": derived.coverage(job.pack, data.project, data.policy, derived.period_term(doc)),
        "claims": derived.claim_context(job.pack, data.insurer),
        "headings": {
            "claim_process": derived.heading(doc, ("claim-process",), "保险理赔流程"),
            "claims_contact": derived.heading(doc, ("claims-contact",), "负责保险理赔工作的单位及其联系方式"),
            "owner_duties": derived.heading(doc, ("owner-duties", "owner-change-duty"), "业主的通知义务"),
        },
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    return cover_requirements(job.pack, job.model.project, job.model.policy)


def rules(job: Job):
    return scope_periods(job.pack, job.model.policy.scopes if job.model.policy else [])


def spec(b: TemplateBuilder) -> None:
    b.masthead()
    b.addressee("{{ greeting }}")
    b.para("您所购买的{{ project.name }}{% if owner and owner.unit %}{{ owner.unit }}{% endif %}"
           "（项目地址：{{ project.address }}），由建设单位{{ project.developer.name }}向{{ insurer.name }}"
           "投保了工程质量潜在缺陷保险，保险单号为{{ policy.number }}。{{ doc.basis }}，现将有关事项告知如下：")
    b.clause("一、", "保险责任、保险范围、{{ coverage.period_term }}和保险责任开始时间",
             "保险责任：{{ coverage.liability }}。保险范围及{{ coverage.period_term }}：{{ coverage.scopes_text }}"
             "{% if coverage.additional_note %}；{{ coverage.additional_note }}{% endif %}。"
             "保险责任开始时间为{{ coverage.start }}，即{{ coverage.start_rule }}，"
             "各项{{ coverage.period_term }}自该日起计算。各项承保内容见下表。")
    b.table([("承保范围", 40, "{{ s.title }}"), ("承保内容", 88, "{{ s.contents }}"),
             ("{{ coverage.period_term }}", 28, "{{ s.period }}")], "coverage.scopes", "s")
    b.clause("二、", "{{ headings.claim_process }}",
             "业主在{{ coverage.period_term }}内发现房屋存在保险范围内的质量缺陷的，可向保险公司{{ insurer.name }}"
             "{% if claims.department %}（{{ claims.department }}）{% endif %}报案并提出索赔申请，"
             "报案电话：{{ claims.phone }}。理赔按以下流程和时限办理：{{ claims.steps_text }}。")
    b.clause("三、", "{{ headings.claims_contact }}",
             "负责保险理赔工作的保险公司：{{ insurer.name }}"
             "{% if claims.department %}；负责理赔工作的部门：{{ claims.department }}{% endif %}"
             "；联系电话：{{ claims.phone }}"
             "{% if insurer.address %}；地址：{{ insurer.address }}{% endif %}。"
             "{% if claims.hotline_text %}保险公司理赔服务要求：{{ claims.hotline_text }}。{% endif %}")
    b.clause("四、", "{{ headings.owner_duties }}",
             "业主发现房屋出现质量缺陷的，应当及时通知保险公司并报案，采取必要措施防止损失扩大；"
             "业主联系方式变更或房屋所有权转让、过户的，应当及时通知保险公司，并将本告知书告知受让人。")
    b.clause("五、", "除外责任", "{{ claims.exclusions_text }}。")
    b.clause("六、", "不予赔偿与争议处理",
             "{% if claims.denial_text %}{{ claims.denial_text }}。{% endif %}{{ claims.disputes_text }}。")
    b.clause("七、", "保险责任开始前的维修",
             "{% if claims.pre_cover_text %}{{ claims.pre_cover_text }}。"
             "{% else %}保险责任开始前出现的质量问题，由建设单位按照国家和地方有关规定负责保修。{% endif %}")
    b.closing("特此告知。", "{{ insurer.name }}")


TYPE = DocumentType(
    id="owner-notice",
    title="保险告知书",
    summary="致业主的保险告知书（用户告知书）：保险范围、期限、责任开始时间、理赔流程与联系方式、业主义务",
    model=OwnerNoticeData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="completion",
    checked_as="owner-notice",
    required=("insurer.name", "claims.phone", "coverage.scopes_text", "coverage.start", "claims.steps_text",
              "policy.number", "project.name"),
)
