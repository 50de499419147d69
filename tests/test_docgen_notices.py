"""The notices, letters, applications and minutes between the parties: values computed from the
pack (deadlines on the working-day calendar, cover ends, the pack's own words) and the rules."""
import io

import pytest
from docx import Document

import docgen
from corpus.errors import InputError


def text_of(type_id: str, data: dict, pack=None) -> tuple[str, list[str]]:
    result = docgen.render(type_id, data, pack)
    body = Document(io.BytesIO(result.content)).element.body
    lines = []
    for node in body.iter():
        if node.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in node.iter() if t.tag.endswith("}t")))
    return "\n".join(lines), result.warnings


def example(type_id: str, pack=None) -> dict:
    return docgen.example(type_id, pack)


# ---------------------------------------------------------------------------------------------
# 风险管理授权书 (杭州)


def test_authorization_lists_the_packs_checks_and_reports():
    text, warnings = text_of("risk-management-authorization", example("risk-management-authorization"))
    assert warnings == []
    assert "每个月至少开展两次过程质量检查（工作指引 3.3）" in text
    assert "《质量风险过程检查报告》（工作指引 3.3）" in text and "《质量风险最终检查报告》（工作指引 3.4）" in text
    assert "工程参建单位应当配合提供便利条件，不得妨碍风险管理工作（第十一条）" in text
    data = example("risk-management-authorization")
    del data["valid_until"]
    text, _ = text_of("risk-management-authorization", data)
    assert "规定未载授权期限，按委托合同约定" in text


def test_authorization_refuses_a_participant_as_risk_manager_and_warns_before_the_contract():
    data = example("risk-management-authorization")
    data["risk_manager"]["name"] = data["project"]["supervisor"]["name"]
    with pytest.raises(docgen.RuleViolation, match="rmo-independence"):
        docgen.render("risk-management-authorization", data)
    data = example("risk-management-authorization")
    data["date"] = "2024-04-15"
    _, warnings = text_of("risk-management-authorization", data)
    assert len(warnings) == 1 and "早于委托合同签订日期2024年4月18日" in warnings[0]


# ---------------------------------------------------------------------------------------------
# 保险责任范围说明书 (上海)


def test_coverage_statement_upload_deadline_on_working_days_and_cover_ends():
    text, _ = text_of("coverage-statement", example("coverage-statement"))
    assert "保险公司应于2026年11月25日前完成：用户告知书、责任范围说明书交建设单位后上传监管平台（3个工作日内，第七条（五））" in text
    assert "保险责任开始时间为2028年11月16日" in text
    assert "地基基础和主体结构工程的保险期限至2038年11月15日止" in text
    assert "保险索赔主体应当为房屋所有权人（第十二条）" in text and "180日（第十四条）" in text
    data = example("coverage-statement")
    data["project"]["milestones"]["notices_handed_over"] = "2026-09-30"  # then the National Day holiday
    text, _ = text_of("coverage-statement", data)
    assert "应于2026年10月10日前完成" in text


def test_coverage_statement_warns_where_the_calendar_cannot_date_the_upload():
    data = example("coverage-statement")
    data["project"]["milestones"]["notices_handed_over"] = data["date"] = "2031-03-03"
    text, warnings = text_of("coverage-statement", data)
    assert "保险公司：用户告知书、责任范围说明书交建设单位后上传监管平台" in text
    assert any("期限未能计算" in w and "法定节假日安排" in w for w in warnings)


def test_coverage_statement_before_completion_is_warned():
    data = example("coverage-statement")
    data["date"] = "2026-10-20"
    _, warnings = text_of("coverage-statement", data)
    assert any("早于竣工验收合格日期2026年10月28日" in w for w in warnings)


# ---------------------------------------------------------------------------------------------
# 回访工作告知书、理赔交底会议纪要 (上海)


