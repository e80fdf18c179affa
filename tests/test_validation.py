"""Validation of the hand-edited tables, and builds that stay safe when the data is wrong.

Each fault test starts from a scratch copy of the real, valid project, makes one edit the way staff do in
Excel/WPS, and asserts the exact (file, line, column, code) list. Lines are the ones a text editor shows
(header = line 1); columns are 1-based cell numbers, 0 for the whole line or file.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import mkdocs.commands.build
import pytest
from shapely.geometry import Point, shape

from build_atlas.errors import AtlasError, Problem
from build_atlas.inputs.model import gather
from build_atlas.site.build import build_site

from .conftest import BUILD_DATE, ROOT, copy_project

MEASURES = "measures.csv"
FEATURES = "geodata/features.csv"
GAZETTEER = "geodata/gazetteer.csv"
WAYPOINTS = "geodata/waypoints.csv"
STATEMENTS = "geodata/statements.csv"
STATED = "geodata/stated_deadlines.csv"
SEATS = "geodata/seats.csv"
# Cell numbers of the documented layouts (docs/data.md), written out so that a test does not borrow the product's.
COL = {
    MEASURES: {"id": 1, "doc": 2, "title": 5, "title_en": 6, "text": 7, "themes": 8, "cities": 9, "units": 10,
               "deadline": 11, "implements": 12, "features": 13, "status": 14},
    FEATURES: {"cities": 5, "geometry": 6},
    GAZETTEER: {"lon": 4, "adcode": 6, "precision_m": 8},
    WAYPOINTS: {"place": 3},
    STATEMENTS: {"quote": 4},
    SEATS: {"lon": 5},
}
FORMULA_START = ("=", "+", "-", "@")


# ---------------------------------------------------------------------------------------------- helpers

class Table:
    """One CSV of a project copy, edited a cell at a time as staff do in a spreadsheet."""

    def __init__(self, root: Path, name: str):
        self.path = root / name
        self.rows = list(csv.reader(io.StringIO(self.path.read_text(encoding="utf-8-sig"), newline="")))
        self.header = self.rows[0]

    def find(self, **match: str) -> int:
        """Index in `rows` of the first data row whose cells equal `match`."""
        return next(i for i in range(1, len(self.rows)) if all(self.get(i, k) == v for k, v in match.items()))

    def where(self, test: Callable[[dict[str, str]], bool]) -> int:
        return next(i for i, row in enumerate(self.rows[1:], 1) if test(dict(zip(self.header, row, strict=True))))

    def get(self, index: int, column: str) -> str:
        return self.rows[index][self.header.index(column)]

    def set(self, index: int, column: str, value: str) -> Table:
        self.rows[index][self.header.index(column)] = value
        return self

    def save(self) -> Table:
        write_rows(self.path, self.rows)
        return self

    def line(self, index: int) -> int:
        """The editor line the saved row starts on, found in the file's text rather than by a CSV parser."""
        first = csv_text([self.rows[index]]).split("\n")[0]
        return self.path.read_text(encoding="utf-8-sig").split("\n").index(first) + 1


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def write_rows(path: Path, rows: list[list[str]]) -> None:
    path.write_text(csv_text(rows), encoding="utf-8", newline="")


def problems_of(root: Path) -> list[Problem]:
    try:
        gather(root)
    except AtlasError as error:
        return error.problems
    return []


def located(problems: list[Problem]) -> list[tuple[str, int, int, str]]:
    return [(p.file, p.line, p.column, p.code) for p in problems]


def one(root: Path, code: str) -> Problem:
    [found] = [p for p in problems_of(root) if p.code == code]
    return found


def python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_atlas", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def hashes(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(site: Path) -> list[str]:
    """Staging or swap directories a build left beside site/."""
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


# ------------------------------------------------------------------------------ one fault, one problem
# Each fault edits a valid copy and returns the problems it must produce, exactly.

def missing_column(root):
    rows = Table(root, MEASURES).rows
    drop = rows[0].index("units")
    write_rows(root / MEASURES, [row[:drop] + row[drop + 1:] for row in rows])
    return [(MEASURES, 1, 0, "missing-column")]


def unknown_column(root):
    rows = Table(root, MEASURES).rows
    write_rows(root / MEASURES, [rows[0] + ["remarks"]] + [row + [""] for row in rows[1:]])
    return [(MEASURES, 1, 15, "unknown-column")]


