"""Tests of the insurer registry (corpus/insurers.yaml) and of name matching (corpus/insurers.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import PackError
from corpus.insurers import DEFAULT_PATH, Identification, Insurer, load_insurers, normalize

PICC = "中国人民财产保险股份有限公司"
CPIC = "中国太平洋财产保险股份有限公司"
PING_AN = "中国平安财产保险股份有限公司"
DADI = "中国大地财产保险股份有限公司"


@pytest.fixture(scope="module")
def registry():
    return load_insurers()


def _identify(registry, name: str) -> Identification:
    return registry.identify(name)


# --- the registry itself ----------------------------------------------------------------------


def test_registry_header(registry):
    assert registry.list_date == "2023-12"
    assert "保险机构法人名单" in registry.source
    assert "2022年12月" in registry.source and "2023年12月" in registry.source


def test_registry_holds_both_lists(registry):
    in_2022 = [i for i in registry.insurers if "2022-12" in i.lists]
    in_2023 = [i for i in registry.insurers if "2023-12" in i.lists]
    assert len(registry.insurers) == 90
    assert len(in_2022) == 88
    assert {i.name for i in registry.insurers} - {i.name for i in in_2022} == {
        "中国渔业互助保险社", "深圳比亚迪财产保险有限公司"}
    assert {i.name for i in in_2022} - {i.name for i in in_2023} == {
        "安邦财产保险股份有限公司", "易安财产保险股份有限公司"}


@pytest.mark.parametrize("name", [
    PICC, CPIC, PING_AN, DADI, "中国人寿财产保险股份有限公司", "阳光农业相互保险公司",
    "东京海上日动火灾保险（中国）有限公司", "日本兴亚财产保险（中国）有限责任公司",
    "众惠财产相互保险社", "中国铁路财产保险自保有限公司", "新疆前海联合财产保险股份有限公司",
    "中国融通财产保险有限公司", "中国渔业互助保险社", "深圳比亚迪财产保险有限公司",
])
def test_spot_check_exact_names(registry, name):
    assert registry.by_name(name) is not None
    assert registry.by_name(name).name == name


def test_names_are_unique(registry):
    names = [i.name for i in registry.insurers]
    assert len(names) == len(set(names))


def test_notes_on_changed_entities(registry):
    assert "华泰财产保险有限公司" in registry.by_name("安达保险有限公司").note
    assert registry.by_name("安邦财产保险股份有限公司").lists == ("2022-12",)
    assert registry.by_name("易安财产保险股份有限公司").note


def test_hotlines_are_digits_only(registry):
    hotlines = {i.name: i.hotline for i in registry.insurers if i.hotline}
    assert hotlines[PICC] == "95518"
    assert hotlines[CPIC] == "95500"
    assert hotlines[PING_AN] == "95511"
    assert hotlines["中国人寿财产保险股份有限公司"] == "95519"
    for hotline in hotlines.values():
        assert hotline.isascii() and hotline.isdigit()


def test_no_short_name_shared(registry):
    owners: dict[str, str] = {}
    for insurer in registry.insurers:
        for short in insurer.short_names:
            assert short not in owners, f"{short} 同时属于 {owners[short]} 和 {insurer.name}"
            owners[short] = insurer.name


def test_no_bare_brand_words(registry):
    shorts = {s for i in registry.insurers for s in i.short_names}
    for bare in ("平安", "太平", "人保", "太保", "大地", "阳光", "国寿", "中国人保", "中国太保"):
        assert bare not in shorts


def test_short_names_are_no_substring_traps(registry):
    """A short name must not occur inside another insurer's legal or short name."""
    for insurer in registry.insurers:
        for short in insurer.short_names:
            assert registry.identify(short).insurer == insurer
            for other in registry.insurers:
                if other is insurer:
                    continue
                for name in (other.name, *other.short_names):
                    assert normalize(short) not in normalize(name), f"{short} 落在 {name} 中"


