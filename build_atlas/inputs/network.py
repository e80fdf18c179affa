"""Stage 2, the planned network: the projects, their places and county seats, the routes, what each document says
of each project, and surveyed shapes, checked against each other and against the boundaries."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

import shapely
from shapely.geometry import Point, shape

from ..cache import artifacts
from ..errors import Problem
from ..vocabulary.schema import (
    CITIES,
    FEATURE_STATUSES,
    KINDS,
    REGION_BOUNDS,
    RELATIONS,
    VERBS,
    Verb,
    by_key,
)
from .geometry import GEOMETRIES, WAYPOINTS_NEEDED, cities_touched, feature_geometries, waypoints_fit
from .load import CITY_OUTLINES, COUNTIES, Inputs, Row
from .rules import check_ids, check_keys, check_refs, check_refs_to, check_required, items, number, problem, squeeze
from .texts import TO_SIMPLIFIED

VERB_PATTERNS = [(re.compile(".*?".join(map(re.escape, verb.phrase.split("…")))), verb) for verb in VERBS]


COUNTY_TOLERANCE_DEG = 0.01  # ~1 km: a gazetteer point on a county line still counts as inside


SEAT_TOLERANCE_KM = 5.0  # a county-seat: place is the seat town itself; the seats' own errors are 0.5-4 km


SEATS = "geodata/seats.csv"


def check_features(inputs: Inputs) -> Iterator[Problem]:
    table, rows = "geodata/features.csv", inputs.tables["geodata/features.csv"]
    yield from check_required(table, rows)
    yield from check_ids(table, rows)
    yield from check_keys(table, rows, "kind", set(by_key(KINDS)), many=False)
    yield from check_keys(table, rows, "cities", set(by_key(CITIES)))
    yield from check_keys(table, rows, "geometry", set(GEOMETRIES), many=False)
    yield from check_keys(table, rows, "precision", {"schematic", "surveyed"}, many=False)
    counts = Counter(r.cells["feature"] for r in inputs.tables["geodata/waypoints.csv"])
    for row in rows:
        fid, geometry = row.cells["id"], row.cells["geometry"]
        wanted = WAYPOINTS_NEEDED.get(geometry)
        if wanted and inputs.usable("geodata/waypoints.csv") and not waypoints_fit(geometry, counts[fid]):
            yield problem(table, row, "geometry", "bad-waypoints",
                          f"{geometry} 需要 {wanted} 个途经点，waypoints.csv 中有 {counts[fid]} 个"
                          f" / needs {wanted} waypoints, has {counts[fid]}",
                          "line 按顺序列出途经点，points 每处一个，point 一个，shape 与 unlocated 不列 / a line lists"
                          " its waypoints in order, points one per site, a point one, a shape or unlocated feature none"
                          " (geodata/waypoints.csv)")
        if geometry == "shape" and fid not in inputs.shapes:
            yield problem(table, row, "geometry", "missing-file",
                          f"缺少 geodata/shapes/{fid}.geojson / shape file missing",
                          "shape 要素需要一个 GeoJSON 文件 / a shape feature needs its GeoJSON file")
        if geometry != "unlocated" and not row.cells["cities"]:
            yield problem(table, row, "cities", "required", "不能为空 / must not be empty",
                          "已定位的要素须写明所经城市 / a located feature names the cities it touches")


def check_feature_cities(inputs: Inputs) -> Iterator[Problem]:
    """A feature's `cities` are the cities its geometry touches, so city pages and maps agree."""
    needed = ("geodata/features.csv", "geodata/gazetteer.csv", "geodata/waypoints.csv", CITY_OUTLINES)
    if not inputs.usable(*needed) or not inputs.cities:
        return
    outlines = outline_shapes(inputs.cities, "city")
    order = [c.key for c in CITIES]
    geometries = feature_geometries(inputs)
    for row in inputs.tables["geodata/features.csv"]:
        geometry = geometries.get(row.cells["id"])
        if geometry is None:
            continue
        found = cities_touched(geometry, outlines)
        touched = [key for key in order if key in found]
        if set(touched) != set(items(row.cells["cities"])):
            yield problem("geodata/features.csv", row, "cities", "wrong-cities",
                          f"'{row.cells['cities']}' 与图上位置不符，几何经过 '{';'.join(touched)}'"
                          f" / the geometry touches '{';'.join(touched)}'",
                          f"把 cities 改为 {';'.join(touched) or '（无：检查坐标）'}，或改正途经点"
                          " / set cities to match, or correct the waypoints")


