"""Stage 1: read the hand-maintained tables, the document registry and the boundaries.

Reading never guesses: a file that is not UTF-8, a header that is off or a row with the wrong number of
cells becomes a located Problem. Cell values are trimmed and full-width list separators are normalised.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Problem
from ..vocabulary.schema import LIST_SEPARATOR, TABLES, Column

REGISTRY = "docs/documents/documents.yml"
RELEASES = "docs/releases.yml"  # staff's notes for the public on the 更新记录 page (build_atlas/inputs/changes.py)
RELEASE_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
COUNTIES = "geodata/boundaries/counties.geojson"
CITY_OUTLINES = "geodata/boundaries/cities.geojson"
FULLWIDTH_SEPARATORS = ("；",)
LIST_COLUMNS = {"themes", "cities", "units", "implements", "features"}


@dataclass
class Row:
    """One data row of a CSV file: its cells by column name and the line it starts on."""

    line: int
    cells: dict[str, str]

    def col(self, name: str) -> int:
        """The 1-based column number of `name` as the file's header has it."""
        return list(self.cells).index(name) + 1 if name in self.cells else 0


@dataclass
class Inputs:
    """Everything the atlas is built from, as read; nothing is trusted yet."""

    root: Path
    tables: dict[str, list[Row]] = field(default_factory=dict)
    documents: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    counties: dict | None = None
    cities: dict | None = None
    shapes: dict[str, dict] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)  # files with a read problem: their rows are partial

    def usable(self, *names: str) -> bool:
        """True when every named file was read whole, so references into it can be judged."""
        return not self.incomplete.intersection(names)


def decode_utf8(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 with or without BOM; anything else is refused with the place of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        try:
            data.decode("gb18030")
            found = "文件看起来是 GBK/GB18030 编码（Excel 或 WPS 的默认“CSV”） / the file looks GBK/GB18030-encoded"
        except UnicodeDecodeError:
            found = "文件不是 UTF-8 编码 / the file is not UTF-8"
        hint = (
            "请另存为“CSV UTF-8（逗号分隔）”：Excel 选“文件→另存为→CSV UTF-8”，WPS 选“另存为→CSV，编码 UTF-8”；"
            "或运行 `python -m build_atlas to-utf8 " + name + "`。 "
            "Save as 'CSV UTF-8 (comma delimited)' or run `python -m build_atlas to-utf8 " + name + "`."
        )
        return None, [Problem(name, line, column, "encoding", found, hint)]


def parse_csv(text: str, name: str, columns: tuple[Column, ...]) -> tuple[list[Row], list[Problem]]:
    """Parse CSV text against a declared schema; line numbers are the ones an editor shows."""
    if not text.strip():
        return [], [Problem(name, 1, 0, "empty-file", "文件是空的 / the file is empty",
                            "第一行应为表头 / the first line must be the header: " + ",".join(c.name for c in columns))]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader)]
    problems = check_header(header, name, columns)
    if problems:
        return [], problems
    rows: list[Row] = []
    start = reader.line_num + 1
    for record in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue  # blank lines and Excel's trailing ",,,," rows
        if len(record) != len(header):
            problems.append(Problem(
                name, line, min(len(record), len(header)) + 1, "cell-count",
                f"这一行有 {len(record)} 个单元格，表头有 {len(header)} 个"
                f" / row has {len(record)} cells, header has {len(header)}",
                "检查未加引号的逗号或换行 / look for an unquoted comma or line break in a cell"))
            continue
        rows.append(Row(line, {col: clean_cell(col, value) for col, value in zip(header, record, strict=True)}))
    return rows, problems


def check_header(header: list[str], name: str, columns: tuple[Column, ...]) -> list[Problem]:
    expected = [c.name for c in columns]
    if header == expected:
        return []
    problems = []
    for index, col in enumerate(header, start=1):
        if col not in expected:
            problems.append(Problem(name, 1, index, "unknown-column", f"未知的列 '{col}' / unknown column '{col}'",
                                    "列应为 / columns are: " + ",".join(expected)))
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, 0, "missing-column", f"缺少列 '{col}' / missing column '{col}'",
                                    "列应为 / columns are: " + ",".join(expected)))
    if not problems:
        problems.append(Problem(name, 1, 0, "column-order", "列的顺序不对 / columns are out of order",
                                "列应为 / columns are: " + ",".join(expected)))
    return problems


def clean_cell(column: str, value: str) -> str:
    """Trim a cell; in list columns accept full-width separators and spaces around items."""
    value = value.strip()
    if column in LIST_COLUMNS:
        for separator in FULLWIDTH_SEPARATORS:
            value = value.replace(separator, LIST_SEPARATOR)
        value = LIST_SEPARATOR.join(item.strip() for item in value.split(LIST_SEPARATOR) if item.strip())
    return value


