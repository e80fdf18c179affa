"""The words of both editions' search records: Chinese cut into jieba's words (with the atlas's own words, see
search.jieba_terms), in both scripts, and the aliases readers type for places and projects (geodata/aliases.csv)."""

from __future__ import annotations

import functools
import re

import jieba

from ..inputs.model import Atlas
from ..inputs.texts import TO_SIMPLIFIED, TO_TRADITIONAL

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
ZWSP = "\u200b"  # the index's separator between Chinese words


@functools.cache  # a preview rebuild cuts the same texts again: only an edited text is cut anew
def segment(text: str) -> str:
    """Text with jieba's words of every Han run set apart by zero-width spaces (the index's separator). Words are
    cut on the simplified form, so a traditional text and its simplified rendering split alike."""
    base = simplified(text)
    base = base if len(base) == len(text) else text
    out, end = [], 0
    for run in HAN.finditer(base):
        out.append(text[end:run.start()])
        start, words = run.start(), []
        for word in jieba.cut(run.group(0)):
            words.append(text[start:start + len(word)])
            start += len(word)
        out.append(ZWSP + ZWSP.join(words) + ZWSP)
        end = run.end()
    out.append(text[end:])
    return "".join(out).strip(ZWSP)


@functools.cache
def simplified(text: str) -> str:
    return TO_SIMPLIFIED.convert(text)


@functools.cache
def other_script(text: str) -> str:
    """The text in the other script (traditional → simplified, otherwise simplified → traditional), or ''."""
    simple = simplified(text)
    other = simple if simple != text else TO_TRADITIONAL.convert(text)
    return other if other != text else ""


def alias_words(atlas: Atlas, text: str, feature_ids: list[str], *, named: bool = True) -> list[str]:
    """The aliases that apply to a record: those of its projects, and each common alias with its full form when its
    text holds either, in either script; `named`: also the alias of a project whose full name the text prints (a road
    named 呼和浩特新机场至清水河高速公路 holds 呼市新机场), which a project's own names leave out (they rank as its
    title)."""
    simple = simplified(text)
    words = []
    for alias, target, feature in alias_rows(atlas):
        if feature and feature in feature_ids:
            words.append(alias)
        elif not feature and (target in simple or alias in simple):
            words += [alias, target]
        elif feature and named and target in simple:
            words.append(alias)
    return list(dict.fromkeys(words))


def alias_rows(atlas: Atlas) -> list[tuple[str, str, str]]:
    """(alias, target, feature) of every alias, read out of the table once per atlas: every record asks."""
    return atlas.derived("alias rows", lambda: list(zip(atlas.aliases["alias"], atlas.aliases["target"],
                                                        atlas.aliases["feature"], strict=True)))


def county_words(atlas: Atlas) -> dict[str, list[str]]:
    """Adcode → what readers call a county: its name, its short name and the aliases of either
    (geodata/aliases.csv), the words a county page is found by and a result inside the county is found by too. Made
    once per atlas (every measure's and project's result asks, in both editions)."""
    return atlas.derived("county words", lambda: made_county_words(atlas))


def made_county_words(atlas: Atlas) -> dict[str, list[str]]:
    counties = atlas.by_county.counties
    words = {code: [name, short] if short != name else [name]
             for code, name, short in zip(counties.index, counties["name_zh"], counties["short"], strict=True)}
    by_name = {name: code for code, names in words.items() for name in names}
    for row in atlas.aliases.itertuples():
        if not row.feature and row.target in by_name:
            words[by_name[row.target]].append(row.alias)
    return {code: list(dict.fromkeys(names)) for code, names in words.items()}


def county_tallies(atlas: Atlas) -> dict[str, tuple[int, int]]:
    """Adcode → how many projects lie in or pass through the county, and how many measures concern it (both
    editions' county results say so)."""
    def made() -> dict[str, tuple[int, int]]:
        index = atlas.by_county
        projects, measures = index.projects["adcode"].value_counts(), index.measures["adcode"].value_counts()
        return {code: (int(projects.get(code, 0)), int(measures.get(code, 0))) for code in index.counties.index}
    return atlas.derived("county tallies", made)


def words_of_counties(atlas: Atlas, adcodes: list[str]) -> list[str]:
    words = county_words(atlas)
    return [word for code in adcodes for word in words[code]]
