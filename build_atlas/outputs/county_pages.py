"""What a county-level unit's page says, in readers' words: its facts (city, seat, area, the documents that name it),
its projects by kind and documented status with how much of each lies inside, and why each of its measures is
listed there; and the county filter's options and each card's counties on the city and theme pages. The relations
come from inputs/counties.py; pages.py renders them with the city pages' cards and filters."""

from __future__ import annotations

from ..inputs.model import Atlas
from ..vocabulary.schema import CITIES, FEATURE_STATUSES, KINDS, PHASES, by_key

CITY, KIND_ORDER = by_key(CITIES), {k.key: i for i, k in enumerate(KINDS)}
STATUS_ORDER = {s.key: i for i, s in enumerate(FEATURE_STATUSES)}


def unit_word(name: str) -> str:
    """What a page calls the unit (本旗, 本县, 本区, 本市): 旗 for 土默特左旗 and 达尔罕茂明安联合旗, 区 for
    白云鄂博矿区."""
    return name[-1]


def here_label(link) -> str:
    """How much of a project lies in the county: 境内约 35 公里，占全长 42%; 3 处中有 1 处; 位于境内; for an area
    drawn from a shape, 占其范围的 30%."""
    if link.of_sites > 1:
        return f"{link.of_sites} 处中有 {link.sites} 处"
    if link.sites:
        return "位于境内"
    share = "不到全长 1%" if link.share < 0.01 else f"占全长 {link.share:.0%}"
    if link.km:
        return f"境内约 {link.km:.0f} 公里，{share}" if link.km >= 1 else f"境内不足 1 公里，{share}"
    return "不到其范围的 1%" if link.share < 0.01 else f"占其范围的 {link.share:.0%}"


def county_projects(atlas: Atlas, adcode: str) -> list[tuple[str, str]]:
    """(project id, how much lies inside) of every project the county's outline touches, by kind, then documented
    status (as the project list states it), then name."""
    links = atlas.by_county.projects
    here = {link.feature: here_label(link) for link in links[links["adcode"] == adcode].itertuples()}
    features = atlas.features.loc[list(here)]
    order = sorted(here, key=lambda fid: (KIND_ORDER[features.loc[fid, "kind"]],
                                          STATUS_ORDER.get(features.loc[fid, "status"], len(STATUS_ORDER)),
                                          features.loc[fid, "name_zh"]))
    return [(fid, here[fid]) for fid in order]


def county_measures(atlas: Atlas, adcode: str) -> tuple[list[str], dict[str, str]]:
    """The ids of the measures that concern the county, in table order, and why each is listed: the names it prints
    for the county, and the projects in the county it is about."""
    rows = atlas.by_county.measures
    rows = rows[rows["adcode"] == adcode]
    names = atlas.features["name_zh"]
    why = {}
    for row in rows.itertuples():
        parts = []
        if row.words:
            parts.append("写到" + "".join(f"“{word}”" for word in row.words))  # no 、 between quoted words
        if row.projects:
            parts.append("所关于的" + "、".join(names[fid] for fid in row.projects) + "在境内")
        why[row.measure] = "；".join(parts)
    order = [mid for mid in atlas.measures["id"] if mid in why]
    return order, why


def county_facts(atlas: Atlas, adcode: str) -> dict:
    """The unit's names, city, seat and area, and the documents whose texts name it (how many times)."""
    county = atlas.by_county.counties.loc[adcode].to_dict()
    named = atlas.by_county.documents
    named = named[named["adcode"] == adcode].set_index("doc")["times"]
    documents = [{"key": key, "short": d["short"], "times": int(named[key])}
                 for key, d in atlas.documents.iterrows() if key in named.index]
    return {"county": county, "city": CITY[county["city"]], "word": unit_word(county["name_zh"]),
            "area_zh": area_zh(county["area_km2"]), "documents": documents}


def area_zh(km2: float) -> str:
    """An area as the atlas states it, measured on its simplified outline: to the ten km² above 1,000 (2,760)."""
    return f"{round(km2, -1) if km2 >= 1000 else km2:,.0f}"


def tallies(features) -> dict[str, list[tuple[str, int]]]:
    """The projects counted by kind, by phase (what the maps draw: recorded progress, else the documents) and by
    documented status, each in the vocabulary's order: (name, how many)."""
    kinds, statuses = by_key(KINDS), by_key(FEATURE_STATUSES)
    by_kind = features["kind"].value_counts()
    by_status = features["status"].value_counts()
    by_phase = features["phase"].value_counts()
    return {"kinds": [(kinds[k].zh, int(by_kind[k])) for k in sorted(by_kind.index, key=KIND_ORDER.get)],
            "phases": [(p.zh, int(by_phase[p.key])) for p in PHASES if p.key in by_phase.index],
            "statuses": [(statuses[s].zh if s in statuses else "文件未表述进展", int(by_status[s]))
                         for s in sorted(by_status.index, key=lambda s: STATUS_ORDER.get(s, len(STATUS_ORDER)))]}


def measure_counties(atlas: Atlas, city: str | None = None) -> dict[str, list[str]]:
    """Measure id → the names of the counties it concerns (of `city` only, if given): what each card's county filter
    reads."""
    index = atlas.by_county
    rows = index.measures.merge(index.counties[["adcode", "name_zh", "city"]], on="adcode").sort_values("adcode")
    if city is not None:
        rows = rows[rows["city"] == city]
    return rows.groupby("measure")["name_zh"].agg(list).to_dict()


def county_numbers(atlas: Atlas) -> dict[str, int]:
    """County name → its number, what a card's data-county holds instead of the name (a city page's cards weigh 4 KB
    less): the units in the order of the county table (city, then adcode)."""
    return {name: number for number, name in enumerate(atlas.by_county.counties["name_zh"])}


def county_field(atlas: Atlas, items: list[list[str]], city: str | None = None, numbered: bool = False) -> dict | None:
    """The county filter's field for a list whose items (cards or project rows) concern the given counties (their
    names): each county that occurs, with how many items, grouped by city on a page of several cities (an
    <optgroup> each); None when no item concerns one. `numbered`: each option carries the county's number, which the
    cards hold (county_numbers)."""
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
    groups = [{"label": CITY[c].zh if city is None else "",
               "options": [{"value": name, "label": name, "count": counts[name],
                            "number": county_numbers(atlas)[name] if numbered else None}
                           for name in shown.loc[shown["city"] == c, "name_zh"]]}
              for c in dict.fromkeys(shown["city"])]
    return {"key": "county", "label": "旗县区", "groups": groups}
