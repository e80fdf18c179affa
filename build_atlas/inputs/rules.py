"""What every check shares: the rule codes with their bilingual summaries (the data page lists them), the
located problem, and the checks any table gets (required cells, ids, keys, references)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Problem
from ..vocabulary.schema import (
    LIST_SEPARATOR,
    TABLES,
)
from .load import Row

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


DEADLINE_PATTERN = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


STATED_PATTERN = re.compile(r"^(20\d\d)(-(0[1-9]|1[0-2]))?$")  # geodata/stated_deadlines.csv: a year, or a month


WHITESPACE = re.compile(r"\s+")


# Every rule's code with its bilingual summary; docs/data.md must list each code.
RULES = {
    "encoding": "文件须为 UTF-8 / file must be UTF-8",
    "empty-file": "文件不能为空 / file must not be empty",
    "missing-file": "文件缺失 / file missing",
    "unknown-column": "表头有未知的列 / unknown column in header",
    "missing-column": "表头缺少列 / column missing from header",
    "column-order": "列的顺序须与约定一致 / columns must be in the documented order",
    "cell-count": "每行单元格数须与表头一致 / each row has as many cells as the header",
    "required": "必填单元格为空 / required cell is empty",
    "bad-id": "编号格式不对 / malformed id",
    "duplicate-id": "编号重复 / duplicate id",
    "unknown-key": "不在词表中的键 / key not in the vocabulary",
    "bad-deadline": "完成时限格式不对 / malformed deadline",
    "bad-unit": "责任单位写法不对（未拆开、后缀未补全或职责未加全角括号）/ unit not split, shared suffix not written"
                " out, or role not in full-width brackets",
    "text-not-in-source": "原文在来源文件中找不到 / text not found in its source document",
    "dangling-ref": "引用的编号不存在 / reference to a missing id",
    "bad-number": "不是数字 / not a number",
    "outside-region": "坐标在区域之外 / coordinate outside the region",
    "swapped-coordinates": "经纬度写反了 / longitude and latitude swapped",
    "wrong-county": "坐标不在所填旗县区内 / point not in the county given",
    "missing-seat": "旗县区在 `seats.csv` 中没有政府驻地 / a county has no seat in `seats.csv`",
    "far-from-seat": "`county-seat` 地名离该旗县区政府驻地太远 / a `county-seat` place lies far from its county's seat",
    "bad-waypoints": "途经点数量不对 / wrong number of waypoints",
    "wrong-cities": "要素的城市与其几何不符 / a feature's cities disagree with its geometry",
    "bad-geometry": "几何无效 / invalid geometry",
    "quote-not-in-text": "引文不在举措原文中 / quote not found in the measure text",
    "no-verb": "引文中没有动词表里的动词 / the quote holds no verb of the verb table",
    "quote-without-name": "引文没有写出项目的名称、简称或别名 / the quote does not name its project",
    "date-not-in-quote": "引文没有写出所记的时限 / the quote does not state the date recorded",
    "unrecorded-deadline": "条款原文写明了时限，`geodata/stated_deadlines.csv` 却没有记录 / a date the clause states is"
                           " not recorded",
    "host-as-about": "引文只把项目写作依托、起步区、骨干或连接的另一端，`relation` 却是 `about` / the quote names"
                     " the project only as a host or a far end, yet `relation` is `about`",
    "status-verb": "进展与引文的动词不符且未说明理由 / status contradicts the quote's verb and no reason is given",
    "missing-city": "条款的城市缺少它所关于的项目所在的城市 / the clause's cities miss a city of a project it is about",
    "link-mismatch": "`measures.csv` 与 `statements.csv` 的要素关联不一致 / feature links disagree",
    "unused-feature": "要素没有任何举措点名 / no measure names the feature",
    "bad-registry": "文件登记表有误 / document registry is malformed",
    "bad-geojson": "GeoJSON 无效 / invalid GeoJSON",
    "bad-release-note": "公开说明（`docs/releases.yml`）格式不对 / malformed public release note",
    "duplicate-alias": "别名重复 / alias listed twice",
    "unknown-target": "别名所指的全称在数据中找不到 / an alias's full form occurs nowhere in the data",
    "bad-date": "日期格式不对，或早于它所报道的事件 / malformed date, or a date before the event it reports",
    "future-date": "进展日期晚于构建日期 / a progress date after the build date",
    "bad-url": "来源网址不是 `http(s)://` 网页地址 / source url is not an `http(s)://` address",
    "long-summary": "进展概括超过一行 / progress summary longer than one line",
    "duplicate-event": "同一进展事件记了两次 / the same progress event recorded twice",
    "stage-regression": "已建成或已开通之后又记了较早的阶段且未说明理由 / an earlier stage after completion without a"
                        " reason",
    "missing-english": "英文标题或简称为空：只是提醒，不阻止生成网站 / an English title or short name is empty: a"
                       " warning only, the site is still built",
}
WARNINGS = {"missing-english"}  # the rules that warn (validate.advise) instead of stopping the build


def problem(table: str, row: Row, column: str, code: str, found: str, hint: str = "") -> Problem:
    return Problem(table, row.line, row.col(column), code, f"(列 {column}) {found}", hint)


def items(value: str) -> list[str]:
    return [item for item in value.split(LIST_SEPARATOR) if item]


def squeeze(text: str) -> str:
    return WHITESPACE.sub("", text)


def number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def check_required(table: str, rows: list[Row]) -> Iterator[Problem]:
    for column in (c for c in TABLES[table] if c.required):
        for row in rows:
            if not row.cells.get(column.name):
                yield problem(table, row, column.name, "required", "不能为空 / must not be empty", column.doc)


def check_ids(table: str, rows: list[Row], column: str = "id") -> Iterator[Problem]:
    first: dict[str, int] = {}
    for row in rows:
        value = row.cells[column]
        if not value:
            continue  # check_required reports it
        if not ID_PATTERN.match(value):
            yield problem(table, row, column, "bad-id", f"'{value}' 不是合法编号 / is not a valid id",
                          "只用小写字母、数字、-、. / use a-z, 0-9, '-' and '.' only")
        elif value in first:
            yield problem(table, row, column, "duplicate-id",
                          f"'{value}' 与第 {first[value]} 行重复 / duplicates line {first[value]}",
                          "编号须唯一且永不复用 / ids are unique and never reused")
        else:
            first[value] = row.line


def check_keys(table: str, rows: list[Row], column: str, allowed: set[str], many: bool = True) -> Iterator[Problem]:
    for row in rows:
        values = items(row.cells[column]) if many else [row.cells[column]] * bool(row.cells[column])
        for value in values:
            if value not in allowed:
                yield problem(table, row, column, "unknown-key", f"'{value}' 不在词表中 / is not a known key",
                              "可用的键 / allowed: " + ", ".join(sorted(allowed)))


def check_refs(table: str, rows: list[Row], column: str, targets: set[str], target_name: str) -> Iterator[Problem]:
    for row in rows:
        for value in items(row.cells[column]):
            if value not in targets:
                yield problem(table, row, column, "dangling-ref",
                              f"'{value}' 在 {target_name} 中不存在 / not found in {target_name}",
                              "检查拼写，或先在该表中添加 / check the spelling or add it there first")


def check_refs_to(inputs, table: str, rows: list[Row], column: str, target: str) -> Iterator[Problem]:
    """check_refs against the ids of the table `target`, when that table could be read at all."""
    if inputs.usable(target):
        yield from check_refs(table, rows, column, {r.cells["id"] for r in inputs.tables[target]}, target)
