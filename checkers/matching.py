"""Finding a requirement's words in a document: exact synonyms first, typo-tolerant matching second,
and negation around them.

A fuzzy score only proposes where a clause may be; compliance is decided by explicit tests
(anchor words, the right party, negation, a filled and valid value) in `requirements`.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

FUZZY_MIN_LENGTH = 4  # shorter words are too easily confused with others


def typo_budget(length: int) -> int:
    """Edits tolerated in a phrase of `length` characters: one, two from eight characters on."""
    return 1 if length < 8 else 2

# Words that deny an obligation when they come shortly before it in the same fragment.
NEGATORS = re.compile(r"不得|不能|不必|不再|不予|不负责|不承担|不|无需|无须|无义务|无(?!论)|拒绝|免除|未|非|毋须")
# A fragment that states a condition (“未及时通知的，…”, “如不配合…”) does not refuse anything.
CONDITION = re.compile(r"^(?:如|若|如果|倘若|凡|因)|的$")
# Words after an obligation that withdraw it (“附加险的保险范围本合同不作约定”).
POST_NEGATORS = re.compile(r"不作约定|不予约定|不作规定|不约定|不适用|不包括在内|不在[^，。；]{0,8}范围")
# Exceptions that leave an obligation intact (“但法律另有规定的除外”).
HARMLESS_EXCEPTION = re.compile(r"法律|法规|另有规定|另有约定|不可抗力")
NEGATION_REACH = 8  # characters between a negator and the word it denies
EXCEPTION = re.compile(r"除外")
FRAGMENT = re.compile(r"[，,。；;！!？?\n]")
SENTENCE = re.compile(r"[。；;！!？?\n]")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str  # the text found
    phrase: str  # the phrase it stands for
    fuzzy: bool = False


@functools.lru_cache(maxsize=4096)
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in ordered))


def exact_hits(phrases: tuple[str, ...], text: str) -> list[Hit]:
    return [Hit(m.start(), m.end(), m.group(), m.group()) for m in phrase_pattern(phrases).finditer(text)]


def fuzzy_hits(phrases: tuple[str, ...], text: str) -> list[Hit]:
    """Near-misses (one wrong character; two from eight characters on) of the phrases in text.

    Pigeonhole filter: with k edits, one of k + 1 pieces of the phrase survives intact, so only
    the places where a piece occurs are verified — with Levenshtein distance over candidates
    aligned to jieba's word boundaries, so a phrase is not matched across unrelated words.
    """
    hits: dict[int, Hit] = {}
    for phrase in phrases:
        if len(phrase) < FUZZY_MIN_LENGTH:
            continue
        budget = typo_budget(len(phrase))
        for piece_start, piece in _pieces(phrase, budget + 1):
            for found in re.finditer(re.escape(piece), text):
                origin = found.start() - piece_start
                hit = _verify(phrase, budget, text, max(0, origin - budget), min(len(text), origin + len(phrase) + budget))
                if hit and hit.text not in phrases and hit.start not in hits:
                    hits[hit.start] = hit
    return sorted(hits.values(), key=lambda h: h.start)


def _pieces(phrase: str, count: int) -> list[tuple[int, str]]:
    size = len(phrase) // count
    bounds = [i * size for i in range(count)] + [len(phrase)]
    return [(bounds[i], phrase[bounds[i]:bounds[i + 1]]) for i in range(count)]


def _verify(phrase: str, budget: int, text: str, start: int, end: int) -> Hit | None:
    """The best word-aligned candidate for `phrase` in text[start:end], if within `budget` edits."""
    best: tuple[int, Hit] | None = None
    for offset, candidate in _spans_of_length(_tokens(text[start:end]), len(phrase)):
        if candidate in _domain_words():
            continue  # another term of the packs (保险期限 is not a typo of 保险期限内)
        distance = Levenshtein.distance(phrase, candidate, score_cutoff=budget)
        if distance <= budget and (best is None or distance < best[0]):
            best = (distance, Hit(start + offset, start + offset + len(candidate), candidate, phrase, fuzzy=True))
    return best[1] if best else None


def _tokens(text: str) -> list[tuple[int, str]]:
    offset, tokens = 0, []
    for word in _jieba().cut(text, HMM=False):
        tokens.append((offset, word))
        offset += len(word)
    return tokens


def _spans_of_length(tokens: list[tuple[int, str]], length: int):
    """Runs of consecutive tokens exactly `length` characters long: typos in Chinese text are
    wrong characters (起箅 for 起算), not missing ones, and a shorter run is usually another word."""
    for i, (offset, _) in enumerate(tokens):
        joined = ""
        for _, word in tokens[i:i + length]:
            joined += word
            if len(joined) >= length:
                if len(joined) == length:
                    yield offset, joined
                break


@functools.lru_cache(maxsize=1)
def _jieba():
    """jieba with the packs' words in its dictionary, so domain terms stay whole."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in _domain_words():
        tokenizer.add_word(word, freq=100_000)
    return tokenizer


