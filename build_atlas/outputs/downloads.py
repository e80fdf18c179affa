"""The atlas's downloads besides the maps' images: every staff table as a copy a spreadsheet opens safely, the
projects and boundaries as GeoJSON layers, and the source documents' texts exactly as received."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..cache import artifacts
from ..inputs.model import Atlas
from ..vocabulary import routes, style
from ..vocabulary.schema import LAYERS, TABLES, Column

FORMULA_START = ("=", "+", "-", "@")
BOM = "\ufeff".encode()
BOUNDARY_LAYERS = {"cities.geojson": "四市市界 City boundaries",
                   "counties.geojson": "38 个旗县市区界 County boundaries"}


# Columns the download copy of a table has after the staff's own, made by the atlas (the data page lists them).
DERIVED_COLUMNS = {"geodata/features.csv": (
    Column("counties", False, "项目按图上位置经过或所在的旗县区，以 `;` 分隔（下载副本由图集按边界计算后加上；"
           "未上图的项目为空）。County-level units the project's geometry touches (added to the download)."),
    Column("county_codes", False, "这些旗县区的行政区划代码，顺序相同。Their adcodes, in the same order."),
)}


def county_cells(atlas: Atlas) -> dict[str, dict[str, list[str]]]:
    """{table: {row id: the derived cells}}: each project's counties' names and adcodes."""
    index = atlas.by_county
    return {"geodata/features.csv": {fid: [";".join(index.names(index.of_feature(fid))),
                                           ";".join(index.of_feature(fid))] for fid in atlas.features.index}}


def safe_csv(path: Path, derived: dict[str, list[str]] | None = None, columns: tuple[Column, ...] = ()) -> str:
    """The download copy of a table: cells that a spreadsheet would run as a formula get a leading '; with
    `derived` ({row id: cells}) the `columns` the atlas adds after the staff's own."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    if derived is not None and rows:
        rows = [rows[0] + [c.name for c in columns],
                *(row + derived.get(row[0], [""] * len(columns)) for row in rows[1:])]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_START) else cell for cell in row])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


def tables(root: Path, derived: dict[str, dict[str, list[str]]] | None = None) -> dict[str, str]:
    """{site path: text} of every table; `derived`: county_cells, the columns the atlas adds."""
    derived = derived or {}
    return {routes.table(Path(name).name): safe_csv(root / name, derived.get(name), DERIVED_COLUMNS.get(name, ()))
            for name in TABLES}


def geojson_layers(atlas: Atlas) -> dict[str, str]:
    """{file name: GeoJSON text}: the boundaries, and the located projects of each map layer."""
    layers = {"cities.geojson": atlas.cities.reset_index(drop=True), "counties.geojson": atlas.counties}
    cells = county_cells(atlas)["geodata/features.csv"]
    for layer in LAYERS:
        subset = atlas.located[atlas.located["kind"].isin(style.kinds_of(layer.key))]
        if len(subset):
            frame = subset.drop(columns=["line"]).copy()
            frame["cities"] = frame["cities"].map(";".join)
            frame["counties"] = [cells[fid][0] for fid in frame.index]
            frame["county_codes"] = [cells[fid][1] for fid in frame.index]
            frame = frame.reset_index(drop=True)
            layers[f"features-{layer.key}.geojson"] = frame
    made, out = {}, {}
    for name, frame in layers.items():  # a layer's text is made again only when its rows changed (a preview)
        key = artifacts.digest(name, repr(list(frame.columns)), *map(repr, frame.to_wkb().itertuples(index=False)))
        made[key] = _GEOJSON.get(key) or json.dumps(json.loads(frame.to_json(drop_id=True)), ensure_ascii=False,
                                                    separators=(",", ":"))
        out[name] = made[key]
    _GEOJSON.clear()
    _GEOJSON.update(made)
    return out


_GEOJSON: dict[str, str] = {}  # the last build's layer texts by their rows' digest


def label_for(name: str) -> str:
    """How the data page lists a GeoJSON layer."""
    if name in BOUNDARY_LAYERS:
        return BOUNDARY_LAYERS[name]
    layer = next(layer for layer in LAYERS if name == f"features-{layer.key}.geojson")
    return f"规划项目：{layer.zh} Planned projects: {layer.en}"


def listing(names: list[str]) -> list[dict[str, str]]:
    return [{"file": name, "label": label_for(name)} for name in names]


def source_text(root: Path, file: str) -> bytes:
    """A source text byte for byte, with a UTF-8 BOM in front: browsers that get no charset from the server, and
    Windows Notepad, then read it as UTF-8 instead of showing mojibake."""
    data = (root / "docs" / routes.source_text(file)).read_bytes()
    return data if data.startswith(BOM) else BOM + data
