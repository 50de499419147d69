"""`idi check` as a reviewer runs it: exit codes, JSON shape, overrides, project file, user rules."""
import json

import pytest

from conftest import CONTRACT
from test_cli import idi


@pytest.fixture
def contract(tmp_path):
    path = tmp_path / "预售合同 样本.txt"
    path.write_text(CONTRACT, encoding="gb18030")
    return path


def test_compliant_exits_0_and_json_has_the_documented_shape(contract):
    result = idi("check", contract, "--format", "json")
    (doc,) = json.loads(result.stdout)["documents"]
    assert {k: doc[k] for k in ("kind", "jurisdiction", "status", "error")} == {
        "kind": "sales-contract", "jurisdiction": "shanghai-2025", "status": "pass", "error": None}
    assert {f["rule"] for f in doc["findings"]} == {
        "shanghai-2025/repair-unit", "shanghai-2025/supervision-phone", "shanghai-2025/insurer-contact"}
    finding = doc["findings"][0]
    assert set(finding) >= {"rule", "status", "message", "citation", "evidence"}
    assert set(finding["evidence"][0]) >= {"page", "clause", "text"}
    assert finding["citation"].endswith("第九条（一）5")


def test_a_failure_exits_1_and_the_table_says_what_and_where(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(CONTRACT.replace("021-64581230", "______"), encoding="utf-8")
    result = idi("check", path, check=False)
    assert result.returncode == 1
    for text in ("不合格", "shanghai-2025/repair-unit", "第1页", "第十八条", "第九条（一）5",
                 "共 1 个文件：通过 0，不合格 1，无法读取 0"):
        assert text in result.stdout


def test_unreadable_file_is_reported_and_the_others_are_still_checked(contract, tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("这不是 PDF", encoding="utf-8")
    result = idi("check", contract, fake, "--format", "json", check=False)
    assert result.returncode == 1
    docs = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert docs[str(contract)]["status"] == "pass"
    assert docs[str(fake)]["status"] == "error" and "不是 PDF" in docs[str(fake)]["error"]


def test_kind_and_jurisdiction_overrides(contract):
    result = idi("check", contract, "--kind", "construction-contract", "-j", "上海", "--format", "json",
                 check=False)
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["kind"] == "construction-contract"
    assert [(f["rule"], f["status"]) for f in doc["findings"]] == [
        ("shanghai-2025/subrogation-cooperation", "warn")]
    assert result.returncode == 0  # a warning is not a failure


def test_usage_errors_exit_2_in_chinese(contract):
    result = idi("check", contract, "--kind", "novel", check=False)
    assert result.returncode == 2 and "错误" in result.stderr
    result = idi("check", contract, "-j", "广州", check=False)
    assert result.returncode == 2 and "未知的规则包或城市" in result.stderr


def test_project_file_values_must_match(contract, tmp_path):
    project = tmp_path / "project.yaml"
    project.write_text("pack: shanghai-2025\ninsurer:\n  name: 中国太平洋财产保险股份有限公司上海分公司\n  phone: '95500'\n"
                       "repair_unit:\n  name: 上海申浦建筑工程有限公司\n  phone: 021-6458 1230\n"
                       "project:\n  developer:\n    supervision_phone: 021-64587799\n", encoding="utf-8")
    result = idi("check", contract, "--project", project, "--format", "json", check=False)
    findings = {f["rule"]: f for f in json.loads(result.stdout)["documents"][0]["findings"]}
    assert findings["shanghai-2025/repair-unit"]["status"] == "pass"
    assert findings["shanghai-2025/insurer-contact"]["status"] == "pass"
    supervision = findings["shanghai-2025/supervision-phone"]
    assert supervision["status"] == "fail" and "021-64587799" in supervision["message"]


def test_user_rules_in_the_pack_format(contract, tmp_path):
    rules = tmp_path / "extra.yaml"
    rules.write_text(
        "id: my-bank\ntitle: 本行放贷审查要点\nclauses:\n"
        "  - id: property-manager\n    title: 前期物业服务企业\n    applies_to: [sales-contract]\n"
        "    level: mandatory\n    description: 须写明前期物业服务企业\n    cite: 第3条\n"
        "    quote: 合同须写明前期物业服务企业\n    phrases: [[物业服务企业]]\n", encoding="utf-8")
    result = idi("check", contract, "--rules", rules, "--format", "json", check=False)
    finding = json.loads(result.stdout)["documents"][0]["findings"][-1]
    assert (finding["rule"], finding["status"], finding["citation"]) == (
        "my-bank/property-manager", "fail", "《本行放贷审查要点》第3条")
    rules.write_text("id: my-bank\ntitle: x\nclauses: [{id: a}]\n", encoding="utf-8")
    result = idi("check", contract, "--rules", rules, check=False)
    assert result.returncode == 2 and "clauses[0]" in result.stderr


def test_folders_are_searched(contract, tmp_path):
    result = idi("check", tmp_path, "--format", "json")
    assert [d["path"] for d in json.loads(result.stdout)["documents"]] == [str(contract)]
