"""Stage 2: check every cell and every reference, and report all problems at once.

The measures, the dates their texts state and the aliases are checked here; the planned network in network.py; what
every table gets in rules.py. Each rule has a code; docs/data.md lists them all (tests/test_docs.py keeps that list
honest)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date

import yaml

from ..errors import Problem
from ..vocabulary.schema import (
    CITIES,
    DEADLINE_WORDS,
    MEASURE_STATUSES,
    STATED_KINDS,
    THEMES,
    by_key,
)
from . import progress, quotes
from .load import COUNTIES, REGISTRY, Inputs, Row
from .network import (
    check_feature_cities,
    check_features,
    check_gazetteer,
    check_seat_places,
    check_seats,
    check_shapes,
    check_statements,
    check_waypoints,
    county_polygons,
)
from .rules import (
    DEADLINE_PATTERN,
    STATED_PATTERN,
    check_ids,
    check_keys,
    check_refs,
    check_refs_to,
    check_required,
    items,
    problem,
    squeeze,
)
from .texts import TO_SIMPLIFIED, clean

# units: a list left in one item; a place left without the organ suffix its list shared; a role outside （）
UNIT_LIST = re.compile(r"[、，,]")


UNIT_PLACE_ONLY = re.compile(r"[县縣旗区區]$")


UNIT_ROLE = re.compile(r"(配合|协助|協助|牵头|牽頭|负责|負責)$")


UNIT_BRACKETS = re.compile(r"^[^（）]+(（[^（）]+）)?$")


def check_measures(inputs: Inputs) -> Iterator[Problem]:
    table, rows = "measures.csv", inputs.tables["measures.csv"]
    docs = {d["key"] for d in inputs.documents}
    yield from check_required(table, rows)
    yield from check_ids(table, rows)
    if inputs.usable(REGISTRY):
        yield from check_keys(table, rows, "doc", docs, many=False)
    yield from check_keys(table, rows, "themes", set(by_key(THEMES)))
    yield from check_keys(table, rows, "cities", set(by_key(CITIES)))
    yield from check_keys(table, rows, "status", set(by_key(MEASURE_STATUSES)), many=False)
    if inputs.usable(table):
        yield from check_refs(table, rows, "implements", {r.cells["id"] for r in rows}, table)
    yield from check_refs_to(inputs, table, rows, "features", "geodata/features.csv")
    yield from check_units(table, rows)
    sources = {key: squeeze(clean(key, text).text) for key, text in inputs.texts.items()}  # display text, debris out
    for row in rows:
        deadline = row.cells["deadline"]
        if deadline and deadline not in DEADLINE_WORDS and not DEADLINE_PATTERN.match(deadline):
            yield problem(table, row, "deadline", "bad-deadline", f"'{deadline}' 不是 YYYY-MM、ongoing 或 long-term"
                          " / is not YYYY-MM, ongoing or long-term",
                          "例如 2024年12月 写作 2024-12，持续推进写作 ongoing，长期坚持写作 long-term"
                          " / e.g. write 2024-12")
        source = sources.get(row.cells["doc"])
        if source and row.cells["text"] and squeeze(row.cells["text"]) not in source:
            yield problem(table, row, "text", "text-not-in-source",
                          "原文与来源文件不符 / text does not occur in the source document",
                          "text 须逐字照录原文 / copy the clause verbatim from docs/documents/")


def unit_fault(unit: str) -> str:
    """What is wrong with one `units` item, or '' (see the units column in schema.py)."""
    name = unit.split("（", 1)[0]
    if UNIT_LIST.search(unit):
        return "一格写了几个单位 / several units in one item: split them with ';'"
    if not UNIT_BRACKETS.match(unit):
        return "职责须用一对全角括号写在单位名后 / a role goes in one pair of full-width brackets after the name"
    if UNIT_PLACE_ONLY.search(name):
        return "这是地名不是单位：原文共用的后缀（如 人民政府、管委会）没有补上 / a place, not a unit: the suffix its" \
               " printed list shared is missing"
    if UNIT_ROLE.search(name):
        return "职责写在了括号外 / the role is outside the brackets"
    return ""


def check_units(table: str, rows: list[Row]) -> Iterator[Problem]:
    for row in rows:
        for unit in items(row.cells["units"]):
            if fault := unit_fault(unit):
                yield problem(table, row, "units", "bad-unit", f"'{unit}'：{fault}",
                              "例如 托克托縣、清水河縣人民政府 写作 托克托縣人民政府;清水河縣人民政府，"
                              "市有關部門配合 写作 市有關部門（配合）/ e.g. 托克托縣人民政府;清水河縣人民政府")


def check_stated_deadlines(inputs: Inputs) -> Iterator[Problem]:
    """geodata/stated_deadlines.csv: a known measure, a known kind, a year or month (quotes.check_stated_dates
    holds each date to its clause's words)."""
    table, rows = "geodata/stated_deadlines.csv", inputs.tables["geodata/stated_deadlines.csv"]
    yield from check_required(table, rows)
    yield from check_refs_to(inputs, table, rows, "measure", "measures.csv")
    yield from check_keys(table, rows, "kind", set(by_key(STATED_KINDS)), many=False)
    for row in rows:
        deadline = row.cells["deadline"]
        if deadline and not STATED_PATTERN.match(deadline):
            yield problem(table, row, "deadline", "bad-deadline", f"'{deadline}' 不是 YYYY 或 YYYY-MM"
                          " / is not YYYY or YYYY-MM", "例如 确保2023年建成 写作 2023，2024年底前 写作 2024-12"
                          " / e.g. write 2023 or 2024-12")


def check_aliases(inputs: Inputs) -> Iterator[Problem]:
    """geodata/aliases.csv: one meaning per alias, a real project, and a full form the atlas actually uses."""
    table, rows = "geodata/aliases.csv", inputs.tables["geodata/aliases.csv"]
    yield from check_required(table, rows)
    yield from check_refs_to(inputs, table, rows, "feature", "geodata/features.csv")
    first: dict[str, int] = {}
    for row in rows:
        alias = row.cells["alias"]
        if alias in first:
            yield problem(table, row, "alias", "duplicate-alias",
                          f"'{alias}' 与第 {first[alias]} 行重复 / duplicates line {first[alias]}",
                          "一个别名只指一样东西：删除或合并这一行 / one alias, one meaning: remove or merge the row")
        first.setdefault(alias, row.line)
    if not inputs.usable("measures.csv", "geodata/features.csv", "geodata/gazetteer.csv", COUNTIES):
        return  # a broken table would hide the full forms it holds
    corpus = alias_corpus(inputs)
    for row in rows:
        target = row.cells["target"]
        if target and not row.cells["feature"] and TO_SIMPLIFIED.convert(target) not in corpus:
            yield problem(table, row, "target", "unknown-target",
                          f"'{target}' 不出现在任何举措、项目、地名或旗县区名称中 / occurs nowhere in the data",
                          "照文件的写法填写全称，或填 feature 指向所指的项目 / write the full form as the documents "
                          "print it, or give the project in feature")


def alias_corpus(inputs: Inputs) -> str:
    """Every name and clause an alias may stand for, in simplified characters."""
    parts = [r.cells.get(c, "") for r in inputs.tables["measures.csv"] for c in ("title", "text", "units")]
    parts += [r.cells.get("name_zh", "") for name in ("geodata/features.csv", "geodata/gazetteer.csv")
              for r in inputs.tables[name]]
    parts += [c.zh for c in CITIES]
    parts += [f["properties"]["name_zh"] for f in (inputs.counties or {}).get("features", [])]
    return simplified_chars("\n".join(parts))


@functools.lru_cache(maxsize=4)
def simplified_chars(text: str) -> str:
    """Traditional characters made simplified; remembered, because a preview rebuild converts the same corpus
    again (about 0.05 s)."""
    return TO_SIMPLIFIED.convert(text)


# What the English edition shows of each table when staff have not written it yet: the Chinese, marked as Chinese.
ENGLISH_CELLS = {"measures.csv": (("title_en", "title"),)}
ENGLISH_FIELDS = ("short_en", "title_en", "issuer_en")  # of each document in docs/documents/documents.yml
ENGLISH_HINT = ("补写英文；补上之前，英文版显示中文 / write the English; until then the English edition shows the "
                "Chinese")


def advise(inputs: Inputs) -> list[Problem]:
    """What staff should complete but a build does not need: English left empty. Warnings, reported like the
    problems (file, line, column) and never stopping a build."""
    found = []
    for table, pairs in ENGLISH_CELLS.items():
        for row in inputs.tables.get(table, []):
            found += [problem(table, row, english, "missing-english",
                              f"为空，只有中文（{chinese}：{row.cells[chinese]}） / no English yet", ENGLISH_HINT)
                      for english, chinese in pairs if row.cells.get(chinese) and not row.cells.get(english)]
    lines = registry_lines(inputs.root)
    for entry in inputs.documents:
        missing = [name for name in ENGLISH_FIELDS if not str(entry.get(name) or "").strip()]
        if missing:
            key = entry.get("key", "")
            found.append(Problem(REGISTRY, lines.get(key, 0), 0, "missing-english",
                                 f"{key}：{'、'.join(missing)} 为空 / no {', '.join(missing)}", ENGLISH_HINT))
    return found


def registry_lines(root) -> dict[str, int]:
    """The line each document's entry starts on in documents.yml, by its key."""
    try:
        node = yaml.compose((root / REGISTRY).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    lines = {}
    for entry in node.value if isinstance(node, yaml.SequenceNode) else []:
        for key, value in entry.value if isinstance(entry, yaml.MappingNode) else []:
            if key.value == "key":
                lines[str(value.value)] = entry.start_mark.line + 1
    return lines


def check(inputs: Inputs, today: date) -> list[Problem]:
    """Every rule over every table, as of the build date `today`; the list is empty when the atlas may be built."""
    counties = county_polygons(inputs)
    return [
        *check_measures(inputs), *check_features(inputs), *check_gazetteer(inputs, counties),
        *check_seats(inputs, counties), *check_seat_places(inputs),
        *check_waypoints(inputs), *check_statements(inputs), *check_shapes(inputs), *check_feature_cities(inputs),
        *check_aliases(inputs), *quotes.check_statement_names(inputs), *check_stated_deadlines(inputs),
        *quotes.check_stated_dates(inputs), *progress.check_progress(inputs, today),
    ]
