"""共同验收通知 (BJ 第五条, JY 第四条): where homes are handed over only after the insurance period has
ended, the developer notifies the insurer and the owners, before delivery (15 days in both packs), to
inspect the homes jointly. The notice dates the cover start and each scope's end from the pack (or the
policy), shows which periods have ended, computes the latest notice date, and states what follows the
inspection in the pack's words (the developer's liability; BJ: the insurer's six months after delivery).

Warned: a notice later than the pack's deadline; an inspection not before delivery; a delivery before
any period has ended (the notice is then not the one the regulation asks for)."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from corpus.schema import MILESTONES

from .. import derived
from ..authoring import TemplateBuilder, person
from ..rules import act_in_time, cover_requirements, warn
from ..schemas import ClockText, InsuredData, IsoDate, Owner, Part, Person, Text
from . import DocumentType, Job


class Inspection(Part):
    date: IsoDate = Field(title="共同验收日期")
    time: ClockText = Field(title="时间", description="如 09:00—12:00")
    place: Text = Field(title="集合地点")
    scope: Text = Field(title="验收范围", description="如 1—3号楼全部住宅及公共部位")
    items: list[Text] = Field(default_factory=list, title="验收内容")


class JointInspectionData(InsuredData):
    owner: Optional[Owner] = Field(None, title="业主（不填则致全体业主；按户批量生成时每户一份）")
    inspection: Inspection = Field(title="共同验收安排")
    contact: Person = Field(title="建设单位联系人")


def _facts(job: Job) -> dict:
    data, pack = job.model, job.pack
    milestones = derived.milestones(data.project)
    cover = derived.coverage(pack, data.project, data.policy, derived.period_term(job.mandate.document, pack))
    delivery = milestones.get("delivery")
    rule = derived.find_deadline(pack, job.mandate.event)
    return {"milestones": milestones, "cover": cover, "delivery": delivery, "rule": rule,
            "notice_due": derived.event_date(pack, milestones, job.mandate.event),
            "expired": [e for e in cover["ends"] if delivery and e["end"] < delivery]}


def derive(job: Job) -> dict:
    pack, doc = job.pack, job.mandate.document
    facts = _facts(job)
    rule, milestones = facts["rule"], facts["milestones"]
    events = derived.events(pack, milestones)
    after = [f"{derived.clean_quote(d.quote).removeprefix('但')}（{d.cite}）"
             + (f"，本项目该期间至{derived.cn_date(events[d.id].date)}止" if d.id in events else "")
             for d in derived.deadlines_from(pack, ("delivery",))
             if rule and d.kind == "period" and d.direction == "after" and d.condition == rule.condition]
    anchor = pack.coverage.start.anchor
    return {
        "heading": derived.heading(doc, ("joint-acceptance",), "通知保险公司、业主共同验收"),
        "coverage": facts["cover"],
        "anchor": {"label": MILESTONES[anchor], "date": milestones.get(anchor)},
        "expired": facts["expired"],
        "condition": (rule.condition if rule and rule.condition else "保险期间届满后交房的").rstrip("的")
                     .replace("保险期间", facts["cover"]["period_term"]),
        "notice_rule": derived.joined(derived.quoted(pack, rule.id)) if rule else None,
        "notice_due": facts["notice_due"],
        "after_text": derived.joined([*derived.quoted(pack, "post-expiry-developer-liability"), *after]),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    project = job.model.project
    problems = cover_requirements(job.pack, project, job.model.policy)
    if project is not None and "delivery" not in (project.milestones or {}):
        problems.append(("project.milestones.delivery", "请填写计划交房日期（共同验收通知在交房前发出）"))
    return problems


def rules(job: Job):
    data, pack, facts = job.model, job.pack, _facts(job)
    rule, delivery = facts["rule"], facts["delivery"]
    if rule is None:
        return []
    findings = act_in_time(job.pack, rule.id, data.date, facts["notice_due"], "本通知日期")
    inspected = data.inspection.date if data.inspection else None
    if inspected and delivery and inspected >= delivery:
        findings.append(warn(pack, rule.id, rule.cite, f"共同验收应在交房前进行；验收日期为{derived.cn_date(inspected)}，"
                                                       f"交房日期为{derived.cn_date(delivery)}"))
    ends = facts["cover"]["ends"]
    if delivery and ends and not facts["expired"]:
        first = min(e["end"] for e in ends)
        findings.append(warn(pack, rule.id, rule.cite, f"本通知适用于{rule.condition or '保险期间届满后交房的'}住宅工程；"
                                                       f"交房日期{derived.cn_date(delivery)}不晚于最早届满的保险期间"
                                                       f"（{derived.cn_date(first)}），请核实是否需要发出本通知"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{{ insurer.name }}、{% if owner %}{{ owner.name }}{% if owner.unit %}（{{ project.name }}{{ owner.unit }}）"
                "{% endif %}{% else %}{{ project.name }}全体业主{% endif %}：")
    b.para("{{ project.name }}（项目地址：{{ project.address }}）"
           "{% if anchor.date %}于{{ anchor.date }}{{ anchor.label }}，{% endif %}"
           "已投保工程质量潜在缺陷保险（保险单号：{{ policy.number }}），保险责任自{{ coverage.start }}开始"
           "{% for e in coverage.ends %}，{{ e.title }}的{{ coverage.period_term }}（{{ e.period }}）"
           "{% if e in expired %}已于{{ e.end }}届满{% else %}至{{ e.end }}止{% endif %}{% endfor %}。"
           "本项目计划于{{ project.milestones.delivery }}交房，属于{{ condition }}的住宅工程。{{ doc.basis }}，现通知如下：")
    b.clause("一、", "{{ heading }}",
             "本单位定于{{ inspection.date }} {{ inspection.time }}组织共同验收，集合地点：{{ inspection.place }}；"
             "验收范围：{{ inspection.scope }}{% if inspection.items %}；验收内容：{% for i in inspection.items %}{{ i }}"
             "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。请保险公司派员参加，请业主本人或委托代理人参加；"
             "业主不能到场的，请提前与本单位联系另行约定时间。")
    b.clause("二、", "验收发现质量缺陷的处理",
             "共同验收形成书面记录，由参加各方签字确认。{{ after_text }}。")
    b.clause("三、", "通知时限",
             "{{ notice_rule }}；本项目交房日期为{{ project.milestones.delivery }}，本通知应于{{ notice_due }}前发出。")
    b.clause("四、", "联系方式",
             "本单位联系人：" + person("contact") + "。")
    b.closing("特此通知。", "{{ project.developer.name }}", "（盖章）")


TYPE = DocumentType(
    id="joint-inspection-notice",
    title="共同验收通知",
    summary="保险期间届满后交房的，建设单位在交房前通知保险公司、业主共同验收：保险期间届满情况、验收安排、缺陷处理、通知时限",
    model=JointInspectionData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    rules=rules,
    stage="completion",
    required=("insurer.name", "inspection.date", "inspection.place", "notice_due", "project.milestones.delivery"),
)