def read_table(root: Path, name: str) -> tuple[list[Row], list[Problem]]:
    path = root / name
    if not path.exists():
        return [], [Problem(name, 0, 0, "missing-file", "文件不存在 / file not found")]
    text, problems = decode_utf8(path.read_bytes(), name)
    if text is None:
        return [], problems
    return parse_csv(text, name, TABLES[name])


_GEOJSON: dict[Path, tuple[bytes, dict]] = {}


def read_geojson(root: Path, name: str) -> tuple[dict | None, list[Problem]]:
    """The parsed file. While a file's bytes are unchanged the same object is returned (a preview rebuild reads
    the outlines again each time; what is made from them can be remembered by it): callers must not change it."""
    path = root / name
    try:
        data = path.read_bytes()
        if path in _GEOJSON and _GEOJSON[path][0] == data:
            return _GEOJSON[path][1], []
        parsed = json.loads(data.decode("utf-8"))
        _GEOJSON[path] = (data, parsed)
        return parsed, []
    except FileNotFoundError:
        return None, [Problem(name, 0, 0, "missing-file", "文件不存在 / file not found",
                              "运行 `make geodata` 重新生成 / run `make geodata`")]
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line, column = getattr(error, "lineno", 0), getattr(error, "colno", 0)
        return None, [Problem(name, line, column, "bad-geojson", f"不是有效的 GeoJSON / not valid GeoJSON: {error}")]


def read_documents(root: Path) -> tuple[list[dict], dict[str, str], list[Problem]]:
    """The registry of source documents and their full texts (docs/documents/)."""
    name = REGISTRY
    try:
        registry = yaml.safe_load((root / name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return [], {}, [Problem(name, 0, 0, "bad-registry", f"无法读取文件登记表 / cannot read the registry: {error}")]
    texts, problems = {}, []
    for entry in registry:
        path = root / "docs/documents" / entry.get("file", "")
        url = str(entry.get("url") or "")
        if url and not url.startswith(("https://", "http://")):
            problems.append(Problem(name, 0, 0, "bad-registry",
                                    f"{entry.get('key')}: url '{url}' 不是网址 / is not a web address",
                                    "填官方发布页面的完整网址，未知则留空 / full https:// address or empty"))
        if path.is_file():
            texts[entry["key"]] = path.read_text(encoding="utf-8")
        else:
            problems.append(Problem(name, 0, 0, "missing-file", f"文件 {path.name} 不存在 / source text missing"))
    return registry, texts, problems


def read_release_notes(root: Path) -> tuple[dict[str, list[str]], list[Problem]]:
    """{date: [note, …]} from RELEASES (absent: none), and a located problem for each malformed entry."""
    path = root / RELEASES
    if not path.exists():
        return {}, []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(RELEASES, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0,
                            "bad-release-note", f"不是有效的 YAML / not valid YAML: {error}")]
    if node is not None and not isinstance(node, yaml.SequenceNode):
        return {}, [Problem(RELEASES, 1, 1, "bad-release-note", "须为列表 / must be a list")]
    notes: dict[str, list[str]] = {}
    problems = []
    for child in node.value if node is not None else []:
        data = yaml.safe_load(yaml.serialize(child))
        data = data if isinstance(data, dict) else {"": None}
        date, note = str(data.get("date", "")), str(data.get("note") or "").strip()
        if not RELEASE_DATE.match(date) or not note or set(data) - {"date", "note"}:
            problems.append(Problem(RELEASES, child.start_mark.line + 1, child.start_mark.column + 1,
                                    "bad-release-note", "每条须有 date（YYYY-MM-DD）和 note / each entry needs a "
                                    "date (YYYY-MM-DD) and a note", "例如 - date: 2026-11-22 换行 note: …"))
        else:
            notes.setdefault(date, []).append(note)
    return notes, problems


def read_inputs(root: Path) -> tuple[Inputs, list[Problem]]:
    """Read every input; collect all problems instead of stopping at the first."""
    inputs, problems = Inputs(root=root), []

    def note(name: str, found: list[Problem]) -> None:
        problems.extend(found)
        if found:
            inputs.incomplete.add(name)

    for name in TABLES:
        inputs.tables[name], found = read_table(root, name)
        note(name, found)
    inputs.documents, inputs.texts, found = read_documents(root)
    note(REGISTRY, found)
    found = read_release_notes(root)[1]
    note(RELEASES, found)
    inputs.counties, found = read_geojson(root, COUNTIES)
    note(COUNTIES, found)
    inputs.cities, found = read_geojson(root, CITY_OUTLINES)
    note(CITY_OUTLINES, found)
    for path in sorted((root / "geodata/shapes").glob("*.geojson")):
        shape, found = read_geojson(root, f"geodata/shapes/{path.name}")
        note(f"geodata/shapes/{path.name}", found)
        if shape is not None:
            inputs.shapes[path.stem] = shape
    return inputs, problems
