"""What a county-level unit's page says, in readers' words: its facts (city, seat, area, the documents that name it),
its projects by kind and documented status with how much of each lies inside, and why each of its measures is
listed there; and the county filter's options and each card's counties on the city and theme pages. The relations
come from inputs/counties.py; pages.py renders them with the city pages' cards and filters."""

from __future__ import annotations

from ..inputs.model import Atlas
from ..vocabulary.schema import CITIES, FEATURE_STATUSES, KINDS, PHASES, Term, by_key

CITY, KIND_ORDER = by_key(CITIES), {k.key: i for i, k in enumerate(KINDS)}
STATUS_ORDER = {s.key: i for i, s in enumerate(FEATURE_STATUSES)}


def unit_word(name: str) -> str:
    """What a page calls the unit (本旗, 本县, 本区, 本市): 旗 for 土默特左旗 and 达尔罕茂明安联合旗, 区 for
    白云鄂博矿区."""
    return name[-1]


# How much of a project lies in a county, in each edition's words (here_label).
HERE_WORDS = {
    "zh": {"sites": "{of} 处中有 {n} 处", "inside": "位于境内", "length": "占全长 {:.0%}",
           "length_small": "不到全长 1%", "km": "境内约 {km:.0f} 公里，{share}", "km_small": "境内不足 1 公里，{share}",
           "area": "占其范围的 {:.0%}", "area_small": "不到其范围的 1%"},
    "en": {"sites": "{n} of its {of} sites", "inside": "Inside", "length": "{:.0%} of its length",
           "length_small": "under 1% of its length", "km": "About {km:.0f} km inside, {share}",
           "km_small": "Under 1 km inside, {share}", "area": "{:.0%} of its area",
           "area_small": "Under 1% of its area"},
}


def here_label(link, lang: str = "zh") -> str:
    """How much of a project lies in the county: 境内约 35 公里，占全长 42%; 3 处中有 1 处; 位于境内; for an area
    drawn from a shape, 占其范围的 30% (in English: about 35 km inside, 42% of its length …)."""
    words = HERE_WORDS[lang]
    if link.of_sites > 1:
        return words["sites"].format(n=link.sites, of=link.of_sites)
    if link.sites:
        return words["inside"]
    if link.km:
        share = words["length_small"] if link.share < 0.01 else words["length"].format(link.share)
        return words["km" if link.km >= 1 else "km_small"].format(km=link.km, share=share)
    return words["area_small"] if link.share < 0.01 else words["area"].format(link.share)


def county_projects(atlas: Atlas, adcode: str, lang: str = "zh") -> list[tuple[str, str]]:
    """(project id, how much lies inside) of every project the county's outline touches, by kind, then documented
    status (as the project list states it), then name in the edition's language (the Chinese one where a project
    has no English name)."""
    links = atlas.by_county.projects
    here = {link.feature: here_label(link, lang) for link in links[links["adcode"] == adcode].itertuples()}
    features = atlas.features.loc[list(here)]
    names = features["name_zh"] if lang == "zh" else features["name_en"].where(features["name_en"] != "",
                                                                               features["name_zh"])
    order = sorted(here, key=lambda fid: (KIND_ORDER[features.loc[fid, "kind"]],
                                          STATUS_ORDER.get(features.loc[fid, "status"], len(STATUS_ORDER)),
                                          names[fid]))
    return [(fid, here[fid]) for fid in order]


def county_reasons(atlas: Atlas, adcode: str) -> dict[str, dict]:
    """Measure id → why it concerns the county: the names it prints for the county (`words`) and the projects in the
    county it is about (`projects`, ids), for the measures in table order."""
    rows = atlas.by_county.measures
    rows = rows[rows["adcode"] == adcode]
    found = {row.measure: {"words": list(row.words), "projects": list(row.projects)} for row in rows.itertuples()}
    return {mid: found[mid] for mid in atlas.measures["id"] if mid in found}


def county_measures(atlas: Atlas, adcode: str) -> tuple[list[str], dict[str, str]]:
    """The ids of the measures that concern the county, in table order, and why each is listed: the names it prints
    for the county, and the projects in the county it is about."""
    names = atlas.features["name_zh"]
    why = {}
    for mid, reason in county_reasons(atlas, adcode).items():
        parts = []
        if reason["words"]:
            parts.append("写到" + "".join(f"“{word}”" for word in reason["words"]))  # no 、 between quoted words
        if reason["projects"]:
            parts.append("所关于的" + "、".join(names[fid] for fid in reason["projects"]) + "在境内")
        why[mid] = "；".join(parts)
    return list(why), why


