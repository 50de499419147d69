"""新建住宅质量保证书（潜在缺陷保险内容） (SH 第九条（一）5): the insurance section of the
new-home quality warranty the developer hands over with the home."""
from __future__ import annotations

from ..authoring import TemplateBuilder
from . import _warranty


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}）")
    b.para("{{ project.developer.name }}（建设单位）开发建设的{{ project.name }}（项目地址：{{ project.address }}）"
           "已投保工程质量潜在缺陷保险。{{ doc.basis }}，本住宅质量保证书就潜在缺陷保险有关内容明确如下：")
    _warranty.clauses(b)
    b.signature("{{ project.developer.name }}")


TYPE = _warranty.document_type(
    id="quality-warranty-insurance-section",
    title="新建住宅质量保证书（潜在缺陷保险内容）",
    summary="新建住宅质量保证书中的保险章节：保险期限起算日前的维修单位及电话、建设单位监督电话、保险期限内的保险公司及电话",
    spec=spec,
    stage="completion",
    checked_as="quality-warranty",
)
