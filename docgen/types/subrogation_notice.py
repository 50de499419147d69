"""代位追偿告知函 (SH 第十六条): after an insured event the developer, assisting the insurer, tells each
party that may be liable (designer, builder, supplier …) what happened and that the insurer may
exercise subrogation against it, and asks it to cooperate in the joint survey, the preservation of
evidence and the collection of files. The right itself rests on the Insurance Law (第六十条); the pack's
subrogation provisions follow with their articles.

Refused (input): a letter dated before the event was reported."""
from __future__ import annotations

from typing import Optional

from pydantic import Field, model_validator

from .. import derived
from ..authoring import TemplateBuilder, person
from ..schemas import ClockText, InsuredData, IsoDate, Money, Part, Person, Text, Unit
from . import DocumentType, Job

INSURANCE_LAW = ("根据《中华人民共和国保险法》第六十条，因第三者对保险标的的损害而造成保险事故的，保险人自向被保险人"
                 "赔偿保险金之日起，在赔偿金额范围内代位行使被保险人对第三者请求赔偿的权利")


class Incident(Part):
    claim_number: Optional[Text] = Field(None, title="报案号")
    reported_on: IsoDate = Field(title="报案日期")
    location: Text = Field(title="事故部位")
    description: Text = Field(title="损失情况")
    cause: Optional[Text] = Field(None, title="初步查明的原因")
    loss: Optional[Money] = Field(None, title="估损金额（元）")
    handling: Optional[Text] = Field(None, title="保险公司处理情况")


class JointSurvey(Part):
    date: IsoDate = Field(title="联合查勘日期")
    time: Optional[ClockText] = Field(None, title="时间")
    place: Text = Field(title="地点")


class SubrogationNoticeData(InsuredData):
    recipient: Unit = Field(title="可能的责任主体")
    contract: Optional[Text] = Field(None, title="与责任主体签订的合同（名称、编号）")
    incident: Incident = Field(title="保险事故")
    survey: Optional[JointSurvey] = Field(None, title="联合查勘安排")
    materials: list[Text] = Field(min_length=1, title="需提供的资料")
    contact: Person = Field(title="建设单位联系人")

    @model_validator(mode="after")
    def _after_event(self) -> "SubrogationNoticeData":
        reported = self.incident.reported_on if self.incident else None
        if reported and self.date and self.date < reported:
            raise ValueError(f"告知函日期（{self.date}）早于报案日期（{reported}）：本函在保险事故发生后发出")
        return self


def derive(job: Job) -> dict:
    pack, doc, data = job.pack, job.mandate.document, job.model
    own = (derived.clean_quote(doc.quote),) if doc else ()
    return {
        "headings": {"incident": derived.heading(doc, ("incident",), "保险事故情况"),
                     "fact": derived.heading(doc, ("subrogation-fact",), "保险公司可能行使代位追偿的事实"),
                     "cooperation": derived.heading(doc, ("cooperation",), "配合联合查勘、证据保全、资料收集")},
        "insurance_law": INSURANCE_LAW,
        "subrogation_rules": derived.joined(derived.provision_quotes(pack, ("subrogation",), exclude=own)),
        "copies": [data.insurer.name] if data.insurer else [],
    }


def spec(b: TemplateBuilder) -> None:
    b.masthead(number=True)
    b.addressee("{{ recipient.name }}：")
    b.para("贵单位为{{ project.name }}（项目地址：{{ project.address }}）的{{ recipient.role }}"
           "{% if contract %}，双方签订有{{ contract }}{% endif %}。本项目已由本单位投保住宅工程质量潜在缺陷保险"
           "（保险公司：{{ insurer.name }}；保险单号：{{ policy.number }}）。{{ doc.basis }}，本单位协助保险公司，"
           "将保险事故情况及保险公司可能行使代位追偿的事实告知如下：")
    b.clause("一、", "{{ headings.incident }}",
             "{{ incident.reported_on }}，{{ incident.location }}发生{{ incident.description }}，已向保险公司报案"
             "{% if incident.claim_number %}（报案号：{{ incident.claim_number }}）{% endif %}。"
             "{% if incident.cause %}经初步查明：{{ incident.cause }}。{% endif %}"
             "{% if incident.loss %}估损金额约{{ incident.loss|yuan }}（以保险公司核定为准）。{% endif %}"
             "{% if incident.handling %}{{ incident.handling }}。{% endif %}")
    b.clause("二、", "{{ headings.fact }}",
             "保险公司将依照保险合同对上述损失履行维修或赔偿义务。{{ insurance_law }}。"
             "经调查认定上述损失系贵单位原因造成的，保险公司可能在赔偿金额范围内向贵单位行使代位追偿权利。"
             "{% if subrogation_rules %}{{ subrogation_rules }}。{% endif %}")
    b.clause("三、", "{{ headings.cooperation }}",
             "请贵单位{% if survey %}于{{ survey.date }}{% if survey.time %} {{ survey.time }}{% endif %}"
             "派员到{{ survey.place }}"
             "参加保险公司组织的联合查勘，{% else %}派员参加保险公司组织的联合查勘（时间另行通知），{% endif %}"
             "配合保险公司进行事故原因调查和证据保全，在查勘完成前不得擅自改变事故现场，并提供以下资料："
             "{% for m in materials %}{{ loop.index }}．{{ m }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    b.clause("四、", "联系方式",
             "本单位联系人：" + person("contact") + "；保险公司联系电话："
             "{{ insurer.claims_phone or insurer.phone }}。")
    b.closing("特此函告。", "{{ project.developer.name }}", "（盖章）", copies=True)


TYPE = DocumentType(
    id="subrogation-notice",
    title="代位追偿告知函",
    summary="保险事故后建设单位协助保险公司致可能的责任主体的告知函：保险事故情况、可能行使代位追偿的事实、配合联合查勘、证据保全、资料收集",
    model=SubrogationNoticeData,
    spec=spec,
    derive=derive,
    stage="claims",
    required=("recipient.name", "incident.description", "materials", "insurer.name", "project.developer.name"),
)
