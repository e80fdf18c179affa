"""The validated atlas: tables in, one consistent model out.

`gather` is the only way in: it reads and checks everything and raises AtlasError with every problem
before any page or map is made.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from ..errors import AtlasError, Problem
from ..vocabulary.schema import CITIES, FEATURE_STATUSES, LIST_SEPARATOR, STATED_DEADLINE_COLUMNS
from . import progress
from .counties import CountyIndex, county_index
from .geometry import feature_geometries
from .load import Inputs, Row, read_inputs
from .validate import advise, check

STATUS_ORDER = [s.key for s in FEATURE_STATUSES]
T = TypeVar("T")
STATED = "geodata/stated_deadlines.csv"
# documents.yml fields an entry may leave out: shown as empty (the English ones: the English pages show the Chinese)
OPTIONAL_DOCUMENT_FIELDS = ["date_note", "city", "url", "short_en", "title_en", "issuer_en", "structure_en",
                            "date_note_en"]


@dataclass
class Atlas:
    """Everything the maps and pages are made from."""

    root: Path
    measures: pd.DataFrame  # one row per measure; list columns hold Python lists
    features: gpd.GeoDataFrame  # one row per feature, WGS-84 geometry
    statements: pd.DataFrame  # feature × measure with status, quote, doc and date
    places: gpd.GeoDataFrame  # the gazetteer
    counties: gpd.GeoDataFrame
    cities: gpd.GeoDataFrame
    documents: pd.DataFrame  # the registry, indexed by key
    texts: dict[str, str]
    aliases: pd.DataFrame  # geodata/aliases.csv: alias, target, feature (empty for places and common words)
    waypoints: pd.DataFrame | None = None  # feature, seq (int), place: the drawing order of each line
    # geodata/stated_deadlines.csv: measure, deadline (YYYY or YYYY-MM), kind, quote — the dates a clause's own text
    # states (确保2023年建成投用), apart from the printed deadline column; each measure's are also its `stated` list
    stated_deadlines: pd.DataFrame | None = None
    # geodata/progress.csv, one row per event and target, newest first (inputs/progress.py `events`); each feature's
    # current stage is in its `stage`, `stage_date`, `phase`, `recorded` and `stage_source` columns
    progress: pd.DataFrame | None = None
    today: date | None = None  # the build date the atlas speaks as of (deadline states are counted to it)
    seats: pd.DataFrame | None = None  # geodata/seats.csv: the seat town of each county-level unit
    warnings: list[Problem] = field(default_factory=list)  # what staff should complete: validate.advise

    @functools.cached_property
    def by_county(self) -> CountyIndex:
        """Which county-level units each project and measure concerns (inputs/counties.py), made once."""
        return county_index(self.counties, self.seats, self.features, self.measures, self.statements, self.aliases,
                            self.places, self.texts)

    def derived(self, name: str, make: Callable[[], T]) -> T:
        """A value made from the atlas once, under `name` (an atlas is not changed after `gather`): the look-ups that
        several outputs, and both editions, make of it. The caller must not change it."""
        made = self.__dict__.setdefault("_derived", {})
        if name not in made:
            made[name] = make()
        return made[name]

    def forget(self, name: str) -> None:
        """Let a derived value go (a build that needs it no more, and it is large)."""
        self.__dict__.get("_derived", {}).pop(name, None)

    def measures_of_city(self, city: str) -> pd.DataFrame:
        return self.measures[self.measures["cities"].map(lambda cities: city in cities)]

    def measures_of_theme(self, theme: str) -> pd.DataFrame:
        return self.measures[self.measures["themes"].map(lambda themes: theme in themes)]

    def features_of_city(self, city: str) -> gpd.GeoDataFrame:
        return self.features[self.features["cities"].map(lambda cities: city in cities)]

    @property
    def located(self) -> gpd.GeoDataFrame:
        """The features that can be drawn (all but the `unlocated`)."""
        return self.features[self.features.geometry.notna()]

    def features_of_theme(self, theme: str) -> gpd.GeoDataFrame:
        named = {fid for fids in self.measures_of_theme(theme)["features"] for fid in fids}
        return self.features[self.features.index.isin(named)]


def frame(rows: list[Row], lists: tuple[str, ...] = ()) -> pd.DataFrame:
    data = pd.DataFrame([{**row.cells, "line": row.line} for row in rows])
    for column in lists:
        data[column] = data[column].map(lambda value: [v for v in value.split(LIST_SEPARATOR) if v])
    return data


def stated_deadlines(rows: list[Row]) -> pd.DataFrame:
    """The stated deadlines in table order (with the columns even when there are none)."""
    return pd.DataFrame([{**row.cells, "line": row.line} for row in rows],
                        columns=[c.name for c in STATED_DEADLINE_COLUMNS] + ["line"])


def latest_status(statements: pd.DataFrame) -> pd.DataFrame:
    """Each feature's `status` as the most recent document states it in a clause about it (ties: the most
    advanced), and that document's `date`; a clause that only mentions the feature says nothing of its status."""
    statements = statements[statements["relation"] == "about"]
    ranked = statements.assign(rank=statements["status"].map(STATUS_ORDER.index))
    ranked = ranked.sort_values(["date", "rank"])
    return ranked.groupby("feature")[["status", "date"]].last()


