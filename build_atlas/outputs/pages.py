"""Stage 4: the site's Markdown pages, rendered from the validated atlas with Jinja.

Every value from the data is escaped on its way in: HTML-escaped everywhere (autoescape) and, where it
lands in Markdown syntax (headings, tables, link text), Markdown-escaped as well (`md`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from itertools import groupby

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from ..inputs import changes
from ..inputs.model import Atlas
from ..inputs.quotes import written_years
from ..inputs.rules import squeeze
from ..inputs.texts import CLEANING, TO_SIMPLIFIED, clean, summary, table_rows
from ..vocabulary import routes, style
from ..vocabulary.dataset import DOCUMENT_LEVELS, clause_en, date_words, deadline_label
from ..vocabulary.schema import (
    CITIES,
    DEADLINE_STATES,
    DEADLINE_WORDS,
    DOWNLOAD_TERMS,
    DOWNLOADS,
    FEATURE_STATUSES,
    KINDS,
    LAYERS,
    MEASURE_STATUSES,
    PHASES,
    STAGES,
    STATED_KINDS,
    THEMES,
    Term,
    by_key,
)
from . import county_pages, dictionary, tracker, words
from .projects import drawing_note, geometry_label, statement_rows, status_by_document

CITY, THEME, KIND, STATUS = by_key(CITIES), by_key(THEMES), by_key(KINDS), by_key(FEATURE_STATUSES)
PHASE = by_key(PHASES)
UNRECORDED = Term("", "未记录", "Not recorded")  # a measure's status, when staff have recorded none
VOCABULARY = {"kinds": KIND, "phases": PHASE, "statuses": STATUS, "states": by_key(DEADLINE_STATES),
              "stages": {stage.key: stage for stage in STAGES}, "levels": by_key(DOCUMENT_LEVELS),
              "layers": by_key(LAYERS)}
STATED_KIND = by_key(STATED_KINDS)
CITY_ORDER, THEME_ORDER = {c.key: i for i, c in enumerate(CITIES)}, {t.key: i for i, t in enumerate(THEMES)}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>-])")
CHINESE = re.compile(r"[\u3400-\u9fff]")
HEADING = [(re.compile(r"^第[一二三四五六七八九十]+章"), 2), (re.compile(r"^第[一二三四五六七八九十]+节"), 3),
           (re.compile(r"^[一二三四五六七八九十]+、"), 2)]


def md(value) -> Markup:
    """HTML- then Markdown-escape a value for use inside Markdown syntax."""
    return Markup(MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(value))))


FILE_NAME = re.compile(r"(?<![`\w/])((?:[\w.*<>-]+/)*[\w*<>-]+(?:\.[\w-]+)*\.(?:csv|geojson|json|md|yml|txt|xlsx|zip))"
                       r"(?![`\w])")


def code_files(value) -> str:
    """A description with its file names (`features.csv`, `projects-*.geojson`) set as code for `md_code`: names,
    not words of the page's language."""
    parts = str(value).split("`")
    return "`".join(FILE_NAME.sub(r"`\1`", part) if i % 2 == 0 else part for i, part in enumerate(parts))


def md_code(value, mark_chinese: bool = False) -> Markup:
    """Like `md`, but `quoted` spans of a hand-written description become <code> instead of showing backticks. On an
    English page (`mark_chinese`) a span in Chinese, such as a progress stage's code, is marked lang="zh"."""
    parts = str(value).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick stays literal
        return md(value)
    code, chinese = Markup("<code>{}</code>"), Markup('<code lang="zh">{}</code>')
    return Markup("").join(md(part) if i % 2 == 0 else
                           (chinese if mark_chinese and CHINESE.search(part) else code).format(part)
                           for i, part in enumerate(parts))


# HTML that Markdown need not read (the measure cards: ~3,000 tags on a city page) goes through it wrapped in a script
# element, whose content Markdown's HTML parser skips to the end tag; the plugin unwraps it in the page's HTML.
# Data never puts "</script" in it: every value is HTML-escaped on its way in.
RAW_BEGIN, RAW_END = '<script type="text/x-atlas-html">', "</script>"
RAW_HTML = re.compile(re.escape(RAW_BEGIN) + "(.*?)" + re.escape(RAW_END), re.S)