def test_no_name_contains_a_marker(registry):
    markers = [m for g in registry.marker_groups for m in g.markers]
    for insurer in registry.insurers:
        for name in (insurer.name, *insurer.short_names):
            assert not any(m in name for m in markers), name


def test_marker_groups(registry):
    kinds = {g.kind: g for g in registry.marker_groups}
    assert set(kinds) == {"broker", "agent", "adjuster", "property-management", "real-estate"}
    assert "保险经纪" in kinds["broker"].markers
    assert "保险代理" in kinds["agent"].markers
    assert "保险公估" in kinds["adjuster"].markers
    assert {"物业服务", "物业管理"} <= set(kinds["property-management"].markers)
    assert {"置业", "房地产", "地产开发"} <= set(kinds["real-estate"].markers)
    assert all(g.label for g in registry.marker_groups)


def test_default_registry_is_cached():
    assert load_insurers() is load_insurers()
    assert DEFAULT_PATH.name == "insurers.yaml"


# --- identify -----------------------------------------------------------------------------------


def test_every_legal_name_identifies_as_insurer(registry):
    for insurer in registry.insurers:
        ident = registry.identify(insurer.name)
        assert ident.kind == "insurer", insurer.name
        assert ident.insurer == insurer
        assert ident.branch is None
        assert ident.reason


def test_normalisation(registry):
    assert registry.identify("东京海上日动火灾保险(中国)有限公司").kind == "insurer"
    assert registry.identify(" 中国人民财产保险\n股份有限公司 ").insurer.name == PICC
    assert registry.identify("ＡＢ").kind == "unknown"
    assert registry.by_name("三星财产保险(中国)有限公司").name == "三星财产保险（中国）有限公司"


@pytest.mark.parametrize("short, legal", [
    ("人保财险", PICC), ("中国人保财险", PICC), ("太保产险", CPIC), ("太平洋产险", CPIC),
    ("平安产险", PING_AN), ("国寿财险", "中国人寿财产保险股份有限公司"), ("大地保险", DADI),
    ("阳光财险", "阳光财产保险股份有限公司"),
])
def test_short_names_identify(registry, short, legal):
    ident = registry.identify(short)
    assert (ident.kind, ident.insurer.name, ident.branch) == ("insurer", legal, None)
    assert legal in ident.reason and "简称" in ident.reason


@pytest.mark.parametrize("name, legal, branch", [
    (PICC + "上海市分公司", PICC, "上海市分公司"),
    (PICC + "深圳分公司", PICC, "深圳分公司"),
    (PICC + "北京市分公司朝阳支公司", PICC, "北京市分公司朝阳支公司"),
    (PICC + "营业部", PICC, "营业部"),
    (PING_AN + "杭州中心支公司", PING_AN, "杭州中心支公司"),
    ("人保财险上海市分公司", PICC, "上海市分公司"),
    ("平安产险深圳分公司", PING_AN, "深圳分公司"),
    ("三星财产保险（中国）有限公司上海分公司", "三星财产保险（中国）有限公司", "上海分公司"),
])
def test_branches_identify(registry, name, legal, branch):
    ident = registry.identify(name)
    assert (ident.kind, ident.insurer.name, ident.branch) == ("branch", legal, branch)
    assert "分支机构" in ident.reason


@pytest.mark.parametrize("name, kind", [
    ("上海某某保险经纪有限公司", "broker"),
    ("大地保险经纪有限公司", "broker"),
    (PICC + "保险经纪部", "broker"),
    ("平安保险代理有限公司", "agent"),
    ("人保财险保险代理有限公司", "agent"),
    ("太平洋保险公估有限公司", "adjuster"),
    ("民太安保险公估集团股份有限公司", "adjuster"),
    ("平安物业服务有限公司", "property-management"),
    ("上海某某物业管理有限公司", "property-management"),
    ("阳光置业有限公司", "real-estate"),
    ("上海某某房地产开发有限公司", "real-estate"),
    ("平安地产开发有限公司", "real-estate"),
])
def test_non_insurers_are_refused(registry, name, kind):
    ident = registry.identify(name)
    assert ident.kind == kind
    assert ident.insurer is None
    assert "不是保险公司" in ident.reason