def columns_out_of_order(root):
    rows = Table(root, MEASURES).rows
    write_rows(root / MEASURES, [row[:4] + [row[5], row[4]] + row[6:] for row in rows])  # title_en before title
    return [(MEASURES, 1, 0, "column-order")]


def row_with_too_many_cells(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.rows[row].append("多出来的")
    table.save()
    return [(MEASURES, table.line(row), 15, "cell-count")]


def empty_file(root):
    (root / MEASURES).write_text("", encoding="utf-8")
    return [(MEASURES, 1, 0, "empty-file")]


def empty_required_cell(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "title", "").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["title"], "required")]


def duplicate_id(root):
    """A row copied to the end of the file with its id unchanged."""
    table = Table(root, MEASURES)
    copy = list(table.rows[table.find(id="r23-05")])
    copy[table.header.index("features")] = ""
    table.rows.append(copy)
    table.save()
    return [(MEASURES, len(table.rows), COL[MEASURES]["id"], "duplicate-id")]


def unknown_doc_key(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "doc", "nzf-2023-99").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["doc"], "unknown-key")]


def unknown_theme(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "themes", table.get(row, "themes") + ";tourism").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["themes"], "unknown-key")]


def unknown_city(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "cities", "hohhot;beijing").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["cities"], "unknown-key")]


def deadline_written_in_chinese(root):
    table = Table(root, MEASURES)
    row = table.find(id="bt24-05")
    table.set(row, "deadline", "2024年12月").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["deadline"], "bad-deadline")]


def implements_points_nowhere(root):
    table = Table(root, MEASURES)
    row = table.find(id="bt24-05")
    table.set(row, "implements", "r23-99").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["implements"], "dangling-ref")]


def features_points_nowhere(root):
    table = Table(root, MEASURES)
    row = table.where(lambda m: not m["features"])
    table.set(row, "features", "hsr-nowhere").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["features"], "dangling-ref")]


def text_not_verbatim(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "text", table.get(row, "text") + "（此句为杜撰）").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["text"], "text-not-in-source")]


def unknown_status(root):
    table = Table(root, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "status", "已完成").save()
    return [(MEASURES, table.line(row), COL[MEASURES]["status"], "unknown-key")]


def waypoint_place_not_in_gazetteer(root):
    table = Table(root, WAYPOINTS)
    table.set(1, "place", "no-such-place").save()
    return [(WAYPOINTS, table.line(1), COL[WAYPOINTS]["place"], "dangling-ref")]


def gazetteer_lon_lat_swapped(root):
    table = Table(root, GAZETTEER)
    row = table.where(lambda g: g["adcode"] != "")
    lon, lat = table.get(row, "lon"), table.get(row, "lat")
    table.set(row, "lon", lat).set(row, "lat", lon).save()
    return [(GAZETTEER, table.line(row), COL[GAZETTEER]["lon"], "swapped-coordinates")]


def gazetteer_point_outside_region(root):
    table = Table(root, GAZETTEER)
    row = table.where(lambda g: g["adcode"] != "")
    table.set(row, "lon", "121.47").set(row, "lat", "31.23").save()  # Shanghai
    return [(GAZETTEER, table.line(row), COL[GAZETTEER]["lon"], "outside-region")]


def gazetteer_point_in_another_county(root):
    table = Table(root, GAZETTEER)
    row = table.where(lambda g: g["adcode"] != "")
    point = Point(float(table.get(row, "lon")), float(table.get(row, "lat")))
    counties = json.loads((root / "geodata/boundaries/counties.geojson").read_text(encoding="utf-8"))["features"]
    far = next(c["properties"]["adcode"] for c in counties if shape(c["geometry"]).distance(point) > 0.5)
    table.set(row, "adcode", far).save()
    return [(GAZETTEER, table.line(row), COL[GAZETTEER]["adcode"], "wrong-county")]


def line_feature_with_one_waypoint(root):
    features, waypoints = Table(root, FEATURES), Table(root, WAYPOINTS)
    row = features.where(lambda f: f["geometry"] == "line")
    fid = features.get(row, "id")
    stops = [r for r in waypoints.rows[1:] if r[0] == fid]
    first = min(stops, key=lambda r: int(r[1]))
    waypoints.rows = [r for r in waypoints.rows if r[0] != fid or r is first]
    waypoints.save()
    return [(FEATURES, features.line(row), COL[FEATURES]["geometry"], "bad-waypoints")]


