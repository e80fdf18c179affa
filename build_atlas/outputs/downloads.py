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
from ..vocabulary.schema import LAYERS, TABLES

FORMULA_START = ("=", "+", "-", "@")
BOM = "\ufeff".encode()
BOUNDARY_LAYERS = {"cities.geojson": "四市市界 City boundaries",
                   "counties.geojson": "38 个旗县市区界 County boundaries"}


def safe_csv(path: Path) -> str:
    """The download copy of a table: cells that a spreadsheet would run as a formula get a leading '."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_START) else cell for cell in row])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


def tables(root: Path) -> dict[str, str]:
    """{site path: text} of every table."""
    return {routes.table(Path(name).name): safe_csv(root / name) for name in TABLES}


def geojson_layers(atlas: Atlas) -> dict[str, str]:
    """{file name: GeoJSON text}: the boundaries, and the located projects of each map layer."""
    layers = {"cities.geojson": atlas.cities.reset_index(drop=True), "counties.geojson": atlas.counties}
    for layer in LAYERS:
        subset = atlas.located[atlas.located["kind"].isin(style.kinds_of(layer.key))]
        if len(subset):
            frame = subset.drop(columns=["line"]).reset_index(drop=True).copy()
            frame["cities"] = frame["cities"].map(";".join)
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
