"""The rule cases in tests/rule_cases/ are well formed and cover every clause requirement.

Each pack has a file tests/rule_cases/<pack-id>.yaml: a list of cases
`{name, rule, kind, text, expected[, note][, project]}`; a form feed in `text` separates
pages. Every clause requirement needs at least one case
expected to pass and one expected not to (fail, or warn for a recommended clause); every case
names an existing requirement and a document kind it applies to. The checker's own test runs them.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from corpus.packs import all_packs
from corpus.yamlio import load_yaml_file

CASE_DIR = Path(__file__).parent / "rule_cases"
STATUSES = {"pass", "fail", "warn", "not-applicable"}
REQUIRED = {"name", "rule", "kind", "text", "expected"}
OPTIONAL = {"note", "project"}  # project: project data passed to the checker, when a case needs it

PACKS = {p.id: p for p in all_packs()}
CLAUSES = {f"{p.id}/{c.id}": c for p in PACKS.values() for c in p.clauses}


def _cases(pack_id: str) -> list[dict]:
    data = load_yaml_file(CASE_DIR / f"{pack_id}.yaml")
    assert isinstance(data, list), f"{pack_id}.yaml：顶层应为用例列表"
    return data


@pytest.fixture(scope="module")
def cases_by_pack() -> dict[str, list[dict]]:
    return {pack_id: _cases(pack_id) for pack_id in PACKS}


def test_one_case_file_per_pack():
    files = {p.stem for p in CASE_DIR.glob("*.yaml")}
    assert files == set(PACKS), f"缺少：{sorted(set(PACKS) - files)}；多余：{sorted(files - set(PACKS))}"


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_cases_are_well_formed(cases_by_pack, pack_id):
    problems = []
    for i, case in enumerate(cases_by_pack[pack_id]):
        where = f"{pack_id}.yaml[{i}]"
        if not isinstance(case, dict):
            problems.append(f"{where}：应为键值映射")
            continue
        keys = set(case)
        if REQUIRED - keys or keys - REQUIRED - OPTIONAL:
            problems.append(f"{where}：缺少 {sorted(REQUIRED - keys)}，多余 {sorted(keys - REQUIRED - OPTIONAL)}")
        if any(not isinstance(case.get(k), str) or not case.get(k).strip() for k in REQUIRED & keys):
            problems.append(f"{where}：{sorted(REQUIRED)} 都应为非空文字")
        if case.get("expected") not in STATUSES:
            problems.append(f"{where}：expected “{case.get('expected')}” 不是 {sorted(STATUSES)} 之一")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_case_names_are_unique(cases_by_pack, pack_id):
    names = Counter(c["name"] for c in cases_by_pack[pack_id])
    assert not [n for n, k in names.items() if k > 1]


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_rules_exist_and_kinds_apply(cases_by_pack, pack_id):
    problems = []
    for case in cases_by_pack[pack_id]:
        rule = case["rule"]
        if not rule.startswith(f"{pack_id}/"):
            problems.append(f"{case['name']}：{rule} 不属于 {pack_id}")
        elif rule not in CLAUSES:
            problems.append(f"{case['name']}：{pack_id} 没有条款要求 {rule}")
        elif case["kind"] not in CLAUSES[rule].applies_to:
            problems.append(f"{case['name']}：{rule} 不适用于 {case['kind']}（适用于 {CLAUSES[rule].applies_to}）")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", sorted(CLAUSES))
def test_every_clause_has_passing_and_failing_cases(cases_by_pack, rule):
    pack_id = rule.split("/")[0]
    statuses = {c["expected"] for c in cases_by_pack[pack_id] if c["rule"] == rule}
    assert "pass" in statuses, f"{rule} 没有预期 pass 的用例"
    assert statuses & {"fail", "warn"}, f"{rule} 没有预期 fail 或 warn 的用例"


@pytest.mark.parametrize("rule", sorted(CLAUSES))
def test_warn_only_where_a_warning_is_possible(cases_by_pack, rule):
    """Mandatory clauses warn only on doubtful matches (such as typos); every such case says why."""
    pack_id = rule.split("/")[0]
    if CLAUSES[rule].level == "recommended":
        return
    unexplained = [c["name"] for c in cases_by_pack[pack_id]
                   if c["rule"] == rule and c["expected"] == "warn" and not c.get("note")]
    assert not unexplained, f"强制性条款的 warn 用例须以 note 说明原因：{unexplained}"