def feature_claims_a_city_it_does_not_touch(root):
    table = Table(root, FEATURES)
    row = table.find(id="hsr-hohhot-baotou")  # drawn from Hohhot to Baotou, nowhere near Ulanqab
    table.set(row, "cities", "hohhot;baotou;ulanqab").save()
    return [(FEATURES, table.line(row), COL[FEATURES]["cities"], "wrong-cities")]


def unlocated_feature_with_a_waypoint(root):
    features, waypoints = Table(root, FEATURES), Table(root, WAYPOINTS)
    row = features.where(lambda f: f["geometry"] == "unlocated")
    waypoints.rows.append([features.get(row, "id"), "1", waypoints.rows[1][2]])
    waypoints.save()
    return [(FEATURES, features.line(row), COL[FEATURES]["geometry"], "bad-waypoints")]


def county_seat_place_at_the_middle_of_its_county(root):
    """达拉特旗's place as it was before issue 26: the county polygon's representative point, 26 km from 树林召."""
    table = Table(root, GAZETTEER)
    row = table.find(id="dalad")
    table.set(row, "lon", "109.88712").set(row, "lat", "40.18340").save()
    return [(GAZETTEER, table.line(row), COL[GAZETTEER]["lon"], "far-from-seat")]


def seat_outside_its_county(root):
    table = Table(root, SEATS)
    row = table.find(adcode="150929")  # 四子王旗, given 武川's seat
    table.set(row, "lon", "111.44083").set(row, "lat", "41.09556").save()
    return [(SEATS, table.line(row), COL[SEATS]["lon"], "wrong-county")]


def county_without_a_seat(root):
    table = Table(root, SEATS)
    del table.rows[table.find(adcode="150929")]
    table.save()
    return [(SEATS, 0, 0, "missing-seat")]


def statement_quote_not_in_measure(root):
    table = Table(root, STATEMENTS)
    table.set(1, "quote", "这句话不在举措原文中").save()
    return [(STATEMENTS, table.line(1), COL[STATEMENTS]["quote"], "quote-not-in-text")]


def self_intersecting_shape(root):
    """A bow-tie polygon, in an existing shape file if the atlas has one."""
    shapes = sorted((root / "geodata/shapes").glob("*.geojson"))
    path = shapes[0] if shapes else root / "geodata/shapes/bowtie.geojson"
    bowtie = {"type": "Polygon", "coordinates": [[[110.0, 40.0], [111.0, 41.0], [111.0, 40.0], [110.0, 41.0],
                                                   [110.0, 40.0]]]}
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": bowtie}]}), encoding="utf-8")
    return [(f"geodata/shapes/{path.name}", 0, 0, "bad-geometry")]


def precision_not_a_number(root):
    table = Table(root, GAZETTEER)
    table.set(1, "precision_m", "约1公里").save()
    return [(GAZETTEER, table.line(1), COL[GAZETTEER]["precision_m"], "bad-number")]


def two_rows_without_id(root):
    """Two rows whose ids were deleted (rows that nothing refers to, so no reference breaks)."""
    table = Table(root, MEASURES)
    cited = {ref for i in range(1, len(table.rows)) for ref in table.get(i, "implements").split(";")}
    first, second = [i for i, row in enumerate(table.rows[1:], 1)
                     if row[0] not in cited and not table.get(i, "features")][:2]
    table.set(first, "id", "").set(second, "id", "").save()
    return [(MEASURES, table.line(first), 1, "required"), (MEASURES, table.line(second), 1, "required")]


FAULTS = [missing_column, unknown_column, columns_out_of_order, row_with_too_many_cells, empty_file,
          empty_required_cell, duplicate_id, unknown_doc_key, unknown_theme, unknown_city, deadline_written_in_chinese,
          implements_points_nowhere, features_points_nowhere, text_not_verbatim, unknown_status,
          waypoint_place_not_in_gazetteer, gazetteer_lon_lat_swapped, gazetteer_point_outside_region,
          gazetteer_point_in_another_county, line_feature_with_one_waypoint, statement_quote_not_in_measure,
          self_intersecting_shape, precision_not_a_number, two_rows_without_id,
          feature_claims_a_city_it_does_not_touch, unlocated_feature_with_a_waypoint,
          county_seat_place_at_the_middle_of_its_county, seat_outside_its_county, county_without_a_seat]

# Product bugs found while writing these tests; strict, so each flags itself once fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}  # (kind, fault) → why it is still expected to fail