def unwrap_raw_html(html_text: str) -> str:
    return RAW_HTML.sub(lambda match: match[1], html_text) if RAW_BEGIN in html_text else html_text


@functools.cache
def environment() -> jinja2.Environment:
    """One Jinja environment per process: each template is compiled once (and again when its file changes)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("build_atlas.outputs", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["md"] = md
    env.filters["md_code"] = md_code
    env.filters["code_files"] = code_files
    env.filters["deadline"] = deadline_label
    env.filters["clause_en"] = clause_en
    env.filters["date_words"] = date_words
    statuses = {s.key: s for s in MEASURE_STATUSES}
    env.filters["measure_status"] = lambda value, lang="zh": getattr(statuses.get(value, UNRECORDED), lang)
    env.globals["downloads"] = DOWNLOADS
    env.globals["download_terms"] = DOWNLOAD_TERMS
    env.globals["_"] = words.words  # the shared macros' words in the page's language
    env.globals["vocab"] = VOCABULARY  # what the English pages name by key: a term's .en
    env.globals["route"] = routes
    env.globals.update(cards_begin=Markup(RAW_BEGIN), cards_end=Markup(RAW_END))
    return env


def records(frame) -> list[dict]:
    return frame.to_dict("records")


def feature_rows(atlas: Atlas, features, known: dict[str, dict] | None = None) -> list[dict]:
    """A row per feature for the page tables; `known`: every feature's row, made once (render_pages)."""
    if known is not None:
        return [known[fid] for fid in features.index]
    mentions = atlas.statements.groupby("feature").size()
    said = said_by_documents(atlas, list(features.index))
    counties = atlas.by_county.counties
    rows = []
    for fid, f in features.iterrows():
        lines = said.get(fid, [])
        rows.append({**{k: f[k] for k in ("id", "name_zh", "name_en", "kind", "cities", "precision", "status",
                                          "stage", "stage_date", "phase", "recorded")},
                     "kind_zh": KIND[f["kind"]].zh, "said": lines, "phase_zh": PHASE[f["phase"]].zh,
                     "stage_zh": (f"{f['stage']}（{tracker.date_words(f['stage_date'])}）" if f["stage"]
                                  else "尚无进展记录"),
                     "status_zh": lines[0]["label"] if lines else "文件未表述进展",
                     "city_names": "、".join(CITY[c].zh for c in f["cities"]), "mentions": int(mentions.get(fid, 0)),
                     "located": f.geometry is not None, "geometry_zh": geometry_label(atlas, fid),
                     "counties": [{"name": counties.loc[code, "name_zh"], "name_en": counties.loc[code, "name_en"],
                                   "key": counties.loc[code, "key"], "city": counties.loc[code, "city"]}
                                  for code in atlas.by_county.of_feature(fid)],
                     **english_row(atlas, f, lines)})
    return rows


def english_row(atlas: Atlas, f, lines: list[dict]) -> dict:
    """What an English page says of a project in its table row and on its page, beside the Chinese row."""
    return {"kind_en": KIND[f["kind"]].en, "phase_en": PHASE[f["phase"]].en,
            "stage_en": (f"{tracker.STAGE_EN[f['stage']]} ({date_words(f['stage_date'], 'en')})" if f["stage"]
                         else "No record yet"),
            "status_en": lines[0]["label_en"] if lines else "Not stated in the documents",
            "city_names_en": ", ".join(CITY[c].en for c in f["cities"]),
            "geometry_en": geometry_label(atlas, f.name, "en")}


def said_by_documents(atlas: Atlas, fids: list[str]) -> dict[str, list[dict]]:
    """Feature id → what each document said about it, latest first ("2023年文件：实施建设")."""
    rows = statement_rows(atlas, fids)
    return {fid: status_by_document(group, atlas.documents) for fid, group in groupby(rows, key=lambda r: r["feature"])}