def county_facts(atlas: Atlas, adcode: str) -> dict:
    """The unit's names, city, seat and area, and the documents whose texts name it (how many times)."""
    county = atlas.by_county.counties.loc[adcode].to_dict()
    named = atlas.by_county.documents
    named = named[named["adcode"] == adcode].set_index("doc")["times"]
    documents = [{"key": key, "short": d["short"], "short_en": d["short_en"], "times": int(named[key])}
                 for key, d in atlas.documents.iterrows() if key in named.index]
    return {"county": county, "city": CITY[county["city"]], "word": unit_word(county["name_zh"]),
            "word_en": county["name_en"].rsplit(" ", 1)[-1].lower(),  # banner, county or district
            "area_zh": area_zh(county["area_km2"]), "documents": documents}


def area_zh(km2: float) -> str:
    """An area as the atlas states it, measured on its simplified outline: to the ten km² above 1,000 (2,760)."""
    return f"{round(km2, -1) if km2 >= 1000 else km2:,.0f}"


def tallies(features, lang: str = "zh") -> dict[str, list[tuple[str, int]]]:
    """The projects counted by kind, by phase (what the maps draw: recorded progress, else the documents) and by
    documented status, each in the vocabulary's order: (name, how many)."""
    kinds, statuses = by_key(KINDS), by_key(FEATURE_STATUSES)
    by_kind = features["kind"].value_counts()
    by_status = features["status"].value_counts()
    by_phase = features["phase"].value_counts()
    unstated = Term("", "文件未表述进展", "Not stated in the documents")
    return {"kinds": [(getattr(kinds[k], lang), int(by_kind[k])) for k in sorted(by_kind.index, key=KIND_ORDER.get)],
            "phases": [(getattr(p, lang), int(by_phase[p.key])) for p in PHASES if p.key in by_phase.index],
            "statuses": [(getattr(statuses.get(s, unstated), lang), int(by_status[s]))
                         for s in sorted(by_status.index, key=lambda s: STATUS_ORDER.get(s, len(STATUS_ORDER)))]}


def measure_counties(atlas: Atlas, city: str | None = None) -> dict[str, list[str]]:
    """Measure id → the names of the counties it concerns (of `city` only, if given): what each card's county filter
    reads."""
    def of_city() -> dict[str, list[str]]:
        index = atlas.by_county
        rows = index.measures.merge(index.counties[["adcode", "name_zh", "city"]], on="adcode").sort_values("adcode")
        if city is not None:
            rows = rows[rows["city"] == city]
        return rows.groupby("measure")["name_zh"].agg(list).to_dict()
    return atlas.derived(f"measure counties {city}", of_city)


def county_numbers(atlas: Atlas) -> dict[str, int]:
    """County name → its number, what a card's data-county holds instead of the name (a city page's cards weigh 4 KB
    less): the units in the order of the county table (city, then adcode)."""
    return {name: number for number, name in enumerate(atlas.by_county.counties["name_zh"])}


def county_field(atlas: Atlas, items: list[list[str]], city: str | None = None, numbered: bool = False,
                 lang: str = "zh") -> dict | None:
    """The county filter's field for a list whose items (cards or project rows) concern the given counties (their
    Chinese names): each county that occurs, with how many items, grouped by city on a page of several cities (an
    <optgroup> each); None when no item concerns one. `numbered`: each option carries the county's number, which the
    cards hold (county_numbers). An English page's options are the English names, as its county cells print them."""
    counts: dict[str, int] = {}
    for names in items:
        for name in dict.fromkeys(names):
            counts[name] = counts.get(name, 0) + 1
    table = atlas.by_county.counties
    shown = table[table["name_zh"].isin(counts)]
    if city is not None:
        shown = shown[shown["city"] == city]
    if shown.empty:
        return None
    numbers, name = county_numbers(atlas), f"name_{lang}"
    groups = [{"label": getattr(CITY[c], lang) if city is None else "",
               "options": [{"value": getattr(row, name), "label": getattr(row, name), "count": counts[row.name_zh],
                            "number": numbers[row.name_zh] if numbered else None}
                           for row in shown[shown["city"] == c].itertuples()]}
              for c in dict.fromkeys(shown["city"])]
    return {"key": "county", "label": "旗县区" if lang == "zh" else "County", "groups": groups}
