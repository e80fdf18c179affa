"""The data set as one package: `datapackage.json` (a Frictionless Data Package describing every table and layer with
its schema, keys, sources and terms, the data date and a version), checked with the `frictionless` library before
anything is published; and the zip readers download, holding the package, the workbook, a Chinese README, its English
version and the licence texts.

A package is made only when what it is made from changed (the artifact cache, keyed by every file's bytes, the terms
and this code); frictionless and openpyxl are imported only then.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from ..cache import artifacts
from ..errors import AtlasError, Problem
from ..vocabulary import routes
from ..vocabulary.dataset import (
    BY_NAME,
    ENGLISH_RESOURCES,
    LAYER_RESOURCES,
    RESOURCES,
    SOURCES,
    TERMS,
    TYPES,
    TYPES_EN,
    Field,
    Resource,
    chinese,
    english,
)
from . import workbook

NAME = "hubaoewu-policy-atlas"  # the package's name, and the stem of the zip's and the workbook's
DESCRIPTOR = "datapackage.json"
README = "README.md"
README_EN = "README.en.md"  # the English edition's readers' README
README_TEMPLATE = "package-readme.md.j2"  # templates/ and, for README_EN, templates/en/
PARTS = ("json", "xlsx", "zip")
KIND = "package"  # its kind in the artifact cache


@dataclass(frozen=True)
class Publication:
    """Who publishes the data, under which terms, as of when."""

    title: str
    publisher: str
    license: str  # the atlas's own terms, as configured ("CC BY 4.0")
    license_url: str
    site_url: str
    data_date: date
    documents: tuple[tuple[str, str], ...]  # (title, url) of the source documents
    licence_texts: tuple[tuple[str, bytes], ...]  # (file name, text) shipped in the zip
    title_en: str = ""  # the title in English (the English README)

    @property
    def spdx(self) -> str:
        return self.license.replace(" ", "-")

    def names(self) -> dict[str, str]:
        stem = f"{NAME}-{self.data_date.isoformat()}"
        return {"zip": f"{stem}.zip", "xlsx": f"{stem}.xlsx", "folder": stem}


def version(files: dict[str, bytes], today: date) -> str:
    """The data date and a digest of every file: two packages of one day differ in version when their data do."""
    return f"{today.isoformat()}+{artifacts.digest(*(f'{n}:{len(b)}'.encode() + b for n, b in files.items()))[:8]}"


def licences(resource: Resource, publication: Publication) -> list[dict]:
    terms = TERMS[resource.terms]
    if terms.spdx:
        return [{"name": terms.spdx, "path": f"https://spdx.org/licenses/{terms.spdx}.html",
                 "title": terms.attribution}]
    return [{"name": publication.spdx, "path": publication.license_url, "title": publication.license}]


def sources(resource: Resource, publication: Publication) -> list[dict]:
    out = []
    for key in resource.sources:
        if key == "documents":
            out += [{"title": title, **({"path": url} if url else {})} for title, url in publication.documents]
        else:
            title, url = SOURCES[key]
            out.append({"title": title, **({"path": url} if url else {})})
    return out


def field_descriptor(field: Field) -> dict:
    out = {"name": field.name, "title": field.title, "description": field.doc, "type": field.type}
    constraints = {"required": True} if field.required else {}
    if field.codes and not field.many:
        if not field.pattern:  # a deadline is a month or one of two words: its pattern says so
            constraints["enum"] = [term.key for term in field.codes]
        out["categories"] = [{"value": term.key, "label": term.zh} for term in field.codes]
    elif field.codes:
        keys = "|".join(term.key for term in field.codes)
        constraints["pattern"] = f"({keys})(;({keys}))*"
    if field.pattern:
        constraints["pattern"] = field.pattern
    return {**out, **({"constraints": constraints} if constraints else {})}


def table_schema(resource: Resource) -> dict:
    schema: dict = {"fields": [field_descriptor(field) for field in resource.fields], "missingValues": [""]}
    if resource.primary_key:
        schema["primaryKey"] = list(resource.primary_key)
    if resource.foreign_keys:
        schema["foreignKeys"] = [{"fields": [mine], "reference": {"resource": other, "fields": [theirs]}}
                                 for mine, other, theirs in resource.foreign_keys]
    return schema


def resource_descriptor(resource: Resource, data: bytes, publication: Publication) -> dict:
    out = {"name": resource.name, "path": resource.file, "title": resource.title, "description": resource.description}
    if resource.layer:
        out |= {"type": "json", "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8",
                "geometryType": resource.geometry, "crs": "EPSG:4326",
                "propertiesSchema": {"fields": [field_descriptor(field) for field in resource.fields]}}
    else:
        out |= {"type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": table_schema(resource)}
    return {**out, "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "licenses": licences(resource, publication), "sources": sources(resource, publication)}


def descriptor(files: dict[str, bytes], publication: Publication) -> dict:
    today = publication.data_date.isoformat()
    home = f"{publication.site_url.rstrip('/')}/{routes.html(routes.DATA)}" if publication.site_url else ""
    return {
        "name": NAME, "title": f"{publication.title}：数据", "version": version(files, publication.data_date),
        "description": f"呼和浩特、包头、鄂尔多斯、乌兰察布一体化发展政策的逐条数据：举措、规划项目、文件表述、"
                       f"实际进展、"
                       f"地名与行政区划边界。数据截至 {today}。",
        "created": f"{today}T00:00:00Z", **({"homepage": home} if home else {}),
        "keywords": ["呼包鄂乌", "一体化", "区域政策", "内蒙古", "Hohhot", "Baotou", "Ordos", "Ulanqab"],
        "licenses": [{"name": publication.spdx, "path": publication.license_url, "title": publication.license}],
        "contributors": [{"title": publication.publisher, "role": "publisher"}] if publication.publisher else [],
        "sources": [{"title": title, **({"path": url} if url else {})} for title, url in publication.documents],
        "resources": [resource_descriptor(r, files[r.file], publication) for r in RESOURCES],
    }


def check(files: dict[str, bytes], package: dict, tables: dict[str, list[dict]]) -> None:
    """frictionless validates the package as written (types, constraints, keys between the tables, sizes and
    hashes), and each layer's properties against their schema; a problem stops the build."""
    import frictionless

    problems = []
    with tempfile.TemporaryDirectory() as folder:
        for name, data in {**files, DESCRIPTOR: json.dumps(package).encode()}.items():
            (Path(folder) / name).write_bytes(data)
        reports = [frictionless.Package(str(Path(folder) / DESCRIPTOR)).validate()]
        for resource in LAYER_RESOURCES:
            rows = [[properties[f.name] for f in resource.fields] for properties in layer_properties(files, resource)]
            schema = {"fields": [field_descriptor(field) for field in resource.fields], "missingValues": [""]}
            reports.append(frictionless.Resource(data=[[f.name for f in resource.fields], *rows], name=resource.name,
                                                 schema=frictionless.Schema.from_descriptor(schema)).validate())
        for report in reports:
            for task in report.tasks:
                for error in task.errors:
                    problems.append(Problem(routes.table(BY_NAME[task.name].file), getattr(error, "row_number", 0) or 0,
                                            getattr(error, "field_number", 0) or 0, f"package-{error.type}",
                                            error.message))
            problems += [Problem(DESCRIPTOR, 0, 0, f"package-{e.type}", e.message) for e in report.errors]
    if problems:
        raise AtlasError(problems)


