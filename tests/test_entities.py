"""Entity extractors and the matching primitives of the requirement engine."""
from decimal import Decimal

import pytest

from checkers import entities
from checkers.matching import Hit, exact_hits, fuzzy_hits, negated


@pytest.mark.parametrize("raw", [
    "021-61234567", "021 6123 4567", "(021)61234567", "0571-87654321", "13812345678", "+86 138 1234 5678",
    "400-820-8888", "800-820-8888", "95518", "95500", "021-61234567转8001",
])
def test_valid_phones(raw):
    assert entities.phone_problem(raw) is None


@pytest.mark.parametrize("raw, reason", [
    ("021-123", "不是有效的电话号码"), ("1381234567", "不是有效的电话号码"), ("61234567", "缺少区号"),
    ("12812345678", "不是有效的电话号码"),
])
def test_invalid_phones(raw, reason):
    assert reason in entities.phone_problem(raw)


def test_phones_skip_dates_amounts_and_article_numbers():
    text = "2026年1月5日起，面积120.5平方米，第12条，价款1,200,000元；电话021-61234567"
    assert [v.text for v in entities.phones(text)] == ["021-61234567"]


def test_organisations_trim_lead_words_and_flag_placeholders():
    text = "负责维修的单位为上海甲建设有限公司，维修单位：XX公司；由上海由由物业管理有限公司负责；主承保公司为"
    found = entities.organisations(text)
    assert [(v.text, v.valid) for v in found] == [
        ("上海甲建设有限公司", True), ("XX公司", False), ("上海由由物业管理有限公司", True)]
    assert [v.text for v in entities.organisations("维修单位为上海建工七建集团有限公司，电话")] == [
        "上海建工七建集团有限公司"]


@pytest.mark.parametrize("text, value, unit", [
    ("保险期限为10年", Decimal(10), "years"), ("为期十年", Decimal(10), "years"), ("两年", Decimal(2), "years"),
    ("3个工作日内", Decimal(3), "working_days"), ("48小时内", Decimal(48), "hours"), ("六个月", Decimal(6), "months"),
])
def test_durations(text, value, unit):
    (found,) = entities.durations(text)
    assert (found.number, found.unit) == (value, unit)


def test_percent_money_and_dates():
    assert [v.number for v in entities.percents("份额为60%，另百分之二十")] == [Decimal(60), Decimal(20)]
    assert [v.number for v in entities.money("保险费壹佰贰拾万元，即1,200,000元")] == [Decimal(1_200_000)] * 2
    assert [v.text for v in entities.dates("自2026年1月5日起；自竣工验收合格满两年之日起算")] == [
        "2026年1月5日", "自竣工验收合格满两年之日"]


@pytest.mark.parametrize("text, blank", [
    ("电话：______", "______"), ("电话：【  】", "【  】"), ("电话：；", ""), ("电话：\n", ""),
    ("电话：XX", "XX"), ("电话：021-61234567", None),
])
def test_blank_after_a_label(text, blank):
    assert entities.blank_after(text, 2) == blank


def _hit(text, word):
    start = text.index(word)
    return Hit(start, start + len(word), word, word)


@pytest.mark.parametrize("text, word, negation", [
    ("乙方不承担配合保险公司代位追偿的义务", "配合", "不承担配合"),
    ("乙方无需配合代位追偿", "配合", "无需配合"),
    ("乙方应配合代位追偿，但法律另有规定的除外", "代位追偿", None),
    ("代位追偿的配合义务除外", "代位追偿", "代位追偿的配合义务除外"),
    ("乙方应当配合代位追偿，但因乙方原因造成的缺陷除外", "代位追偿", "代位追偿，但因乙方原因造成的缺陷除外"),
    ("业主无通知义务", "通知义务", "无通知义务"),
    ("未及时通知致使损失扩大的，保险人不承担责任", "及时通知", None),
    ("乙方不得拒绝配合代位追偿", "配合", None),
])
def test_negation(text, word, negation):
    assert negated(text, _hit(text, word), []) == negation


def test_negation_inside_the_required_words_is_not_a_refusal():
    text = "基本保险不设免赔额"
    protected = [(h.start, h.end) for h in exact_hits(("不设",), text)]
    assert negated(text, _hit(text, "免赔额"), protected) is None


def test_fuzzy_hits_tolerate_one_typo_in_a_long_phrase():
    (hit,) = fuzzy_hits(("代位追偿",), "乙方应配合保险公司进行代位追尝。")
    assert (hit.text, hit.phrase, hit.fuzzy) == ("代位追尝", "代位追偿", True)
    assert fuzzy_hits(("代位追偿",), "乙方应配合保险公司进行验收。") == []
    assert fuzzy_hits(("监督电话",), "建设单位监督电活：021-64587700")[0].text == "监督电活"
