"""What happened since the documents, as readers see it: each project's timeline, the latest events, the 落实追踪
dashboard's figures and the Atom feed.

Two things are kept apart everywhere: 文件表述 (what a document says, from geodata/statements.csv) and 实际进展 (an
event from geodata/progress.csv, with its public source). The events themselves are read and checked in
inputs/progress.py.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pandas as pd
from feedgen.feed import FeedGenerator

from ..inputs.model import Atlas
from ..vocabulary import routes
from ..vocabulary.dataset import clause_en, date_words
from ..vocabulary.schema import CITIES, DEADLINE_STATES, KINDS, PHASES, STAGES, by_key

KIND, PHASE, STATE = by_key(KINDS), by_key(PHASES), by_key(DEADLINE_STATES)
STAGE_EN = {stage.key: stage.en for stage in STAGES}  # a stage is recorded in Chinese; its English label
LATEST = 5  # events on the home page
DASHBOARD_LATEST = 12  # events on 落实追踪
FEED_EVENTS = 60


def target_links(atlas: Atlas, targets: list[str]) -> list[dict]:
    """Each target of an event as a link: a project's page or a measure's clause (its name in each language; the
    address is the Chinese edition's, an English page's is routes.localized)."""
    links = []
    for target in targets:
        if target in atlas.features.index:
            f = atlas.features.loc[target]
            links.append({"kind": "project", "id": target, "name": f["name_zh"], "name_en": f["name_en"] or "",
                          "href": routes.html(routes.project(target))})
        else:
            m = atlas.measures.set_index("id").loc[target]
            d = atlas.documents.loc[m["doc"]]
            links.append({"kind": "measure", "id": target, "name": f"{d['short']} {m['clause']} {m['title']}",
                          "name_en": f"{d['short_en']}, {clause_en(m['clause'])}: {m['title_en']}" if m["title_en"]
                          else "", "href": routes.measure(m["doc"], target)})
    return links


def event_entries(atlas: Atlas, events: pd.DataFrame | None = None) -> list[dict]:
    """One entry per recorded event (an event on several targets once), newest first."""
    events = atlas.progress if events is None else events
    entries = []
    for _, row in events.drop_duplicates("line").iterrows():
        entries.append({
            "date": row["date"], "when": date_words(row["date"]), "stage": row["stage"], "summary": row["summary"],
            "when_en": date_words(row["date"], "en"), "stage_en": STAGE_EN[row["stage"]],
            "publisher": row["publisher"], "title": row["title"], "url": row["url"],
            "published": date_words(row["published"]) if row["published"] else "", "recorded": row["recorded"],
            "published_en": date_words(row["published"], "en") if row["published"] else "",
            "host": urlsplit(row["url"]).hostname or "",
            "targets": target_links(atlas, row["targets"]), "line": int(row["line"]),
        })
    return entries


def events_of(atlas: Atlas, target: str) -> list[dict]:
    """The events recorded on one project or measure, newest first (every target's made once per atlas: a project
    page each)."""
    def by_target() -> dict[str, list[dict]]:
        entries = {entry["line"]: entry for entry in event_entries(atlas)}
        out: dict[str, list[dict]] = {}
        for key, line in zip(atlas.progress["target"], atlas.progress["line"], strict=True):
            out.setdefault(key, []).append(entries[int(line)])
        return out
    return atlas.derived("events by target", by_target).get(target, [])


def event_count(atlas: Atlas) -> int:
    """How many events are recorded (an event on several targets counts once)."""
    return int(atlas.progress["line"].nunique())


def latest(atlas: Atlas, count: int = LATEST) -> list[dict]:
    return event_entries(atlas)[:count]


def project_progress(atlas: Atlas, fid: str, said: list[dict]) -> dict:
    """The project page's 实际进展: its current stage (or the documents' words, said to be theirs), when progress was
    last recorded, and one timeline, newest first, of its events and of what each document said (`said`:
    projects.status_by_document lines)."""
    f = atlas.features.loc[fid]
    events = events_of(atlas, fid)
    items = [{"kind": "event", "date": e["date"], **e} for e in events]
    dates = atlas.documents["date"].astype(str)
    for line in said:
        document = atlas.documents.loc[line["doc"]]
        items.append({"kind": "document", "date": dates[line["doc"]], "when": date_words(dates[line["doc"]]),
                      "when_en": date_words(dates[line["doc"]], "en"), "label": line["label"],
                      "statuses_en": line.get("statuses_en", []), "doc": line["doc"], "short": line["short"],
                      "title": document["title"], "title_en": document["title_en"]})
    items.sort(key=lambda item: (item["date"], item["kind"] == "event"), reverse=True)
    staged = bool(f["stage"])
    return {"stage": f["stage"], "when": date_words(f["stage_date"]) if staged else "",
            "stage_en": STAGE_EN[f["stage"]] if staged else "", "when_en": date_words(f["stage_date"], "en") if staged
            else "", "phase": PHASE[f["phase"]].zh, "phase_en": PHASE[f["phase"]].en, "source": f["stage_source"],
            "recorded": f["recorded"], "recorded_en": date_words(f["recorded"], "en") if f["recorded"] else "",
            "timeline": items, "events": len(events)}


def deadline_card(m: dict) -> dict | None:
    """What a measure's card says of its deadline and progress: 未到期 / 已到期，尚无完成记录 / 按期完成 / 逾期完成."""
    if not m.get("deadline_state"):
        return None
    state = STATE[m["deadline_state"]]
    return {"key": m["deadline_state"], "label": state.zh, "label_en": state.en,
            "done": date_words(m["done"]) if m["done"] else "", "done_en": date_words(m["done"], "en") if m["done"]
            else "", "url": m["done_url"], "publisher": m["done_publisher"]}


