"""保修期转入保险责任期业主公告 (SH 第九条（一）7): the developer, with the insurer, tells all owners
at least a month before cover starts who the insurer is and how to reach it, what is covered, for
how long, and how to claim. Each of those stands in its own numbered clause."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import act_in_time, cover_requirements, scope_periods
from ..schemas import InsuredData, Organisation
from . import DocumentType, Job


class OwnerAnnouncementData(InsuredData):
    property_manager: Optional[Organisation] = Field(None, title="物业服务企业")


def _due(job: Job):
    milestones = (job.model.project.milestones if job.model.project else None) or {}
    return derived.event_date(job.pack, milestones, "owner-announcement")


def derive(job: Job) -> dict:
    data, term = job.model, derived.period_term(job.mandate.document)
    return {"coverage": derived.coverage(job.pack, data.project, data.policy, term),
            "claims": derived.claim_context(job.pack, data.insurer),
            "announce_due": _due(job)}


def requirements(job: Job) -> list[tuple[str, str]]:
    return cover_requirements(job.pack, job.model.project, job.model.policy)


def rules(job: Job):
    findings = scope_periods(job.pack, job.model.policy.scopes if job.model.policy else [])
    if any(d.id == "owner-announcement" for d in job.pack.deadlines):
        findings += act_in_time(job.pack, "owner-announcement", job.model.date, _due(job), "本公告日期")
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead()
    b.addressee("{{ project.name }}全体业主：")
    b.para("{{ project.name }}（项目地址：{{ project.address }}）已投保工程质量潜在缺陷保险，"
           "将于{{ coverage.start }}由工程质量保修期转入保险责任期。{{ doc.basis }}，"
           "建设单位{{ project.developer.name }}会同保险公司{{ insurer.name }}就有关情况公告如下：")
    b.clause("一、", "保险公司名称和联系方式",
             "本项目工程质量潜在缺陷保险的保险公司为{{ insurer.name }}，联系电话：{{ insurer.phone }}"
             "{% if claims.phone != insurer.phone %}，报案电话：{{ claims.phone }}{% endif %}"
             "{% if insurer.address %}，地址：{{ insurer.address }}{% endif %}。")
    b.clause("二、", "保险责任、保险范围和{{ coverage.period_term }}",
             "保险责任：{{ coverage.liability }}。保险范围及{{ coverage.period_term }}：{{ coverage.scopes_text }}"
             "{% if coverage.additional_note %}；{{ coverage.additional_note }}{% endif %}。"
             "保险责任自{{ coverage.start }}起开始，各项{{ coverage.period_term }}自该日起计算"
             "（保单号：{{ policy.number }}）。")
    b.clause("三、", "理赔申请流程",
             "业主在{{ coverage.period_term }}内发现房屋存在保险范围内的质量缺陷的，可向保险公司报案并提出索赔申请"
             "（报案电话：{{ claims.phone }}{% if property_manager %}，也可通过{{ property_manager.name }}"
             "{% if property_manager.phone %}（电话：{{ property_manager.phone }}）{% endif %}报修{% endif %}），"
             "理赔按以下流程和时限办理：{{ claims.steps_text }}。")
    b.clause("四、", "保修期转入保险责任期",
             "自{{ coverage.start }}起，本项目由工程质量保修期转入保险责任期。"
             "{% if claims.pre_cover_text %}{{ claims.pre_cover_text }}。{% endif %}")
    b.closing("特此公告。", "{{ project.developer.name }}", "{{ insurer.name }}")


TYPE = DocumentType(
    id="owner-announcement",
    title="保修期转入保险责任期业主公告",
    summary="保险责任期开始前向全体业主的公告：保险公司名称和联系方式、保险责任、范围、期限、理赔申请流程",
    model=OwnerAnnouncementData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="pre-cover",
    checked_as="owner-announcement",
    markers={"insurer-contact": "联系电话"},
    required=("insurer.name", "insurer.phone", "coverage.scopes_text", "coverage.start", "claims.steps_text"),
)
