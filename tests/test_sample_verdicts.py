"""The checkers against the sample set: every expected verdict, as DOCX and as PDF."""
from __future__ import annotations

import pytest

from checkers.check import check_file
from conftest import HAS_SOFFICE


def _mismatches(out, samples, fmt: str) -> list[str]:
    wrong = []
    for sample in samples:
        result = check_file(out / fmt / f"{sample['name']}.{fmt}")
        if result.error:
            wrong.append(f"{sample['name']}.{fmt}: {result.error}")
            continue
        if (result.kind, result.jurisdiction) != (sample["kind"], sample["jurisdiction"]):
            wrong.append(f"{sample['name']}.{fmt}: 识别为 {result.kind} {result.jurisdiction}")
        found = {f.rule: f for f in result.findings}
        for rule, expected in sample["expected"].items():
            finding = found.get(rule)
            if finding is None or finding.status != expected:
                got = finding.status if finding else "缺少该项"
                wrong.append(f"{sample['name']}.{fmt} {rule}: 预期 {expected}，实为 {got}"
                             f"（{finding.message if finding else ''}）")
    return wrong


@pytest.mark.parametrize("fmt", ["docx", pytest.param("pdf", marks=pytest.mark.skipif(
    not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: no PDF samples"))])
def test_every_sample_gets_its_expected_verdicts(sample_set, fmt):
    out, manifest = sample_set
    assert _mismatches(out, manifest["samples"], fmt) == []


def test_findings_say_what_where_and_why(sample_set):
    """A failing finding names the article, quotes the document and says where it is."""
    out, manifest = sample_set
    sample = next(s for s in manifest["samples"] if "blank-placeholder" in s["features"])
    result = check_file(out / "docx" / f"{sample['name']}.docx")
    failed = [f for f in result.findings if f.status == "fail"]
    assert failed
    for finding in failed:
        assert finding.citation and finding.requirement and finding.message
        assert finding.evidence and all(e.page and e.text for e in finding.evidence)