def quarter(month: str, lang: str = "zh") -> str:
    """2024-11 → 2024年第4季度, in English Q4 2024."""
    number = (int(month[5:7]) - 1) // 3 + 1
    return f"Q{number} {month[:4]}" if lang == "en" else f"{month[:4]}年第{number}季度"


def dashboard(atlas: Atlas) -> dict:
    """落实追踪's figures: projects by phase for each city and each kind, due measures by quarter and state, the
    latest events. Each chart's table holds exactly the figures its chart draws."""
    f = atlas.features
    phases = [p.key for p in PHASES]

    def by_phase(groups: list[tuple[str, str, pd.DataFrame]]) -> list[dict]:
        rows = []
        for key, label, subset in groups:
            counts = subset["phase"].value_counts()
            rows.append({"key": key, "label": label, "counts": [int(counts.get(p, 0)) for p in phases],
                         "total": len(subset), "recorded": int((subset["stage_source"] == "progress").sum())})
        return [row for row in rows if row["total"]]

    cities = by_phase([(c.key, c.zh, atlas.features_of_city(c.key)) for c in CITIES])
    kinds = by_phase([(k.key, k.zh, f[f["kind"] == k.key]) for k in KINDS])
    m = atlas.measures[atlas.measures["due"] != ""]
    states = [s.key for s in DEADLINE_STATES if s.key != "done"]
    quarters = []
    for label, group in m.groupby(m["due"].map(quarter), sort=True):
        counts = group["deadline_state"].value_counts()
        quarters.append({"label": label, "en": quarter(group["due"].iloc[0], "en"),
                         "counts": [int(counts.get(s, 0)) for s in states], "total": len(group),
                         "measures": [{"id": r["id"], "doc": r["doc"], "title": r["title"],
                                       "state": STATE[r["deadline_state"]].zh} for r in group.to_dict("records")]})
    passed = int(m["deadline_state"].isin(["unrecorded", "on-time", "late"]).sum())
    return {
        "phases": [{"key": p.key, "zh": p.zh, "en": p.en, "color": p.color} for p in PHASES],
        "states": [{"key": s, "zh": STATE[s].zh, "en": STATE[s].en, "color": STATE[s].color} for s in states],
        "cities": cities, "kinds": kinds, "quarters": quarters, "due_total": len(m), "passed": passed,
        "recorded_projects": int((f["stage_source"] == "progress").sum()), "project_total": len(f),
        "event_total": event_count(atlas), "latest": latest(atlas, DASHBOARD_LATEST),
    }


def feed_id(*parts: str) -> str:
    """A stable tag: URI for a feed entry (RFC 4151), from what identifies it."""
    return "tag:hbew-atlas,2026:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def atom_feed(atlas: Atlas, history: list[dict], *, title: str, site_url: str, today: str) -> bytes:
    """feed.xml: the progress events and the days the published data changed (更新记录), newest first. Links are
    absolute when `site_url` is configured, otherwise relative to the feed's own address."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    generator = FeedGenerator()
    generator.id(feed_id("feed", site_url or title))
    generator.title(f"{title}：实际进展与数据更新")
    generator.subtitle("本图集记录的呼包鄂乌一体化项目实际进展（附公开来源），以及数据的每次更新。")
    generator.link(href=base + "feed.xml", rel="self")
    generator.link(href=base + routes.html(routes.TRACING), rel="alternate")
    generator.language("zh-CN")
    generator.author({"name": title})
    entries = []
    for event in event_entries(atlas)[:FEED_EVENTS]:
        names = "、".join(t["name"] for t in event["targets"])
        summary = (f"{event['when']}，{names}：{event['stage']}。{event['summary']}"
                   f"（来源：{event['publisher']}《{event['title']}》）")
        link = base + event["targets"][0]["href"]
        entries.append((event["recorded"], event["date"], feed_id("event", event["date"], names, event["stage"]),
                        f"{event['stage']}：{names}", summary, link))
    for day in history:
        if day.get("preview"):
            continue
        summary = day["summary"] + ("" if not day["notes"] else " " + " ".join(day["notes"]))
        entries.append((day["date"], day["date"], feed_id("changes", day["date"]), f"数据更新：{day['date']}",
                        summary, base + routes.html(routes.CHANGES) + f"#{day['date']}"))
    entries.sort(key=lambda e: (e[0], e[1]))  # feedgen puts the last added first: newest first in the file
    for updated, _, entry_id, entry_title, summary, link in entries:
        entry = generator.add_entry()
        entry.id(entry_id)
        entry.title(entry_title)
        entry.summary(summary)
        entry.link(href=link)
        entry.updated(datetime.fromisoformat(updated).replace(tzinfo=UTC))
    generator.updated(datetime.fromisoformat(max([today] + [e[0] for e in entries])).replace(tzinfo=UTC))
    return generator.atom_str(pretty=True)