def check_gazetteer(inputs: Inputs, counties: dict[str, object]) -> Iterator[Problem]:
    table, rows = "geodata/gazetteer.csv", inputs.tables["geodata/gazetteer.csv"]
    yield from check_required(table, rows)
    yield from check_ids(table, rows)
    if inputs.usable(COUNTIES):
        yield from check_keys(table, rows, "adcode", set(counties), many=False)
    west, south, east, north = REGION_BOUNDS
    for row in rows:
        numbers = {name: number(row.cells[name]) for name in ("lon", "lat", "precision_m")}
        for name, value in numbers.items():
            if value is None and row.cells[name]:
                yield problem(table, row, name, "bad-number", f"'{row.cells[name]}' 不是数字 / is not a number",
                              "用阿拉伯数字和小数点，如 111.65 或 500（不带单位）"
                              " / write a plain decimal number such as 111.65 or 500, no unit")
        lon, lat = numbers["lon"], numbers["lat"]
        if lon is None or lat is None:
            continue
        if not (west <= lon <= east and south <= lat <= north):
            swapped = west <= lat <= east and south <= lon <= north
            code = "swapped-coordinates" if swapped else "outside-region"
            yield problem(table, row, "lon", code, f"({lon}, {lat}) 不在 {REGION_BOUNDS} 之内 / outside the region",
                          "先写经度 lon（约 105–115）再写纬度 lat（约 37–45）/ lon first, then lat" if swapped
                          else "使用 WGS-84 十进制度 / use WGS-84 decimal degrees")
            continue
        polygon = counties.get(row.cells["adcode"])
        if polygon is not None and not polygon.dwithin(Point(lon, lat), COUNTY_TOLERANCE_DEG):
            yield problem(table, row, "adcode", "wrong-county",
                          f"({lon}, {lat}) 不在旗县区 {row.cells['adcode']} 内 / not inside that county",
                          "核对坐标或 adcode / check the coordinates or the adcode")


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two lon/lat points in km (haversine; under 0.5 % off the ellipsoid here)."""
    (lon1, lat1), (lon2, lat2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def check_seats(inputs: Inputs, counties: dict[str, object]) -> Iterator[Problem]:
    """geodata/seats.csv: one seat per county, a number pair inside that county's outline."""
    table, rows = SEATS, inputs.tables[SEATS]
    yield from check_required(table, rows)
    yield from check_ids(table, rows, "adcode")
    if not inputs.usable(COUNTIES) or not counties:
        return
    yield from check_keys(table, rows, "adcode", set(counties), many=False)
    for row in rows:
        lon, lat = number(row.cells["lon"]), number(row.cells["lat"])
        for name, value in (("lon", lon), ("lat", lat), ("precision_m", number(row.cells["precision_m"]))):
            if value is None and row.cells[name]:
                yield problem(table, row, name, "bad-number", f"'{row.cells[name]}' 不是数字 / is not a number",
                              "用十进制度，如 111.65 / write decimal degrees such as 111.65")
        polygon = counties.get(row.cells["adcode"])
        if polygon is not None and lon is not None and lat is not None and not polygon.covers(Point(lon, lat)):
            yield problem(table, row, "lon", "wrong-county",
                          f"({lon}, {lat}) 不在旗县区 {row.cells['adcode']} 内 / the seat is not inside its county",
                          "核对驻地坐标（先经度后纬度）/ check the seat's coordinates, longitude first")
    if inputs.usable(table):
        seated = {row.cells["adcode"] for row in rows}
        for adcode in sorted(set(counties) - seated):
            yield Problem(table, 0, 0, "missing-seat", f"旗县区 {adcode} 没有政府驻地 / county {adcode} has no seat",
                          "为每个旗县区补一行驻地及其坐标来源 / add a row with the seat and the source of its position")


def check_seat_places(inputs: Inputs) -> Iterator[Problem]:
    """A gazetteer place whose source is `county-seat:<adcode>` stands for that county's seat town: it lies within
    SEAT_TOLERANCE_KM of the seat in geodata/seats.csv (not, say, in the middle of the county polygon)."""
    if not inputs.usable(SEATS, "geodata/gazetteer.csv"):
        return
    seats = {row.cells["adcode"]: row for row in inputs.tables[SEATS]}
    table = "geodata/gazetteer.csv"
    for row in inputs.tables[table]:
        found = re.match(r"county-seat:(\d{6})", row.cells["source"])
        if not found:
            continue
        seat = seats.get(found.group(1))
        if seat is None:
            yield problem(table, row, "source", "dangling-ref",
                          f"'{found.group(1)}' 在 {SEATS} 中不存在 / not in {SEATS}",
                          "检查 adcode，或先在 seats.csv 中添加该旗县区的驻地 / check the adcode or add the seat first")
            continue
        here = number(row.cells["lon"]), number(row.cells["lat"])
        there = number(seat.cells["lon"]), number(seat.cells["lat"])
        if None in here or None in there:
            continue  # bad-number reports it
        distance = km_between(here, there)
        if distance > SEAT_TOLERANCE_KM:
            yield problem(table, row, "lon", "far-from-seat",
                          f"({here[0]}, {here[1]}) 距{seat.cells['county']}政府驻地{seat.cells['seat_zh']}"
                          f" {distance:.0f} 公里 / {distance:.0f} km from the seat ({SEATS} line {seat.line})",
                          f"取驻地坐标 {there[0]}, {there[1]}，或改用 manual: 来源 / use the seat's coordinates or a"
                          " manual: source")


