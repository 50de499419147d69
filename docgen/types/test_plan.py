"""工程质量风险管理检测计划 (SH 第九条（五）1): the testing agency's plan for the items bearing on
important use functions and safety — the scope and content of each test, and the quantity commissioned
against the developer's acceptance-testing quantity. A test item below the pack's minimum ratio
(SH: 5%, mandatory) is refused; results are notified within the pack's hours (SH 第九条（五）2); the
plan takes effect once the client confirms it, so a confirmation dated after testing starts is
warned about (第九条（五）1)."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import refuse, warn
from ..schemas import Confirmation, DocumentData, IsoDate, Organisation, Part, Person, Project, Text
from . import DocumentType, Job

RATIO = "test-sample-ratio"


class TestItem(Part):
    name: Text = Field(title="检测项目")
    target: Text = Field(title="检测对象和部位（范围）")
    parameters: Text = Field(title="检测参数（内容）")
    standard: Text = Field(title="检测依据（标准）")
    unit: Text = Field(title="计量单位", description="如 组、处、点、樘")
    developer_count: int = Field(ge=1, title="建设单位委托验收检测数量")
    count: int = Field(ge=1, title="本计划委托检测数量")


class TestPlanData(DocumentData):
    project: Project = Field(title="项目")
    tester: Organisation = Field(title="检测单位")
    client: Organisation = Field(title="委托方")
    client_kind: Literal["保险公司", "风险管理机构"] = Field(title="委托方类别（保险公司/风险管理机构）")
    start: Optional[IsoDate] = Field(None, title="计划开始检测日期")
    end: Optional[IsoDate] = Field(None, title="计划完成检测日期")
    items: list[TestItem] = Field(min_length=1, title="检测项目")
    sampling: Text = Field(title="抽样原则和方法")
    preparer: Optional[Person] = Field(None, title="编制人")
    confirmation: Optional[Confirmation] = Field(None, title="委托方确认")


def _minimum(job: Job):
    p = derived.find_parameter(job.pack, RATIO)
    return p if p is not None and p.amount and p.amount.specified else None


def _rows(job: Job) -> list[dict]:
    rows = []
    for item in job.model.items or []:
        if item is not None:
            rows.append({**item.model_dump(), "share": derived.ratio_text(item.count, item.developer_count)})
    return rows


def derive(job: Job) -> dict:
    doc, p = job.mandate.document, _minimum(job)
    heading = lambda key, default: derived.heading(doc, (key,), default)  # noqa: E731
    return {
        "headings": {"scope": heading("test-scope", "风险管理检测的具体范围"),
                     "content": heading("test-content", "风险管理检测的具体内容"),
                     "ratio": heading("sample-ratio", "委托检测数量")},
        "rows": _rows(job),
        "ratio_rule": derived.parameter_text(p) if p else None,
        "notify": derived.deadline_lines(job.pack, ("test_result_obtained",), {}),
    }


def rules(job: Job):
    findings, p = [], _minimum(job)
    short = [f"{r['name']}（{r['count']}{r['unit']}，为建设单位委托验收检测数量{r['developer_count']}{r['unit']}的{r['share']}）"
             for r in _rows(job) if p and r["count"] and r["developer_count"]
             and r["count"] * 100 < Decimal(str(p.amount.value)) * r["developer_count"]]
    if short:
        findings.append(refuse(job.pack, p.id, p.cite, f"委托的检测数量不低于{p.basis}的{p.amount.value:g}%；"
                                                       f"不足的检测项目：{'；'.join(short)}"))
    confirmed, start = job.model.confirmation, job.model.start
    if confirmed and start and confirmed.signed_on and confirmed.signed_on > start:
        findings.append(warn(job.pack, "test-plan", job.mandate.cite,
                             f"检测计划应当经委托方确认后方可开展检测工作；确认日期{derived.cn_date(confirmed.signed_on)}"
                             f"晚于计划开始检测日期{derived.cn_date(start)}"))
    return findings


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.particulars(
        "项目名称", "项目地址", "建设单位",
        ("委托方", "{{ client.name }}（{{ client_kind }}）"),
        ("检测单位", "{{ tester.name }}"),
        ("计划检测时间", "{% if start %}{{ start }}{% if end %}至{{ end }}{% endif %}{% else %}按施工进度安排{% endif %}"),
    )
    b.heading("一、编制依据")
    b.para("{{ doc.basis }}，检测单位{{ tester.name }}受{{ client_kind }}{{ client.name }}委托，按照本市工程质量检测和"
           "风险管理相关要求及合同约定，针对{{ project.name }}涉及重要使用功能和安全性能的项目制定本检测计划。"
           "本计划经委托方确认后方可开展检测工作。")
    b.heading("二、{{ headings.scope }}")
    b.table([("序号", 12, "{{ loop.index }}"), ("检测项目", 36, "{{ r.name }}"), ("检测对象和部位", 108, "{{ r.target }}")],
            "rows", "r")
    b.heading("三、{{ headings.content }}")
    b.table([("序号", 12, "{{ loop.index }}"), ("检测项目", 36, "{{ r.name }}"), ("检测参数", 60, "{{ r.parameters }}"),
             ("检测依据", 48, "{{ r.standard }}")], "rows", "r")
    b.para("抽样原则和方法：{{ sampling }}")
    b.heading("四、{{ headings.ratio }}")
    b.para("{% if ratio_rule %}依据规定，{{ ratio_rule }}。{% endif %}各检测项目的委托检测数量如下：")
    b.table([("检测项目", 40, "{{ r.name }}"), ("建设单位委托验收检测数量", 42, "{{ r.developer_count }}{{ r.unit }}"),
             ("本计划委托检测数量", 40, "{{ r.count }}{{ r.unit }}"), ("比例", 34, "{{ r.share }}")], "rows", "r")
    b.heading("五、检测结果的通知")
    with b.when("notify"):
        b.numbered("notify")
    with b.when("not notify"):
        b.para("检测结果按合同约定及时通知委托方。")
    b.signature("检测单位（盖章）：{{ tester.name }}", "{% if preparer %}编制人：{{ preparer.name }}{% endif %}")
    b.confirmation("委托方确认：{{ client.name }}（盖章）")


TYPE = DocumentType(
    id="test-plan",
    title="工程质量风险管理检测计划",
    summary="检测单位的风险管理检测计划：检测范围和内容、委托检测数量与建设单位委托验收检测数量之比、结果通知时限、委托方确认",
    model=TestPlanData,
    spec=spec,
    derive=derive,
    rules=rules,
    stage="construction",
    required=("rows", "tester.name", "client.name", "sampling"),
)