def document_blocks(atlas: Atlas, key: str) -> list[dict]:
    """The cleaned source text (texts.py) as headings, plain lines, clause blocks (one per measure, with its
    anchor) and the annex table."""
    lines = clean(key, atlas.texts[key]).text.splitlines()
    offsets, position = [], 0
    for line in lines:
        offsets.append(position)
        position += len(squeeze(line))
    whole = "".join(squeeze(line) for line in lines)
    owner: dict[int, dict] = {}
    cursor = 0
    for m in records(atlas.measures[atlas.measures["doc"] == key]):
        # search on from the previous clause: an annex item may repeat its opinion's words verbatim
        text = squeeze(m["text"])
        start = whole.find(text, cursor)
        start = start if start >= 0 else whole.find(text)
        end = cursor = start + len(text)
        covered = [i for i, off in enumerate(offsets) if off < end and off + len(squeeze(lines[i])) > start]
        for i in covered:
            owner.setdefault(i, m)
    table_start, table_end, table = table_rows(key, lines)
    blocks, current = [], None
    for i, line in enumerate(lines):
        if table and table_start <= i < table_end:
            if i == table_start:
                blocks.append(annex_block(CLEANING[key].table, table, [owner.get(i) for i in
                                                                       range(table_start + 4, table_end, 3)]))
            current = None
            continue
        m = owner.get(i)
        if m is not None:
            if current is None or current["id"] != m["id"]:
                current = {"kind": "clause", "id": m["id"], "clause": m["clause"], "title": m["title"],
                           "title_en": m["title_en"], "cities": m["cities"], "lines": [], "simplified": ""}
                blocks.append(current)
            current["lines"].append(line)
            continue
        current = None
        level = next((lvl for pattern, lvl in HEADING if pattern.match(line) and len(line) < 40), 0)
        blocks.append({"kind": "heading", "level": level, "text": line} if level else {"kind": "line", "text": line})
    if atlas.documents.loc[key, "script"] == "traditional":
        for block in blocks:
            if block["kind"] == "clause":
                block["simplified"] = TO_SIMPLIFIED.convert("".join(block["lines"]))
    return blocks


def annex_block(header: tuple[str, ...], rows: list[tuple[str, ...]], measures: list[dict | None]) -> dict:
    """The annex as a table: one row per item, anchored at the item's measure (`measures` follow the rows)."""
    return {"kind": "table", "header": header,
            "rows": [{"cells": cells, "id": m["id"] if m else "", "title": m["title"] if m else "",
                      "title_en": m["title_en"] if m else ""}
                     for cells, m in zip(rows, measures, strict=True)]}


def home_context(atlas: Atlas) -> dict:
    counts = atlas.measures.groupby("doc").size()
    docs = [{**d, "count": int(counts.get(d["key"], 0))} for d in records(atlas.documents)]
    cities = [{"key": c.key, "zh": c.zh, "en": c.en, "measures": len(atlas.measures_of_city(c.key)),
               "features": len(atlas.features_of_city(c.key))} for c in CITIES]
    themes = [{"key": t.key, "zh": t.zh, "en": t.en, "measures": len(atlas.measures_of_theme(t.key)),
               "features": len(atlas.features_of_theme(t.key))} for t in THEMES]
    return {"doc_rows": docs, "city_rows": cities, "theme_rows": themes, "measure_count": len(atlas.measures),
            "feature_count": len(atlas.features), "located_count": len(atlas.located),
            "latest": tracker.latest(atlas), "event_total": tracker.event_count(atlas)}


def stated_line(stated: dict) -> dict:
    """A date the clause's text states, as its card says it: 文中时限：2023年（原文“确保2023年建成投用”）."""
    year = int(stated["deadline"][:4])  # reckoned: 年内, 用5年…, counted from the document's date
    kind = STATED_KIND[stated["kind"]]
    return {**stated, "label": kind.zh, "when": date_words(stated["deadline"]), "label_en": kind.en,
            "when_en": date_words(stated["deadline"], "en"), "reckoned": year not in written_years(stated["quote"])}


@functools.cache
def unit_key(unit: str) -> str:
    """A responsible unit as the unit filter reads it, in simplified characters (a few hundred units, on every card of
    every page: each converted once)."""
    return TO_SIMPLIFIED.convert(unit)


