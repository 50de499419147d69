"""The regulation enforced at generation: refusals cite the pack and article; guidance warns."""
import pytest

import docgen
from corpus.errors import InputError
from docgen import RuleViolation


def test_final_report_refused_while_a_severe_defect_is_unrectified_in_shanghai():
    data = docgen.example("final-risk-report", "shanghai-2025")
    data["defects"][1]["rectified"] = False
    with pytest.raises(RuleViolation) as caught:
        docgen.render("final-risk-report", data)
    message = str(caught.value)
    assert "沪建规范联〔2025〕2号）第七条（四）" in message and "不得向建设单位提供最终评估报告" in message
    assert "D-02" in message and "shanghai-2025/final-report-withheld" in message


def test_final_report_in_beijing_is_issued_but_states_that_acceptance_is_barred(tmp_path):
    data = docgen.example("final-risk-report", "beijing-2019")
    data["defects"][0]["rectified"] = False
    result = docgen.render("final-risk-report", data, out_path=tmp_path / "r.docx")
    assert any("第十条" in w and "不得通过该建设项目的竣工验收" in w for w in result.warnings)
    text = docgen.document_text(result.path)
    assert "其中1项在竣工时尚未得到实质性整改（D-01）" in text and "不得通过该建设项目的竣工验收" in text


@pytest.mark.parametrize("housing,rate,refused", [("保障房", "1.42", True), ("保障房", "1.43", False),
                                                  ("商品房", "1.49", True), ("商品房", "1.5", False)])
def test_hangzhou_premium_rate_floors(housing, rate, refused):
    data = docgen.example("coinsurance-agreement", "hangzhou-2024")
    data["project"]["housing_type"], data["premium"]["rate"] = housing, rate
    if refused:
        with pytest.raises(RuleViolation, match=f"工作指引 2.2，{housing}工程保险费率不低于"):
            docgen.render("coinsurance-agreement", data)
    else:
        assert docgen.render("coinsurance-agreement", data).content


def test_premium_floor_needs_the_housing_type():
    data = docgen.example("coinsurance-agreement", "hangzhou-2024")
    del data["project"]["housing_type"]
    with pytest.raises(RuleViolation, match="project.housing_type"):
        docgen.render("coinsurance-agreement", data)


def test_coinsurance_lead_share_and_follower_count():
    data = docgen.example("coinsurance-agreement", "hangzhou-2024")
    data["lead"]["share"], data["followers"][0]["share"] = 45, 35
    data["followers"] = data["followers"][:1] + [{**data["followers"][1], "share": 20}]
    with pytest.raises(RuleViolation, match="主承保公司承保份额不得低于50%，本协议为45%"):
        docgen.render("coinsurance-agreement", data)
    data = docgen.example("coinsurance-agreement", "hangzhou-2024")
    data["lead"]["share"] = 80
    data["followers"] = data["followers"][:1]
    with pytest.raises(RuleViolation, match="不少于2家从保（成员）公司，本协议为1家"):
        docgen.render("coinsurance-agreement", data)
    beijing = docgen.example("coinsurance-agreement", "beijing-2019")
    beijing["lead"]["share"], beijing["followers"][0]["share"] = 40, 35  # Beijing sets no lead share
    assert docgen.render("coinsurance-agreement", beijing).warnings == []


def test_coinsurance_shares_must_add_up_and_insurers_not_repeat():
    data = docgen.example("coinsurance-agreement", "hangzhou-2024")
    data["lead"]["share"] = 70
    with pytest.raises(InputError, match="合计应为100%，现为110%"):
        docgen.validate("coinsurance-agreement", data)
    data = docgen.example("coinsurance-agreement", "hangzhou-2024")
    data["followers"][1]["insurer"]["name"] = data["followers"][0]["insurer"]["name"]
    with pytest.raises(InputError, match="重复出现"):
        docgen.validate("coinsurance-agreement", data)


def test_risk_management_fee_mandatory_bound_refuses_guidance_bound_warns():
    beijing = docgen.example("coinsurance-agreement", "beijing-2019")
    beijing["risk_management_fee"] = 31
    with pytest.raises(RuleViolation, match="第十条，风险管理费用不高于保险费的30%，本文书为31%"):
        docgen.render("coinsurance-agreement", beijing)
    hangzhou = docgen.example("coinsurance-agreement", "hangzhou-2024")
    hangzhou["risk_management_fee"] = 10
    result = docgen.render("coinsurance-agreement", hangzhou)
    assert any("工作指引 2.3" in w and "参照标准" in w for w in result.warnings)


def test_a_policy_period_shorter_than_the_pack_is_refused():
    data = docgen.example("owner-notice", "hangzhou-2024")
    data["policy"]["scopes"] = [{"scope": "waterproofing", "years": 5}]
    with pytest.raises(RuleViolation, match="第五条，防水工程的保险期限6年，本文书为5年"):
        docgen.render("owner-notice", data)


def test_late_acts_are_warned_with_their_article():
    data = docgen.example("owner-announcement")
    data["date"] = "2028-10-20"  # cover starts 2028-11-16: the announcement is due a month before
    result = docgen.render("owner-announcement", data)
    assert any("第九条（一）7" in w and "2028年10月16日" in w and "已逾期" in w for w in result.warnings)
    minutes = docgen.example("briefing-minutes")
    minutes["project"]["milestones"]["construction_start"] = "2025-10-20"
    result = docgen.render("briefing-minutes", minutes)
    assert any("第七条（二）" in w and "未早于工程开工" in w for w in result.warnings)


def test_not_mandated_pack_is_refused_with_the_packs_that_do():
    with pytest.raises(docgen.NotMandated, match="未规定《报价函》.*shanghai-2025"):
        docgen.render("quotation-letter", docgen.example("quotation-letter"), "杭州")
