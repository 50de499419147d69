"""The `idi` command as a user runs it: real processes, real files, no tracebacks."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "corpus" / "samples"


def idi(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "idi", *map(str, args)], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_rules_list_json_marks_what_is_in_force():
    rows = json.loads(idi("rules", "list", "--on", "2026-11-21", "--format", "json").stdout)
    in_force = {r["id"]: r["in_force"] for r in rows}
    assert set(in_force) == {"jiaxing-2018", "beijing-2019", "jiyuan-2022", "hangzhou-2024",
                             "shanghai-2025"}
    assert in_force["shanghai-2025"] and in_force["jiaxing-2018"]
    assert not in_force["beijing-2019"] and not in_force["hangzhou-2024"] and not in_force["jiyuan-2022"]


def test_rules_list_table_names_every_pack():
    out = idi("rules", "list", "--on", "2025-06-01").stdout
    for text in ("shanghai-2025", "沪建规范联〔2025〕2号", "hangzhou-2024", "有效", "无效"):
        assert text in out


def test_rules_show_by_city_prints_cited_tables():
    out = idi("rules", "show", "上海").stdout
    for text in ("沪建规范联〔2025〕2号", "policy-upload", "3个工作日", "第九条（一）5",
                 "shanghai-2025/repair-unit", "本文件未规定的事项"):
        assert text in out


def test_rules_show_expired_pack_warns_on_stderr():
    result = idi("rules", "show", "北京", "--on", "2026-11-21", "--format", "json")
    assert "已于 2024-04-30 失效" in result.stderr
    pack = json.loads(result.stdout)
    assert pack["id"] == "beijing-2019"
    assert pack["coverage"]["scopes"][0]["period"]["value"] == 10


def test_unknown_pack_is_a_usage_error_listing_known_ones():
    result = idi("rules", "show", "广州", check=False)
    assert result.returncode == 2
    assert "未知的规则包或城市 “广州”" in result.stderr and "shanghai-2025" in result.stderr


def test_timeline_json_shape():
    data = json.loads(idi("timeline", SAMPLES / "project-beijing.yaml", "--format", "json").stdout)
    assert data["pack"] == "beijing-2019"
    assert isinstance(data["notes"], list)
    by_id = {e["id"]: e for e in data["events"]}
    for event_id in ("liability-start", "coverage-end:structure", "claim-survey",
                     "claim-determination", "denial-notice", "joint-inspection"):
        assert event_id in by_id
    survey = by_id["claim-survey"]
    assert survey["date"] == "2024-10-08" and survey["cite"] == "第二十条"
    assert "民法典" in survey["convention"]


def test_timeline_ics_imports_back(tmp_path):
    target = tmp_path / "sh.ics"
    idi("timeline", SAMPLES / "project-shanghai.yaml", "--format", "ics", "-o", target)
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    summaries = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events}
    assert str(summaries["保单签发后上传保险合同信息至监管平台"]) == "2025-10-10"
    assert len({str(e["UID"]) for e in events}) == len(events)
    # Never overwrite without being asked.
    again = idi("timeline", SAMPLES / "project-shanghai.yaml", "--format", "ics", "-o", target, check=False)
    assert again.returncode == 2 and "--force" in again.stderr


@pytest.mark.parametrize("content,expected", [
    ("pack: 上海\nmilestones:\n  policy_issued: 2025-02-30\n", "milestones.policy_issued"),
    ("pack: 上海\nmilestones: [1, 2]\n", "milestones"),
    ("pack: 火星\nmilestones: {}\n", "未知的规则包或城市 “火星”"),
    (": : :\n", "YAML 格式错误"),
])
def test_bad_project_files_give_one_clear_error(tmp_path, content, expected):
    project = tmp_path / "project.yaml"
    project.write_text(content, encoding="utf-8")
    result = idi("timeline", project, check=False)
    assert result.returncode == 2
    assert expected in result.stderr


def test_timeline_of_a_missing_file():
    result = idi("timeline", "nope.yaml", check=False)
    assert result.returncode == 2 and "nope.yaml：文件不存在" in result.stderr


@pytest.mark.parametrize("args,expected", [
    (["rules", "show"], "缺少参数 PACK"),
    (["rules", "list", "--on", "2025-13-01"], "不是 YYYY-MM-DD 格式的日期"),
    (["rules", "bogus"], "没有命令 “bogus”"),
    (["rules", "list", "--nope"], "没有选项 --nope"),
])
def test_usage_errors_are_in_chinese(args, expected):
    result = idi(*args, check=False)
    assert result.returncode == 2
    assert expected in result.stderr