def test_refusal_reason_names_the_kind(registry):
    reason = registry.identify("上海某某保险经纪有限公司").reason
    assert reason == "“上海某某保险经纪有限公司”是保险经纪机构，不是保险公司"


@pytest.mark.parametrize("name", [
    "上海某某财产保险有限公司", "平安", "太平", "中国平安保险", "某某物流有限公司",
])
def test_unknown_names(registry, name):
    ident = registry.identify(name)
    assert (ident.kind, ident.insurer) == ("unknown", None)
    assert "保险机构法人名单（2023年12月）" in ident.reason


def test_unknown_suggests_close_legal_name(registry):
    ident = registry.identify("中国人民财产保险有限公司")
    assert ident.kind == "unknown"
    assert PICC in ident.reason


def test_prefix_without_branch_suffix_is_unknown(registry):
    ident = registry.identify(PICC + "委托")
    assert ident.kind == "unknown" and ident.insurer is None
    assert "分支机构" in ident.reason


def test_empty_name(registry):
    assert registry.identify("  ").kind == "unknown"


def test_entity_absent_from_newest_list(registry):
    ident = registry.identify("安邦财产保险股份有限公司")
    assert ident.kind == "insurer"
    assert "不在保险机构法人名单（2023年12月）中" in ident.reason


def test_by_name(registry):
    assert registry.by_name("平安产险").name == PING_AN
    assert registry.by_name(PICC + "上海市分公司") is None
    assert registry.by_name("平安") is None


# --- find_in_text -------------------------------------------------------------------------------


def _found(registry, text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(text[s:e], i.kind, i.insurer.name if i.insurer else None, i.branch)
            for s, e, i in registry.find_in_text(text)]


def test_find_branch_in_contract_sentence(registry):
    text = "保险期限内的保险公司为中国太平洋财产保险股份有限公司上海分公司，联系电话95500。"
    spans = registry.find_in_text(text)
    assert len(spans) == 1
    start, end, ident = spans[0]
    assert (start, end) == (text.index(CPIC), text.index("，"))
    assert text[start:end] == CPIC + "上海分公司"
    assert (ident.kind, ident.insurer.name, ident.branch) == ("branch", CPIC, "上海分公司")


def test_find_several_names_longest_first(registry):
    text = f"共保人：{PICC}、平安产险及中国人保财险；首席承保人为{DADI}。"
    assert _found(registry, text) == [
        (PICC, "insurer", PICC, None),
        ("平安产险", "insurer", PING_AN, None),
        ("中国人保财险", "insurer", PICC, None),
        (DADI, "insurer", DADI, None),
    ]


def test_find_spans_are_in_original_text(registry):
    text = "保险人：东京海上日动火灾保险（中国）有限公司 ， 人保财险\n上海市分公司"
    found = _found(registry, text)
    assert found[0] == ("东京海上日动火灾保险（中国）有限公司", "insurer",
                        "东京海上日动火灾保险（中国）有限公司", None)
    assert found[1] == ("人保财险\n上海市分公司", "branch", PICC, "上海市分公司")


def test_find_flags_non_insurer_run_on(registry):
    text = "经大地保险经纪有限公司介绍，由人保财险代理有限公司收取保费。"
    assert _found(registry, text) == [
        ("大地保险经纪有限公司", "broker", None, None),
        ("人保财险代理有限公司", "agent", None, None),
    ]


def test_find_does_not_refuse_insurer_followed_by_verb(registry):
    text = f"{PING_AN}代理销售该产品，并与上海某某物业管理有限公司签订服务协议。"
    assert _found(registry, text) == [(PING_AN, "insurer", PING_AN, None)]


