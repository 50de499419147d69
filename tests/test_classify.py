"""Document kind and city from the text."""
import pytest

from checkers.classify import classify_kind, classify_pack


@pytest.mark.parametrize("text, kind", [
    ("上海市商品房预售合同\n合同编号：", "sales-contract"),
    ("新建住宅质量保证书\n", "quality-warranty"),
    ("建设工程施工合同\n第一部分 协议书", "construction-contract"),
    ("建设工程设计合同\n", "design-contract"),
    ("电梯设备采购合同\n", "supply-contract"),
    ("住宅工程质量潜在缺陷保险合同\n", "insurance-contract"),
    ("保险告知书（某项目）保险告知书\n尊敬的业主：", "owner-notice"),
    ("保修期转入保险责任期业主公告\n", "owner-announcement"),
    ("潜在缺陷保险报价函\n", "quotation-letter"),
    ("风险管理交底会会议纪要\n", "meeting-minutes"),
    ("竣工最终风险评估报告\n", "risk-report"),
])
def test_kind_from_the_title(text, kind):
    assert classify_kind(text) == kind


def test_a_body_line_mentioning_a_policy_does_not_make_a_notice_a_policy():
    text = "住宅工程质量潜在缺陷保险用户告知书\n尊敬的业主：\n" + "您所购买的房屋已由建设单位投保了工程质量潜在缺陷保险，保险单号为X。\n"
    assert classify_kind(text) == "owner-notice"


def test_city_is_the_one_named_most_often():
    assert classify_pack("上海市……杭州某供应商……上海市浦东新区").id == "shanghai-2025"
    assert classify_pack("某市某区") is None
