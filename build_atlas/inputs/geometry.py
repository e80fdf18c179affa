"""Feature geometry from the geodata tables, shared by validation and the model.

A feature is drawn as its waypoints joined in `seq` order (`line`), its one waypoint (`point`), a point at each of
its waypoints (`points`: a project at several named sites, e.g. three reservoirs), the geometry of
`geodata/shapes/<id>.geojson` (`shape`, e.g. a route or park outline drawn in QGIS), or not at all
(`unlocated`: the documents name it but its site is unknown).
"""

from __future__ import annotations

from collections import defaultdict

from shapely.geometry import LineString, MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ..vocabulary.schema import REGION_BOUNDS
from .load import Inputs

GEOMETRIES = ("line", "point", "points", "shape", "unlocated")
WAYPOINTS_NEEDED = {"line": "≥ 2", "point": "1", "points": "≥ 2", "shape": "0", "unlocated": "0"}
POINT_REACH_DEG = 0.02  # a point counts for a city up to ~2 km outside its boundary (a town on the border)


def waypoints_fit(geometry: str, count: int) -> bool:
    return {"line": count >= 2, "point": count == 1, "points": count >= 2}.get(geometry, count == 0)


def as_number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def in_region(lon: float, lat: float) -> bool:
    west, south, east, north = REGION_BOUNDS
    return west <= lon <= east and south <= lat <= north


def feature_geometries(inputs: Inputs) -> dict[str, BaseGeometry | None]:
    """{feature id: geometry}, None for unlocated features; a feature whose inputs are broken is left out
    (validation reports why)."""
    places = {}
    for row in inputs.tables["geodata/gazetteer.csv"]:
        lon, lat = as_number(row.cells["lon"]), as_number(row.cells["lat"])
        if lon is not None and lat is not None and in_region(lon, lat):  # else check_gazetteer reports it
            places[row.cells["id"]] = (lon, lat)
    stops = defaultdict(list)
    for row in inputs.tables["geodata/waypoints.csv"]:
        if row.cells["seq"].isdigit():
            stops[row.cells["feature"]].append((int(row.cells["seq"]), row.cells["place"]))
    result: dict[str, BaseGeometry | None] = {}
    for row in inputs.tables["geodata/features.csv"]:
        fid, kind = row.cells["id"], row.cells["geometry"]
        coords = [places.get(place) for _, place in sorted(stops[fid])]
        if kind == "unlocated":
            result[fid] = None
        elif kind == "shape" and fid in inputs.shapes:
            result[fid] = unary_union([shape(f["geometry"]) for f in inputs.shapes[fid].get("features", [])])
        elif kind in ("line", "point", "points") and waypoints_fit(kind, len(coords)) and None not in coords:
            result[fid] = {"point": Point, "points": MultiPoint, "line": LineString}[kind](
                coords[0] if kind == "point" else coords)
    return result


def cities_touched(geometry: BaseGeometry, cities: dict[str, BaseGeometry]) -> list[str]:
    """The cities a feature concerns on the map: a line or area that runs through a city's interior, or a
    point (any point of a MultiPoint) within POINT_REACH_DEG of it."""
    if geometry.geom_type in ("Point", "MultiPoint"):
        return [key for key, outline in cities.items()
                if any(outline.dwithin(point, POINT_REACH_DEG) for point in getattr(geometry, "geoms", [geometry]))]
    touched = []
    for key, outline in cities.items():
        if outline.intersects(geometry):  # cheap; the intersection is made only for the cities it meets
            shared = geometry.intersection(outline)
            if shared.length > 0 or shared.area > 0:
                touched.append(key)
    return touched
