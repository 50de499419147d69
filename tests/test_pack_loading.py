"""Packs validate on load; a malformed pack is refused with the file, the path in it and the problem."""
from datetime import date
from pathlib import Path

import pytest

from corpus.errors import PackError
from corpus.packs import PACK_DIR, all_packs, load_pack, resolve_pack

SHANGHAI = (PACK_DIR / "shanghai-2025.yaml").read_text(encoding="utf-8")


def write_pack(tmp_path: Path, text: str, name: str = "shanghai-2025") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path, text, name="shanghai-2025") -> str:
    path = write_pack(tmp_path, text, name)
    with pytest.raises(PackError) as error:
        load_pack(path)
    message = str(error.value)
    assert str(path) in message
    return message


def test_the_shipped_packs_load():
    assert len(all_packs()) == 5


def test_unknown_key_is_refused_with_its_path(tmp_path):
    text = SHANGHAI.replace("    actor: 保险公司\n    anchor: policy_issued\n",
                            "    actor: 保险公司\n    actr: 笔误\n    anchor: policy_issued\n", 1)
    assert "deadlines[0].actr：不认识的字段" in refusal(tmp_path, text)


def test_duplicate_key_is_refused_with_its_line(tmp_path):
    text = SHANGHAI.replace("city: 上海\n", "city: 上海\ncity: 杭州\n", 1)
    message = refusal(tmp_path, text)
    assert "重复的键 “city”" in message and "行" in message


def test_non_iso_date_is_refused(tmp_path):
    message = refusal(tmp_path, SHANGHAI.replace("effective_from: 2025-04-13", "effective_from: 2025/4/13"))
    assert "effective_from：日期须写作 YYYY-MM-DD" in message


def test_wrong_unit_for_a_deadline_is_refused(tmp_path):
    text = SHANGHAI.replace("offset: {value: 3, unit: working_days}", "offset: {value: 3, unit: percent}", 1)
    message = refusal(tmp_path, text)
    assert "deadlines[0]" in message and "期限单位必须是" in message and "percent" in message


def test_unspecified_number_without_a_note_is_refused(tmp_path):
    text = SHANGHAI.replace("offset: {value: 3, unit: working_days}", "offset: {value: null, unit: working_days}", 1)
    assert "必须用 note 说明" in refusal(tmp_path, text)


def test_dangling_anchor_is_refused(tmp_path):
    text = SHANGHAI.replace("anchor: policy_issued", "anchor: policy_signed", 1)
    assert "起算事件 “policy_signed” 未定义" in refusal(tmp_path, text)


def test_file_name_must_match_the_id(tmp_path):
    assert "与文件名" in refusal(tmp_path, SHANGHAI, name="shanghai")


def test_unknown_pack_lists_the_known_ones():
    with pytest.raises(PackError) as error:
        resolve_pack("广州")
    assert "广州" in str(error.value)
    for pack in all_packs():
        assert pack.id in str(error.value)


@pytest.mark.parametrize("name,expected", [
    ("上海", "shanghai-2025"), ("shanghai", "shanghai-2025"), ("上海市", "shanghai-2025"),
    ("SHANGHAI", "shanghai-2025"), ("hangzhou-2024", "hangzhou-2024"), ("北京", "beijing-2019"),
    ("嘉兴", "jiaxing-2018"), ("jiyuan", "jiyuan-2022"),
])
def test_city_names_resolve(name, expected):
    assert resolve_pack(name, date(2026, 11, 21)).pack.id == expected


def test_in_force_pack_has_no_warning_and_expired_ones_do():
    assert resolve_pack("上海", date(2026, 11, 21)).warning is None
    assert resolve_pack("jiaxing", date(2026, 11, 21)).warning is None  # no end date given
    for city, end in (("北京", "2024-04-30"), ("济源", "2023-11-06"), ("杭州", "2026-02-28")):
        warning = resolve_pack(city, date(2026, 11, 21)).warning
        assert warning and end in warning
    assert resolve_pack("杭州", date(2025, 6, 1)).warning is None
    assert "尚未生效" in resolve_pack("shanghai-2025", date(2024, 1, 1)).warning
