"""Every case in tests/rule_cases/*.yaml through the whole checking pipeline (sqlfluff style)."""
from pathlib import Path

import pytest

from checkers.check import CheckOptions, check_raw
from checkers.model import Page, RawDocument
from corpus.yamlio import load_yaml_file

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases() -> list:
    return [pytest.param(case, id=f"{path.stem}:{case['name']}")
            for path in sorted(CASES_DIR.glob("*.yaml")) for case in load_yaml_file(path)]


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case):
    pack_id = case["rule"].split("/")[0]
    pages = [Page(n, text) for n, text in enumerate(case["text"].split("\f"), start=1)]
    raw = RawDocument(Path(f"{case['name']}.txt"), "txt", pages)
    result = check_raw(raw, CheckOptions(jurisdiction=pack_id, kind=case["kind"], project=case.get("project")))
    assert result.error is None, result.error
    finding = next(f for f in result.findings if f.rule == case["rule"])
    assert finding.status == case["expected"], f"{finding.message} | {finding.evidence}"
