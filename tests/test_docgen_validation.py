"""Input validation: every problem at once, with its path and Chinese field names."""
import pytest

import docgen
from corpus.errors import InputError


def test_one_error_lists_bad_phone_date_amount_and_missing_field():
    data = docgen.example("quotation-letter")
    data["insurer"]["phone"] = "1234567"
    data["date"] = "2026-02-30"
    data["quotation"]["base"] = -5
    del data["business_head"]
    with pytest.raises(InputError) as caught:
        docgen.validate("quotation-letter", data, source="数据.yaml")
    message = str(caught.value)
    assert message.startswith("数据.yaml：4 处问题")
    for line in ("insurer.phone（保险公司 › 联系电话）：电话号码格式不正确",
                 "date（成文日期）：不是有效的日期（现为 '2026-02-30'）",
                 "quotation.base（报价 › 保险费计算基数（元））：金额不能为负（现为 -5）",
                 "business_head（业务部门负责人）：缺少必填字段"):
        assert line in message


@pytest.mark.parametrize("phone", ["13812345678", "021-64001234", "0571-87650001", "010-66011234-8001",
                                   "95518", "400-820-1234", "8008201234", "12345", "(021)64001234"])
def test_phone_formats_accepted(phone):
    data = docgen.example("quotation-letter")
    data["insurer"]["phone"] = phone
    assert docgen.validate("quotation-letter", data).insurer.phone == phone


@pytest.mark.parametrize("phone", ["1234567", "64001234", "138123456789", "021-123", "电话"])
def test_phone_formats_refused(phone):
    data = docgen.example("quotation-letter")
    data["insurer"]["phone"] = phone
    with pytest.raises(InputError, match="电话号码格式不正确"):
        docgen.validate("quotation-letter", data)


def test_amounts_and_percentages_are_checked():
    data = docgen.example("quotation-letter")
    data["quotation"]["rate"] = 120
    data["quotation"]["base"] = "1,200,000.005"
    with pytest.raises(InputError) as caught:
        docgen.validate("quotation-letter", data)
    assert "百分比应在 0 到 100 之间" in str(caught.value) and "金额最多保留两位小数" in str(caught.value)
    data = docgen.example("quotation-letter")
    data["quotation"]["base"], data["quotation"]["rate"] = "1,200,000元", "1.5%"
    model = docgen.validate("quotation-letter", data)
    assert str(model.quotation.base) == "1200000" and str(model.quotation.rate) == "1.5"


def test_a_broker_or_unknown_name_is_not_an_insurer():
    data = docgen.example("owner-notice")
    data["insurer"]["name"] = "明亚保险经纪股份有限公司"
    with pytest.raises(InputError, match="是保险经纪机构，不是保险公司"):
        docgen.validate("owner-notice", data)
    data["insurer"]["name"] = "中国人民财产保险股份有限公司杭州市分公司"
    assert docgen.validate("owner-notice", data)


def test_unknown_keys_and_wrong_shapes_are_named():
    data = docgen.example("briefing-minutes")
    data["meeting"]["attendee"] = []
    data["meeting"]["time"] = 570  # what YAML makes of 9:30
    data["quality_risks"] = []
    with pytest.raises(InputError) as caught:
        docgen.validate("briefing-minutes", data)
    message = str(caught.value)
    assert "meeting.attendee（会议）：不认识的字段" in message
    assert "时间请加引号书写" in message and "quality_risks（工程中可能存在的质量风险）：至少需要 1 项" in message


def test_pack_dependent_requirements_are_listed_together():
    data = docgen.example("owner-notice", "jiyuan-2022")
    del data["project"]["milestones"]["liability_start"]
    data["policy"]["scopes"][0]["scope"] = "roof"
    with pytest.raises(InputError) as caught:
        docgen.render("owner-notice", data)
    message = str(caught.value)
    assert "2 处问题（jiyuan-2022 的要求）" in message
    assert "project.milestones.liability_start" in message and "第四条" in message
    assert "policy.scopes[0].scope" in message and "没有承保范围 “roof”" in message


def test_shanghai_needs_the_policy_scopes_it_does_not_list():
    data = docgen.example("owner-notice", "shanghai-2025")
    del data["policy"]["scopes"]
    with pytest.raises(InputError, match="policy.scopes.*上海的规则包未列承保范围与保险期限"):
        docgen.render("owner-notice", data)


def test_json_schema_has_chinese_titles():
    schema = docgen.get_type("owner-notice").json_schema()
    assert schema["properties"]["insurer"]["title"] == "保险公司"
    assert "pack" in schema["required"]
