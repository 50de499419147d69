"""质量缺陷整改书面回复 (HZ 工作指引 3.3): after the confirmed defects of a process inspection report
are rectified, the developer replies in writing to the insurer and the risk manager with the
before/after photos, the videos and the rectification statement, confirmed by the supervisor and
the developer. The guide sets no time limit for the reply; the document says so."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import photo_problems
from ..schemas import Confirmation, DocumentData, Insurer, IsoDate, Organisation, Part, Project, Text
from . import DocumentType, Job


class ReplyItem(Part):
    number: Text = Field(title="缺陷编号")
    location: Text = Field(title="部位")
    description: Text = Field(title="缺陷描述")
    measure: Text = Field(title="整改措施")
    completed_on: IsoDate = Field(title="整改完成日期")
    before: Optional[Text] = Field(None, title="整改前照片文件")
    after: Optional[Text] = Field(None, title="整改后照片文件")
    video: Optional[Text] = Field(None, title="视频（文件名或链接）")


class RectificationReplyData(DocumentData):
    project: Project = Field(title="项目", description="须填写 supervisor（监理单位）")
    insurer: Insurer = Field(title="保险公司")
    risk_manager: Organisation = Field(title="风险管理机构")
    report_number: Optional[Text] = Field(None, title="过程检查报告编号")
    report_date: IsoDate = Field(title="过程检查报告日期")
    items: list[ReplyItem] = Field(min_length=1, title="整改的质量缺陷")
    statement: Text = Field(title="整改情况说明")
    supervisor_confirmation: Confirmation = Field(title="监理单位确认")
    developer_confirmation: Confirmation = Field(title="建设单位确认")


def _photos(job: Job) -> list[tuple[str, Optional[str]]]:
    return [(f"items[{i}].{side}", getattr(item, side)) for i, item in enumerate(job.model.items or [])
            if item is not None for side in ("before", "after")]


def derive(job: Job) -> dict:
    doc = job.mandate.document
    heading = lambda key, default: derived.heading(doc, (key,), default)  # noqa: E731
    rows = [{**item.model_dump(), "before": derived.photo(item.before, job.base_dir),
             "after": derived.photo(item.after, job.base_dir)}
            for item in job.model.items or [] if item is not None]
    return {
        "headings": {"statement": heading("rectification-statement", "整改情况说明"),
                     "photos": heading("before-after-photos", "整改前后对比照"),
                     "video": heading("video", "视频"),
                     "confirmations": heading("confirmations", "监理单位、建设单位确认")},
        "rows": rows,
        "videos": [r for r in rows if r["video"]],
        "basis_rule": derived.document_lines(job.pack, (job.mandate.document.id,)) if doc else [],
        "open_points": derived.gap_lines(job.pack, "书面回复"),
    }


def requirements(job: Job) -> list[tuple[str, str]]:
    data, problems = job.model, photo_problems(_photos(job), job.base_dir)
    if data.project and data.project.supervisor is None:
        problems.append(("project.supervisor", "整改回复须经监理单位确认，请填写监理单位"))
    for i, item in enumerate(data.items or []):
        if item and data.report_date and item.completed_on and item.completed_on < data.report_date:
            problems.append((f"items[{i}].completed_on", "整改完成日期早于过程检查报告日期"))
    for key in ("supervisor_confirmation", "developer_confirmation"):
        confirmation = getattr(data, key)
        if confirmation and confirmation.signed_on and data.date and confirmation.signed_on > data.date:
            problems.append((f"{key}.signed_on", f"确认日期晚于本回复日期（{derived.cn_date(data.date)}）：应先经确认再回复"))
    return problems


def spec(b: TemplateBuilder) -> None:
    b.report_heading()
    b.addressee("{{ insurer.name }}、{{ risk_manager.name }}：")
    b.para("贵方{{ report_date }}出具的质量风险过程检查报告{% if report_number %}（编号：{{ report_number }}）{% endif %}"
           "所列质量缺陷，经本单位组织相关参建单位确认后，已责成施工单位{% if project.builder %}{{ project.builder.name }}"
           "{% endif %}整改完毕，并经监理单位{{ project.supervisor.name }}和本单位确认。{{ doc.basis }}，现书面回复如下：")
    b.heading("一、{{ headings.statement }}")
    b.para("{{ statement }}")
    b.table([("编号", 14, "{{ r.number }}"), ("部位", 28, "{{ r.location }}"), ("缺陷描述", 36, "{{ r.description }}"),
             ("整改措施", 52, "{{ r.measure }}"), ("完成日期", 26, "{{ r.completed_on }}")], "rows", "r")
    b.heading("二、{{ headings.photos }}")
    b.table([("编号", 16, "{{ r.number }}"), ("整改前", 70, "{% if r.before %}{{ r.before }}{% else %}见附件{% endif %}"),
             ("整改后", 70, "{% if r.after %}{{ r.after }}{% else %}见附件{% endif %}")], "rows", "r")
    b.heading("三、{{ headings.video }}")
    with b.when("not videos"):
        b.para("整改过程视频随本回复一并提交。")
    with b.each("r", "videos"):
        b.para("{{ r.number }}（{{ r.location }}）：{{ r.video }}")
    b.heading("四、{{ headings.confirmations }}")
    b.para("监理单位{{ project.supervisor.name }}已于{{ supervisor_confirmation.signed_on }}对整改结果验收确认"
           "（确认人：{{ supervisor_confirmation.by.name }}）；建设单位{{ project.developer.name }}已于"
           "{{ developer_confirmation.signed_on }}确认（确认人：{{ developer_confirmation.by.name }}）。")
    with b.when("basis_rule or open_points"):
        b.para("{% for r in basis_rule %}{{ r }}。{% endfor %}{% for g in open_points %}{{ g }}。{% endfor %}")
    b.signature("监理单位（盖章）：{{ project.supervisor.name }}", "建设单位（盖章）：{{ project.developer.name }}")


TYPE = DocumentType(
    id="rectification-reply",
    title="质量缺陷整改书面回复",
    summary="建设单位就过程检查报告所列缺陷的整改向保险公司和风险管理机构书面回复：整改说明、前后对比照、视频、监理和建设单位确认",
    model=RectificationReplyData,
    spec=spec,
    derive=derive,
    requirements=requirements,
    stage="construction",
    required=("rows", "statement", "project.supervisor.name", "supervisor_confirmation.signed_on",
              "developer_confirmation.signed_on", "insurer.name"),
)