def cases(kind: str) -> list:
    """FAULTS as test parameters, the known bugs of this `kind` marked as strict xfails."""
    params = []
    for fault in FAULTS:
        bug = KNOWN_BUGS.get((kind, fault.__name__))
        marks = [pytest.mark.xfail(reason=bug, strict=True)] if bug else []
        params.append(pytest.param(fault, id=fault.__name__, marks=marks))
    return params


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """One valid copy per module; each fault test gets its own copy of it (faster than a clone each)."""
    return copy_project(tmp_path_factory.mktemp("pristine") / "atlas")


@pytest.fixture
def scratch(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "atlas", symlinks=True))


def test_the_real_data_validates(scratch):
    assert located(problems_of(scratch)) == []
    assert located(gather(scratch).warnings) == []  # every measure and document has its English


# ------------------------------------------------------------------- warnings: English that staff have yet to write

def test_an_empty_english_title_is_a_located_warning_never_an_error(scratch):
    table = Table(scratch, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "title_en", "").save()
    atlas = gather(scratch)  # builds: no AtlasError
    assert located(atlas.warnings) == [(MEASURES, table.line(row), COL[MEASURES]["title_en"], "missing-english")]
    [warning] = atlas.warnings
    assert f"（title：{table.get(row, 'title')}）" in warning.message
    assert re.search(r"[\u4e00-\u9fff].* / .*[A-Za-z]{3}", warning.message)
    assert "英文版显示中文" in warning.hint and "the English edition shows the Chinese" in warning.hint


def test_a_document_without_its_english_names_is_a_warning_at_its_entry(scratch):
    registry = scratch / "docs/documents/documents.yml"
    lines = registry.read_text(encoding="utf-8").split("\n")
    entry = lines.index("- key: baotou-2024") + 1
    kept = [line for line in lines if not line.startswith(("  short_en: Baotou", "  issuer_en: Baotou"))]
    assert len(kept) == len(lines) - 2
    registry.write_text("\n".join(kept), encoding="utf-8")
    atlas = gather(scratch)
    assert located(atlas.warnings) == [("docs/documents/documents.yml", entry, 0, "missing-english")]
    assert "baotou-2024：short_en、issuer_en 为空 / no short_en, issuer_en" in atlas.warnings[0].message
    assert atlas.documents.loc["baotou-2024", "short_en"] == ""  # the English pages show the Chinese instead


def test_cli_validate_prints_the_warnings_and_still_exits_0(scratch):
    table = Table(scratch, MEASURES)
    rows = [table.find(id="r23-05"), table.find(id="bt24-03")]
    for row in rows:
        table.set(row, "title_en", "")
    table.save()
    result = python("validate", cwd=scratch)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")
    lines = result.stderr.strip().splitlines()
    assert [re.match(r"^(\S+):(\d+):(\d+): \[([a-z-]+)\] ", line).groups() for line in lines[:-1]] == [
        (MEASURES, str(line), "6", "missing-english") for line in sorted(table.line(row) for row in rows)]
    assert "提醒 2 条，网站照常生成" in lines[-1] and "2 warning(s); the site is built anyway" in lines[-1]


@pytest.mark.parametrize("fault", cases("located"))
def test_each_fault_is_reported_once_where_it_is_in_both_languages_with_a_fix(scratch, fault):
    expected = fault(scratch)
    problems = problems_of(scratch)
    assert located(problems) == expected
    for p in problems:
        assert re.search(r"[\u4e00-\u9fff].* / .*[A-Za-z]{3}", p.message), p
        assert re.search(r"[\u4e00-\u9fff]", p.hint) and re.search(r"[A-Za-z]{3}", p.hint), p


def test_duplicate_id_names_the_line_of_the_first(scratch):
    duplicate_id(scratch)
    first = Table(scratch, MEASURES).line(Table(scratch, MEASURES).find(id="r23-05"))
    message = one(scratch, "duplicate-id").message
    assert f"第 {first} 行" in message and f"duplicates line {first}" in message


def test_chinese_deadline_hint_says_write_2024_12(scratch):
    deadline_written_in_chinese(scratch)
    found = one(scratch, "bad-deadline")
    assert "'2024年12月'" in found.message
    assert "2024年12月 写作 2024-12" in found.hint and "write 2024-12" in found.hint


