"""Every document type, for every pack that mandates it, renders from its example with every
content element the pack requires, the computed values, GB/T 9704 fonts and page, and properties."""
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

import docgen
import docgen.readback
from docgen import catalogue
from corpus.insurers import load_insurers
from corpus.packs import resolve_pack
from docgen.derived import citation

CASES = [(t.id, p.id) for t in docgen.list_types() for p in t.packs()]
_CACHE: dict = {}


def rendered(type_id: str, pack_id: str, tmp_path_factory) -> tuple:
    """(result, text) for the example of a type in a pack, rendered once per session."""
    key = (type_id, pack_id)
    if key not in _CACHE:
        out = tmp_path_factory.mktemp("docgen") / f"{type_id}-{pack_id}.docx"
        data = docgen.example(type_id, pack_id)
        result = docgen.render(type_id, data, pack_id, out)
        _CACHE[key] = (result, docgen.document_text(out))
    return _CACHE[key]


def test_every_type_has_at_least_one_pack():
    assert {t.id for t in docgen.list_types()} == {e.id for e in catalogue.entries()}
    assert all(t.packs() for t in docgen.list_types())
    assert {p.id for p in docgen.get_type("owner-notice").packs()} == {
        "shanghai-2025", "hangzhou-2024", "beijing-2019", "jiyuan-2022"}
    assert {p.id for p in docgen.get_type("coinsurance-agreement").packs()} == {"hangzhou-2024", "beijing-2019"}


@pytest.mark.parametrize("type_id,pack_id", CASES)
def test_example_renders_every_element(type_id, pack_id, tmp_path_factory):
    result, text = rendered(type_id, pack_id, tmp_path_factory)
    doc_type, pack = docgen.get_type(type_id), resolve_pack(pack_id).pack
    mandate = doc_type.mandate(pack)
    assert result.warnings == []
    assert mandate.title in text
    assert f"依据{citation(pack, mandate.cite)}" in text
    for element in mandate.document.elements if mandate.document else []:
        marker = doc_type.markers.get(element.id, element.title)
        assert marker in text, f"{pack_id} 要求的内容“{element.title}”（{element.id}）不在文书中"
    assert "【待补】" not in text and "None" not in text


@pytest.mark.parametrize("type_id,pack_id", CASES)
def test_properties_record_type_template_data_and_pack(type_id, pack_id, tmp_path_factory):
    result, _ = rendered(type_id, pack_id, tmp_path_factory)
    pack = resolve_pack(pack_id).pack
    props = docgen.read_properties(result.path)
    assert props["idi-type"] == type_id
    assert props["idi-pack"] == f"{pack.id}@{pack.version}"
    assert re.fullmatch(r"[0-9a-f]{64}", props["idi-template-sha256"])
    assert props["idi-data-sha256"] == result.data_sha256 and props["idi-draft"] == "false"
    core = Document(str(result.path)).core_properties
    assert core.subject == type_id and pack.id in core.keywords
    assert core.category == docgen.get_type(type_id).title and result.data_sha256 in core.comments


