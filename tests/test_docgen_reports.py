"""Risk-management plans and reports: deadlines on the working-day calendar, the pack's rules (refusals
and warnings with their articles), pack-dependent requirements and content."""
import pytest
from PIL import Image as PILImage

import docgen
from corpus.errors import InputError
from docgen import RuleViolation


def text_of(type_id, data, tmp_path, name="out.docx", **kwargs):
    result = docgen.render(type_id, data, out_path=tmp_path / name, **kwargs)
    return result, docgen.document_text(result.path)


# ---------------------------------------------------------------------------------------------
# 初步风险分析报告、风险管理计划 (SH 第七条（二）)


@pytest.mark.parametrize("type_id", ["preliminary-risk-analysis", "risk-management-plan"])
def test_briefing_materials_upload_deadline_and_late_report(type_id, tmp_path):
    data = docgen.example(type_id, "shanghai-2025")
    result, text = text_of(type_id, data, tmp_path)
    assert "时限为3个工作日内（第七条（二））" in text and "最迟于2025年11月4日上传" in text
    assert result.warnings == []
    data["project"]["milestones"]["briefing_meeting"] = "2025-09-30"  # 国庆节, then 10月11日 is a working Saturday
    data["date"] = "2025-10-13"
    result, text = text_of(type_id, data, tmp_path, "late.docx")
    assert "最迟于2025年10月11日上传" in text
    assert any("第七条（二）" in w and "已逾期" in w for w in result.warnings)
    del data["project"]["milestones"]["briefing_meeting"]
    with pytest.raises(InputError, match=r"project.milestones.briefing_meeting.*风险管理交底会召开日期"):
        docgen.render(type_id, data)


def test_preliminary_analysis_counts_risks_by_level(tmp_path):
    _, text = text_of("preliminary-risk-analysis", docgen.example("preliminary-risk-analysis"), tmp_path)
    assert "共识别质量风险6项，其中高风险2项、中风险3项、低风险1项" in text
    assert "总建筑面积52300平方米，共12栋、1020户" in text and "856,000,000.00元" in text


def test_risk_management_plan_lists_the_packs_reports_and_open_points(tmp_path):
    _, text = text_of("risk-management-plan", docgen.example("risk-management-plan"), tmp_path)
    assert "保险公司或风险管理机构委托的检测数量不低于工程建设单位委托验收检测数量的5%（第九条（五）1）" in text
    assert "风控人员人数不少于10人（第四条）" in text
    assert "不得向建设单位提供最终评估报告（第七条（四））" in text
    assert "施工单位整改时限" in text and "未给出时限" in text


# ---------------------------------------------------------------------------------------------
# 工程质量风险评估实施方案 (BJ 第十七条, HZ 第十条)


def test_assessment_plan_inspection_frequency_is_enforced_where_the_pack_sets_it(tmp_path):
    data = docgen.example("risk-assessment-plan", "hangzhou-2024")
    _, text = text_of("risk-assessment-plan", data, tmp_path)
    assert "不低于2次/月（工作指引 3.3）" in text
    assert "基本险：地基基础和主体结构工程、保温工程、防水工程" in text
    data["schedule"][1]["inspections_per_month"] = 1
    with pytest.raises(RuleViolation, match=r"工作指引 3.3.*主体结构阶段（1次/月）"):
        docgen.render("risk-assessment-plan", data)
    beijing = docgen.example("risk-assessment-plan", "beijing-2019")
    beijing["schedule"][1]["inspections_per_month"] = 1
    _, text = text_of("risk-assessment-plan", beijing, tmp_path, "b.docx")  # 北京未规定频次
    assert "未规定时限、检查频次" in text and "附加险按保险合同约定" in text