def cards(atlas: Atlas, ids, counties: dict[str, list[str]] | None = None,
          numbers: dict[str, int] | None = None) -> list[dict]:
    """The cards of the measures `ids`, in that order: their records with the keys the page filters read (unit names
    in simplified script, deadline group, and with `counties` the names of the counties each concerns, with `numbers`
    their numbers) and the dates their texts state. Each is a new dict (a county page adds why it lists the measure)."""
    def made() -> dict[str, dict]:
        rows = {}
        for m in records(atlas.measures):
            m["unit_keys"] = ";".join(unit_key(u) for u in m["units"])
            m["deadline_key"] = m["deadline"] or "none"
            m["stated"] = [stated_line(s) for s in m.get("stated", [])]
            m["progress"] = tracker.deadline_card(m)
            rows[m["id"]] = m
        return rows

    every, counties = atlas.derived("measure cards", made), counties or {}
    out = []
    for mid in ids:
        names = counties.get(mid, [])  # the filter's counts; the card holds their numbers
        out.append({**every[mid], "county_names": names,
                    "county_numbers": [numbers[name] for name in names] if numbers else [],
                    "here": "",  # on a county page: why the measure is listed there
                    "here_words": [], "here_projects": []})  # the same, for an English page: the names, the projects
    return out


def counted(values, label, order=None) -> list[dict]:
    """Filter options: each value that occurs (in `values`, a column of lists), its label and how many cards."""
    counts = pd.Series([v for vs in values for v in vs], dtype=object).value_counts()
    options = [{"value": v, "label": label(v), "count": int(n)} for v, n in counts.items()]
    return sorted(options, key=order) if order else options  # default: most frequent first


FILTER_LABELS = {"city": ("城市", "City"), "theme": ("主题", "Theme"), "doc": ("文件", "Document"),
                 "deadline": ("完成时限", "Deadline"), "unit": ("责任单位", "Responsible unit")}


def filters(atlas: Atlas, measures, names: tuple[str, ...], lang: str = routes.DEFAULT_LANGUAGE) -> list[dict]:
    """The filter form's fields, with only the options that occur on the page and their counts, in the page's
    language (the units keep their Chinese names)."""
    zh = lang == routes.DEFAULT_LANGUAGE
    short = atlas.documents["short" if zh else "short_en"]
    doc_order = {k: i for i, k in enumerate(atlas.documents.index)}
    deadline_order = {**{w: i for i, w in enumerate(DEADLINE_WORDS)}, "none": len(DEADLINE_WORDS)}
    fields = {
        "city": counted(measures["cities"], lambda c: getattr(CITY[c], lang), lambda o: CITY_ORDER[o["value"]]),
        "theme": counted(measures["themes"], lambda t: getattr(THEME[t], lang), lambda o: THEME_ORDER[o["value"]]),
        "doc": counted(measures["doc"].map(lambda k: [k]), short.get, lambda o: doc_order[o["value"]]),
        "deadline": counted(measures["deadline"].map(lambda v: [v or "none"]),
                            lambda v: ("未设时限" if zh else "No deadline") if v == "none" else deadline_label(v, lang),
                            lambda o: (deadline_order.get(o["value"], -1), o["value"])),
        "unit": counted(measures["units"].map(lambda us: sorted({unit_key(u) for u in us})), str),
    }
    return [{"key": key, "label": FILTER_LABELS[key][not zh], "options": fields[key]} for key in names if fields[key]]


def phase_options(rows: list[dict], lang: str = routes.DEFAULT_LANGUAGE) -> list[dict]:
    """The project tables' 现状 filter: each phase that occurs, in PHASES order, with how many rows."""
    counts = pd.Series([row["phase"] for row in rows], dtype=object).value_counts()
    return [{"value": p.key, "label": getattr(p, lang), "count": int(counts[p.key])} for p in PHASES if p.key in counts]


def with_county(field: dict | None, fields: list[dict]) -> list[dict]:
    """The filter fields with the county field first (a resident's first question), when the page has one."""
    return [field, *fields] if field else fields


