"""The data set as readers get it: each table and layer of `vocabulary/dataset.py`, made from the validated atlas and
the staff tables, with a Chinese label beside every code and without the staff's notes.

Tables come out as rows of text cells ({field: str}), layers as (properties, geometry) pairs; downloads.py writes them
as CSV and GeoJSON, package.py describes and packs them, workbook.py lays them out for Excel.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from shapely.geometry.base import BaseGeometry

from ..errors import AtlasError, Problem
from ..inputs.model import Atlas
from ..inputs.progress import STAGE
from ..vocabulary import style
from ..vocabulary.dataset import (
    FROM_STAFF,
    LAYER_RESOURCES,
    RESOURCES,
    SOURCE_KINDS,
    STAGE_TERMS,
    TABLE_RESOURCES,
    Field,
    Resource,
    deadline_label,
)
from ..vocabulary.schema import LIST_SEPARATOR, by_key
from .projects import UNSURE, drawing_note

Row = dict[str, str]
SOURCE = by_key(SOURCE_KINDS)
REFERENCE = re.compile(r"^(geonames:\d+|county-seat:\d{6})")


def staff_rows(atlas: Atlas, table: str) -> list[Row]:
    """A staff table's rows as written (the atlas's own frames have parsed some columns)."""
    text = (atlas.root / table).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def source_reference(source: str) -> str:
    """The part of a staff `source` a reader can follow (geonames:2038432, county-seat:150926), else `manual`: the
    rest is the staff's working note, in English."""
    found = REFERENCE.match(source)
    return found[1] if found else "manual"


def source_label(source: str) -> str:
    reference = source_reference(source)
    kind, _, key = reference.partition(":")
    text = SOURCE[kind].zh + (f" {key}" if kind == "geonames" else f"（代码 {key}）" if key else "")
    return text + ("，位置为推定，待核实" if UNSURE.search(source) else "")


def projects(atlas: Atlas) -> list[Row]:
    f, index = atlas.features, atlas.by_county
    return [{"id": fid, "kind": row["kind"], "name_zh": row["name_zh"], "name_en": row["name_en"],
             "cities": LIST_SEPARATOR.join(row["cities"]),
             "counties": LIST_SEPARATOR.join(index.names(index.of_feature(fid))),
             "county_codes": LIST_SEPARATOR.join(index.of_feature(fid)),
             "geometry_kind": row["geometry_kind"] if row["geometry"] is not None else "unlocated",
             "precision": row["precision"], "drawing": drawing_note(atlas, fid),
             "layer": style.layer_of(row["kind"]).key, "status": row["status"], "phase": style.phase_of(row),
             "stage": row["stage"], "stage_date": row["stage_date"]}
            for fid, row in zip(f.index, f.to_dict("records"), strict=True)]


def measures(atlas: Atlas) -> list[Row]:
    states = dict(zip(atlas.measures["id"], atlas.measures["deadline_state"], strict=True))
    return [{**row, "deadline_state": states.get(row["id"], "") or ""}
            for row in staff_rows(atlas, FROM_STAFF["measures"])]


def places(atlas: Atlas, table: str) -> list[Row]:
    return [{**row, "source": source_reference(row["source"]), "source_zh": source_label(row["source"])}
            for row in staff_rows(atlas, table)]


def progress(atlas: Atlas) -> list[Row]:
    """One row per event and target, in the staff table's order; the target in `project` or `measure`."""
    projects_ = set(atlas.features.index)
    rows = []
    for event in staff_rows(atlas, FROM_STAFF["progress"]):
        for target in filter(None, event["target"].split(LIST_SEPARATOR)):
            phase = STAGE[event["stage"]].phase if event["stage"] in STAGE else None
            rows.append({**event, "project": target if target in projects_ else "",
                         "measure": "" if target in projects_ else target, "phase": phase or ""})
    return rows


def documents(atlas: Atlas) -> list[Row]:
    return [{key: str(value) for key, value in document.items()} for document in atlas.documents.to_dict("records")]


def counties(atlas: Atlas) -> list[Row]:
    return [{key: str(row[key]) for key in ("adcode", "name_zh", "name_en", "city")}
            for row in atlas.counties.to_dict("records")]


