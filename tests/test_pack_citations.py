"""Every rule in every pack is tied to its article: the quote is in the regulation's text, under
the heading the citation names, and every number the pack states is in that quote."""
from __future__ import annotations

import re

import cn2an
import pytest
from pydantic import BaseModel

from corpus.articles import flatten, source_of
from corpus.packs import all_packs, source_text
from corpus.schema import Amount, Cited

PACKS = all_packs()


def cited_items(pack):
    """(path, item) for every Cited item in the pack, found by walking the model."""
    def walk(obj, path):
        if isinstance(obj, Cited):
            yield path, obj
        if isinstance(obj, list):
            for i, value in enumerate(obj):
                yield from walk(value, f"{path}[{i}]")
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                yield from walk(getattr(obj, name), f"{path}.{name}" if path else name)
    yield from walk(pack, "")


def amounts_of(item):
    for name in type(item).model_fields:
        value = getattr(item, name)
        if isinstance(value, Amount) and value.specified:
            yield name, value


def number_forms(value: float) -> set[str]:
    forms = {f"{value:g}"}
    if value == int(value):
        chinese = cn2an.an2cn(str(int(value)))
        forms |= {chinese, chinese.replace("二", "两")}
    return forms


CASES = [(p.id, path, item) for p in PACKS for path, item in cited_items(p)]


def test_all_five_regulations_have_a_pack():
    assert {p.id for p in PACKS} == {
        "shanghai-2025", "hangzhou-2024", "beijing-2019", "jiaxing-2018", "jiyuan-2022"}


@pytest.mark.parametrize("pack_id,path,item", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_quote_is_in_the_cited_article(pack_id, path, item):
    pack = next(p for p in PACKS if p.id == pack_id)
    source = source_of(source_text(pack))
    offset = source.find(item.quote)
    assert offset >= 0, f"{pack_id} {path}: 原文中找不到引文 “{item.quote}”"
    # Check the citation against the last occurrence too: a quote may repeat in the text.
    offsets = [m.start() for m in re.finditer(re.escape(flatten(item.quote)), source.flat)]
    problems = [source.cite_mismatches(item.cite, o) for o in offsets]
    assert any(not p for p in problems), f"{pack_id} {path}: 引文不在 {item.cite} 之下：{problems[0]}"


@pytest.mark.parametrize("pack_id,path,item", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_every_number_is_in_its_quote(pack_id, path, item):
    quote = flatten(item.quote)
    for name, amount in amounts_of(item):
        assert any(form in quote for form in number_forms(amount.value)), (
            f"{pack_id} {path}.{name}: 数值 {amount.value:g} 不在引文 “{item.quote}” 中")


def written(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.parametrize("pack", PACKS, ids=[p.id for p in PACKS])
def test_dates_come_from_the_text(pack):
    """The issue date stands in the text; each effective date stands in the validity article,
    or is the issue date ("自发布之日起"), or is derived and the note says so ("推算")."""
    if pack.issued:
        assert written(pack.issued) in flatten(source_text(pack))
    derived = pack.effective_note and "推算" in pack.effective_note
    validity = flatten(pack.validity.quote)
    assert pack.effective_from == pack.issued or written(pack.effective_from) in validity
    if pack.effective_to and not derived:
        assert written(pack.effective_to) in validity


@pytest.mark.parametrize("pack", PACKS, ids=[p.id for p in PACKS])
def test_unspecified_numbers_say_so(pack):
    for path, item in cited_items(pack):
        for name in type(item).model_fields:
            value = getattr(item, name)
            if isinstance(value, Amount) and not value.specified:
                assert value.note and len(value.note) >= 6, f"{pack.id} {path}.{name}: 未规定的数值须说明"
