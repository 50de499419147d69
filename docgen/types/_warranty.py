"""What the developer must write into the new-home quality warranty and commit to in the sales
contract (SH 第九条（一）5): the unit that repairs before cover starts and its phone, the
developer's supervision phone, and the insurer and its phone during cover — each in one numbered
clause, worded as the pack's clause requirements look for them."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import cover_requirements, scope_periods
from ..schemas import InsuredData, Organisation, Owner
from . import DocumentType, Job


class WarrantyData(InsuredData):
    repair_unit: Organisation = Field(title="保险期限起算日之前负责维修的单位")
    buyer: Optional[Owner] = Field(None, title="买受人")


def requirements(job: Job) -> list[tuple[str, str]]:
    data, cite = job.model, job.mandate.cite
    problems = cover_requirements(job.pack, data.project, data.policy)
    developer = data.project.developer if data.project else None
    if developer is not None and not developer.supervision_phone:
        problems.append(("project.developer.supervision_phone", f"{job.pack.city}规定（{cite}）须写明建设单位监督电话"))
    if data.repair_unit is not None and not data.repair_unit.phone:
        problems.append(("repair_unit.phone", f"{job.pack.city}规定（{cite}）须写明维修单位联系电话"))
    return problems


def rules(job: Job):
    return scope_periods(job.pack, job.model.policy.scopes if job.model.policy else [])


def derive(job: Job) -> dict:
    data, term = job.model, derived.period_term(job.mandate.document)
    return {"coverage": derived.coverage(job.pack, data.project, data.policy, term),
            "claims": derived.claim_context(job.pack, data.insurer)}


def document_type(**fields) -> DocumentType:
    """A document carrying these clauses (id, title, summary, spec, stage, checked_as): its input, values,
    requirements, rules and required fields are the warranty's."""
    return DocumentType(model=WarrantyData, derive=derive, requirements=requirements, rules=rules,
                        required=("repair_unit.name", "repair_unit.phone", "project.developer.supervision_phone",
                                  "insurer.name", "insurer.phone"), **fields)


def clauses(b: TemplateBuilder, promise: str = "") -> None:
    """The three required clauses, then cover and claims; `promise` opens each (e.g. '出卖人承诺：')."""
    b.clause("一、", "保险期限起算日之前负责维修的单位",
             promise + "保险期限起算日（{{ coverage.start }}）之前，本住宅出现的质量问题由维修单位负责维修。"
             "保险期限起算日之前负责维修的单位名称：{{ repair_unit.name }}；维修单位联系电话：{{ repair_unit.phone }}"
             "{% if repair_unit.address %}；地址：{{ repair_unit.address }}{% endif %}。")
    b.clause("二、", "建设单位监督电话",
             promise + "建设单位{{ project.developer.name }}对上述维修工作进行监督，"
             "建设单位监督电话：{{ project.developer.supervision_phone }}。")
    b.clause("三、", "保险期限内的保险公司",
             promise + "保险期限内，本住宅的工程质量潜在缺陷由保险公司依照保险合同负责维修或赔偿。"
             "保险期限内的保险公司名称：{{ insurer.name }}；保险公司联系电话：{{ insurer.phone }}"
             "{% if claims.phone != insurer.phone %}；报案电话：{{ claims.phone }}{% endif %}"
             "；保险单号：{{ policy.number }}。")
    b.clause("四、", "保险范围和保险期限",
             "本住宅已投保工程质量潜在缺陷保险，保险范围及{{ coverage.period_term }}：{{ coverage.scopes_text }}"
             "{% if coverage.additional_note %}；{{ coverage.additional_note }}{% endif %}。"
             "保险期限起算日为{{ coverage.start }}，即{{ coverage.start_rule }}。")
    b.clause("五、", "理赔申请",
             "业主在保险期限内发现保险范围内的质量缺陷的，可向保险公司报案，按以下流程和时限办理："
             "{{ claims.steps_text }}。")