def city_context(atlas: Atlas, key: str, known: dict[str, dict] | None = None,
                 lang: str = routes.DEFAULT_LANGUAGE) -> dict:
    """Each measure once, grouped by its first theme; a card says which of the city's counties it concerns (for the
    county filter), and the project table which counties each project lies in."""
    measures, of_measure = atlas.measures_of_city(key), county_pages.measure_counties(atlas, key)
    numbers = county_pages.county_numbers(atlas)
    first_theme = measures["themes"].map(lambda themes: themes[0])
    groups = [{"theme": t, "measures": cards(atlas, measures.loc[first_theme == t.key, "id"], of_measure, numbers)}
              for t in THEMES]
    counties = atlas.by_county.counties
    rows = feature_rows(atlas, atlas.features_of_city(key), known)
    names = [[c["name"] for c in row["counties"] if c["city"] == key] for row in rows]
    return {"city": CITY[key], "total": len(measures), "groups": [g for g in groups if g["measures"]],
            "features": rows, "counties": records(counties[counties["city"] == key].sort_values("adcode")),
            "project_counties": county_pages.county_field(atlas, names, key, lang=lang),
            "phase_options": phase_options(rows, lang),
            "filters": with_county(county_pages.county_field(atlas, [m["county_names"] for g in groups
                                                                     for m in g["measures"]], key, numbered=True,
                                                             lang=lang),
                                   filters(atlas, measures, ("theme", "doc", "deadline", "unit"), lang))}


def theme_context(atlas: Atlas, key: str, known: dict[str, dict] | None = None,
                  lang: str = routes.DEFAULT_LANGUAGE) -> dict:
    """Each measure once, grouped by document; the cities it concerns are tags on its card."""
    measures, of_measure = atlas.measures_of_theme(key), county_pages.measure_counties(atlas)
    numbers = county_pages.county_numbers(atlas)
    groups = [{"doc": d, "measures": cards(atlas, measures.loc[measures["doc"] == d["key"], "id"], of_measure, numbers)}
              for d in records(atlas.documents)]
    rows = feature_rows(atlas, atlas.features_of_theme(key), known)
    return {"theme": THEME[key], "total": len(measures), "groups": [g for g in groups if g["measures"]],
            "features": rows, "project_counties": county_pages.county_field(
                atlas, [[c["name"] for c in row["counties"]] for row in rows if row["located"]], lang=lang),
            "filters": with_county(county_pages.county_field(atlas, [m["county_names"] for g in groups
                                                                     for m in g["measures"]], numbered=True,
                                                             lang=lang),
                                   filters(atlas, measures, ("city", "theme", "doc", "deadline", "unit"), lang))}


def county_context(atlas: Atlas, adcode: str, known: dict[str, dict] | None = None,
                   lang: str = routes.DEFAULT_LANGUAGE) -> dict:
    """A county-level unit's page: its facts, the projects its outline touches (by kind, then documented status,
    with how much of each lies inside) and the measures that concern it, with the city pages' cards and filters."""
    facts = county_pages.county_facts(atlas, adcode)
    projects = county_pages.county_projects(atlas, adcode, lang)
    rows = feature_rows(atlas, atlas.features.loc[[fid for fid, _ in projects]], known)
    features = [{**row, "here": here} for row, (_, here) in zip(rows, projects, strict=True)]
    order, why = county_pages.county_measures(atlas, adcode)
    reasons = county_pages.county_reasons(atlas, adcode)
    measures = atlas.measures.set_index("id", drop=False).loc[order]
    made = cards(atlas, order)  # once, then grouped: 38 pages × 11 themes of small frames took a second
    for m in made:
        m["here"] = why[m["id"]]
        m["here_words"], m["here_projects"] = reasons[m["id"]]["words"], reasons[m["id"]]["projects"]
    groups = [{"theme": t, "measures": [m for m in made if m["themes"][0] == t.key]} for t in THEMES]
    groups = [g for g in groups if g["measures"]]
    named = sum("写到" in reason for reason in why.values())
    return {**facts, "features": features, "total": len(order), "named": named, "groups": groups,
            "tally": county_pages.tallies(atlas.features.loc[[fid for fid, _ in projects]], lang),
            "filters": filters(atlas, measures, ("theme", "doc", "deadline", "unit"), lang) if order else []}


