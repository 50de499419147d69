"""保险理赔应急预案 / 潜在缺陷保险应急预案 (SH 第七条（八）, HZ 第十七条, BJ 第二十三条): when the
plan is started (each situation the pack names must be covered: SH the systemic risk, major and
sudden quality events and extreme weather), the emergency procedure, the measures for each
situation, the on-site response and reporting, and the first repair of claims affecting basic living
(HZ 第十七条, BJ 第二十三条: the regulation gives no time limit — the contract's, if given, else the
document says so). The ordinary claim time limits come from the pack."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..schemas import Confirmation, DocumentData, Insurer, Part, Phone, Project, StaffMember, Text
from . import DocumentType, Job

BASIC_LIVING = "影响基本生活的索赔"
# Situation kinds and the element ids packs give them (SH 第七条（八）)
KINDS = {"系统性质量风险": "systemic-risk", "重大质量事件": "major-incident", "突发质量事件": "sudden-incident",
         "极端灾害天气": "extreme-weather", BASIC_LIVING: "first-repair", "其他": None}
FIRST_REPAIR = "emergency-repair"  # deadline (BJ) or provision (HZ) id


class Situation(Part):
    kind: Literal[tuple(KINDS)] = Field(title="类别", description="、".join(KINDS))  # type: ignore[valid-type]
    trigger: Text = Field(title="启动情形")
    level: Optional[Text] = Field(None, title="响应级别")
    measures: list[Text] = Field(min_length=1, title="应急措施")


class Step(Part):
    step: Text = Field(title="环节")
    action: Text = Field(title="工作内容")
    limit: Optional[Text] = Field(None, title="时限")
    owner: Optional[Text] = Field(None, title="责任部门")


class EmergencyPlanData(DocumentData):
    project: Optional[Project] = Field(None, title="项目", description="按项目制定（作为保险合同附件）时填写")
    insurer: Insurer = Field(title="保险公司")
    hotline: Phone = Field(title="24小时应急（报案）电话")
    team: list[StaffMember] = Field(min_length=1, title="应急工作组")
    situations: list[Situation] = Field(min_length=1, title="应急预案启动的具体情形")
    procedure: list[Step] = Field(min_length=1, title="应急流程")
    arrival_hours: Optional[int] = Field(None, ge=1, le=72, title="接报后到达现场时限（小时）")
    first_repair: Optional[Text] = Field(None, title="先行组织维修的时限（按保险合同约定）", description="如 收到索赔申请后24小时内")
    authorities: list[Text] = Field(default_factory=list, title="应急事件上报的监督管理部门")
    drills: Optional[Text] = Field(None, title="预案培训和演练")
    confirmation: Optional[Confirmation] = Field(None, title="建设单位确认")


def _first_repair_rule(job: Job) -> list[str]:
    quotes = [f"{d.quote}（{d.cite}）" for d in job.pack.deadlines if d.id == FIRST_REPAIR]
    return quotes + derived.provision_lines(job.pack, (FIRST_REPAIR,))


def derive(job: Job) -> dict:
    doc = job.mandate.document
    heading = lambda keys, default: derived.heading(doc, keys, default)  # noqa: E731
    situations = [{**s.model_dump(),
                   "title": heading((KINDS[s.kind],) if KINDS.get(s.kind) else (), f"{s.kind or derived.GAP}的处置")}
                  for s in job.model.situations or [] if s is not None]
    return {
        "headings": {
            "trigger": heading(("trigger-situations",), "应急预案启动的具体情形"),
            "procedure": heading(("emergency-procedure", "emergency-process"), "应急流程"),
            "measures": heading(("emergency-measures",), "采取的应急措施"),
            "on_site": heading(("on-site-response",), "现场响应和上报"),
            "first_repair": heading(("first-repair",), "影响基本生活的索赔先行组织维修"),
        },
        "rows": situations,
        "hotline_rules": derived.provision_lines(job.pack, categories=("hotline",)),
        "claim_steps": derived.claim_steps(job.pack),
        "first_repair_rule": _first_repair_rule(job),
        "first_repair_gap": derived.gap_lines(job.pack, "先行维修"),
        "attachment": derived.provision_lines(job.pack, ("contract-attachments",)),
        "last": "八" if _first_repair_rule(job) or job.model.first_repair else "七",
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    given = {s.kind for s in job.model.situations or [] if s is not None}
    wanted = [(kind, eid) for kind, eid in KINDS.items() if eid and eid in job.element_ids]
    if _first_repair_rule(job) and all(k != BASIC_LIVING for k, _ in wanted):
        wanted.append((BASIC_LIVING, FIRST_REPAIR))
    return [("situations", f"{job.pack.city}的规定要求应急预案包括“{kind}”的处置（{job.mandate.cite}），请增加该类情形")
            for kind, _ in wanted if kind not in given]


def spec(b: TemplateBuilder) -> None:
    b.report_heading("（{% if project %}{{ project.name }}{% else %}{{ insurer.name }}{% endif %}）")
    b.heading("一、总则")
    b.para("{{ doc.basis }}，为建立潜在缺陷保险应急工作机制，及时、有效处置可能发生的质量风险事件和影响业主基本生活的索赔，"
           "保障业主合法权益，{{ insurer.name }}制定本预案。本预案适用于"
           "{% if project %}{{ project.name }}（{{ project.address }}，建设单位{{ project.developer.name }}）"
           "{% else %}本公司承保的住宅工程质量潜在缺陷保险项目{% endif %}。24小时应急（报案）电话：{{ hotline }}。")
    with b.when("hotline_rules"):
        b.numbered("hotline_rules")
    b.heading("二、应急组织和职责")
    b.staff_table("team")
    b.heading("三、{{ headings.trigger }}")
    b.table([("序号", 12, "{{ loop.index }}"), ("类别", 32, "{{ s.kind }}"), ("启动情形", 88, "{{ s.trigger }}"),
             ("响应级别", 24, "{{ s.level or '—' }}")], "rows", "s")
    b.heading("四、{{ headings.procedure }}")
    b.table([("环节", 26, "{{ p.step }}"), ("工作内容", 74, "{{ p.action }}"), ("时限", 30, "{{ p.limit or '—' }}"),
             ("责任部门", 26, "{{ p.owner or '—' }}")], "procedure", "p")
    with b.when("claim_steps"):
        b.para("应急处置转入理赔的，按规定的理赔时限办理：")
        b.numbered("claim_steps")
    b.heading("五、{{ headings.measures }}")
    with b.each("s", "rows"):
        b.heading2("（{{ loop.index | cn_ordinal }}）{{ s.title }}")
        b.para("启动情形：{{ s.trigger }}。应急措施："
               "{% for m in s.measures %}{{ loop.index }}．{{ m }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.heading("六、{{ headings.on_site }}")
    b.para("应急事件发生时，应急工作组应立即赶赴现场{% if arrival_hours %}（最迟在接报后{{ arrival_hours }}小时内到达）{% endif %}，"
           "了解情况、现场取证，落实应急处置措施，并及时上报"
           "{% if authorities %}{% for a in authorities %}{{ a }}{% if not loop.last %}、{% endif %}{% endfor %}"
           "{% else %}相关监督管理部门{% endif %}。")
    with b.when("first_repair_rule or first_repair"):
        b.heading("七、{{ headings.first_repair }}")
        b.numbered("first_repair_rule")
        b.para("{% if first_repair %}保险合同约定的先行组织维修时限：{{ first_repair }}。"
               "{% else %}{% for g in first_repair_gap %}{{ g }}。{% endfor %}本公司按保险合同约定的时限先行组织维修。"
               "{% endif %}")
    b.heading("{{ last }}、预案管理")
    b.para("{% if drills %}{{ drills }}{% else %}本预案根据培训、演练和实际处置情况适时修订。{% endif %}"
           "{% for a in attachment %}{{ a }}。{% endfor %}")
    b.signature("{{ insurer.name }}（盖章）")
    with b.when("project and attachment"):
        b.confirmation()


TYPE = DocumentType(
    id="emergency-plan",
    title="保险理赔应急预案",
    summary="保险公司的应急预案：启动情形（上海：系统性质量风险、重大和突发质量事件、极端灾害天气）、应急流程、应急措施、现场响应和上报、先行维修",
    model=EmergencyPlanData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    stage="underwriting",
    required=("rows", "procedure", "team", "hotline", "insurer.name"),
)
