"""Per-rule precision and recall of the checkers on the sample set, written into the README.

    python scripts/rule_metrics.py [--samples DIR] [--no-pdf] [--no-readme]

Builds the sample set with scripts/make_samples.py (unless --samples points at a built one),
checks every sample as DOCX and as PDF exactly as `idi check` would (kind and city detected,
not given), and compares each finding with the manifest's expected verdict.

A "positive" is a finding that flags the document (fail or warn): precision is the share of
flags that were expected, recall the share of expected flags that were raised. "Exact" counts
findings whose status equals the expected one.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from checkers.check import CheckOptions, check_file, check_raw  # noqa: E402
from checkers.model import Page, RawDocument  # noqa: E402
from corpus.yamlio import load_yaml_file  # noqa: E402

FLAGS = {"fail", "warn"}
CASES = ROOT / "tests" / "rule_cases"
README = ROOT / "README.md"
BEGIN, END = "<!-- rule-metrics:begin -->", "<!-- rule-metrics:end -->"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, expected: str, got: str, where: str) -> None:
        self.total += 1
        self.exact += expected == got
        flagged, due = got in FLAGS, expected in FLAGS
        self.tp += flagged and due
        self.fp += flagged and not due
        self.fn += due and not flagged
        if expected != got:
            self.misses.append(f"{where}: 预期 {expected}，实为 {got}")

    @staticmethod
    def ratio(num: int, den: int) -> str:
        return f"{num / den:.0%}" if den else "—"


def measure(samples: Path) -> dict[str, Tally]:
    manifest = load_yaml_file(samples / "manifest.yaml")
    tallies: dict[str, Tally] = defaultdict(Tally)
    for entry in manifest["samples"] if isinstance(manifest, dict) else manifest:
        for fmt in ("docx", "pdf"):
            path = samples / fmt / f"{entry['name']}.{fmt}"
            if not path.exists():
                continue
            result = check_file(path)
            got = {f.rule: f.status for f in result.findings}
            for rule, expected in entry["expected"].items():
                tallies[rule].add(expected, got.get(rule, result.error and "error" or "missing"),
                                  f"{entry['name']}.{fmt}")
    return dict(sorted(tallies.items()))


def measure_cases() -> Tally:
    """The short pass/fail snippets of tests/rule_cases/, through the same pipeline."""
    tally = Tally()
    for path in sorted(CASES.glob("*.yaml")):
        for case in load_yaml_file(path):
            pages = [Page(n, t) for n, t in enumerate(case["text"].split("\f"), start=1)]
            options = CheckOptions(jurisdiction=case["rule"].split("/")[0], kind=case["kind"])
            result = check_raw(RawDocument(Path(case["name"]), "txt", pages), options)
            got = next((f.status for f in result.findings if f.rule == case["rule"]), "missing")
            tally.add(case["expected"], got, f"{path.stem}:{case['name']}")
    return tally


def table(tallies: dict[str, Tally]) -> str:
    lines = ["| 规则 | 判定数 | 结论一致 | 精确率 | 召回率 |", "|---|---:|---:|---:|---:|"]
    total = Tally()
    for rule, t in tallies.items():
        lines.append(f"| `{rule}` | {t.total} | {t.exact} | {Tally.ratio(t.tp, t.tp + t.fp)} | "
                     f"{Tally.ratio(t.tp, t.tp + t.fn)} |")
        for name in ("tp", "fp", "fn", "exact", "total"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    lines.append(f"| **合计** | {total.total} | {total.exact} | {Tally.ratio(total.tp, total.tp + total.fp)} | "
                 f"{Tally.ratio(total.tp, total.tp + total.fn)} |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md 中没有 {BEGIN} … {END} 标记")
    README.write_text(pattern.sub(f"{BEGIN}\n{text}\n{END}", readme), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, help="已生成的样本目录（含 manifest.yaml）")
    parser.add_argument("--no-pdf", action="store_true", help="只生成和检查 DOCX")
    parser.add_argument("--no-readme", action="store_true", help="只打印，不写入 README")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        samples = args.samples
        if samples is None:
            from make_samples import build_samples

            samples = build_samples(Path(tmp), pdf=not args.no_pdf).parent
        tallies = measure(samples)
    cases = measure_cases()
    text = table(tallies) + (
        f"\n\n规则用例（tests/rule_cases/，{cases.total} 段条款原文）：结论一致 {cases.exact}，"
        f"精确率 {Tally.ratio(cases.tp, cases.tp + cases.fp)}，召回率 {Tally.ratio(cases.tp, cases.tp + cases.fn)}。")
    print(text)
    misses = [m for t in (*tallies.values(), cases) for m in t.misses]
    for miss in misses:
        print("  不一致：", miss)
    if not args.no_readme:
        write_readme(text)
        print(f"已写入 {README}")
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