def project_context(atlas: Atlas, fid: str, known: dict[str, dict] | None = None,
                    said: dict[str, list[dict]] | None = None, lang: str = routes.DEFAULT_LANGUAGE) -> dict:
    """`known` and `said`: every feature's row and statements, made once (render_pages)."""
    clauses = dict(zip(atlas.measures["id"], atlas.measures["clause"], strict=True))
    statements = said.get(fid, []) if said is not None else statement_rows(atlas, fid)
    docs = atlas.documents
    rows = [{**s, "clause": clauses[s["measure"]], "clause_en": clause_en(clauses[s["measure"]]),
             "doc_short": docs.loc[s["doc"], "short"], "doc_short_en": docs.loc[s["doc"], "short_en"]}
            for s in statements]
    kind = atlas.features.loc[fid, "kind"]
    layer = style.layer_of(kind)
    row = feature_rows(atlas, atlas.features.loc[[fid]], known)[0]
    return {"f": row, "statements": rows, "drawing": drawing_note(atlas, fid, lang), "layer": layer,
            "progress": tracker.project_progress(atlas, fid, row["said"])}


def projects_context(atlas: Atlas, known: dict[str, dict] | None = None, lang: str = routes.DEFAULT_LANGUAGE) -> dict:
    groups = []
    for layer in LAYERS:
        kinds = style.kinds_of(layer.key)
        subset = atlas.features[atlas.features["kind"].isin(kinds)].sort_values(["kind", "id"])
        if len(subset):
            groups.append({"layer": layer, "features": feature_rows(atlas, subset, known)})
    rows = [row for group in groups for row in group["features"]]
    names = [[c["name"] for c in row["counties"]] for row in rows]
    return {"groups": groups, "total": len(atlas.features), "phase_options": phase_options(rows, lang),
            "recorded": int((atlas.features["stage_source"] == "progress").sum()),
            "project_counties": county_pages.county_field(atlas, names, lang=lang)}


def tracing_context(atlas: Atlas) -> dict:
    m = atlas.measures
    implementers: dict[str, list[dict]] = {}  # measure id → the measures that implement it, in table order
    for row in records(m[m["implements"].map(bool)]):
        for i in row["implements"]:
            implementers.setdefault(i, []).append(row)
    city_of = atlas.documents["city"].to_dict()
    regional = []
    for row in records(m[m["doc"] == "nzf-2023-23"]):
        doers = implementers.get(row["id"], [])
        cells = [[d["id"] for d in doers if city_of.get(d["doc"]) == c.key] for c in CITIES]
        regional.append({"m": row, "cells": cells})
    details = [{"m": row, "annex": [d["id"] for d in implementers.get(row["id"], [])]}
               for row in records(m[m["id"].str.fullmatch(r"hs23-\d+")])]
    deadlines = [{"m": row, "due": tracker.date_words(row["due"]), "state": tracker.deadline_card(row)}
                 for row in records(m[m["due"] != ""].sort_values(["due", "doc", "id"]))]
    return {"regional": regional, "details": details, "deadlines": deadlines, "cities_list": CITIES,
            "board": tracker.dashboard(atlas), "measure_total": len(m)}