def test_revisit_notice_dates_what_falls_due_before_cover_starts():
    text, warnings = text_of("revisit-notice", example("revisit-notice"))
    assert warnings == []
    assert "应于2028年9月16日前完成：理赔责任期开始前召开理赔交底会（提前2个月，第七条（七））" in text
    assert "应于2028年10月16日前完成：保险责任期开始前向全体业主公告（至少提前1个月，第九条（一）7）" in text
    data = example("revisit-notice")
    data["date"] = "2027-06-20"
    _, warnings = text_of("revisit-notice", data)
    assert any("在首次回访时签署" in w for w in warnings)
    del data["project"]["builder"]
    with pytest.raises(InputError, match="project.builder"):
        docgen.render("revisit-notice", data)


def test_claims_briefing_deadline_and_late_meeting():
    text, _ = text_of("claims-briefing-minutes", example("claims-briefing-minutes"))
    for element in ("二、保险责任。", "三、保险范围和保险期限。", "四、理赔申请流程。", "五、理赔交割查验手续"):
        assert element in text
    assert "应于2028年9月16日前完成：理赔责任期开始前召开理赔交底会" in text
    assert "2028年9月5日，建设单位组织施工单位会同保险公司" in text
    assert "共同查验工程质量（至少提前2个月" not in text  # done: not listed again as a follow-up
    data = example("claims-briefing-minutes")
    data["meeting"]["date"] = data["date"] = "2028-10-08"
    data["handover"]["inspected_on"] = "2028-09-20"
    _, warnings = text_of("claims-briefing-minutes", data)
    assert any("claims-briefing" in w and "2028年10月8日，已逾期" in w for w in warnings)
    assert any("joint-inspection" in w and "共同查验日期为2028年9月20日" in w for w in warnings)


# ---------------------------------------------------------------------------------------------
# 争议鉴定申请书 (上海)


def test_dispute_application_says_what_the_regulation_leaves_open():
    data = example("dispute-appraisal-application")
    del data["reply_days"]
    text, warnings = text_of("dispute-appraisal-application", data)
    assert warnings == []
    assert "请在收到本申请书后及时书面答复（上海的规定未规定答复期限）" in text
    assert "上海的规定未明确鉴定费用由哪一方承担" in text
    assert "提议共同委托具有相应资质的第三方鉴定机构" in text


def test_dispute_application_refuses_a_respondent_on_the_applicants_side_and_warns_after_cover():
    data = example("dispute-appraisal-application")
    data["respondents"].append({"role": "房屋所有权人", "name": "张三"})
    with pytest.raises(InputError, match="不能与申请人同为“房屋所有权人”"):
        docgen.render("dispute-appraisal-application", data)
    data = example("dispute-appraisal-application")
    data["project"]["milestones"] = {"liability_start": "2018-01-01"}
    data["policy"]["scopes"] = [{"title": "保温和防水工程", "years": 5}]
    _, warnings = text_of("dispute-appraisal-application", data)
    assert any("已于2022年12月31日届满" in w for w in warnings)


# ---------------------------------------------------------------------------------------------
# 投保情况书面告知（致参建单位） (杭州、北京)


def test_participant_notice_in_each_packs_words():
    hangzhou, _ = text_of("participant-notice", example("participant-notice", "hangzhou-2024"))
    assert "主承保公司为中国人民财产保险股份有限公司杭州市分公司" in hangzhou and "从保公司为" in hangzhou
    assert "防水工程，保险期限6年" in hangzhou
    assert "依照规定，工程参建单位应当配合提供便利条件，不得妨碍风险管理工作（第十一条）" in hangzhou
    beijing, _ = text_of("participant-notice", example("participant-notice", "beijing-2019"))
    assert "牵头保险公司为" in beijing and "成员保险公司为" in beijing
    assert "保温和防水工程，保险期间5年" in beijing and "自竣工验收合格之日起满2年之日起算（第五条）" in beijing
    assert "并不因建设单位投保缺陷保险而免责（第二十四条）" in beijing
    assert "书面告知参建单位" not in beijing  # the duty to notify is the basis, not a duty of the recipients


