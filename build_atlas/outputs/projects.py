"""A project in readers' words: how it is drawn and what each document said about it.

Both are generated from the data (geometry kind, waypoints in order, the gazetteer's names and sources, the
statements with their documents' dates), so the maintainers' `note` column never reaches a page.
"""

from __future__ import annotations

import re

import pandas as pd

from ..inputs.model import Atlas
from ..vocabulary.schema import FEATURE_STATUSES, by_key

STATUS = by_key(FEATURE_STATUSES)
GEOMETRY_ZH = {"point": "点", "line": "线", "area": "范围", "shape": "范围", "unlocated": "未上图"}
GEOMETRY_EN = {"point": "Point", "line": "Line", "area": "Area", "shape": "Area", "unlocated": "Not on the map"}
PLACE_SUFFIX = re.compile(r"(市|县|旗|区|镇|乡|苏木)$")
UNSURE = re.compile(r"UNCERTAIN|NOT IDENTIFIED")  # how the gazetteer's sources flag a place to be checked


def is_about(statements: pd.DataFrame) -> pd.Series:
    """Which statements set a status: `relation` about (or absent/empty, before that column exists)."""
    if "relation" not in statements:
        return pd.Series(True, index=statements.index)
    return statements["relation"].fillna("").isin(["", "about"])


def place_names(name: str) -> list[str]:
    """The names a document may use for a gazetteer place: 西山咀（乌拉特前旗） → 西山咀, 乌拉特前旗, 乌拉特前."""
    parts = [p for p in re.split(r"[（）()、—]", name) if len(p) >= 2]
    return [n for p in parts for n in {p, PLACE_SUFFIX.sub("", p)} if len(n) >= 2]


def short_place(name: str) -> str:
    return name.split("（")[0]


def place_name(place: dict, lang: str = "zh") -> str:
    """A gazetteer place as a drawing note names it: 西山咀（乌拉特前旗） → 西山咀; in English its English name
    without the bracket (Dalad Banner (Shulinzhao) → Dalad Banner)."""
    return short_place(place["name_zh"]) if lang == "zh" else place["name_en"].split(" (")[0]


def distance(metres: str, lang: str = "zh") -> str:
    value = float(metres or 0)
    km, m = ("公里", "米") if lang == "zh" else ("km", "m")
    return f"{value / 1000:.0f} {km}" if value >= 1000 else f"{value:.0f} {m}"


def waypoint_places(atlas: Atlas, fid: str) -> list[dict]:
    """The gazetteer places a line is drawn through, in order."""
    def by_feature() -> dict[str, list[dict]]:
        if atlas.waypoints is None:
            return {}
        places = atlas.places.drop(columns="geometry").to_dict("index")
        rows = atlas.waypoints.sort_values(["feature", "seq"])
        return {feature: [places[p] for p in group["place"] if p in places]
                for feature, group in rows.groupby("feature", sort=False)}
    return atlas.derived("waypoint places", by_feature).get(fid, [])


def named_text(atlas: Atlas, fid: str) -> str:
    """Everything the documents say around this project: its name and the clauses that name it (in table order)."""
    def by_feature() -> dict[str, list[str]]:
        text = dict(zip(atlas.measures["id"], atlas.measures["text"], strict=True))
        order = {mid: i for i, mid in enumerate(atlas.measures["id"])}
        pairs = atlas.statements[["feature", "measure"]].drop_duplicates()
        return {feature: [text[m] for m in sorted(group["measure"], key=order.__getitem__)]
                for feature, group in pairs.groupby("feature", sort=False)}
    return atlas.features.loc[fid, "name_zh"] + "".join(atlas.derived("named texts", by_feature).get(fid, []))


def listed(names: list[str], lang: str, most: int = 6) -> str:
    """Names in a sentence; a long list keeps its first three and last two: 甲、乙、丙……戊、己."""
    comma, more = ("、", "……") if lang == "zh" else (", ", " … ")
    if len(names) <= most:
        return comma.join(names)
    return comma.join(names[:3]) + more + comma.join(names[-2:])