def page_plan(atlas: Atlas, *, today: date, site_url: str, downloads: dict,
              history: list[dict], maps: dict | None = None, lang: str = routes.DEFAULT_LANGUAGE,
              parts: dict | None = None) -> dict[str, Callable[[], str]]:
    """Every generated page of edition `lang` as {source path under docs: a call that renders its Markdown}: the
    whole build renders them all (render_pages), a preview only those an edit can change (preview.render_changed).
    `maps`: {map name: exports.PrintNote} of the maps whose print images are made: a page prints the map as that
    image, and lists the map's features by the numbers the images give them. The English edition's pages have
    templates of their own (templates/en/), with the same paths under `en/`. `parts`: where the parts of pages that
    do not depend on the edition (every feature's table row and statements, the indexes) are kept, made by the first
    edition that needs them (a build passes the same dict to both)."""
    env, made = environment(), parts if parts is not None else {}
    folder = "" if lang == routes.DEFAULT_LANGUAGE else f"{lang}/"

    def once(name: str, make: Callable[[], object]):
        if name not in made:
            made[name] = make()
        return made[name]

    def common() -> dict:
        return {**once("common", lambda: {
            "docs": atlas.documents.to_dict("index"), "cities": CITY, "themes": THEME,
            "feature_index": atlas.features.drop(columns="geometry").to_dict("index"),
            "measure_index": atlas.measures.set_index("id", drop=False).to_dict("index"),
            "build_date": today.isoformat(), "site_url": site_url}), "map_notes": maps or {}}

    # every feature's table row and statements, made once: project, city, theme and list pages share them
    def known() -> dict[str, dict]:
        return once("known", lambda: {row["id"]: row for row in feature_rows(atlas, atlas.features)})

    def said() -> dict[str, list[dict]]:
        return once("said", lambda: {fid: list(rows) for fid, rows in groupby(
            statement_rows(atlas, list(atlas.features.index)), key=lambda r: r["feature"])})

    def page(template: str, source: str, context: Callable[[], dict]) -> Callable[[], str]:
        # root: the edition's top (its pages, maps and map images); shared: the site's (data, texts, assets)
        root = "../" * source.count("/")
        shared = root + "../" * (lang != routes.DEFAULT_LANGUAGE)
        return lambda: env.get_template(folder + template).render(**common(), root=root, shared=shared, lang=lang,
                                                                  **context())

    def document(key: str) -> dict:
        counts = once("counts", lambda: atlas.measures.groupby("doc").size())
        return {"d": atlas.documents.loc[key].to_dict(), "count": int(counts.get(key, 0)),
                "blocks": document_blocks(atlas, key), "cleaning": summary(clean(key, atlas.texts[key]), lang)}

    # the home and tracing pages' facts are the same in both editions (their templates pick the words)
    plan = {routes.HOME: page("home.md.j2", routes.HOME, lambda: once("home", lambda: home_context(atlas))),
            routes.PROJECTS: page("projects.md.j2", routes.PROJECTS, lambda: projects_context(atlas, known(), lang)),
            routes.TRACING: page("tracing.md.j2", routes.TRACING,
                                 lambda: once("tracing", lambda: tracing_context(atlas))),
            routes.CHANGES: page("changes.md.j2", routes.CHANGES, lambda: {
                "entries": history, "nouns_en": changes.TRACKED_EN, "verbs_en": changes.VERBS_EN,
                "fields_en": changes.FIELD_NAMES_EN}),
            routes.DATA: page("data.md.j2", routes.DATA, lambda: dictionary.data_context(atlas, downloads, lang))}
    for c in CITIES:
        plan[routes.city(c.key)] = page("city.md.j2", routes.city(c.key),
                                        lambda k=c.key: city_context(atlas, k, known(), lang))
    for adcode, county in atlas.by_county.counties.iterrows():
        plan[routes.county(county["key"])] = page("county.md.j2", routes.county(county["key"]),
                                                  lambda a=adcode: county_context(atlas, a, known(), lang))
    for t in THEMES:
        plan[routes.theme(t.key)] = page("theme.md.j2", routes.theme(t.key),
                                         lambda k=t.key: theme_context(atlas, k, known(), lang))
    for key in atlas.documents.index:
        plan[routes.document(key)] = page("document.md.j2", routes.document(key), lambda k=key: document(k))
    for fid in atlas.features.index:
        plan[routes.project(fid)] = page("project.md.j2", routes.project(fid),
                                         lambda f=fid: project_context(atlas, f, known(), said(), lang))
    return {routes.localized(source, lang): render for source, render in plan.items()}


def render_pages(atlas: Atlas, **inputs) -> dict[str, str]:
    """Every generated page as {source path under docs: Markdown}."""
    return {path: render() for path, render in page_plan(atlas, **inputs).items()}


def render_provenance(atlas_extra: dict, *, site_url: str, lang: str = routes.DEFAULT_LANGUAGE) -> str:
    """The about page's section on who publishes the atlas, the terms of reuse, how to cite it and the maps, in
    edition `lang`'s words."""
    contact = atlas_extra["contact"]
    contact_href = f"mailto:{contact}" if "@" in contact and "://" not in contact else contact
    contact_href = contact_href if contact_href.startswith(("mailto:", "https://", "http://")) else ""
    folder = "" if lang == routes.DEFAULT_LANGUAGE else f"{lang}/"
    return environment().get_template(folder + "provenance.md.j2").render(
        **{**atlas_extra, "lang": lang}, contact_href=contact_href, site_url=site_url)

