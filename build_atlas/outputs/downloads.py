"""The atlas's downloads besides the maps' images: the data set's tables as CSV that a spreadsheet opens safely and
scripts read as they are, its layers as GeoJSON (one geometry type a file), and the source documents' texts exactly as
received. What is in them is published.py's; the package, workbook and zip around them are package.py's."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from shapely.geometry import mapping

from ..cache import artifacts
from ..vocabulary import routes
from ..vocabulary.dataset import LAYER_RESOURCES, TABLE_RESOURCES, Field

FORMULA_START = ("=", "+", "-", "@")
BOM = "\ufeff".encode()


def csv_text(fields: tuple[Field, ...], rows: list[dict[str, str]]) -> str:
    """A table as a download: UTF-8 with a BOM (Excel then reads it as UTF-8), CRLF, and a leading ' on a cell that
    a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field.name for field in fields])
    for row in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_START) else cell
                         for cell in (row[field.name] for field in fields)])
    return "\ufeff" + out.getvalue()


def geojson_text(fields: tuple[Field, ...], shapes: list) -> str:
    """A layer as RFC 7946 GeoJSON (WGS-84 longitude, latitude), its properties in the declared order."""
    features = [{"type": "Feature", "properties": {field.name: properties[field.name] for field in fields},
                 "geometry": mapping(geometry)} for properties, geometry in shapes]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))


def files(tables: dict[str, list[dict]], layers: dict[str, list]) -> dict[str, str]:
    """{file name under data/: text} of every table and layer of the data set (published.py), in the declared
    order."""
    out = {resource.file: csv_text(resource.fields, tables[resource.name]) for resource in TABLE_RESOURCES}
    made = {}
    for resource in LAYER_RESOURCES:  # a layer's text is made again only when its features changed (a preview)
        shapes = layers[resource.name]
        key = artifacts.digest(resource.file, repr([p for p, _ in shapes]), *(g.wkb for _, g in shapes))
        made[key] = _GEOJSON.get(key) or geojson_text(resource.fields, shapes)
        out[resource.file] = made[key]
    _GEOJSON.clear()
    _GEOJSON.update(made)
    return out


_GEOJSON: dict[str, str] = {}  # the last build's layer texts by their features' digest


def source_text(root: Path, file: str) -> bytes:
    """A source text byte for byte, with a UTF-8 BOM in front: browsers that get no charset from the server, and
    Windows Notepad, then read it as UTF-8 instead of showing mojibake."""
    data = (root / "docs" / routes.source_text(file)).read_bytes()
    return data if data.startswith(BOM) else BOM + data
