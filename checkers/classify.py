"""What a submitted document is (its kind) and which city's rules apply (its pack)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from corpus.packs import all_packs
from corpus.schema import DOC_KINDS, Pack
from corpus.yamlio import load_yaml_file

TITLE_LINES = 6  # the title is among a document's first lines (after cover-page noise)
TITLE_MAX = 40  # a title names its kind within its first characters; later is body text (“……保险单号为……”)


@dataclass(frozen=True)
class KindRule:
    kind: str
    title: tuple[re.Pattern[str], ...]
    body: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def kind_rules() -> tuple[KindRule, ...]:
    path = resources.files("checkers") / "kinds.yaml"
    rules = tuple(
        KindRule(entry["kind"], tuple(re.compile(p) for p in entry["title"]), tuple(entry["body"]))
        for entry in load_yaml_file(path))
    unknown = {r.kind for r in rules} - set(DOC_KINDS)
    assert not unknown, f"kinds.yaml names kinds the schema does not know: {unknown}"
    return rules


def classify_kind(text: str) -> str | None:
    """The document kind from its title (the first short line that names a kind), else from the
    words of its body; None if unclear."""
    for line in text.splitlines()[:TITLE_LINES]:
        head = line.strip()[:TITLE_MAX]
        for rule in kind_rules():
            if any(p.search(head) for p in rule.title):
                return rule.kind
    scores = {r.kind: sum(text.count(word) for word in r.body) for r in kind_rules()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else None


def classify_pack(text: str) -> Pack | None:
    """The pack whose city the document names most often; None when no city is named."""
    counts = {p.id: sum(text.count(name) for name in _city_names(p)) for p in all_packs()}
    best = max(counts, key=counts.get)
    return next(p for p in all_packs() if p.id == best) if counts[best] else None


def _city_names(pack: Pack) -> set[str]:
    return {pack.city, *(a for a in pack.aliases if len(a) >= 2 and not a.isascii())}
