"""保险责任范围说明书 (SH 第七条（五）): compiled by the insurer after completion and handed to the
developer (for the owners) with the user notice, then uploaded to the platform within the pack's
time limit (working days). States the liability, each scope with its contents and period (from the
policy where the pack lists none), when cover starts, what is excluded, who may claim and how, the
repair warranty and disputes — each from the pack with its article.

Warned: a statement dated before completion acceptance (the regulation says 工程竣工后)."""
from __future__ import annotations

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import cover_requirements, mandate_warning, scope_periods, undated
from ..schemas import InsuredData, Text
from . import DocumentType, Job


class CoverageStatementData(InsuredData):
    special_terms: list[Text] = Field(default_factory=list, title="保险合同特别约定")


def _handover(job: Job) -> dict:
    milestones = derived.milestones(job.model.project)
    rule = derived.find_deadline(job.pack, job.mandate.event)
    due = derived.event_date(job.pack, milestones, job.mandate.event)
    return {"handed_over": milestones.get("notices_handed_over"),
            "upload_rule": derived.deadline_duty(rule, due) if rule else None}


def derive(job: Job) -> dict:
    data, pack = job.model, job.pack
    return {
        "coverage": derived.coverage(pack, data.project, data.policy, derived.period_term(job.mandate.document, pack)),
        "claims": derived.claim_context(pack, data.insurer),
        "terms": derived.claim_terms(pack),
        **_handover(job),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    return cover_requirements(job.pack, job.model.project, job.model.policy)


def rules(job: Job):
    milestones = derived.milestones(job.model.project)
    findings = (scope_periods(job.pack, job.model.policy.scopes if job.model.policy else [])
                + undated(job.pack, milestones, job.mandate.event))
    completed = milestones.get("completion_accepted")
    if completed and job.model.date and job.model.date < completed:
        findings.append(mandate_warning(job.mandate, f"保险公司在工程竣工后编制本说明书；本说明书日期为"
                                                      f"{derived.cn_date(job.model.date)}，早于竣工验收合格日期"
                                                      f"{derived.cn_date(completed)}"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.addressee("{{ project.developer.name }}（请转交各业主）：")
    b.para("{{ project.name }}（项目地址：{{ project.address }}）由建设单位{{ project.developer.name }}向{{ insurer.name }}"
           "投保住宅工程质量潜在缺陷保险，保险单号为{{ policy.number }}。{{ doc.basis }}，本公司在工程竣工后编制本说明书，"
           "说明保险责任范围如下：")
    b.clause("一、", "保险责任",
             "{{ coverage.liability }}。{% if terms.indemnity %}{{ terms.indemnity }}。{% endif %}")
    b.clause("二、", "保险范围和{{ coverage.period_term }}",
             "保险范围及{{ coverage.period_term }}：{{ coverage.scopes_text }}"
             "{% if coverage.additional_note %}；{{ coverage.additional_note }}{% endif %}。各项承保内容见下表。")
    b.coverage_table()
    b.clause("三、", "保险责任开始时间",
             "保险责任开始时间为{{ coverage.start }}，即{{ coverage.start_rule }}，各项{{ coverage.period_term }}自该日起计算"
             "{% for e in coverage.ends %}；{{ e.title }}的{{ coverage.period_term }}至{{ e.end }}止{% endfor %}。"
             "{% if claims.pre_cover_text %}保险责任开始前：{{ claims.pre_cover_text }}。{% endif %}")
    b.clause("四、", "责任免除",
             "{{ claims.exclusions_text }}。{% if terms.waiver %}{{ terms.waiver }}。{% endif %}")
    b.clause("五、", "索赔与理赔",
             "{% if terms.claimant %}{{ terms.claimant }}。{% endif %}在{{ coverage.period_term }}内发现保险范围内的质量缺陷的，"
             "可向{{ insurer.name }}报案并提出索赔申请，报案电话：{{ claims.phone }}。理赔按以下流程和时限办理："
             "{{ claims.steps_text }}。{% if claims.hotline_text %}{{ claims.hotline_text }}。{% endif %}"
             "{% if terms.repair_warranty %}{{ terms.repair_warranty }}。{% endif %}")
    b.clause("六、", "争议处理", "{{ claims.disputes_text }}。")
    with b.when("special_terms"):
        b.heading("七、保险合同特别约定")
        b.numbered("special_terms", "{{ t }}", "t")
    b.para("本说明书与《住宅工程质量潜在缺陷保险用户告知书》一并交于建设单位，由建设单位转交业主；"
           "保险责任以保险合同约定为准。{% if handed_over %}本说明书于{{ handed_over }}交于建设单位。{% endif %}"
           "{% if upload_rule %}{{ upload_rule }}。{% endif %}")
    b.signature("{{ insurer.name }}", "（盖章）")


TYPE = DocumentType(
    id="coverage-statement",
    title="保险责任范围说明书",
    summary="竣工后保险公司交建设单位（转交业主）的保险责任范围说明书：保险责任、范围、期限、开始时间、责任免除、理赔、争议处理",
    model=CoverageStatementData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="completion",
    required=("insurer.name", "policy.number", "coverage.scopes_text", "coverage.start", "claims.steps_text"),
)