def codes() -> list[Row]:
    """Every vocabulary a download uses, once, with the fields that use it."""
    used: dict[tuple, list[str]] = {}
    for resource in TABLE_RESOURCES:
        for field in resource.fields:
            if field.codes:
                used.setdefault(field.codes, []).append(f"{resource.name}.{field.name}")
    return [{"field": LIST_SEPARATOR.join(fields), "code": term.key, "zh": term.zh, "en": term.en, "note": term.note}
            for terms, fields in used.items() for term in terms]


MAKERS: dict[str, Callable[[Atlas], list[Row]]] = {
    "measures": measures, "features": projects, "documents": documents, "counties": counties,
    "progress": progress, "codes": lambda atlas: codes(),
    "gazetteer": lambda atlas: places(atlas, FROM_STAFF["gazetteer"]),
    "seats": lambda atlas: places(atlas, FROM_STAFF["seats"]),
}


def labelled(resource: Resource, rows: list[Row], atlas: Atlas) -> list[Row]:
    """The rows with the resource's fields only, in its order, each label filled in from the code beside it."""
    fields = {field.name: field for field in resource.fields}
    county_names = dict(zip(atlas.counties["adcode"].astype(str), atlas.counties["name_zh"], strict=True))

    def label(field: Field, row: Row) -> str:
        value, code_field = row.get(field.labels, ""), fields[field.labels]
        if field.name in row:  # made with its row (a source's label says 待核实 from the staff's note)
            return row[field.name]
        if not value:
            return ""
        if field.labels == "deadline":
            return deadline_label(value)
        if field.labels == "adcode":
            return county_names.get(value, "")
        terms = by_key(code_field.codes)
        parts = value.split(LIST_SEPARATOR) if code_field.many else [value]
        return LIST_SEPARATOR.join(terms[part].zh for part in parts)

    return [{field.name: label(field, row) if field.labels else str(row.get(field.name, "") or "")
             for field in resource.fields} for row in rows]


def tables(atlas: Atlas) -> dict[str, list[Row]]:
    """{resource name: rows} of every table."""
    out = {}
    for resource in TABLE_RESOURCES:
        make = MAKERS.get(resource.name) or (lambda atlas, r=resource: staff_rows(atlas, FROM_STAFF[r.name]))
        out[resource.name] = labelled(resource, make(atlas), atlas)
    return out


def layers(atlas: Atlas, made: dict[str, list[Row]]) -> dict[str, list[tuple[Row, BaseGeometry]]]:
    """{resource name: [(properties, geometry)]} of every layer: each holds one geometry type."""
    boundaries = {"cities-layer": atlas.cities, "counties-layer": atlas.counties}
    rows = {row["id"]: row for row in made["features"]}
    stray = unplaced(atlas)
    if stray:
        raise AtlasError([Problem("geodata/features.csv", int(atlas.features.loc[fid, "line"]), 0, "no-layer",
                                  f"{fid} 的几何类型没有对应的下载图层 / no download layer takes its geometry type",
                                  "在 build_atlas/vocabulary/dataset.py 的 RESOURCES 中加一个该类型的图层")
                          for fid in stray])
    out = {}
    for resource in LAYER_RESOURCES:
        if resource.name in boundaries:
            frame = boundaries[resource.name]
            shapes = list(zip(labelled(resource, counties_of(frame), atlas), frame.geometry, strict=True))
        else:
            located = atlas.located
            shapes = [(rows[fid], geometry) for fid, geometry in zip(located.index, located.geometry, strict=True)]
        out[resource.name] = [(properties, geometry) for properties, geometry in shapes
                              if geometry.geom_type == resource.geometry]
    return out


def counties_of(frame) -> list[Row]:
    return [{key: str(row[key]) for key in ("adcode", "name_zh", "name_en", "city")}
            for row in frame.to_dict("records")]


def unplaced(atlas: Atlas) -> list[str]:
    """Located projects whose geometry type has no layer (a new kind of shape): the build refuses them."""
    types = {resource.geometry for resource in LAYER_RESOURCES}
    return [fid for fid, geometry in zip(atlas.located.index, atlas.located.geometry, strict=True)
            if geometry.geom_type not in types]


__all__ = ["RESOURCES", "STAGE_TERMS", "tables", "layers", "unplaced"]
