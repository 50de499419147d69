"""保险理赔方案 (HZ 第十条), and the builder of its siblings 出险查勘和理赔保修流程 (JX 三（七）) and
理赔操作规程 (BJ 第二十条): the insurer's claims service — team, 24-hour line and channels, the
service standard and time limit of each step, the survey and the repair, disputes and exclusions.
A step's time limit longer than the pack's is refused (HZ 工作指引 4.3, BJ 第二十条 …); where the
pack leaves a step's time to the contract (HZ 第十五条: 现场查勘) the document must state one; where
the regulation gives none at all (JX), the document says so."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal, Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import refuse
from ..schemas import Confirmation, DocumentData, Insurer, Organisation, Part, Phone, Policy, Project, StaffMember, Text
from . import DocumentType, Job

# Service steps and the pack deadline each is held to
STEPS = {"理赔受理": None, "现场查勘": "claim-survey", "索赔核定": "claim-determination",
         "情形复杂的索赔核定": "claim-determination-complex", "维修或赔偿": "claim-payment",
         "不予赔偿通知": "denial-notice", "维修完成": None, "其他": None}
HOURS = {"hours": 1, "calendar_days": 24}
# Disputes an owner's claim can meet (not those between the builders and the risk manager)
DISPUTE_WORDS = (*derived.OWNER_WORDS, "保险责任")


@dataclass(frozen=True)
class Variant:
    id: str
    title: str
    summary: str
    stage: str
    noun: str  # 本方案 / 本流程 / 本规程


class ServiceStandard(Part):
    step: Literal[tuple(STEPS)] = Field(title="环节", description="、".join(STEPS))  # type: ignore[valid-type]
    standard: Text = Field(title="服务标准")
    days: Optional[int] = Field(None, ge=1, le=365, title="时限（日）")
    hours: Optional[int] = Field(None, ge=1, le=720, title="时限（小时）")


class ClaimsProcessData(DocumentData):
    project: Optional[Project] = Field(None, title="项目", description="按项目制定（作为保险合同附件）时填写")
    policy: Optional[Policy] = Field(None, title="保险单")
    insurer: Insurer = Field(title="保险公司")
    hotline: Phone = Field(title="24小时报案（服务）电话")
    team: list[StaffMember] = Field(min_length=1, title="理赔服务团队")
    channels: list[Text] = Field(min_length=1, title="报案渠道")
    materials: list[Text] = Field(default_factory=list, title="索赔需提供的材料")
    standards: list[ServiceStandard] = Field(min_length=1, title="理赔服务标准")
    survey: list[Text] = Field(min_length=1, title="出险查勘工作内容")
    repair: list[Text] = Field(min_length=1, title="理赔维修（保修）工作内容")
    repairers: list[Organisation] = Field(default_factory=list, title="维修单位（含委托的第三方保修机构）")
    confirmation: Optional[Confirmation] = Field(None, title="建设单位确认")


def _limit_hours(standard) -> Optional[int]:
    return standard.hours if standard.hours else (standard.days * 24 if standard.days else None)


def _rows(job: Job) -> list[dict]:
    rows = []
    for s in job.model.standards or []:
        if s is None:
            continue
        rows.append({**s.model_dump(), "limit": f"{_limit_text(s)}内" if s.days or s.hours else "—"})
    return rows


def derive(variant: Variant, job: Job) -> dict:
    doc, pack = job.mandate.document, job.pack
    recipient = job.mandate.recipient
    return {
        "noun": variant.noun,
        "headings": {"survey": derived.heading(doc, ("survey",), "出险查勘"),
                     "repair": derived.heading(doc, ("claims-repair",), "理赔维修")},
        "rows": _rows(job),
        "claim_steps": derived.claim_steps(pack),
        "gaps": derived.gap_lines(job.pack, "索赔", "查勘", "理赔受理"),
        "hotline_rules": derived.provision_lines(job.pack, categories=("hotline",)),
        "claims_rules": derived.provision_lines(job.pack, categories=("claims",)),
        "warranty": [derived.parameter_text(p) for p in pack.parameters if p.category == "warranty" and p.amount],
        "disputes": [f"{p['text']}（{p['cite']}）" for p in derived.provisions(pack, "dispute", audience=DISPUTE_WORDS)],
        "exclusions": [f"{p['text']}（{p['cite']}）" for p in derived.provisions(pack, "exclusion")],
        "report_to": recipient.removesuffix("（报告）") if "报告" in recipient else None,
        "confirm": "确认" in job.mandate.when,
    }


def requirements(variant: Variant, job: Job) -> list[tuple[str, str]]:
    given = {s.step for s in job.model.standards or [] if s is not None and (s.days or s.hours)}
    problems = []
    for step, deadline_id in STEPS.items():
        deadline = derived.find_deadline(job.pack, deadline_id)
        if deadline and not deadline.offset.specified and "约定" in (deadline.offset.note or "") and step not in given:
            problems.append(("standards", f"{job.pack.city}的规定未给出“{step}”的时限，须按保险合同约定写明"
                                          f"（{deadline.cite}：{deadline.offset.note}）"))
    return problems


def rules(variant: Variant, job: Job):
    findings = []
    for s in job.model.standards or []:
        deadline = next((d for d in job.pack.deadlines if d.id == STEPS.get(s.step)), None)
        ours = _limit_hours(s)
        if not deadline or ours is None or not deadline.offset.specified or deadline.offset.unit not in HOURS:
            continue
        limit = deadline.offset.value * HOURS[deadline.offset.unit]
        if ours > limit:
            findings.append(refuse(job.pack, deadline.id, deadline.cite,
                                   f"{deadline.actor}{deadline.title}的时限为{derived.deadline_period(deadline)}，"
                                   f"本文书“{s.step}”为{_limit_text(s)}"))
    return findings


def _limit_text(s) -> str:
    return f"{s.hours}小时" if s.hours else f"{s.days}日"


def spec(variant: Variant, b: TemplateBuilder) -> None:
    b.report_heading("（{% if project %}{{ project.name }}{% else %}{{ insurer.name }}{% endif %}）")
    b.heading("一、总则")
    b.para("{{ doc.basis }}，为建立高效便捷、充分保护业主权益的理赔服务，{{ insurer.name }}制定{{ noun }}。{{ noun }}适用于"
           "{% if project %}{{ project.name }}（{{ project.address }}）{% if policy %}保险单号{{ policy.number }}{% endif %}"
           "{% else %}本公司承保的住宅工程质量潜在缺陷保险项目{% endif %}的报案受理、出险查勘、索赔核定和理赔维修。"
           "{% if report_to %}{{ noun }}制定后向{{ report_to }}报告。{% endif %}")
    b.heading("二、理赔服务团队和报案")
    b.staff_table("team")
    b.para("24小时报案（服务）电话：{{ hotline }}。报案渠道："
           "{% for c in channels %}{{ c }}{% if not loop.last %}；{% endif %}{% endfor %}。"
           "{% if materials %}索赔时请提供：{% for m in materials %}{{ m }}{% if not loop.last %}、{% endif %}{% endfor %}。"
           "{% endif %}")
    b.numbered("hotline_rules")
    b.heading("三、理赔服务标准")
    b.table([("环节", 34, "{{ r.step }}"), ("服务标准", 92, "{{ r.standard }}"), ("时限", 30, "{{ r.limit }}")], "rows", "r")
    with b.when("claim_steps"):
        b.para("规定的理赔时限如下，{{ noun }}各环节时限均不长于规定时限：")
        b.numbered("claim_steps")
    b.open_points("相关时限以{{ noun }}及保险合同约定为准。", "gaps")
    b.heading("四、{{ headings.survey }}")
    b.numbered("survey")
    b.heading("五、{{ headings.repair }}")
    b.numbered("repair")
    with b.when("repairers"):
        b.para("维修单位：{% for r in repairers %}{{ r.name }}{% if r.phone %}（电话：{{ r.phone }}）{% endif %}"
               "{% if not loop.last %}；{% endif %}{% endfor %}。")
    with b.when("warranty"):
        b.para("{% for w in warranty %}{{ w }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.heading("六、争议处理和除外责任")
    b.para("{% if disputes %}{% for d in disputes %}{{ d }}{% if not loop.last %}；{% endif %}{% endfor %}。"
           "{% else %}对是否属于保险责任存在争议的，按保险合同约定处理。{% endif %}"
           "{% if exclusions %}除外责任：{% for e in exclusions %}{{ e }}{% if not loop.last %}；{% endif %}{% endfor %}。"
           "{% else %}除外责任以保险合同约定为准。{% endif %}")
    with b.when("claims_rules"):
        b.heading("七、其他规定")
        b.numbered("claims_rules")
    b.signature("{{ insurer.name }}（盖章）")
    with b.when("confirm and project"):
        b.confirmation()


def make(variant: Variant) -> DocumentType:
    return DocumentType(
        id=variant.id, title=variant.title, summary=variant.summary, model=ClaimsProcessData,
        spec=partial(spec, variant), derive=partial(derive, variant), rules=partial(rules, variant),
        requirements=partial(requirements, variant), stage=variant.stage,
        required=("rows", "hotline", "team", "survey", "repair", "insurer.name"),
    )


TYPE = make(Variant(
    id="claims-plan", title="保险理赔方案", stage="underwriting", noun="本方案",
    summary="保险合同附件：理赔服务团队、报案渠道、受理查勘核定维修各环节服务标准和时限、维修、争议处理"))