@functools.lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    from corpus.packs import all_packs

    words: set[str] = set()
    for pack in all_packs():
        for clause in pack.clauses:
            words.update(p for group in clause.phrases for p in group)
            words.update(cue for entity in clause.entities for cue in entity.cues if len(cue) > 1)
    return frozenset(words)


def fragment_bounds(text: str, pos: int, pattern: re.Pattern[str] = FRAGMENT) -> tuple[int, int]:
    """The comma-delimited fragment (or, with SENTENCE, the sentence) around `pos`."""
    stops = _stops(text, pattern)
    i = bisect.bisect_left(stops, pos)
    start = stops[i - 1] + 1 if i else 0
    return start, stops[i] if i < len(stops) else len(text)


@functools.lru_cache(maxsize=8)
def _stops(text: str, pattern: re.Pattern[str]) -> list[int]:
    """Offsets of every delimiter of `pattern` in `text` (cached: a document is asked many times)."""
    return [m.start() for m in pattern.finditer(text)]


def negated(text: str, hit: Hit, protected: list[tuple[int, int]]) -> str | None:
    """The words that deny `hit`, if any: a negator shortly before it in its fragment, or a
    trailing 除外. Negators inside `protected` spans (words of the requirement itself, such as
    不设 in 不设免赔额) are ignored, and two negators cancel (不得拒绝配合)."""
    start, end = fragment_bounds(text, hit.start)
    reach = max(start, hit.start - NEGATION_REACH)
    negators = [m for m in NEGATORS.finditer(text, reach, hit.start)
                if not any(a <= m.start() < b for a, b in protected)]
    if len(negators) % 2 == 1 and not CONDITION.search(text[start:end]):
        return text[negators[0].start():hit.end]
    withdrawn = POST_NEGATORS.search(text, hit.end, end)
    if withdrawn:
        return text[hit.start:withdrawn.end()]
    return _exception(text, hit)


def _exception(text: str, hit: Hit) -> str | None:
    """A “…除外” later in the hit's sentence that carves cases out of the obligation."""
    sentence_end = fragment_bounds(text, hit.start, SENTENCE)[1]
    exception = EXCEPTION.search(text, hit.end, sentence_end)
    if not exception:
        return None
    carved = text[fragment_bounds(text, exception.start())[0]:exception.end()]
    return None if HARMLESS_EXCEPTION.search(carved) else text[hit.start:exception.end()]


def specific_negation(text: str, phrases: list[str], around: Hit) -> str | None:
    """A requirement's own refusal wording (e.g. 不承担配合) in the sentence of `around`."""
    if not phrases:
        return None
    start, end = fragment_bounds(text, around.start, SENTENCE)
    found = phrase_pattern(tuple(phrases)).search(text, start, end)
    return found.group() if found else None


def exempt(text: str, words: list[str], around: Hit) -> bool:
    """Whether the sentence of `around` is about something the refusal words may apply to."""
    start, end = fragment_bounds(text, around.start, SENTENCE)
    return bool(words) and phrase_pattern(tuple(words)).search(text, start, end) is not None
