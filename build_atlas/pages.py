"""Stage 4: the site's Markdown pages, rendered from the validated atlas with Jinja.

Every value from the data is escaped on its way in: HTML-escaped everywhere (autoescape) and, where it
lands in Markdown syntax (headings, tables, link text), Markdown-escaped as well (`md`).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import jinja2
from markupsafe import Markup, escape
from opencc_purepy import OpenCC

from .model import Atlas
from .schema import CITIES, DEADLINE_WORDS, FEATURE_STATUSES, KINDS, LAYERS, MEASURE_STATUSES, TABLES, THEMES, by_key
from .validate import RULES, squeeze

CITY, THEME, KIND, STATUS = by_key(CITIES), by_key(THEMES), by_key(KINDS), by_key(FEATURE_STATUSES)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>-])")
HEADING = [(re.compile(r"^第[一二三四五六七八九十]+章"), 2), (re.compile(r"^第[一二三四五六七八九十]+节"), 3),
           (re.compile(r"^[一二三四五六七八九十]+、"), 2)]
TO_SIMPLIFIED = OpenCC("t2s")


def md(value) -> Markup:
    """HTML- then Markdown-escape a value for use inside Markdown syntax."""
    return Markup(MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(value))))


def deadline_label(value: str) -> str:
    if value in DEADLINE_WORDS:
        return DEADLINE_WORDS[value][0]
    year, month = value.split("-")
    return f"{int(year)}年{int(month)}月"


def deadline_passed(value: str, today: date) -> bool | None:
    if not re.match(r"^\d{4}-\d\d$", value):
        return None
    year, month = map(int, value.split("-"))
    return today > date(year, month, calendar.monthrange(year, month)[1])


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("build_atlas", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["md"] = md
    env.filters["deadline"] = deadline_label
    statuses = {s.key: s.zh for s in MEASURE_STATUSES}
    env.filters["measure_status"] = lambda value: statuses.get(value, "未记录")
    return env


def records(frame) -> list[dict]:
    return frame.to_dict("records")


def feature_rows(atlas: Atlas, features) -> list[dict]:
    mentions = atlas.statements.groupby("feature").size()
    rows = []
    for fid, f in features.iterrows():
        rows.append({**{k: f[k] for k in ("id", "name_zh", "name_en", "kind", "cities", "precision", "note", "status")},
                     "kind_zh": KIND[f["kind"]].zh, "status_zh": STATUS[f["status"]].zh if f["status"] else "未注明",
                     "city_names": "、".join(CITY[c].zh for c in f["cities"]), "mentions": int(mentions.get(fid, 0)),
                     "located": f.geometry is not None})
    return rows


def document_blocks(atlas: Atlas, key: str) -> list[dict]:
    """The source text as headings, plain lines and clause blocks (one per measure, with its anchor)."""
    lines = atlas.texts[key].splitlines()
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
    blocks, current = [], None
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        m = owner.get(i)
        if m is not None:
            if current is None or current["id"] != m["id"]:
                current = {"kind": "clause", "id": m["id"], "clause": m["clause"], "title": m["title"],
                           "cities": m["cities"], "lines": [], "simplified": ""}
                blocks.append(current)
            current["lines"].append(line.strip())
            continue
        current = None
        level = next((lvl for pattern, lvl in HEADING if pattern.match(line.strip()) and len(line.strip()) < 40), 0)
        blocks.append({"kind": "heading", "level": level, "text": line.strip()} if level
                      else {"kind": "line", "text": line.strip()})
    if atlas.documents.loc[key, "script"] == "traditional":
        for block in blocks:
            if block["kind"] == "clause":
                block["simplified"] = TO_SIMPLIFIED.convert("".join(block["lines"]))
    return blocks


def home_context(atlas: Atlas) -> dict:
    counts = atlas.measures.groupby("doc").size()
    docs = [{**d, "count": int(counts.get(d["key"], 0))} for d in records(atlas.documents)]
    cities = [{"key": c.key, "zh": c.zh, "en": c.en, "measures": len(atlas.measures_of_city(c.key)),
               "features": len(atlas.features_of_city(c.key))} for c in CITIES]
    themes = [{"key": t.key, "zh": t.zh, "en": t.en, "measures": len(atlas.measures_of_theme(t.key)),
               "features": len(atlas.features_of_theme(t.key))} for t in THEMES]
    return {"doc_rows": docs, "city_rows": cities, "theme_rows": themes, "measure_count": len(atlas.measures),
            "feature_count": len(atlas.features), "located_count": len(atlas.located)}


def city_context(atlas: Atlas, key: str) -> dict:
    measures = atlas.measures_of_city(key)
    groups = [{"theme": t, "measures": records(measures[measures["themes"].map(lambda ts, k=t.key: ts[0] == k)])}
              for t in THEMES]
    counties = atlas.counties[atlas.counties["city"] == key].sort_values("adcode")["name_zh"]
    return {"city": CITY[key], "total": len(measures), "groups": [g for g in groups if g["measures"]],
            "features": feature_rows(atlas, atlas.features_of_city(key)), "counties": list(counties)}


def theme_context(atlas: Atlas, key: str) -> dict:
    measures = atlas.measures_of_theme(key)
    all_four = measures["cities"].map(len) == len(CITIES)
    groups = [("四市共同", measures[all_four])] + [
        (c.zh, measures[~all_four & measures["cities"].map(lambda cs, k=c.key: k in cs)]) for c in CITIES]
    rendered, seen = [], set()
    for label, subset in groups:
        docs = [{"short": d["short"], "measures": records(subset[subset["doc"] == d["key"]])}
                for d in records(atlas.documents)]
        docs = [d for d in docs if d["measures"]]
        for m in (m for d in docs for m in d["measures"]):
            m["anchor"] = m["id"] not in seen  # a measure of two cities is listed twice; its id goes on the first
            seen.add(m["id"])
        if docs:
            rendered.append({"label": label, "docs": docs})
    return {"theme": THEME[key], "total": len(measures), "groups": rendered,
            "features": feature_rows(atlas, atlas.features_of_theme(key))}


def project_context(atlas: Atlas, fid: str) -> dict:
    measures = atlas.measures.set_index("id")
    statements = atlas.statements[atlas.statements["feature"] == fid].sort_values(["date", "measure"])
    rows = [{**s, "clause": measures.loc[s["measure"], "clause"], "doc_short": atlas.documents.loc[s["doc"], "short"],
             "status_zh": STATUS[s["status"]].zh} for s in records(statements)]
    return {"f": feature_rows(atlas, atlas.features.loc[[fid]])[0], "statements": rows}


def projects_context(atlas: Atlas) -> dict:
    groups = []
    for layer in LAYERS:
        kinds = [k.key for k in KINDS if k.note == layer.key]
        subset = atlas.features[atlas.features["kind"].isin(kinds)].sort_values(["kind", "id"])
        if len(subset):
            groups.append({"layer": layer, "features": feature_rows(atlas, subset)})
    return {"groups": groups, "total": len(atlas.features)}


def tracing_context(atlas: Atlas, today: date) -> dict:
    m = atlas.measures
    regional = []
    for row in records(m[m["doc"] == "nzf-2023-23"]):
        doers = m[m["implements"].map(lambda ids, i=row["id"]: i in ids)]
        cells = [list(doers[doers["doc"].map(atlas.documents["city"].get) == c.key]["id"]) for c in CITIES]
        regional.append({"m": row, "cells": cells})
    details = [{"m": row, "annex": list(m[m["implements"].map(lambda ids, i=row["id"]: i in ids)]["id"])}
               for row in records(m[m["id"].str.fullmatch(r"hs23-\d+")])]
    deadlines = []
    for row in records(m[m["deadline"] != ""]):
        passed = deadline_passed(row["deadline"], today)
        state = "—（持续性任务）" if passed is None else ("已到期" if passed else "未到期")
        deadlines.append({"m": row, "state": state})
    return {"regional": regional, "details": details, "deadlines": deadlines, "cities_list": CITIES,
            "passed": sum(d["state"] == "已到期" for d in deadlines)}


def data_context(atlas: Atlas, layers: list[dict]) -> dict:
    tables = [{"name": name, "columns": columns} for name, columns in TABLES.items()]
    vocab = [{"group": group, "key": t.key, "zh": t.zh, "en": t.en}
             for group, terms in (("城市 cities", CITIES), ("主题 themes", THEMES), ("要素类型 kind", KINDS),
                                  ("项目进展 statements.status", FEATURE_STATUSES),
                                  ("落实状态 measures.status", MEASURE_STATUSES)) for t in terms]
    return {"tables": tables, "vocab": vocab, "rules": list(RULES.items()), "layers": layers,
            "measure_count": len(atlas.measures), "feature_count": len(atlas.features),
            "unlocated_count": len(atlas.features) - len(atlas.located), "place_count": len(atlas.places)}


def render_pages(atlas: Atlas, *, today: date, site_url: str, layers: list[dict],
                 history: list[dict]) -> dict[str, str]:
    """Every generated page as {path under docs: Markdown}."""
    env = environment()
    common = {"docs": atlas.documents.to_dict("index"), "cities": CITY, "themes": THEME,
              "feature_index": atlas.features.drop(columns="geometry").to_dict("index"),
              "measure_index": atlas.measures.set_index("id", drop=False).to_dict("index"),
              "build_date": today.isoformat(), "site_url": site_url}

    def page(template: str, root: str, **context) -> str:
        return env.get_template(template).render(**common, root=root, **context)

    pages = {"index.md": page("home.md.j2", "", **home_context(atlas)),
             "projects/index.md": page("projects.md.j2", "../", **projects_context(atlas)),
             "tracing.md": page("tracing.md.j2", "", **tracing_context(atlas, today)),
             "changes.md": page("changes.md.j2", "", entries=history),
             "data.md": page("data.md.j2", "", **data_context(atlas, layers))}
    for c in CITIES:
        pages[f"cities/{c.key}.md"] = page("city.md.j2", "../", **city_context(atlas, c.key))
    for t in THEMES:
        pages[f"themes/{t.key}.md"] = page("theme.md.j2", "../", **theme_context(atlas, t.key))
    counts = atlas.measures.groupby("doc").size()
    for key, d in atlas.documents.iterrows():
        pages[f"documents/{key}.md"] = page("document.md.j2", "../", d=d.to_dict(), count=int(counts.get(key, 0)),
                                            blocks=document_blocks(atlas, key))
    for fid in atlas.features.index:
        pages[f"projects/{fid}.md"] = page("project.md.j2", "../", **project_context(atlas, fid))
    return pages