def test_participant_notice_warns_without_co_insurers_where_co_insurance_is_the_rule():
    data = example("participant-notice", "beijing-2019")
    data["coinsurers"] = []
    _, warnings = text_of("participant-notice", data)
    assert any("承保采取共保模式" in w and "coinsurance-mandatory" in w for w in warnings)
    data = example("participant-notice", "hangzhou-2024")
    data["coinsurers"], data["date"] = [], "2024-04-01"
    _, warnings = text_of("participant-notice", data)
    assert len(warnings) == 1 and "早于保险合同签订日期" in warnings[0]


# ---------------------------------------------------------------------------------------------
# 代位追偿告知函 (上海)


def test_subrogation_notice_rests_on_the_insurance_law_and_the_pack():
    text, _ = text_of("subrogation-notice", example("subrogation-notice"))
    assert "《中华人民共和国保险法》第六十条" in text
    assert "在保险公司实施代位追偿过程中，建设单位应积极配合保险公司进行事故原因调查（第十六条）" in text
    assert "三、配合联合查勘、证据保全、资料收集。请贵单位于2029年4月18日 09:30派员" in text
    data = example("subrogation-notice")
    data["date"] = "2029-04-01"
    with pytest.raises(InputError, match="早于报案日期"):
        docgen.render("subrogation-notice", data)


# ---------------------------------------------------------------------------------------------
# 共同验收通知 (北京、济源)


def test_joint_inspection_notice_dates_the_expiry_the_deadline_and_the_six_months():
    text, warnings = text_of("joint-inspection-notice", example("joint-inspection-notice", "beijing-2019"))
    assert warnings == []
    assert "保温和防水工程的保险期间（5年）已于2024年4月9日届满" in text
    assert "本通知应于2024年4月13日前发出" in text
    assert "业主在交房之日起6个月内，发现承保范围内的建筑存在质量缺陷的，由保险公司承担维修或赔偿责任（第五条），" \
           "本项目该期间至2024年10月28日止" in text
    jiyuan, _ = text_of("joint-inspection-notice", example("joint-inspection-notice", "jiyuan-2022"))
    assert "若存在质量缺陷，由建设单位承担赔偿责任（第四条）" in jiyuan and "6个月" not in jiyuan
    assert "属于保险期限届满后交房的住宅工程" in jiyuan


def test_joint_inspection_notice_rules():
    data = example("joint-inspection-notice", "beijing-2019")
    data["date"], data["inspection"]["date"] = "2024-04-20", "2024-04-28"
    _, warnings = text_of("joint-inspection-notice", data)
    assert any("本通知日期为2024年4月20日，已逾期" in w for w in warnings)
    assert any("共同验收应在交房前进行" in w for w in warnings)
    data = example("joint-inspection-notice", "beijing-2019")
    data["project"]["milestones"]["completion_accepted"] = "2020-04-10"
    data["date"] = "2024-04-10"
    _, warnings = text_of("joint-inspection-notice", data)
    assert any("请核实是否需要发出本通知" in w for w in warnings)
    data = example("joint-inspection-notice", "jiyuan-2022")
    del data["project"]["milestones"]["liability_start"]
    with pytest.raises(InputError, match="liability_start"):
        docgen.render("joint-inspection-notice", data)


# ---------------------------------------------------------------------------------------------
# 核定结果通知 (北京、济源)


def test_determination_notice_deadlines_and_both_outcomes():
    beijing, warnings = text_of("determination-notice", example("determination-notice", "beijing-2019"))
    assert warnings == []
    assert "保险公司应于2023年6月7日前完成：收到索赔申请后作出核定（7日内，第二十条）" in beijing
    assert "上述损失属于保险责任范围" in beijing and "大写：人民币壹万捌仟陆佰元整" in beijing
    assert "达成赔偿协议后履行维修或赔偿义务，时限为7日内（第二十条）" in beijing
    jiyuan, _ = text_of("determination-notice", example("determination-notice", "jiyuan-2022"))
    assert "不属于保险责任范围" in jiyuan and "应于2023年6月9日前完成：发出不予赔偿通知书（3日内，第十三条）" in jiyuan
    assert "济源市虎岭物业服务有限公司受中国平安财产保险股份有限公司河南分公司委托" in jiyuan