BRACKETS = re.compile(r"[（(].*?[）)]")


def short_names(features: pd.DataFrame, aliases: pd.DataFrame) -> pd.Series:
    """What a map writes beside a project: the shortest of its name without brackets and its aliases (包银高铁 for
    包头至银川高铁, 呼和浩特新机场 for 呼和浩特新机场（盛乐国际机场）); the name wins a tie."""
    by_feature = aliases[aliases["feature"] != ""].groupby("feature")["alias"].agg(list)
    def short(row) -> str:
        name = BRACKETS.sub("", row["name_zh"]).strip() or row["name_zh"]
        return min([name, *by_feature.get(row["id"], [])], key=len)
    return features.apply(short, axis=1) if len(features) else pd.Series(dtype=str)


HIGH_SPEED = re.compile(r"high-speed(?: / intercity)? railway")


def short_names_en(features: pd.DataFrame) -> pd.Series:
    """What an English map writes beside a project: its English name without brackets, a high-speed railway as HSR
    (Baotou–Yinchuan HSR for Baotou–Yinchuan high-speed railway); empty where the English name is."""
    def short(name: str) -> str:
        return " ".join(HIGH_SPEED.sub("HSR", BRACKETS.sub("", name)).split()) or name
    return features["name_en"].fillna("").map(short) if len(features) else pd.Series(dtype=str)


def assemble(inputs: Inputs, today: date) -> Atlas:
    documents = pd.DataFrame(inputs.documents).set_index("key", drop=False).rename_axis(None)
    documents = documents.reindex(columns=documents.columns.union(OPTIONAL_DOCUMENT_FIELDS, sort=False)).fillna("")
    measures = frame(inputs.tables["measures.csv"], ("themes", "cities", "units", "implements", "features"))
    deadlines = stated_deadlines(inputs.tables[STATED])
    of_measure: dict[str, list[dict]] = {}
    for row in deadlines.to_dict("records"):
        of_measure.setdefault(row["measure"], []).append({k: row[k] for k in ("deadline", "kind", "quote")})
    measures["stated"] = measures["id"].map(lambda mid: of_measure.get(mid, []))
    gaz = frame(inputs.tables["geodata/gazetteer.csv"])
    places = gpd.GeoDataFrame(gaz, geometry=gpd.points_from_xy(gaz["lon"].astype(float), gaz["lat"].astype(float)),
                              crs="EPSG:4326").set_index("id", drop=False).rename_axis(None)
    table = frame(inputs.tables["geodata/features.csv"], ("cities",)).rename(columns={"geometry": "geometry_kind"})
    drawn = feature_geometries(inputs)
    geometry = [drawn[fid] for fid in table["id"]]
    features = gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")
    features = features.set_index("id", drop=False).rename_axis(None)
    statements = frame(inputs.tables["geodata/statements.csv"])
    by_id = measures.set_index("id")
    statements["doc"] = statements["measure"].map(by_id["doc"])
    statements["date"] = statements["doc"].map(documents["date"].astype(str))
    stated = latest_status(statements).reindex(features.index).fillna("")
    features["status"] = stated["status"]
    events = progress.events(inputs.tables[progress.TABLE])
    now = progress.current_stages(events, stated)
    features[["stage", "stage_date", "phase", "recorded", "stage_source"]] = now[
        ["stage", "stage_date", "phase", "recorded", "source"]]
    states = progress.deadline_states(measures, events, today)
    measures[list(states.columns)] = states
    counties = gpd.GeoDataFrame.from_features(inputs.counties["features"], crs="EPSG:4326")
    cities = gpd.GeoDataFrame.from_features(inputs.cities["features"], crs="EPSG:4326")
    order = {term.key: i for i, term in enumerate(CITIES)}
    cities = cities.sort_values("city", key=lambda s: s.map(order)).set_index("city", drop=False).rename_axis(None)
    waypoints = frame(inputs.tables["geodata/waypoints.csv"])
    waypoints["seq"] = waypoints["seq"].astype(int)
    aliases = pd.DataFrame([row.cells for row in inputs.tables["geodata/aliases.csv"]],
                           columns=["alias", "target", "feature"])
    seats = frame(inputs.tables["geodata/seats.csv"])
    features["short_name"] = short_names(features, aliases)
    features["short_name_en"] = short_names_en(features)
    # how many measures speak of each project: the maps name the most spoken-of points first
    features["mentions"] = statements.groupby("feature")["measure"].nunique().reindex(features.index).fillna(0)
    features["mentions"] = features["mentions"].astype(int)
    return Atlas(inputs.root, measures, features, statements, places, counties, cities, documents, inputs.texts,
                 aliases, waypoints, deadlines, events, today, seats)


def gather(root: Path, today: date | None = None) -> Atlas:
    """Read, validate as of the build date `today` (default: today) and assemble; raise once with every problem.
    The atlas carries the warnings, which never stop a build."""
    today = today or date.today()
    inputs, problems = read_inputs(root)
    problems += check(inputs, today)  # every rule runs on what was read: one round shows all
    if problems:
        raise AtlasError(problems)
    atlas = assemble(inputs, today)
    atlas.warnings = sorted(advise(inputs))
    return atlas