def check_waypoints(inputs: Inputs) -> Iterator[Problem]:
    table, rows = "geodata/waypoints.csv", inputs.tables["geodata/waypoints.csv"]
    yield from check_required(table, rows)
    yield from check_refs_to(inputs, table, rows, "feature", "geodata/features.csv")
    yield from check_refs_to(inputs, table, rows, "place", "geodata/gazetteer.csv")
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row.cells["feature"], row.cells["seq"])
        if not row.cells["seq"].isdigit():
            yield problem(table, row, "seq", "bad-number", f"'{row.cells['seq']}' 不是正整数 / not a whole number",
                          "按途经顺序写 1、2、3… / number the waypoints 1, 2, 3… in drawing order")
        elif key in seen:
            yield problem(table, row, "seq", "duplicate-id", f"要素 {key[0]} 的顺序号 {key[1]} 重复 / repeated seq")
        seen.add(key)


def governing_verb(quote: str) -> Verb | None:
    """The verb-table entry that governs a quote: the first entry found in it (simplified characters)."""
    text = TO_SIMPLIFIED.convert(squeeze(quote))
    return next((verb for pattern, verb in VERB_PATTERNS if pattern.search(text)), None)


def check_verbs(table: str, rows: list[Row], measures: dict[str, Row]) -> Iterator[Problem]:
    """Each statement's status follows the verb of its quote (schema.VERBS), or `reason` says why not."""
    statuses = by_key(FEATURE_STATUSES)
    for row in rows:
        quote, status = row.cells["quote"], row.cells["status"]
        measure = measures.get(row.cells["measure"])
        if not quote or status not in statuses or (measure and squeeze(quote) not in squeeze(measure.cells["text"])):
            continue  # check_required / check_keys / quote-not-in-text report it
        verb = governing_verb(quote)
        if verb is None:
            yield problem(table, row, "quote", "no-verb",
                          f"'{quote}' 中没有说明进展的动词 / no verb of the verb table in the quote",
                          "引文要包含支配该项目的动词（如 建设、实施、前期工作、保护）/ quote the verb that governs the"
                          " project too (e.g. 建设, 实施, 前期工作, 保护); the table is on the 数据下载 page")
        elif verb.status != status and not row.cells["reason"]:
            yield problem(table, row, "status", "status-verb",
                          f"'{status}' 与动词“{verb.phrase}”对应的 '{verb.status}' 不符"
                          f" / the verb {verb.phrase} means '{verb.status}'",
                          f"改为 {verb.status}，或在 reason 列写明为何不同 / set status to {verb.status} or say why"
                          " in the reason column")