def test_determination_notice_late_and_complex():
    data = example("determination-notice", "beijing-2019")
    data["claim"]["determined_on"] = data["date"] = "2023-06-12"
    data["claim"]["surveyed_on"] = "2023-06-05"
    _, warnings = text_of("determination-notice", data)
    assert any("claim-survey" in w and "现场查勘日期为2023年6月5日" in w for w in warnings)
    assert any("claim-determination" in w and "核定日期为2023年6月12日" in w for w in warnings)
    data["claim"]["complex"], data["claim"]["surveyed_on"] = True, "2023-06-01"
    text, warnings = text_of("determination-notice", data)
    assert warnings == [] and "应于2023年6月30日前完成" in text and "本索赔情形复杂" in text


# ---------------------------------------------------------------------------------------------
# 保障基金：先行维修申请、补足约定；全部买受人书面同意 (杭州)


def test_fund_repair_application_dates_and_condition():
    text, warnings = text_of("fund-repair-application", example("fund-repair-application"))
    assert warnings == [] and "本项维修主张的上述期间至2025年5月3日届满" in text
    assert "建设单位应于2025年3月6日前完成：建设单位派员现场查看首次维修主张（3日内，第二十条）" in text
    assert "维修保障期间为2024年12月30日起至保险期限开始（2026年6月30日）前" in text
    data = example("fund-repair-application")
    data["date"] = "2025-04-20"
    _, warnings = text_of("fund-repair-application", data)
    assert any("本申请日期为2025年4月20日" in w for w in warnings)
    data["claim"]["agreed"] = data["claim"]["started"] = True
    with pytest.raises(docgen.RuleViolation, match="不符合申请使用保障基金先行维修的条件"):
        docgen.render("fund-repair-application", data)


def test_fund_replenishment_before_cover_starts():
    text, _ = text_of("fund-replenishment-agreement", example("fund-replenishment-agreement"))
    assert "本项目保险期限自2026年6月30日开始" in text and "合计49,300.00元" in text
    assert "计为210,000.00元" in text and "本项目为630,000.00元" in text
    data = example("fund-replenishment-agreement")
    data["pay_by"] = "2026-06-30"
    with pytest.raises(docgen.RuleViolation, match="fund-replenishment"):
        docgen.render("fund-replenishment-agreement", data)


def test_buyer_consent_needs_every_buyer():
    data = example("buyer-consent")
    data["sold_units"] = 5
    with pytest.raises(docgen.RuleViolation, match="已销售5套，本同意书仅列4位买受人"):
        docgen.render("buyer-consent", data)
    data = example("buyer-consent")
    data["change"], data["term_changes"] = "解除保险合同", []
    text, _ = text_of("buyer-consent", data)
    assert "凭保险保单免予交存物业保修金" in text and "均不得擅自解除保险合同（第二十一条）" in text
    data["change"] = "变更保险公司"
    with pytest.raises(InputError, match="new_insurer"):
        docgen.render("buyer-consent", data)


# ---------------------------------------------------------------------------------------------
# 建设单位与保险公司权利义务协议 (济源)、风险管理委托合同 (杭州、北京、上海)


def test_developer_insurer_agreement_assigns_the_packs_duties():
    text, _ = text_of("developer-insurer-agreement", example("developer-insurer-agreement"))
    assert "（一）甲方的权利义务" in text and "由建设单位负责组织维修（第四条）" in text
    assert "保险公司应当建立工程质量保险信息平台" in text and "提交济源仲裁委员会仲裁" in text
    data = example("developer-insurer-agreement")
    del data["arbitration_commission"]
    with pytest.raises(InputError, match="仲裁委员会"):
        docgen.render("developer-insurer-agreement", data)
    data["dispute"] = "诉讼"
    text, _ = text_of("developer-insurer-agreement", data)
    assert "依法向有管辖权的人民法院提起诉讼" in text