def test_swapped_coordinates_hint_says_longitude_first(scratch):
    gazetteer_lon_lat_swapped(scratch)
    assert "lon first, then lat" in one(scratch, "swapped-coordinates").hint


def test_several_faults_in_one_file_are_all_reported_in_one_run(scratch):
    table = Table(scratch, MEASURES)
    rows = [table.find(id=key) for key in ("r23-02", "r23-07", "bt24-03", "bt24-05", "pl21-0502-04")]
    table.set(rows[0], "themes", "transport;tourism").set(rows[1], "title", "")
    table.set(rows[2], "deadline", "2024年12月").set(rows[3], "implements", "r23-99")
    table.set(rows[4], "status", "完成").save()
    problems = problems_of(scratch)
    assert len(problems) == 5
    assert located(problems) == sorted([
        (MEASURES, table.line(rows[0]), 8, "unknown-key"),
        (MEASURES, table.line(rows[1]), 5, "required"),
        (MEASURES, table.line(rows[2]), 11, "bad-deadline"),
        (MEASURES, table.line(rows[3]), 12, "dangling-ref"),
        (MEASURES, table.line(rows[4]), 14, "unknown-key"),
    ])


def test_faults_in_different_files_are_reported_together(scratch):
    expected = deadline_written_in_chinese(scratch) + gazetteer_point_outside_region(scratch) \
        + statement_quote_not_in_measure(scratch)
    assert located(problems_of(scratch)) == sorted(expected)


def test_a_row_that_does_not_parse_does_not_hide_cell_errors_elsewhere(scratch):
    expected = row_with_too_many_cells(scratch) + gazetteer_point_outside_region(scratch)
    assert located(problems_of(scratch)) == sorted(expected)


# ---------------------------------------------------------------------------------------- encodings

def test_excel_csv_utf8_with_bom_and_crlf_validates_to_the_same_measures(scratch):
    original = gather(scratch).measures
    text = (scratch / MEASURES).read_text(encoding="utf-8")
    (scratch / MEASURES).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert gather(scratch).measures.equals(original)


def test_gbk_csv_is_refused_with_a_hint_and_to_utf8_restores_it(scratch):
    path = scratch / MEASURES
    original = path.read_bytes()
    text = original.decode("utf-8")
    path.write_bytes(text.encode("gb18030"))  # identical to GBK (Excel's "CSV" on Chinese Windows) for these texts
    line2 = text.split("\n")[1]
    first_non_ascii = next(i for i, char in enumerate(line2) if ord(char) > 127) + 1
    problems = problems_of(scratch)
    assert located(problems) == [(MEASURES, 2, first_non_ascii, "encoding")]
    assert "GBK" in problems[0].message
    assert "CSV UTF-8" in problems[0].hint
    assert "`python -m build_atlas to-utf8 measures.csv`" in problems[0].hint

    result = python("to-utf8", MEASURES, cwd=scratch)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == original
    assert problems_of(scratch) == []


def test_fullwidth_separators_and_spaces_around_list_items_are_normalised(scratch):
    table = Table(scratch, MEASURES)
    row = table.find(id="r23-05")
    table.set(row, "themes", " transport ；industry ").set(row, "cities", "hohhot； baotou ;ordos")
    table.set(row, "units", "自治区发展改革委 ； 交通运输厅").save()
    measure = gather(scratch).measures.set_index("id").loc["r23-05"]
    assert measure["themes"] == ["transport", "industry"]
    assert measure["cities"] == ["hohhot", "baotou", "ordos"]
    assert measure["units"] == ["自治区发展改革委", "交通运输厅"]


def test_spaces_around_cells_are_trimmed(scratch):
    table = Table(scratch, MEASURES)
    row = table.find(id="bt24-05")
    text = table.get(row, "text")
    table.set(row, "id", "  bt24-05 ").set(row, "title", "\u3000" + table.get(row, "title") + " ")
    table.set(row, "text", " " + text + "\u3000").set(row, "deadline", " 2024-12 ").set(row, "status", " done").save()
    atlas = gather(scratch)
    measure = atlas.measures.set_index("id").loc["bt24-05"]
    assert (measure["text"], measure["deadline"], measure["status"]) == (text, "2024-12", "done")
    assert measure["title"] == measure["title"].strip()


# ------------------------------------------------------------------------------ editor line numbers

