"""The English edition's search records: the same results as the Chinese edition's (every measure, project, city,
county, theme and document), found by their English names and titles, in either spelling (centre, center), and
by their Chinese names and text for a reader who pastes them.

What a result shows is English: a name or title from the data, then facts in the vocabulary's English labels; a
name without an English form shows its Chinese one, marked as Chinese. A measure's own text follows in Chinese, as
its page gives it. Locations are relative to the edition's top (`en/`), where the English index lives.
"""

from __future__ import annotations

import html
import re

from breame.spelling import (
    american_spelling_exists,
    british_spelling_exists,
    get_american_spelling,
    get_british_spelling,
)

from ..inputs.model import Atlas
from ..vocabulary import routes
from ..vocabulary.schema import CITIES, DEADLINE_STATES, DEADLINE_WORDS, KINDS, PHASES, THEMES, by_key
from .search_words import HAN, alias_words, county_tallies, county_words, segment

CITY, KIND, PHASE, DEADLINE_STATE = by_key(CITIES), by_key(KINDS), by_key(PHASES), by_key(DEADLINE_STATES)
WORD = re.compile(r"[A-Za-z]+")
# English names the documents' translators write one way and readers type another; each group's names find each
# other (British and American spellings are breame's, see other_spelling).
SYNONYMS = (
    ("high-speed railway", "high-speed rail", "HSR"),
    ("railway", "railroad"),
    ("expressway", "motorway", "freeway"),
)
PAGES = {  # the generated list pages, by what a reader finds them by
    routes.HOME: ("Hohhot–Baotou–Ordos–Ulanqab Integration Policy Atlas",
                  "Home: the measures of five government documents, the map of planned projects, and the way in by "
                  "city and by theme."),
    routes.PROJECTS: ("Projects", "Every planned project the five documents name, grouped as rail, roads, aviation, "
                                  "ecology, logistics and ports, and more."),
    routes.TRACING: ("Implementation", "How the cities' documents carry out the region's measures, and when each "
                                       "measure is due."),
    routes.CHANGES: ("Updates", "Each update of the atlas's data."),
    routes.DATA: ("Data", "Downloads of all the data (measures, projects, place names) and what each field holds."),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def other_spelling(text: str) -> str:
    """The text with each word that British and American English spell differently in its other spelling (centre →
    center, organization → organisation), or '' when it has none."""
    def respell(match: re.Match) -> str:
        word = match.group(0).lower()
        if british_spelling_exists(word):
            return get_american_spelling(word)
        return get_british_spelling(word) if american_spelling_exists(word) else match.group(0)

    other = WORD.sub(respell, text)
    return other if other != text else ""


def synonyms(text: str) -> list[str]:
    """The other names of each SYNONYMS name the text holds (HSR for a high-speed railway), and the text without the
    apostrophes inside its words (Yanan for Yan'an: the separator splits yan'an in two)."""
    low, bare = text.lower(), re.sub(r"(?<=[A-Za-z])['\u2019](?=[A-Za-z])", "", text)
    if bare != text:
        return [bare, *synonyms(bare)]
    held = [group for group in SYNONYMS if any(re.search(rf"\b{re.escape(name.lower())}\b", low) for name in group)]
    return [name for group in held for name in group if not re.search(rf"\b{re.escape(name.lower())}\b", low)]


def chinese(text: str) -> str:
    """Chinese in English text: marked as such, cut into words for the index."""
    return f'<span lang="zh">{segment(html.escape(text))}</span>'


def english(text: str, fallback: str) -> str:
    """An English name or title as HTML; the Chinese one, marked, where the data has none."""
    return html.escape(text) if text.strip() else chinese(fallback)


def record(location: str, title: str, text: str, *, aka: list[str] = (), also: list[str] = (),
           place: list[str] = (), units: list[str] = ()) -> dict:
    """One result. `title` and `text` are HTML (English escaped, Chinese marked by `chinese`); the other fields are
    not shown: `aka` and `place` are names (ranked as the search module's FIELDS say), `also` more text. Each English
    name and text is indexed in its other spelling too."""
    shown = [html.unescape(re.sub(r"<[^>]*>", "", part)) for part in (title, text)]  # as a reader reads them
    names = [other_spelling(shown[0]), *synonyms(shown[0]), *aka]
    extra = [other_spelling(shown[1]), *synonyms(shown[1]), *also]
    entry = {"location": location, "title": title, "text": text, "aka": words(names), "also": words(extra)}
    if place:
        entry["place"] = words([*place, *(other_spelling(p) for p in place)])
    if units:
        entry["units"] = words(units)
    return entry


def words(texts: list[str]) -> str:
    """Names or texts for a field not shown, one a line (the ranking compares a query with each name whole)."""
    return "\n".join(segment(html.escape(t)) for t in dict.fromkeys(texts) if t)


def date(value: str) -> str:
    """A date to the precision it has: 2025, December 2024, 11 December 2023."""
    parts = [int(part) for part in str(value).split("-")]
    return " ".join([*map(str, parts[2:]), *(MONTHS[n - 1] for n in parts[1:2]), str(parts[0])])


def cities(keys: list[str]) -> str:
    return ", ".join(CITY[c].en for c in keys)


def counties_en(atlas: Atlas, adcodes: list[str]) -> list[str]:
    names = atlas.by_county.counties["name_en"]
    return [names[code] for code in adcodes]


def measure_record(atlas: Atlas, m: dict, short_en: str) -> dict:
    """A measure: its clause and English title; its source, cities and deadline, then its own text in Chinese. Found
    also by the English names of the projects it names and of the counties it concerns, and by its Chinese title,
    text and responsible units."""
    number = clause(m["clause"])
    facts = [f"{html.escape(short_en)} {number}"]
    if m["cities"]:
        facts.append(html.escape(cities(m["cities"])))
    if m["deadline"]:
        words = DEADLINE_WORDS.get(m["deadline"])
        facts.append(html.escape(words[1] if words else f"due {date(m['deadline'])}"))
    names = [atlas.features.loc[f, "name_en"] for f in m["features"]]
    state = [DEADLINE_STATE[m["deadline_state"]].en] if m.get("deadline_state") else []
    return record(routes.measure(m["doc"], m["id"]), f"{number} {english(m['title_en'], m['title'])}",
                  f"{' · '.join(facts)}. {chinese(m['text'])}",
                  aka=[m["title"]], units=m["units"],
                  also=[*names, *map(other_spelling, names), *state,
                        *counties_en(atlas, atlas.by_county.of_measure(m["id"]))])


def clause(number: str) -> str:
    """A clause's number as its document prints it, marked as Chinese when it is ((一), 第六章第一节)."""
    return chinese(number) if HAN.search(number) else html.escape(number)


def project_record(atlas: Atlas, fid: str, f: dict) -> dict:
    """A project: its English name; its kind, cities and phase. Found also by its Chinese name and aliases, and by
    the counties it lies in or passes; its kind ranks as a name (airport finds the airports first)."""
    facts = [KIND[f["kind"]].en, cities(f["cities"]) or "location not verified"]
    if f.get("phase"):
        facts.append(PHASE[f["phase"]].en)
    return record(routes.html(routes.project(fid)), english(f["name_en"], f["name_zh"]),
                  html.escape(" · ".join(facts)) + ".",
                  aka=[KIND[f["kind"]].en, f["name_zh"], *alias_words(atlas, f["name_zh"], [fid], named=False)],
                  also=counties_en(atlas, atlas.by_county.of_feature(fid)))


def place_records(atlas: Atlas) -> list[dict]:
    """The cities', counties' and themes' pages, found by their names in English and Chinese and the Chinese
    aliases (呼市, 土左旗)."""
    out, counties, words_zh = [], atlas.by_county.counties, county_words(atlas)
    for c in CITIES:
        own = counties[counties["city"] == c.key].sort_values("adcode")["name_en"]
        text = (f"City. {len(atlas.measures_of_city(c.key))} measures and {len(atlas.features_of_city(c.key))} "
                f"planned projects concern it. Counties and districts: {', '.join(own)}.")
        names = [c.zh, c.zh.removesuffix("市"), *alias_words(atlas, c.zh, [], named=False)]
        out.append(record(routes.html(routes.city(c.key)), html.escape(c.en), html.escape(text),
                          place=[c.en, *names]))
    tallies = county_tallies(atlas)
    for code, county in counties.iterrows():
        projects, measures = tallies[code]
        text = (f"In {CITY[county['city']].en}; about {county['area_km2']:,.0f} km². {projects} planned projects lie "
                f"here or pass through; {measures} measures concern it.")
        out.append(record(routes.html(routes.county(county["key"])), english(county["name_en"], county["name_zh"]),
                          html.escape(text), place=[county["name_en"], *words_zh[code]]))
    for t in THEMES:
        text = (f"Theme. {len(atlas.measures_of_theme(t.key))} measures and {len(atlas.features_of_theme(t.key))} "
                "planned projects.")
        out.append(record(routes.html(routes.theme(t.key)), html.escape(t.en), html.escape(text), aka=[t.zh],
                          also=[t.note]))
    return out


def english_records(atlas: Atlas) -> list[dict]:
    """Every result the atlas's data makes in the English edition, each page's entry before its sections (the theme
    relies on it), in the Chinese edition's order."""
    out = [record(routes.html(page), html.escape(title), html.escape(text)) for page, (title, text) in PAGES.items()]
    out += place_records(atlas)
    for key, d in atlas.documents.iterrows():
        out.append(record(routes.html(routes.document(key)), english(d["short_en"], d["short"]),
                          f"{english(d['title_en'], d['title'])}, {date(d['date'])}.",
                          aka=[d["short"], d["title"]], also=[d["issuer"], d["number"]]))
        out += [measure_record(atlas, m, d["short_en"])
                for m in atlas.measures[atlas.measures["doc"] == key].to_dict("records")]
    rows = atlas.features.drop(columns=["geometry", "line"], errors="ignore").to_dict("index")
    out += [project_record(atlas, fid, rows[fid]) for fid in sorted(rows, key=lambda fid: (rows[fid]["kind"], fid))]
    return out
