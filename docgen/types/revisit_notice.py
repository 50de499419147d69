"""回访工作告知书 (SH 第七条（六）): signed at the first revisit by the insurer with the developer, the
builder and the property manager, to prepare the revisit stage of risk management: the revisits
planned, what each party does, and what falls due before cover starts (the pack's deadlines running
from the cover start, dated: claims briefing, joint inspection, owner announcement).

Warned: a notice not signed at the first revisit (dated otherwise)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder, person
from ..rules import builder_required, cover_start_requirements, mandate_warning
from ..schemas import InsuredData, IsoDate, Organisation, Part, Person, Text
from . import DocumentType, Job
from .briefing_minutes import CooperationItem


class Visit(Part):
    when: Text = Field(title="回访时间（或频次）", description="如 2027年6月、保险责任开始前每半年一次")
    content: Text = Field(title="回访内容")


class RevisitNoticeData(InsuredData):
    property_manager: Organisation = Field(title="物业单位")
    risk_manager: Optional[Organisation] = Field(None, title="风险管理机构")
    first_visit: IsoDate = Field(title="首次回访日期")
    visits: list[Visit] = Field(min_length=1, title="后续回访工作安排")
    cooperation_items: list[CooperationItem] = Field(min_length=1, title="各方配合事项")
    contact: Person = Field(title="保险公司联系人")


def requirements(job: Job) -> list[tuple[str, str]]:
    project = job.model.project
    return cover_start_requirements(job.pack, project) + builder_required(job.mandate.cite, project)


def derive(job: Job) -> dict:
    data, pack = job.model, job.pack
    project = data.project
    parties = [("保险公司", data.insurer), ("建设单位", project.developer if project else None),
               ("施工单位", project.builder if project else None), ("物业单位", data.property_manager),
               ("风险管理机构", data.risk_manager)]
    milestones = derived.milestones(project)
    return {
        "coverage": derived.coverage(pack, project, data.policy, derived.period_term(job.mandate.document, pack)),
        "pre_cover": derived.deadline_duties(pack, milestones, ("liability-start",)),
        "pre_cover_text": derived.claim_context(job.pack, data.insurer)["pre_cover_text"],
        "signatories": [{"role": role, "name": unit.name} for role, unit in parties if unit is not None],
        "addressees": "、".join(f"{role}{unit.name}" for role, unit in parties[1:4] if unit is not None) or None,
    }


def rules(job: Job):
    data = job.model
    if data.first_visit and data.date and data.date != data.first_visit:
        return [mandate_warning(job.mandate, f"保险公司在首次回访时签署本告知书；首次回访日期为{derived.cn_date(data.first_visit)}，"
                                              f"本告知书日期为{derived.cn_date(data.date)}")]
    return []


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.addressee("{{ addressees }}：")
    b.para("{{ project.name }}（项目地址：{{ project.address }}）已投保住宅工程质量潜在缺陷保险（保险公司：{{ insurer.name }}；"
           "保险单号：{{ policy.number }}）。本公司于{{ first_visit }}对本项目进行首次回访。{{ doc.basis }}，"
           "为做好后续回访阶段风险管理的准备工作，现将回访工作有关事项告知如下，请各方签署确认。")
    b.clause("一、", "回访目的",
             "回访阶段，本公司{% if risk_manager %}会同风险管理机构{{ risk_manager.name }}{% endif %}了解房屋交付使用后的"
             "质量状况、业主报修及保修维修情况，识别可能转入保险责任期的质量风险，督促有关单位在保险责任开始前维修到位。")
    b.heading("二、回访工作安排")
    b.table([("序号", 14, "{{ loop.index }}"), ("回访时间（频次）", 52, "{{ v.when }}"), ("回访内容", 90, "{{ v.content }}")],
            "visits", "v")
    b.heading("三、各方配合事项")
    b.numbered("cooperation_items", "{{ c.party }}：{{ c.item }}", "c")
    b.heading("四、保险责任开始前的工作")
    b.para("本项目保险责任开始时间为{{ coverage.start }}，即{{ coverage.start_rule }}。"
           "{% if pre_cover_text %}{{ pre_cover_text }}。{% endif %}")
    b.numbered("pre_cover", "{{ t.text }}。", "t")
    b.clause("五、", "联系方式",
             "本公司回访工作联系人：" + person("contact") + "；报案（理赔）电话："
             "{{ insurer.claims_phone or insurer.phone }}。")
    b.para("本告知书一式{{ signatories|length }}份，签署各方各执一份。")
    b.signing("签署日期", place=False)


TYPE = DocumentType(
    id="revisit-notice",
    title="回访工作告知书",
    summary="首次回访时保险公司与建设、施工、物业单位签署的回访工作告知书：回访安排、各方配合事项、保险责任开始前的工作",
    model=RevisitNoticeData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="pre-cover",
    required=("first_visit", "visits", "cooperation_items", "signatories", "insurer.name"),
)