def and_list(names: list[str]) -> str:
    """English names in a sentence: A, B and C."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def line_note(places: list[dict], text: str, lang: str = "zh") -> str:
    zh = lang == "zh"
    names = list(dict.fromkeys(place_name(p, lang) for p in places))  # a river's points share its name
    if len(names) < 2:
        note = (f"线位为示意：沿其大致走向取 {len(places)} 个点连线绘制，不是实测走向。" if zh else
                f"The line is schematic: {len(places)} points along its general course joined up, not a surveyed "
                "route.")
    else:
        note = (f"线位为示意：按{listed(names, lang)}依次连线绘制，不是实测走向。" if zh else
                f"The line is schematic: {listed(names, lang)} joined in this order, not a surveyed route.")
    added = list(dict.fromkeys(place_name(p, lang) for p in places[1:-1]
                               if not any(n in text for n in place_names(p["name_zh"]))))
    if added:
        note += (f"其中{'、'.join(added)}是文件未点名、为使线路贴近实际通道而补充的途经点。" if zh else
                 f" {and_list(added)} {'is a waypoint' if len(added) == 1 else 'are waypoints'} the documents do not "
                 "name, added to keep the line close to the real corridor.")
    unsure = [place_name(p, lang) for p in places if UNSURE.search(str(p["source"]))]
    if unsure:
        note += (f"{'、'.join(unsure)}的位置是推定的，尚待熟悉情况的人核实。" if zh else
                 f" The position of {and_list(unsure)} is presumed and awaits checking by someone who knows the area.")
    return note


def point_note(place: dict, lang: str = "zh") -> str:
    zh, kind = lang == "zh", str(place["source"]).split(":")[0]
    name = place_name(place, lang)
    if kind == "county-seat":
        town = (place["name_zh"].partition("（")[2].rstrip("）") if zh
                else place["name_en"].partition(" (")[2].rstrip(")"))
        return (f"文件未给出具体位置；位置取{name}政府驻地{town}的坐标，示意。" if zh else
                f"The documents give no exact location; it is drawn at the seat of {name}'s government"
                f"{', ' + town if town else ''}, as an indication.")
    if kind == "geonames":
        return (f"文件未给出具体位置；位置取{name}城区的坐标，示意。" if zh else
                f"The documents give no exact location; it is drawn at the centre of {name}, as an indication.")
    error = distance(place["precision_m"], lang)
    note = (f"位置取{place['name_zh']}的近似位置（人工标注，误差约 {error}），示意。" if zh else
            f"Drawn at the approximate position of {place['name_en']} (placed by hand, to within about {error}), as "
            "an indication.")
    if UNSURE.search(str(place["source"])):
        note += "这一位置是推定的，尚待熟悉情况的人核实。" if zh else " The position is presumed and awaits checking."
    return note


DRAWN = {  # the notes that need no place names
    "unlocated": ("位置未核实，暂不上图。", "Location not verified; not on the map yet."),
    "surveyed": ("范围按实测边界绘制。", "Drawn to its surveyed outline."),
    "schematic": ("位置示意。", "Position indicative."),
}


def drawing_note(atlas: Atlas, fid: str, lang: str = "zh") -> str:
    """How the project is drawn, in a sentence or two of plain Chinese (or English, `lang` "en")."""
    f, zh = atlas.features.loc[fid], lang == "zh"
    kind = f["geometry_kind"]
    if kind == "unlocated" or f.geometry is None:
        return DRAWN["unlocated"][not zh]
    if kind in ("area", "shape") or f["precision"] == "surveyed":
        return DRAWN["surveyed"][not zh]
    places, text = waypoint_places(atlas, fid), named_text(atlas, fid)
    if kind == "line" and len(places) >= 2:
        return line_note(places, text, lang)
    if kind == "points" and len(places) >= 2:
        names = ("、" if zh else ", ").join(place_name(place, lang) for place in places)
        return (f"文件点名了几处地点，每处各画一点：{names}；位置均为示意。" if zh else
                f"The documents name several sites, each drawn as a point: {names}; all positions are indicative.")
    if places:
        return point_note(places[0], lang)
    return DRAWN["schematic"][not zh]


def geometry_label(atlas: Atlas, fid: str, lang: str = "zh") -> str:
    """点（示意）, 线（示意）, 范围（实测） or 未上图（位置未核实）; Point (schematic) … in English."""
    f, zh = atlas.features.loc[fid], lang == "zh"
    kind = f["geometry_kind"] if f.geometry is not None else "unlocated"
    if kind == "unlocated":
        return "未上图（位置未核实）" if zh else "Not on the map (location not verified)"
    surveyed = f["precision"] == "surveyed"
    if kind == "points":
        sites = len(f.geometry.geoms)
        return f"点（{sites} 处，示意）" if zh else f"Points ({sites} sites, schematic)"
    if zh:
        return f"{GEOMETRY_ZH.get(kind, '范围')}（{'实测' if surveyed else '示意'}）"
    return f"{GEOMETRY_EN.get(kind, 'Area')} ({'surveyed' if surveyed else 'schematic'})"


def statement_rows(atlas: Atlas, fids: str | list[str]) -> list[dict]:
    """The statements on one project (or several, grouped by project), latest document first; each row says
    whether it is `about` the project (only those carry a status that counts)."""
    s = atlas.statements
    s = s[s["feature"].isin([fids] if isinstance(fids, str) else fids)]
    rows = [{**row, "about": about, "year": str(row["date"])[:4],
             "status_zh": STATUS[row["status"]].zh if row["status"] in STATUS else "",
             "status_en": STATUS[row["status"]].en if row["status"] in STATUS else ""}
            for row, about in zip(s.to_dict("records"), is_about(s), strict=True)]
    rank = {key: i for i, key in enumerate(STATUS)}
    rows.sort(key=lambda r: (r["measure"]))
    rows.sort(key=lambda r: (str(r["date"]), rank.get(r["status"], -1)), reverse=True)
    rows.sort(key=lambda r: r["feature"])  # stable: within a project, latest document and most advanced first
    return rows


def status_by_document(rows: list[dict], documents: pd.DataFrame) -> list[dict]:
    """One line per document that spoke about the project: "2023年文件：实施建设" ("2023 document: Under
    construction"), latest first."""
    lines: dict[str, dict] = {}
    for row in rows:
        if not row["about"] or not row["status_zh"]:
            continue
        line = lines.setdefault(row["doc"], {"year": row["year"], "doc": row["doc"], "statuses": [], "statuses_en": [],
                                             "short": documents.loc[row["doc"], "short"],
                                             "short_en": documents.loc[row["doc"], "short_en"]})
        if row["status_zh"] not in line["statuses"]:
            line["statuses"].append(row["status_zh"])
            line["statuses_en"].append(row["status_en"])
    return [{**line, "label": f"{line['year']}年文件：{'、'.join(line['statuses'])}",
             "label_en": f"{line['year']} document: {', '.join(line['statuses_en'])}"} for line in lines.values()]