def check_statements(inputs: Inputs) -> Iterator[Problem]:
    table, rows = "geodata/statements.csv", inputs.tables["geodata/statements.csv"]
    measures = {r.cells["id"]: r for r in inputs.tables["measures.csv"]}
    features = inputs.tables["geodata/features.csv"]
    yield from check_required(table, rows)
    if inputs.usable("geodata/features.csv"):
        yield from check_refs(table, rows, "feature", {r.cells["id"] for r in features}, "geodata/features.csv")
    if inputs.usable("measures.csv"):
        yield from check_refs(table, rows, "measure", set(measures), "measures.csv")
    yield from check_keys(table, rows, "status", set(by_key(FEATURE_STATUSES)), many=False)
    yield from check_keys(table, rows, "relation", set(by_key(RELATIONS)), many=False)
    yield from check_verbs(table, rows, measures)
    stated = {(r.cells["measure"], r.cells["feature"]) for r in rows}
    for row in rows:
        measure = measures.get(row.cells["measure"])
        if measure is None:
            continue
        if squeeze(row.cells["quote"]) not in squeeze(measure.cells["text"]):
            yield problem(table, row, "quote", "quote-not-in-text",
                          "引文不在该举措原文中 / quote is not in the measure text",
                          "从该举措的 text 中逐字复制 / copy it verbatim from the measure's text")
        if row.cells["feature"] not in items(measure.cells["features"]):
            yield problem(table, row, "feature", "link-mismatch",
                          f"measures.csv 中 {measure.cells['id']} 的 features 未列出 {row.cells['feature']}"
                          " / not listed in the measure's features",
                          f"在 measures.csv 第 {measure.line} 行的 features 中加上它 / add it to line {measure.line}")
    if not inputs.usable("measures.csv", "geodata/features.csv", table):
        return  # the cross-checks below would blame rows for what a broken file hides
    known = {r.cells["id"] for r in features}
    for measure in measures.values():
        for fid in items(measure.cells["features"]):
            if fid in known and (measure.cells["id"], fid) not in stated:
                yield problem("measures.csv", measure, "features", "link-mismatch",
                              f"geodata/statements.csv 中没有 {fid} 与本举措的进展记录 / no status statement for {fid}",
                              "在 statements.csv 中补一行 feature,measure,status,quote / add a statements.csv row")
    yield from check_clause_cities(measures, rows, {r.cells["id"]: r for r in features})
    named = {fid for m in measures.values() for fid in items(m.cells["features"])}
    for row in features:
        if row.cells["id"] and row.cells["id"] not in named:
            yield problem("geodata/features.csv", row, "id", "unused-feature",
                          f"没有举措点名 {row.cells['id']} / no measure names it",
                          "在相关举措的 features 中加上它，或删除该要素 / link it from a measure or remove it")


def check_clause_cities(measures: dict[str, Row], statements: list[Row], features: dict[str, Row]) -> Iterator[Problem]:
    """A clause about a project concerns every city the project lies in: a range, river, belt, line or project at
    several sites counts in each city it touches, whichever document names it. A clause that only mentions a
    project (relation `mention`) adds no city."""
    order = [c.key for c in CITIES]
    wanted: dict[str, dict[str, list[str]]] = {}
    for row in statements:
        feature = features.get(row.cells["feature"])
        if row.cells["relation"] == "about" and feature is not None and row.cells["measure"] in measures:
            for city in items(feature.cells["cities"]):
                wanted.setdefault(row.cells["measure"], {}).setdefault(city, []).append(feature.cells["id"])
    for mid, cities in wanted.items():
        measure = measures[mid]
        missing = [city for city in order if city in cities and city not in items(measure.cells["cities"])]
        if missing:
            city_zh = by_key(CITIES)
            why = "；".join(f"{city_zh[city].zh}：" + "、".join(features[fid].cells["name_zh"] for fid in cities[city])
                           for city in missing)
            full = ";".join(city for city in order if city in missing or city in items(measure.cells["cities"]))
            yield problem("measures.csv", measure, "cities", "missing-city",
                          f"缺少 {';'.join(missing)}，本条关于的项目在那里（{why}）"
                          f" / missing {';'.join(missing)}, where projects this clause is about lie",
                          f"把 cities 改为 {full}，若条款只是顺带提及则把 statements.csv 中该行的 relation 改为 mention"
                          f" / set cities to {full}, or mark the statement `mention` if the clause only names it")


def check_shapes(inputs: Inputs) -> Iterator[Problem]:
    west, south, east, north = REGION_BOUNDS
    region = shapely.box(west, south, east, north)
    for fid, collection in inputs.shapes.items():
        name = f"geodata/shapes/{fid}.geojson"
        for index, feature in enumerate(collection.get("features", []), start=1):
            geometry = shape(feature["geometry"])
            if not geometry.is_valid:
                yield Problem(name, 0, 0, "bad-geometry",
                              f"第 {index} 个要素几何无效 / feature {index}: {shapely.is_valid_reason(geometry)}",
                              "在 QGIS 中“修复几何” / fix it with QGIS 'Fix geometries'")
            elif not region.contains(geometry):
                yield Problem(name, 0, 0, "outside-region",
                              f"第 {index} 个要素在区域之外 / feature {index} lies outside the region",
                              "须为 WGS-84 经纬度（EPSG:4326）/ must be WGS-84 lon/lat")


def county_polygons(inputs: Inputs) -> dict[str, object]:
    if not inputs.counties:
        return {}
    return outline_shapes(inputs.counties, "adcode")


_SHAPES = artifacts.Recent(4)  # the shapes of the outline files, while load.read_geojson gives the same ones


def outline_shapes(collection: dict, key: str) -> dict[str, object]:
    """{feature's `key` property: shapely geometry} of an outline FeatureCollection, made once for the same
    collection (load.read_geojson gives the same one while its file is unchanged; it is never changed)."""
    return _SHAPES.of(collection, lambda: {f["properties"][key]: shape(f["geometry"]) for f in collection["features"]})
