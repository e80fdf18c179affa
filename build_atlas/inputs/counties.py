"""Which county-level units (旗县区) each project and each measure concerns, made from the validated tables.

A project by its geometry against the county outlines: a line or an area where a part of it lies inside (with its
length or area there and its share of the whole), a point where it lies inside, a project at several sites where one
of its sites does. A measure by the words it prints (title, text and responsible units, in simplified characters): the
county's name, its short name where no other name contains it, the aliases staff list for it in geodata/aliases.csv,
its seat town (geodata/seats.csv) and the gazetteer's places in it; and by the projects it is about (statements.csv,
relation `about`), as the cities rule does. Where names overlap the longest is read (鄂托克前旗 is not 鄂托克旗).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Geod

from ..vocabulary import routes
from ..vocabulary.schema import CITIES
from .texts import TO_SIMPLIFIED

GEOD = Geod(ellps="WGS84")
EQUAL_AREA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"
SUFFIX = re.compile(r"(联合旗|矿区|旗|县|区|市)$")
TOWN = re.compile(r"(镇|乡|苏木|街道)$")
SHORT_WORD = 3  # a short name, alias or town name of fewer characters names a county only with its suffix (和林业)


@dataclass
class CountyIndex:
    """The county-level units and what concerns each: `counties` indexed by adcode (key, name_zh, name_en, city,
    area_km2, seat_zh, seat_en, short); `projects` a row per project and county it touches (feature, adcode, km, share,
    sites, of_sites); `measures` a row per measure and county it concerns (measure, adcode, words: the names it prints,
    projects: the projects in the county it is about); `documents` a row per document and county it names (doc, adcode,
    times)."""

    counties: pd.DataFrame
    projects: pd.DataFrame
    measures: pd.DataFrame
    documents: pd.DataFrame

    def of_feature(self, fid: str) -> list[str]:
        """The adcodes of the counties a project touches, in adcode order."""
        return self._by("projects", "feature").get(fid, [])

    def of_measure(self, mid: str) -> list[str]:
        return self._by("measures", "measure").get(mid, [])

    def _by(self, table: str, column: str) -> dict[str, list[str]]:
        cache = self.__dict__.setdefault("_lists", {})
        if table not in cache:
            frame = getattr(self, table).sort_values("adcode")
            cache[table] = frame.groupby(column)["adcode"].agg(list).to_dict()
        return cache[table]

    def keys(self, adcodes: list[str]) -> list[str]:
        return [self.counties.loc[code, "key"] for code in adcodes]

    def names(self, adcodes: list[str]) -> list[str]:
        return [self.counties.loc[code, "name_zh"] for code in adcodes]


def short_name(name: str) -> str:
    """土默特左旗 → 土默特左, 和林格尔县 → 和林格尔, 白云鄂博矿区 → 白云鄂博."""
    return SUFFIX.sub("", name)


def county_table(counties: gpd.GeoDataFrame, seats: pd.DataFrame | None) -> pd.DataFrame:
    area = counties.to_crs(EQUAL_AREA).area / 1e6
    seat = {} if seats is None else dict(zip(seats["adcode"], seats["seat_zh"], strict=True))
    seat_en = {} if seats is None else dict(zip(seats["adcode"], seats["seat_en"], strict=True))
    table = pd.DataFrame({"adcode": counties["adcode"], "name_zh": counties["name_zh"],
                          "name_en": counties["name_en"], "city": counties["city"], "area_km2": area.round(0)})
    table["key"] = table["name_en"].map(routes.county_key)
    table["short"] = table["name_zh"].map(short_name)
    table["seat_zh"] = table["adcode"].map(lambda code: seat.get(code, ""))
    table["seat_en"] = table["adcode"].map(lambda code: seat_en.get(code, ""))
    order = {c.key: i for i, c in enumerate(CITIES)}
    table = table.sort_values(["city", "adcode"], key=lambda s: s.map(order) if s.name == "city" else s)
    return table.set_index("adcode", drop=False).rename_axis(None)


def project_rows(features: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> pd.DataFrame:
    """A row per located project and county it touches: km and share of a line's length (or an area's) inside,
    or how many of its sites lie inside."""
    rows = []
    outlines = list(zip(counties["adcode"], counties.geometry, strict=True))
    for fid, geometry in features.geometry.items():
        if geometry is None:
            continue
        sites = list(getattr(geometry, "geoms", [geometry])) if geometry.geom_type in ("Point", "MultiPoint") else []
        total = GEOD.geometry_length(geometry) if not sites and geometry.area == 0 else 0.0
        for adcode, outline in outlines:
            if not outline.intersects(geometry):
                continue  # cheap; the intersection is made only for the counties it meets
            if sites:
                inside = sum(outline.covers(site) for site in sites)
                if inside:
                    rows.append((fid, adcode, 0.0, 0.0, inside, len(sites)))
                continue
            shared = geometry.intersection(outline)
            if geometry.area > 0 and shared.area > 0:
                rows.append((fid, adcode, 0.0, shared.area / geometry.area, 0, 0))
            elif shared.length > 0:
                km = GEOD.geometry_length(shared) / 1000
                rows.append((fid, adcode, km, km * 1000 / total if total else 0.0, 0, 0))
    return pd.DataFrame(rows, columns=["feature", "adcode", "km", "share", "sites", "of_sites"])


def naming_words(table: pd.DataFrame, aliases: pd.DataFrame, places: pd.DataFrame,
                 spread: set[str]) -> dict[str, str]:
    """{word: adcode} of every word that names one county: its name, its short name, the aliases of either, its seat
    town and the gazetteer's places in it. Left out: a word that would name two counties (城关镇) or a city
    (呼和浩特); a short name, alias or seat of two characters without its suffix (和林 is in 和林业); a place
    that stands for a project drawn across several counties (`spread`: 大黑河 is a river, its gazetteer point one
    of many)."""
    cities = {c.zh for c in CITIES} | {c.zh.removesuffix("市") for c in CITIES}
    found: dict[str, set[str]] = {}

    def add(word: str, adcode: str, short_ok: bool = False) -> None:
        word = TO_SIMPLIFIED.convert(word.strip())
        if len(word) >= 2 and word not in cities and (short_ok or len(word) >= SHORT_WORD or SUFFIX.search(word)):
            found.setdefault(word, set()).add(adcode)

    by_name = {}
    for county in table.itertuples():
        add(county.name_zh, county.adcode)
        add(county.short, county.adcode)
        by_name[county.name_zh] = by_name[county.short] = county.adcode
        seat = county.seat_zh.split("（")[0]
        if seat and "驻地" not in seat:
            add(seat, county.adcode, short_ok=bool(TOWN.search(seat)))
            add(TOWN.sub("", seat), county.adcode)
    for alias in aliases.itertuples():
        if not alias.feature and alias.target in by_name:
            add(alias.alias, by_name[alias.target])
    for place in places.itertuples():
        name = place.name_zh.split("（")[0]
        if place.adcode in table.index and name not in spread:
            add(name, place.adcode, short_ok=True)
    return {word: codes.pop() for word, codes in found.items() if len(codes) == 1}


def named_in(text: str, words: dict[str, str]) -> dict[str, dict[str, int]]:
    """{adcode: {word: times}} of the counties a text names, longest words first: a shorter word inside a longer one
    already read (鄂托克 inside 鄂托克前旗, 土左旗 inside nothing) does not count."""
    taken = [False] * len(text)
    out: dict[str, dict[str, int]] = {}
    for word in sorted((w for w in words if w in text), key=lambda w: (-len(w), w)):
        for match in re.finditer(re.escape(word), text):
            span = range(match.start(), match.end())
            if not any(taken[i] for i in span):
                for i in span:
                    taken[i] = True
                times = out.setdefault(words[word], {})
                times[word] = times.get(word, 0) + 1
    return out


def measure_rows(measures: pd.DataFrame, statements: pd.DataFrame, links: pd.DataFrame,
                 words: dict[str, str]) -> pd.DataFrame:
    """A row per measure and county it concerns: the words it prints for the county (in the order they first
    occur), and the projects in the county it is about."""
    in_county = links.groupby("feature")["adcode"].agg(set).to_dict()
    about = statements[statements["relation"] == "about"]
    projects: dict[str, dict[str, list[str]]] = {}
    for statement in about.itertuples():
        for adcode in sorted(in_county.get(statement.feature, ())):
            projects.setdefault(statement.measure, {}).setdefault(adcode, []).append(statement.feature)
    rows = []
    for m in measures.itertuples():
        text = TO_SIMPLIFIED.convert("\n".join([m.title, m.text, *m.units]))
        named, about_here = named_in(text, words), projects.get(m.id, {})
        for adcode in sorted(set(named) | set(about_here)):
            found = sorted(named.get(adcode, {}), key=text.find)
            rows.append((m.id, adcode, found, list(dict.fromkeys(about_here.get(adcode, [])))))
    return pd.DataFrame(rows, columns=["measure", "adcode", "words", "projects"])


def document_rows(texts: dict[str, str], words: dict[str, str]) -> pd.DataFrame:
    """How many times each document's text names each county."""
    rows = [(doc, adcode, sum(times.values()))
            for doc, text in texts.items() for adcode, times in named_in(TO_SIMPLIFIED.convert(text), words).items()]
    return pd.DataFrame(rows, columns=["doc", "adcode", "times"])


def county_index(counties: gpd.GeoDataFrame, seats: pd.DataFrame | None, features: gpd.GeoDataFrame,
                 measures: pd.DataFrame, statements: pd.DataFrame, aliases: pd.DataFrame, places: pd.DataFrame,
                 texts: dict[str, str]) -> CountyIndex:
    table = county_table(counties, seats)
    links = project_rows(features, counties)
    counted = links.groupby("feature").size()
    spread = {TO_SIMPLIFIED.convert(features.loc[fid, "name_zh"]) for fid in counted[counted > 1].index}
    words = naming_words(table, aliases, places, spread)
    return CountyIndex(table, links, measure_rows(measures, statements, links, words), document_rows(texts, words))
