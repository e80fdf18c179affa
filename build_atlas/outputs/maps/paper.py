"""A map on paper: its frame in the print projection (UTM 49N, in which the scale bar is true) and the way the A4 sheet
is turned for it. The print images (outputs/prints.py) are drawn in this frame, and a map page (page.py) asks the
printer for that sheet, so the two cannot disagree."""

from __future__ import annotations

import geopandas as gpd
import shapely

from ...cache import artifacts
from .specs import MapSpec

PRINT_CRS = "EPSG:32649"
ASPECT = (0.55, 1.5)  # frame height ÷ width; a subject outside this range gets more room around it instead
# A frame less tall than this share of its width prints on a landscape sheet: below it the map is larger with its
# legend beside it on a landscape A4 than across a portrait one (measured with prints.plan_maps over every map).
LANDSCAPE_BELOW = 0.8

_PROJECTED = artifacts.Recent(4)  # the city and county outlines, in the print projection


def projected(outlines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The city or county outlines in PRINT_CRS, projected once for every map of a process (the caller must not
    change them)."""
    return _PROJECTED.of(outlines, lambda: outlines.to_crs(PRINT_CRS))


def outline_subject(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame):
    """UTM bounds of the outline a map is about (the overview's four cities, a city, a county map's county), or
    None for a map about its projects."""
    if spec.name == "overview":
        return tuple(projected(cities).total_bounds)
    if spec.name.startswith("city-"):
        city_m = projected(cities)
        return tuple(city_m[city_m["city"] == spec.counties_of].total_bounds)
    if spec.focus:
        county_m = projected(counties)
        return tuple(county_m[county_m["adcode"] == spec.focus].total_bounds)
    return None


def paper_frame(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame):
    """UTM bounds a print shows: a city map its city, the overview the four, with a little room; other maps the web
    map's frame (a county map's is its county with room round it)."""
    if spec.name.startswith("city-") or spec.name == "overview":
        frame = padded(outline_subject(spec, cities, counties), 0.025)
    else:
        frame = tuple(gpd.GeoSeries([shapely.box(*spec.frame)], crs="EPSG:4326").to_crs(PRINT_CRS).total_bounds)
    return fit_aspect(frame)


def orientation(frame) -> str:
    """'portrait' or 'landscape': how the A4 sheet is turned for a map of this frame."""
    x0, y0, x1, y1 = frame
    return "landscape" if (y1 - y0) < LANDSCAPE_BELOW * (x1 - x0) else "portrait"


def padded(bounds, fraction: float):
    x0, y0, x1, y1 = bounds
    d = max(x1 - x0, y1 - y0) * fraction
    return x0 - d, y0 - d, x1 + d, y1 + d


def fit_aspect(frame):
    x0, y0, x1, y1 = frame
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    low, high = ASPECT
    w, h = max(w, h / high), max(h, w * low)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