def test_find_nothing_in_plain_text(registry):
    assert registry.find_in_text("平安是福，太平无事；上海某某财产保险有限公司。") == []
    assert registry.find_in_text("") == []


def test_find_spans_do_not_overlap(registry):
    text = "人保财险人保财险上海市分公司中国人保财险"
    spans = registry.find_in_text(text)
    assert [text[s:e] for s, e, _ in spans] == ["人保财险", "人保财险上海市分公司", "中国人保财险"]
    ends = [e for _, e, _ in spans]
    assert all(s >= prev for (s, _, _), prev in zip(spans[1:], ends))


# --- malformed registries -----------------------------------------------------------------------

GOOD_ENTRY = """\
  - name: 中国人民财产保险股份有限公司
    short_names: [人保财险]
    hotline: "95518"
    lists: ["2022-12", "2023-12"]
"""
MARKERS = """\
non_insurer_markers:
  - kind: broker
    label: 保险经纪机构
    markers: [保险经纪]
"""


def _write(tmp_path: Path, entries: str, head: str = 'list_date: "2023-12"\nsource: 测试\n') -> Path:
    path = tmp_path / "insurers.yaml"
    path.write_text(head + "insurers:\n" + entries + MARKERS, encoding="utf-8")
    return path


def test_minimal_registry_loads(tmp_path):
    registry = load_insurers(_write(tmp_path, GOOD_ENTRY))
    assert [i.name for i in registry.insurers] == [PICC]
    assert registry.insurers[0] == Insurer(PICC, ("人保财险",), "95518", ("2022-12", "2023-12"), None)


def _error(tmp_path: Path, entries: str, **kw) -> str:
    path = _write(tmp_path, entries, **kw)
    with pytest.raises(PackError) as info:
        load_insurers(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_duplicate_key_is_refused(tmp_path):
    message = _error(tmp_path, GOOD_ENTRY + "    hotline: \"95500\"\n")
    assert "重复的键" in message and "hotline" in message


def test_missing_name_is_refused(tmp_path):
    entry = "  - short_names: [某某财险]\n    lists: [\"2023-12\"]\n"
    message = _error(tmp_path, GOOD_ENTRY + entry)
    assert "insurers[1].name" in message and "缺少必填字段" in message


def test_unknown_key_is_refused(tmp_path):
    message = _error(tmp_path, GOOD_ENTRY + "    website: www.example.com\n")
    assert "insurers[0].website" in message and "不认识的字段" in message


def test_numeric_hotline_is_refused(tmp_path):
    message = _error(tmp_path, GOOD_ENTRY.replace('"95518"', "95518"))
    assert "insurers[0].hotline" in message


def test_hotline_with_dashes_is_refused(tmp_path):
    message = _error(tmp_path, GOOD_ENTRY.replace('"95518"', '"400-609-5509"'))
    assert "insurers[0].hotline" in message and "格式" in message


def test_shared_short_name_is_refused(tmp_path):
    other = "  - name: 中国平安财产保险股份有限公司\n    short_names: [人保财险]\n    lists: [\"2023-12\"]\n"
    message = _error(tmp_path, GOOD_ENTRY + other)
    assert "insurers[1].short_names[0]" in message and "人保财险" in message


def test_marker_inside_name_is_refused(tmp_path):
    other = "  - name: 某某保险经纪有限公司\n    lists: [\"2023-12\"]\n"
    message = _error(tmp_path, GOOD_ENTRY + other)
    assert "insurers[1].name" in message and "保险经纪" in message


def test_bad_list_date_is_refused(tmp_path):
    message = _error(tmp_path, GOOD_ENTRY, head='list_date: "2023年12月"\nsource: 测试\n')
    assert "list_date" in message


def test_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "insurers.yaml"
    path.write_text("- 中国人民财产保险股份有限公司\n", encoding="utf-8")
    with pytest.raises(PackError, match="insurers.yaml"):
        load_insurers(path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(PackError, match="不存在"):
        load_insurers(tmp_path / "nope.yaml")