def test_risk_management_contract_fee_and_order_follow_the_pack():
    data = example("risk-management-contract", "hangzhou-2024")
    data["fee"]["percent"] = 14
    _, warnings = text_of("risk-management-contract", data)
    assert any("risk-management-fee-min" in w and "参照标准" in w for w in warnings)
    data = example("risk-management-contract", "beijing-2019")
    data["fee"]["percent"] = 31
    with pytest.raises(docgen.RuleViolation, match="risk-management-fee-max"):
        docgen.render("risk-management-contract", data)
    data = example("risk-management-contract", "beijing-2019")
    data["date"] = "2019-06-01"
    _, warnings = text_of("risk-management-contract", data)
    assert any("应在保险合同签订后签订" in w for w in warnings)
    data = example("risk-management-contract", "shanghai-2025")
    data["date"] = "2025-09-30"
    _, warnings = text_of("risk-management-contract", data)
    assert any("应在保险合同签订前签订" in w and "第七条（一）" in w for w in warnings)
    data = example("risk-management-contract", "hangzhou-2024")
    data["risk_manager"]["name"] = data["project"]["builder"]["name"]
    with pytest.raises(docgen.RuleViolation, match="rmo-independence"):
        docgen.render("risk-management-contract", data)


# ---------------------------------------------------------------------------------------------
# 保险合同 (五个规则包)


def test_insurance_contract_is_composed_from_each_pack():
    hangzhou, warnings = text_of("insurance-contract", example("insurance-contract", "hangzhou-2024"))
    assert warnings == []
    assert "本合同不设免赔额。依照规定，住宅质量保险不得设置免赔额度（第七条）" in hangzhou
    assert "为基本险，其他工程（装修、电气管线给排水设备安装、供热与供冷）为附加险" in hangzhou
    assert "主承保公司中国人民财产保险股份有限公司杭州市分公司的承保份额为60%" in hangzhou
    assert "《工程质量风险评估实施方案》《保险理赔方案》《住宅质量保险告知书》" in hangzhou
    beijing, _ = text_of("insurance-contract", example("insurance-contract", "beijing-2019"))
    assert "保险费中含风险管理费用1,520,000.00元，占保险费的25%（风险管理费用上限：不高于30%，第十条）" in beijing
    assert "保险人在收到索赔申请后24小时内先行组织维修" in beijing and "基本险不计免赔额" in beijing
    jiaxing, _ = text_of("insurance-contract", example("insurance-contract", "jiaxing-2018"))
    assert "装修工程（第9项）的保险期限为2年" in jiaxing and "嘉兴的规定未规定理赔时限" in jiaxing
    jiyuan, _ = text_of("insurance-contract", example("insurance-contract", "jiyuan-2022"))
    assert "保险责任开始时间：自竣工验收备案之日起满1年之日起算" in jiyuan and "提交济源仲裁委员会仲裁" in jiyuan


def test_insurance_contract_rules():
    data = example("insurance-contract", "beijing-2019")
    data["followers"], data["lead_share"] = [], None
    with pytest.raises(docgen.RuleViolation, match="coinsurance-mandatory"):
        docgen.render("insurance-contract", data)
    data = example("insurance-contract", "beijing-2019")
    data["risk_management_fee"] = 35
    with pytest.raises(docgen.RuleViolation, match="risk-management-fee-max"):
        docgen.render("insurance-contract", data)
    data = example("insurance-contract", "hangzhou-2024")
    data["deductible"], data["premium"]["rate"] = "每次事故免赔额人民币1000元", 1.2
    with pytest.raises(docgen.RuleViolation) as refused:
        docgen.render("insurance-contract", data)
    assert "hangzhou-2024/deductible" in str(refused.value) and "premium-rate-min-affordable" in str(refused.value)
    data = example("insurance-contract", "hangzhou-2024")
    data["date"] = "2024-06-01"
    _, warnings = text_of("insurance-contract", data)
    assert any("contract-signing" in w for w in warnings)
    data["policy"]["scopes"] = []
    with pytest.raises(InputError, match="其他工程"):
        docgen.render("insurance-contract", data)
    data = example("insurance-contract", "jiyuan-2022")
    del data["liability_start"]
    with pytest.raises(InputError, match="liability_start"):
        docgen.render("insurance-contract", data)
    data = example("insurance-contract", "beijing-2019")
    del data["emergency_repair"]
    with pytest.raises(InputError, match="emergency_repair"):
        docgen.render("insurance-contract", data)