def test_assessment_plan_made_with_the_contract_before_the_event(tmp_path):
    data = docgen.example("risk-assessment-plan", "beijing-2019")
    _, text = text_of("risk-assessment-plan", data, tmp_path)
    assert "须在办理施工许可（2023年3月10日）之前" in text
    assert "保险期间届满后交房的，建设单位交房前通知保险公司、业主共同验收，时限为提前15日（第五条）" in text
    data["date"] = "2023-03-10"
    result, _ = text_of("risk-assessment-plan", data, tmp_path, "late.docx")
    assert any("第十条" in w and "未早于办理施工许可" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# 过程检查报告 (HZ 工作指引 3.3, BJ 第十八条, JY 第九条)


def test_process_report_headings_follow_the_pack_and_count_rectification(tmp_path):
    _, hangzhou = text_of("process-inspection-report", docgen.example("process-inspection-report"), tmp_path)
    for heading in ("检查情况的描述", "存在的质量缺陷", "缺陷处理建议", "潜在缺陷风险分析"):
        assert heading in hangzhou
    assert "共5项（严重2项、一般3项），已整改2项，整改率40%；尚未整改3项（D-07、D-08、D-09）" in hangzhou
    assert "以往检查发现、本次复查的缺陷2项，已整改2项" in hangzhou
    assert "D-07 | 4#楼13层阳台悬挑板 | 负筋保护层偏大，有效高度不足 | 严重 | 浙江宏图建工集团有限公司 | " \
           "限期整改（2025年9月19日前）" in hangzhou
    assert "由建设单位书面回复保险公司和风险管理机构（工作指引 3.3）" in hangzhou
    _, jiyuan = text_of("process-inspection-report", docgen.example("process-inspection-report", "jiyuan-2022"),
                        tmp_path, "j.docx")
    assert "处理意见和建议" in jiyuan and "还应报送给当地建设行政主管部门或受其委托的监督机构（第九条）" in jiyuan


def test_process_report_needs_the_risk_analysis_only_where_the_pack_asks(tmp_path):
    data = docgen.example("process-inspection-report")
    data["risk_analysis"] = []
    with pytest.raises(InputError, match="risk_analysis.*潜在缺陷风险分析"):
        docgen.render("process-inspection-report", data)
    beijing = docgen.example("process-inspection-report", "beijing-2019")
    beijing["risk_analysis"] = []
    _, text = text_of("process-inspection-report", beijing, tmp_path)
    assert "未发现对保险责任内容构成新增潜在缺陷风险" in text
    beijing["date"] = "2023-09-15"
    with pytest.raises(InputError, match="报告日期.*早于检查日期"):
        docgen.render("process-inspection-report", beijing)


def test_process_report_embeds_defect_photos(tmp_path):
    PILImage.new("RGB", (120, 90), (160, 160, 160)).save(tmp_path / "d07.png")
    data = docgen.example("process-inspection-report")
    data["defects"][0]["photo"] = "d07.png"
    result = docgen.render("process-inspection-report", data, out_path=tmp_path / "p.docx", base_dir=tmp_path)
    from docx import Document
    assert len(Document(str(result.path)).inline_shapes) == 1


# ---------------------------------------------------------------------------------------------
# 分户验收、预看房专项检查报告 (SH 第八条（三）, 第九条（一）4)


def test_household_report_notice_and_upload_deadlines(tmp_path):
    data = docgen.example("household-inspection-report")
    result, text = text_of("household-inspection-report", data, tmp_path)
    assert result.warnings == []
    assert "至少提前10个工作日（第九条（一）4），即最迟于2026年7月27日通知" in text and "符合规定" in text
    assert "本报告最迟于2026年8月19日上传" in text and "抽查比例10%" in text
    data["inspection"]["notified_on"] = "2026-07-28"
    data["result"] = "不合格"
    result, text = text_of("household-inspection-report", data, tmp_path, "late.docx")
    assert "晚于规定期限" in text and "分户验收不合格。建设单位分户验收不合格" in text
    assert len(result.warnings) == 2
    assert any("已逾期" in w for w in result.warnings)
    assert any("第九条（一）4" in w and "不得组织竣工验收" in w for w in result.warnings)


def test_pre_viewing_report_warns_while_problems_are_open(tmp_path):
    data = docgen.example("pre-viewing-report")
    _, text = text_of("pre-viewing-report", data, tmp_path)
    assert "分户验收结论" not in text and "质量预看房日期 | 2026年8月29日" in text
    data["defects"][2]["rectified"] = False
    result, text = text_of("pre-viewing-report", data, tmp_path, "open.docx")
    assert "质量预看房问题未整改完毕（Y-03）" in text
    assert any("不得组织竣工验收" in w for w in result.warnings)
    data["inspection"]["units_checked"] = 2000
    with pytest.raises(InputError, match="抽查户数"):
        docgen.render("pre-viewing-report", data)
    del data["project"]["milestones"]
    with pytest.raises(InputError, match="project.milestones.pre_viewing"):
        docgen.render("pre-viewing-report", data)


# ---------------------------------------------------------------------------------------------
# 检测计划 (SH 第九条（五）)


def test_test_plan_ratio_is_refused_below_five_percent_exactly(tmp_path):
    data = docgen.example("test-plan")
    _, text = text_of("test-plan", data, tmp_path)
    assert "外窗三性 | 36樘 | 2樘 | 5.6%" in text and "时限为12小时内（第九条（五）2）" in text
    data["items"][0]["count"] = 17  # 17/360 = 4.72%
    with pytest.raises(RuleViolation, match=r"第九条（五）1.*混凝土抗压强度（17组"):
        docgen.render("test-plan", data)
    data["items"][0].update(count=248, developer_count=5000)  # 4.96% prints as 5% but is below it
    with pytest.raises(RuleViolation, match="混凝土抗压强度"):
        docgen.render("test-plan", data)


def test_test_plan_confirmed_after_testing_starts_is_warned(tmp_path):
    data = docgen.example("test-plan")
    data["confirmation"]["signed_on"] = "2026-03-20"
    result, _ = text_of("test-plan", data, tmp_path)
    assert any("经委托方确认后方可开展检测工作" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# 应急预案 (SH 第七条（八）, HZ 第十七条, BJ 第二十三条)


def test_shanghai_emergency_plan_must_cover_every_situation_it_names():
    data = docgen.example("emergency-plan", "shanghai-2025")
    data["situations"] = [s for s in data["situations"] if s["kind"] != "极端灾害天气"]
    with pytest.raises(InputError, match="“极端灾害天气”的处置（第七条（八））"):
        docgen.render("emergency-plan", data)


def test_first_repair_time_is_the_contracts_or_the_gap_is_said(tmp_path):
    data = docgen.example("emergency-plan", "beijing-2019")
    _, text = text_of("emergency-plan", data, tmp_path)
    assert "收到索赔申请后的合同约定时限内先行组织维修，同时完成现场查勘（第二十三条）" in text
    assert "保险合同约定的先行组织维修时限：收到索赔申请后24小时内" in text
    assert "作为保险合同的附件（第十条）" in text and "建设单位确认：北京怡和置业有限公司" in text
    del data["first_repair"]
    _, text = text_of("emergency-plan", data, tmp_path, "gap.docx")
    assert "影响基本生活的索赔先行维修时限：按“合同约定时限”，办法未给出数值" in text
    hangzhou = docgen.example("emergency-plan", "hangzhou-2024")
    hangzhou["situations"] = [s for s in hangzhou["situations"] if s["kind"] != "影响基本生活的索赔"]
    with pytest.raises(InputError, match="影响基本生活的索赔"):
        docgen.render("emergency-plan", hangzhou)
    _, shanghai = text_of("emergency-plan", docgen.example("emergency-plan"), tmp_path, "sh.docx")
    assert "七、预案管理" in shanghai and "先行组织维修" not in shanghai


# ---------------------------------------------------------------------------------------------
# 设计风险管理评估报告 (SH 第八条（一）)


def test_design_report_tracks_items_to_closure(tmp_path):
    data = docgen.example("design-risk-report")
    _, text = text_of("design-risk-report", data, tmp_path)
    assert "共提出设计质量风险4项（其中严重2项），已销项2项，销项率50%；尚未销项2项（A-03、A-04）" in text
    assert "A-04 | 尚未回复 | 未销项" in text
    assert "建设单位应将所有审查通过的设计文件及时上传至监管平台（第九条（一）3）" in text
    data["items"][1]["closed"] = False
    _, text = text_of("design-risk-report", data, tmp_path, "open.docx")
    assert "尚未销项的严重设计质量风险：S-02" in text
    del data["project"]["designer"]
    with pytest.raises(InputError, match="project.designer"):
        docgen.render("design-risk-report", data)


# ---------------------------------------------------------------------------------------------
# 工作检查计划 (SH 第七条（三）, HZ 工作指引 3.2)


def test_work_inspection_plan_issuer_and_hangzhou_assessment_first(tmp_path):
    _, shanghai = text_of("work-inspection-plan", docgen.example("work-inspection-plan"), tmp_path)
    assert "督促风控人员和项目经理" in shanghai and "六、对风险管理机构的考核和飞行检查" in shanghai
    data = docgen.example("work-inspection-plan", "hangzhou-2024")
    _, hangzhou = text_of("work-inspection-plan", data, tmp_path, "h.docx")
    assert "风险管理机构浙江中浩工程风险管理有限公司受保险公司" in hangzhou and "（二）质量风险评估" in hangzhou
    data["schedule"][0]["inspections_per_month"] = 1
    with pytest.raises(RuleViolation, match="工作指引 3.3"):
        docgen.render("work-inspection-plan", data)
    data["risks"] = []
    with pytest.raises(InputError, match=r"risks.*工作指引 3.2"):
        docgen.render("work-inspection-plan", data, draft=False)


# ---------------------------------------------------------------------------------------------
# 保险理赔方案 (HZ 第十条), 出险查勘和理赔保修流程 (JX 三（七）), 理赔操作规程 (BJ 第二十条)


def test_claims_step_longer_than_the_pack_allows_is_refused(tmp_path):
    data = docgen.example("claims-procedure-rules", "beijing-2019")
    _, text = text_of("claims-procedure-rules", data, tmp_path)
    assert "本规程制定后向保险监管部门报告" in text and "现场查勘 | 派员会同物业服务企业到现场查勘、取证 | 2日内" in text
    data["standards"][1]["days"] = 3
    data["standards"][2]["days"] = 8
    with pytest.raises(RuleViolation) as refused:
        docgen.render("claims-procedure-rules", data)
    assert "派员现场查勘的时限为2日内，本文书“现场查勘”为3日" in str(refused.value)
    assert "作出核定的时限为7日内，本文书“索赔核定”为8日" in str(refused.value)
    data["standards"][1].update(days=None, hours=49)
    data["standards"][2]["days"] = 7
    with pytest.raises(RuleViolation, match="49小时"):
        docgen.render("claims-procedure-rules", data)


def test_claims_plan_states_the_contracts_survey_time_where_the_pack_leaves_it(tmp_path):
    data = docgen.example("claims-plan", "hangzhou-2024")
    _, text = text_of("claims-plan", data, tmp_path)
    assert "维修质保期180日（工作指引 4.4）" in text and "确认人：林海" in text
    assert "参建单位与风险管理机构" not in text  # not a dispute an owner's claim meets
    data["standards"] = [s for s in data["standards"] if s["step"] != "现场查勘"]
    with pytest.raises(InputError, match="“现场查勘”的时限，须按保险合同约定写明（第十五条"):
        docgen.render("claims-plan", data)
    _, jiaxing = text_of("claims-procedure", docgen.example("claims-procedure"), tmp_path, "j.docx")
    assert "四、出险查勘" in jiaxing and "五、理赔保修" in jiaxing
    assert "通知未规定现场查勘、核定、赔付、不予赔偿通知等任何时限" in jiaxing


# ---------------------------------------------------------------------------------------------
# 统计分析报告 (JX 三（九）, JY 第十六条), 整改书面回复 (HZ 工作指引 3.3)


def test_platform_report_totals_and_consistency(tmp_path):
    data = docgen.example("platform-report", "jiyuan-2022")
    _, text = text_of("platform-report", data, tmp_path)
    assert text.splitlines()[3] == "住房城乡建设主管部门："
    assert "项目2个，共开展检查8次，发现质量缺陷10项（其中严重缺陷1项），已整改9项，整改率90%" in text
    assert "结案1件（结案率50%）" in text and "18,600.00元" in text and "未规定频次" in text
    data["claims"]["closed"] = 3
    data["period_end"] = "2022-12-31"
    with pytest.raises(InputError, match=r"(?s)period_end.*统计期间止早于统计期间起.*结案件数不应多于受理件数"):
        docgen.render("platform-report", data)


def test_rectification_reply_photos_and_confirmation_order(tmp_path):
    PILImage.new("RGB", (120, 90), (200, 200, 200)).save(tmp_path / "before.png")
    PILImage.new("RGB", (120, 90), (90, 90, 90)).save(tmp_path / "after.png")
    data = docgen.example("rectification-reply", "hangzhou-2024")
    data["items"][0].update(before="before.png", after="after.png")
    result = docgen.render("rectification-reply", data, out_path=tmp_path / "r.docx", base_dir=tmp_path)
    from docx import Document
    assert len(Document(str(result.path)).inline_shapes) == 2
    text = docgen.document_text(result.path)
    assert "D-07（4#楼13层阳台悬挑板）：D-07整改过程.mp4" in text and "未规定整改和书面回复的时限" in text
    data["developer_confirmation"]["signed_on"] = "2025-09-30"
    data["items"][1]["after"] = "missing.png"
    with pytest.raises(InputError, match=r"(?s)items\[1\].after.*照片文件不存在.*应先经确认再回复"):
        docgen.render("rectification-reply", data, base_dir=tmp_path)