def test_after_a_multi_line_cell_errors_are_reported_at_the_editor_line(scratch):
    """Excel's Alt+Enter puts a line break inside a quoted cell: later rows move down one line."""
    table = Table(scratch, MEASURES)
    broken, faulty = table.find(id="r23-03"), table.find(id="r23-04")
    text = table.get(broken, "text")
    table.set(broken, "text", text[:10] + "\n" + text[10:]).set(broken, "themes", "transport;tourism")
    table.set(faulty, "deadline", "2024年12月").save()
    lines = (scratch / MEASURES).read_text(encoding="utf-8").split("\n")
    editor = {key: next(n for n, line in enumerate(lines, 1) if line.startswith(key + ","))
              for key in ("r23-03", "r23-04")}
    assert editor["r23-04"] == editor["r23-03"] + 2
    assert located(problems_of(scratch)) == [(MEASURES, editor["r23-03"], 8, "unknown-key"),
                                             (MEASURES, editor["r23-04"], 11, "bad-deadline")]


def five_thousand_rows(root: Path) -> list[list[str]]:
    """The real rows, then copies of them with new ids and the same verbatim text, 5,000 data rows in all (the dates a
    copied text states are recorded for the copy too, in geodata/stated_deadlines.csv)."""
    table, stated = Table(root, MEASURES), Table(root, STATED)
    rows, real = [table.header], table.rows[1:]
    id_col, features = table.header.index("id"), table.header.index("features")
    rows += real
    copy = 0
    while len(rows) <= 5000:
        source = list(real[copy % len(real)])
        original, source[id_col], source[features] = source[id_col], f"{source[id_col]}.x{copy}", ""
        stated.rows += [[source[id_col], *row[1:]] for row in stated.rows[1:] if row[0] == original]
        rows.append(source)
        copy += 1
    stated.save()
    return rows


def test_five_thousand_rows_validate_and_a_bad_cell_at_row_4321_is_reported_at_its_editor_line(scratch):
    rows = five_thousand_rows(scratch)
    text_col = rows[0].index("text")
    rows[3][text_col] = rows[3][text_col][:8] + "\n" + rows[3][text_col][8:]  # one multi-line cell near the top
    write_rows(scratch / MEASURES, rows)
    atlas = gather(scratch)
    assert len(atlas.measures) == 5000

    bad = rows[4321]  # the 4,321st data row
    bad[rows[0].index("deadline")] = "2024年12月"
    write_rows(scratch / MEASURES, rows)
    lines = (scratch / MEASURES).read_text(encoding="utf-8").split("\n")
    editor_line = next(n for n, line in enumerate(lines, 1) if line.startswith(bad[0] + ","))
    assert editor_line == 4321 + 1 + 1  # after the header and the one extra line of the multi-line cell
    assert located(problems_of(scratch)) == [(MEASURES, editor_line, 11, "bad-deadline")]


# -------------------------------------------------------------------------------------------- the CLI

def test_cli_validate_prints_located_problems_and_a_count_and_exits_1(scratch):
    deadline_written_in_chinese(scratch)
    unknown_city(scratch)
    result = python("validate", cwd=scratch)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert [re.match(r"^(\S+):(\d+):(\d+): \[([a-z-]+)\] ", line).groups() for line in lines[:-1]] == [
        (file, str(line), str(column), code) for file, line, column, code in located(problems_of(scratch))]
    assert "发现 2 个问题" in lines[-1] and "2 problem(s) found" in lines[-1]