@pytest.mark.parametrize("type_id", sorted({t for t, _ in CASES}))
def test_fonts_and_page_follow_gbt_9704(type_id, tmp_path_factory):
    pack_id = next(p for t, p in CASES if t == type_id)
    result, _ = rendered(type_id, pack_id, tmp_path_factory)
    document = Document(str(result.path))
    section = document.sections[0]
    mm = [round(x.mm) for x in (section.page_width, section.page_height, section.top_margin,
                                section.bottom_margin, section.left_margin, section.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]
    runs = list(document.element.body.iter(qn("w:r")))
    assert runs and all(r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs
                        if r.find(qn("w:t")) is not None)
    east_asia = {r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs}
    assert {"仿宋", "方正小标宋简体"} <= east_asia
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert any(p.style.name == "IDI Title" for p in document.paragraphs)


# ---------------------------------------------------------------------------------------------
# Computed values


def test_quotation_letter_premium_in_figures_and_capital_numerals(tmp_path_factory):
    _, text = rendered("quotation-letter", "shanghai-2025", tmp_path_factory)
    assert "856,000,000.00元×1.2%＝10,272,000.00元" in text
    assert "人民币壹仟零贰拾柒万贰仟元整" in text
    assert "业务部门负责人签字" in text and "保险公司盖章" in text and "至2025年9月7日" in text


def test_briefing_minutes_upload_deadline_on_the_working_day_calendar(tmp_path, tmp_path_factory):
    _, text = rendered("briefing-minutes", "shanghai-2025", tmp_path_factory)
    assert "应于2025年11月4日前完成：交底会后上传初步风险分析报告和风险管理计划（3个工作日内，第七条（二））" in text
    data = docgen.example("briefing-minutes", "shanghai-2025")
    data["meeting"]["date"] = "2025-09-30"  # National Day holiday, then Saturday 11 October is a working day
    text = docgen.document_text(docgen.render("briefing-minutes", data, out_path=tmp_path / "b.docx").path)
    assert "应于2025年10月11日前完成" in text
    hangzhou = docgen.document_text(docgen.render(
        "briefing-minutes", docgen.example("briefing-minutes", "hangzhou-2024"), out_path=tmp_path / "c.docx").path)
    assert "工程中可能存在的质量风险点" in hangzhou and "上传" not in hangzhou


def test_owner_notice_periods_and_cover_start_come_from_the_pack(tmp_path_factory):
    _, hangzhou = rendered("owner-notice", "hangzhou-2024", tmp_path_factory)
    assert "保险责任开始时间为2027年12月31日" in hangzhou  # 竣工验收合格 2025-12-31 + 2 years (第五条)
    for text in ("地基基础和主体结构工程，保险期限10年", "保温工程，保险期限5年", "防水工程，保险期限6年",
                 "保险期限不低于2年（以保险合同约定为准）", "报案电话：95518", "时限为10日内（工作指引 4.3）"):
        assert text in hangzhou
    _, beijing = rendered("owner-notice", "beijing-2019", tmp_path_factory)
    assert "保险期间10年" in beijing and "保险责任开始时间为2023年12月20日" in beijing
    assert "派员现场查勘，时限为2日内（第二十条）" in beijing
    _, shanghai = rendered("owner-notice", "shanghai-2025", tmp_path_factory)
    assert "保险责任开始时间为2028年11月16日" in shanghai and "24 小时保险服务电话" in shanghai
    _, jiyuan = rendered("owner-notice", "jiyuan-2022", tmp_path_factory)
    assert "保险责任开始时间为2025年3月15日" in jiyuan  # from the policy: the pack gives no rule


def test_final_risk_report_counts_and_upload_deadline(tmp_path_factory):
    _, text = rendered("final-risk-report", "shanghai-2025", tmp_path_factory)
    assert "共发现质量缺陷5项，其中严重2项、一般3项；已整改4项，整改率80%；尚未整改1项（D-05）" in text
    assert "最终评估报告出具后上传监管平台，时限为3个工作日内（第七条（四））（期限：2026年9月30日）" in text
    assert "D-01 | 地下室外墙施工缝 | 局部渗水痕迹 | 严重 | 是" in text


def test_denial_notice_deadline_rolls_over_a_rest_day(tmp_path_factory):
    _, shanghai = rendered("denial-notice", "shanghai-2025", tmp_path_factory)
    assert "本通知书应于2026年6月8日前发出" in shanghai  # 2026-06-07 is a Sunday (民法典第二百零三条)
    _, beijing = rendered("denial-notice", "beijing-2019", tmp_path_factory)
    assert "本通知书应于2023年6月7日前发出" in beijing
    assert "第三方检测鉴定机构" in beijing
    _, jiyuan = rendered("denial-notice", "jiyuan-2022", tmp_path_factory)
    assert "仲裁" in jiyuan


def test_coinsurance_agreement_shares_and_premium_split(tmp_path_factory):
    _, hangzhou = rendered("coinsurance-agreement", "hangzhou-2024", tmp_path_factory)
    assert "主承保公司中国人民财产保险股份有限公司杭州市分公司的承保份额为60%" in hangzhou
    assert "保险费合计6,090,000.00元（大写：人民币陆佰零玖万元整）" in hangzhou
    assert "中国平安财产保险股份有限公司浙江分公司 | 从保公司 | 20% | 1,218,000.00元" in hangzhou
    _, beijing = rendered("coinsurance-agreement", "beijing-2019", tmp_path_factory)
    assert "牵头保险公司" in beijing and "成员保险公司" in beijing and "不高于30%" in beijing


def test_announcement_and_warranty_name_the_cover_start(tmp_path_factory):
    for type_id in ("owner-announcement", "quality-warranty-insurance-section", "sales-contract-commitment"):
        _, text = rendered(type_id, "shanghai-2025", tmp_path_factory)
        assert "2028年11月16日" in text


# ---------------------------------------------------------------------------------------------
# The checkers' clause requirements are met by what we generate (a simplified matcher)


PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|[48]00-?\d{3}-?\d{4}|95\d{3})(?!\d)")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
PERIOD = re.compile(r"(\d+)年")


