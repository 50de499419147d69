"""商品房出售/预售合同中的潜在缺陷保险书面承诺 (SH 第九条（一）5): the developer's written
commitment in the sales contract to the same contents as the warranty's insurance section."""
from __future__ import annotations

from ..authoring import TemplateBuilder
from . import _warranty


def spec(b: TemplateBuilder) -> None:
    b.masthead("（{{ project.name }}商品房买卖合同附件）")
    b.plain("出卖人：{{ project.developer.name }}")
    b.plain("买受人：{% if buyer %}{{ buyer.name }}{% else %}____________{% endif %}")
    b.plain("房屋：{{ project.name }}{% if buyer and buyer.unit %}{{ buyer.unit }}{% endif %}"
            "（项目地址：{{ project.address }}）")
    b.para("{{ doc.basis }}，出卖人就本房屋投保工程质量潜在缺陷保险的有关事项，向买受人作出如下书面承诺：")
    _warranty.clauses(b, promise="出卖人承诺：")
    b.para("本承诺作为商品房出售（预售）合同的组成部分，与合同具有同等效力。")
    b.signature("出卖人（盖章）：{{ project.developer.name }}", "买受人（签字）：____________")


TYPE = _warranty.document_type(
    id="sales-contract-commitment",
    title="商品房出售/预售合同中的潜在缺陷保险书面承诺",
    summary="商品房出售、预售合同中建设单位的书面承诺：维修单位及电话、建设单位监督电话、保险公司及电话",
    spec=spec,
    stage="construction",
    checked_as="sales-contract",
)