def test_cli_validate_on_the_real_data_exits_0():
    result = python("validate", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")


# ------------------------------------------------------------------------------------------ safe builds

@pytest.fixture
def built_copy(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the project together with its built site/ (the session's build, not rebuilt)."""
    return Path(shutil.copytree(built_site.parent, tmp_path / "atlas", symlinks=True))


def test_a_data_fault_stops_the_build_and_leaves_site_unchanged(built_copy):
    site = built_copy / "site"
    before = hashes(site)
    expected = deadline_written_in_chinese(built_copy)
    result = python("build", "--date", BUILD_DATE.isoformat(), cwd=built_copy)
    assert result.returncode == 1
    file, line, column, code = expected[0]
    assert f"{file}:{line}:{column}: [{code}]" in result.stderr
    assert hashes(site) == before
    assert leftovers(site) == []


def test_a_mkdocs_failure_stops_the_build_and_leaves_site_unchanged(built_copy):
    site = built_copy / "site"
    before = hashes(site)
    with (built_copy / "docs/about.md").open("a", encoding="utf-8") as about:
        about.write("\n见[不存在的页面](no-such-page.md)。\n")
    result = python("build", "--date", BUILD_DATE.isoformat(), cwd=built_copy)
    assert result.returncode == 1
    assert "no-such-page.md" in result.stdout + result.stderr
    assert hashes(site) == before
    assert leftovers(site) == []


def test_an_interrupted_build_leaves_site_unchanged_and_no_staging(built_copy, monkeypatch):
    site = built_copy / "site"
    before = hashes(site)
    original, seen = mkdocs.commands.build._build_page, []

    def interrupted(*args, **kwargs):
        if len(seen) == 5:  # some pages are already written to the staging directory
            seen.append(leftovers(site))
            raise KeyboardInterrupt
        seen.append(None)
        return original(*args, **kwargs)

    monkeypatch.setattr(mkdocs.commands.build, "_build_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(built_copy, today=BUILD_DATE)
    assert seen[-1] and seen[-1][0].startswith(".site.new-")  # the interrupt came mid-build
    assert hashes(site) == before
    assert leftovers(site) == []


def test_an_interrupt_while_swapping_in_keeps_the_old_site(built_copy, monkeypatch):
    site = built_copy / "site"
    before = hashes(site)
    monkeypatch.setattr("build_atlas.site.build.mkdocs_build", lambda config: None)
    rename = Path.rename

    def interrupted(self, target):
        if self.name.startswith(".site.new-"):
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(built_copy, today=BUILD_DATE)
    monkeypatch.undo()
    assert site.is_dir() and hashes(site) == before


def test_site_directory_gets_the_usual_permissions(built_site):
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(built_site.stat().st_mode) == 0o777 & ~umask


# ----------------------------------------------------------------------------------------------- escaping
# Payloads carry their own alert number so that a finding points at the field it came from.

def script(n: int) -> str:
    return f"<script>alert({n})</script>"


def img(n: int) -> str:
    return f"<img src=x onerror=alert({n})>"


IN_MEASURE, IN_FEATURE_NAME, IN_FEATURE_NOTE = 1, 2, 3


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    """A site built from data with markup and spreadsheet formulas typed into it."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "atlas")
    measures = Table(root, MEASURES)
    marked, formula = measures.find(id="r23-05"), measures.find(id="r23-06")
    n = IN_MEASURE
    measures.set(marked, "title", script(n)).set(marked, "title_en", img(n))
    measures.set(marked, "units", f"{script(n)};{img(n)}")
    measures.set(formula, "title", '=HYPERLINK("http://example.invalid","点我")').set(formula, "title_en", "+1 call")
    measures.set(formula, "section", "-2 减号开头").set(formula, "units", "@某单位;交通运输厅").save()
    features = Table(root, FEATURES)
    features.set(1, "name_zh", script(IN_FEATURE_NAME) + img(IN_FEATURE_NAME))
    features.set(1, "note", f"[详情](javascript:alert({IN_FEATURE_NOTE}))").save()
    source = (root / MEASURES).read_bytes()
    site = build_site(root, today=BUILD_DATE)
    return {"root": root, "site": site, "feature": features.get(1, "id"), "source": source,
            "theme": measures.get(marked, "themes").split(";")[0]}


class Markup(HTMLParser):
    """What a browser makes of a page: its tags, its script bodies and its text."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.text, self.in_script = [], [], [], False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        (self.scripts if self.in_script else self.text).append(data)


def live(attribute: str, value: str, n: int) -> bool:
    """An attribute through which payload `n` would run: an event handler or a javascript: URL. (Escaped text in
    any other attribute, such as an iframe's title, is inert.)"""
    runs = attribute.startswith("on") or value.strip().lower().startswith("javascript:")
    return runs and f"alert({n})" in value


def injected(site: Path, n: int) -> dict[str, list]:
    """Per page (maps aside), the tags that payload `n` made because it went into the HTML unescaped."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        if {"maps", "exports"} & set(path.relative_to(site).parts):
            continue
        markup = Markup(path.read_text(encoding="utf-8"))
        tags = [(tag, attrs) for tag, attrs in markup.tags
                if any(live(name, value, n) for name, value in attrs.items())]
        tags += [("script", body) for body in markup.scripts if f"alert({n})" in body]
        if tags:
            found[str(path.relative_to(site))] = tags
    return found


def page_text(site: Path, name: str) -> str:
    return "".join(Markup((site / name).read_text(encoding="utf-8")).text)


def test_markup_in_a_measure_title_and_units_shows_as_text_in_the_pages(hostile):
    site = hostile["site"]
    page = (site / f"themes/{hostile['theme']}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert script(IN_MEASURE) in page_text(site, f"themes/{hostile['theme']}.html")
    assert img(IN_MEASURE) in page_text(site, f"themes/{hostile['theme']}.html")
    assert script(IN_MEASURE) in page_text(site, "documents/nzf-2023-23.html")
    assert injected(site, IN_MEASURE) == {}


def test_markup_in_a_feature_name_shows_as_text_in_the_pages(hostile):
    site = hostile["site"]
    name = script(IN_FEATURE_NAME) + img(IN_FEATURE_NAME)
    assert name in page_text(site, f"projects/{hostile['feature']}.html")
    assert name in page_text(site, "projects/index.html")
    assert injected(site, IN_FEATURE_NAME) == {}


def test_markdown_in_a_feature_note_makes_no_link(hostile):
    assert injected(hostile["site"], IN_FEATURE_NOTE) == {}


def map_properties(page: str, key: str) -> list[str]:
    """The `key` property of every feature drawn on a folium map page, decoded."""
    return [json.loads(m.group(1)) for m in re.finditer(rf'"{key}":\s*("(?:[^"\\]|\\.)*")', page)]


def with_shared_scripts(site: Path, name: str) -> str:
    """A map page and the shared data scripts beside it that it loads (outlines, feature layers)."""
    page = (site / name).read_text(encoding="utf-8")
    loaded = re.findall(r'<script src="([^"/]+\.js)"', page)
    return "\n".join([page] + [(site / name).with_name(script).read_text(encoding="utf-8") for script in loaded])


def test_markup_in_a_feature_name_is_escaped_in_map_labels_and_popups(hostile):
    """The map's tooltip is the label and its popup is built from label, en and note (atlas-map.js): all escaped."""
    site, fid = hostile["site"], hostile["feature"]
    escaped = html.escape(script(IN_FEATURE_NAME) + img(IN_FEATURE_NAME))
    for name in ("maps/overview.html", f"maps/project-{fid}.html"):  # (a single-file map is made of these)
        page = with_shared_scripts(site, name)
        assert script(IN_FEATURE_NAME) not in page and img(IN_FEATURE_NAME) not in page, name
        shown = [text for key in ("label", "en", "note") for text in map_properties(page, key)]
        assert escaped in map_properties(page, "label"), name
        assert not [text for text in shown if "<script" in text or "<img" in text], name


def download_rows(site: Path) -> list[list[str]]:
    data = (site / "data/measures.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_download_keeps_markup_as_typed(hostile):
    header, *rows = download_rows(hostile["site"])
    measure = dict(zip(header, next(row for row in rows if row[0] == "r23-05"), strict=True))
    n = IN_MEASURE
    assert (measure["title"], measure["title_en"], measure["units"]) == (script(n), img(n), f"{script(n)};{img(n)}")


def test_csv_download_neutralises_formulas_and_measures_csv_is_unchanged(hostile):
    source = list(csv.reader(io.StringIO(hostile["source"].decode("utf-8-sig"), newline="")))
    header, *rows = download_rows(hostile["site"])
    measure = dict(zip(header, next(row for row in rows if row[0] == "r23-06"), strict=True))
    assert measure["title"] == "'=HYPERLINK(\"http://example.invalid\",\"点我\")"
    assert (measure["title_en"], measure["section"], measure["units"]) == ("'+1 call", "'-2 减号开头",
                                                                            "'@某单位;交通运输厅")
    staff = [header.index(column) for column in source[0]]  # the download adds labels beside the staff's columns
    assert [[row[i] for i in staff] for row in [header, *rows]] == [
        ["'" + cell if cell.startswith(FORMULA_START) else cell for cell in row] for row in source]
    assert (hostile["root"] / MEASURES).read_bytes() == hostile["source"]


def test_workbook_keeps_a_formula_typed_into_the_data_as_text(hostile):
    from openpyxl import load_workbook

    (path,) = (hostile["site"] / "data").glob("*.xlsx")
    sheet = load_workbook(path)["举措 measures"]
    header = [cell.value for cell in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "r23-06")
    title = row[header.index("title")]
    assert (title.value, title.data_type) == ('=HYPERLINK("http://example.invalid","点我")', "s")