def _entity_present(entity, clause: str) -> bool:
    if entity.kind == "phone":
        return bool(PHONE.search(clause))
    if entity.kind == "insurer":
        return any(i.kind in ("insurer", "branch") for _, _, i in load_insurers().find_in_text(clause))
    if entity.kind == "date":
        return bool(DATE.search(clause))
    if entity.kind == "period":
        return bool(PERIOD.search(clause))
    return any(cue in clause for cue in entity.cues)


CHECKED = [(t.id, p.id) for t in docgen.list_types() if t.checked_as for p in t.packs()
           if p.clauses_for(t.checked_as)]


@pytest.mark.parametrize("type_id,pack_id", CHECKED)
def test_required_clauses_stand_in_one_numbered_clause(type_id, pack_id, tmp_path_factory):
    result, _ = rendered(type_id, pack_id, tmp_path_factory)
    pack, doc_type = resolve_pack(pack_id).pack, docgen.get_type(type_id)
    clauses = [p for p in docgen.readback.paragraphs(result.path) if re.match(r"[一二三四五六七八九十]+、", p)]
    for requirement in pack.clauses_for(doc_type.checked_as):
        matching = [c for c in clauses if all(any(p in c for p in group) for group in requirement.phrases)]
        assert matching, f"{pack_id}/{requirement.id}：没有一个条款同时含有 {requirement.phrases}"
        assert any(all(_entity_present(e, c) for e in requirement.entities) for c in matching), \
            f"{pack_id}/{requirement.id}：条款缺少 {[e.role for e in requirement.entities]}"
        assert not any(n in c for c in matching for n in requirement.negations)


def test_checked_kinds_cover_the_clause_kinds_for_our_documents():
    kinds = {t.checked_as for t in docgen.list_types()}
    assert {"owner-notice", "owner-announcement", "quality-warranty", "sales-contract"} <= kinds
    assert Path(docgen.__file__).with_name("README.md").exists()


@pytest.mark.parametrize("type_id,pack_id", CHECKED)
def test_the_projects_own_checker_passes_what_we_generate(type_id, pack_id, tmp_path_factory):
    """Integration with checkers/: every clause requirement of the pack for the document's kind passes."""
    check = pytest.importorskip("checkers.check")
    result, _ = rendered(type_id, pack_id, tmp_path_factory)
    kind = docgen.get_type(type_id).checked_as
    checked = check.check_file(result.path, check.CheckOptions(jurisdiction=pack_id, kind=kind))
    assert checked.error is None
    failures = [(f.rule, f.status, f.message) for f in checked.findings if f.status != "pass"]
    assert checked.findings and not failures