def layer_properties(files: dict[str, bytes], resource: Resource) -> list[dict]:
    return [feature["properties"] for feature in json.loads(files[resource.file])["features"]]


def readme(package: dict, publication: Publication, counts: dict[str, int], lang: str = routes.DEFAULT_LANGUAGE) -> str:
    """README.md, or in English README.en.md (templates/en/)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("build_atlas.outputs", "templates"), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update(zh=chinese, type_zh=TYPES.get, en=english, type_en=TYPES_EN.get)
    folder = "" if lang == routes.DEFAULT_LANGUAGE else f"{lang}/"
    return env.get_template(folder + README_TEMPLATE).render(
        package=package, publication=publication, resources=RESOURCES, counts=counts, terms=TERMS,
        names=publication.names(), licence_files=[name for name, _ in publication.licence_texts],
        english_resources=ENGLISH_RESOURCES)


def deterministic_zip(entries: dict[str, bytes], when: date) -> bytes:
    """A zip whose bytes depend on its entries alone (fixed times and order), so a cached and a clean build agree."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()


def make(files: dict[str, bytes], tables: dict[str, list[dict]], publication: Publication) -> dict[str, bytes]:
    """{"json": datapackage.json, "xlsx": the workbook, "zip": the download}, validated."""
    package = descriptor(files, publication)
    check(files, package, tables)
    text = json.dumps(package, ensure_ascii=False, indent=2).encode()
    counts = {r.name: len(tables[r.name]) if r.name in tables else len(layer_properties(files, r)) for r in RESOURCES}
    book = workbook.make(tables, package, publication, counts)
    folder = publication.names()["folder"]
    entries = {DESCRIPTOR: text, README: readme(package, publication, counts).encode(),
               README_EN: readme(package, publication, counts, "en").encode(),
               **dict(publication.licence_texts), publication.names()["xlsx"]: book, **files}
    return {"json": text, "xlsx": book, "zip": deterministic_zip({f"{folder}/{n}": d for n, d in entries.items()},
                                                                  publication.data_date)}


def key(files: dict[str, bytes], publication: Publication) -> str:
    """A digest of everything a package is made from: its files, the terms, this code and the libraries'."""
    return artifacts.digest(*(f"{n}:{len(b)}".encode() + b for n, b in sorted(files.items())), repr(publication),
                            artifacts.code_digest(Path(__file__), assets=READMES),
                            *library_versions())


def cached(files: dict[str, bytes], tables: dict[str, list[dict]], publication: Publication,
           cache: artifacts.ArtifactCache) -> dict[str, bytes]:
    """make(), or its parts from the cache when every input is unchanged."""
    made = cache.get_parts(KIND, {NAME: key(files, publication)}, lambda _: make(files, tables, publication), PARTS,
                           workers=1)
    return made[NAME]


def make_and_store(files: dict[str, bytes], tables: dict[str, list[dict]], publication: Publication,
                   folder: Path, digest: str) -> dict[str, bytes]:
    """make() in a worker process, stored in the cache there (a preview's package, made after its build)."""
    made = make(files, tables, publication)
    artifacts.ArtifactCache(folder).write(KIND, NAME, digest, made)
    return made


def site_paths(publication: Publication) -> dict[str, str]:
    """{part: its site path under data/}."""
    names = publication.names()
    return {"json": routes.table(DESCRIPTOR), "xlsx": routes.table(names["xlsx"]), "zip": routes.table(names["zip"])}


TEMPLATES = Path(__file__).with_name("templates")
READMES = tuple(sorted(TEMPLATES.rglob("package-*.j2")))  # both languages' README templates


def library_versions() -> list[str]:
    from importlib.metadata import version as installed

    return [f"{name} {installed(name)}" for name in ("frictionless", "openpyxl")]
