"""An annex table (序号/事项/责任单位/时限) pasted as runs of short lines: one clause per numbered item.

Cells pasted from Word start with a tab; a cell broken over lines goes on in an unindented line, or ends with 、
and goes on in the next cell.
"""

from __future__ import annotations

import re

from .clause import Clause
from .read import Line

TABLE_HEAD = re.compile(r"^序号$")
TABLE_COLUMNS = (("text", re.compile(r"事项|任务|内容|工作|项目|措施|举措")),
                 ("units", re.compile(r"单位|部门")),
                 ("deadline", re.compile(r"时限|时间|期限")))


def split_annex(lines: list[Line]) -> tuple[list[Line], list[Clause]]:
    """Separate an annex table (a 序号 header and rows of short lines) from the body."""
    for index, line in enumerate(lines):
        if TABLE_HEAD.match(line.plain):
            columns = table_columns(lines[index + 1:index + 5])
            if columns:
                title = annex_title(lines[:index])
                body_end = index - len(list(title_lines(lines[:index])))
                return lines[:body_end], table_rows(lines[index + 1 + len(columns):], columns, title)
    return lines, []


def table_columns(head: list[Line]) -> list[str]:
    columns = []
    for line in head:
        short = len(line.plain) <= 8
        name = next((name for name, pattern in TABLE_COLUMNS if short and pattern.search(line.plain)), "")
        if not name or name in columns:
            break
        columns.append(name)
    return columns if "text" in columns else []


def title_lines(before: list[Line]):
    """The annex's title and its 附件 label, just above the header."""
    for line in reversed(before[-3:]):
        if len(line.plain) <= 30 and not line.plain.endswith("。") and not line.plain.endswith("）"):
            yield line
        else:
            return


def annex_title(before: list[Line]) -> str:
    titles = [line.text for line in title_lines(before) if not re.match(r"^附件", line.plain)]
    return titles[0] if titles else "附件"


def table_rows(lines: list[Line], columns: list[str], title: str) -> list[Clause]:
    rows: list[tuple[Line, list[str]]] = []
    indented = sum(line.indented for line in lines) * 2 > len(lines)  # cells start with a tab, wrapped lines not
    for line in lines:
        if re.match(r"^(?:说明|注)[:：]", line.plain):
            break
        if line.plain.isdigit() and int(line.plain) == len(rows) + 1:
            rows.append((line, []))
        elif rows and indented and not line.indented and not line.after_blank and rows[-1][1]:
            rows[-1][1][-1] += line.text  # a cell wrapped onto an unindented line
        elif rows:
            rows[-1][1].append(line.text)
    return [annex_clause(number_line, cells, columns, title) for number_line, cells in rows]


def annex_clause(number_line: Line, cells: list[str], columns: list[str], title: str) -> Clause:
    cells = join_wrapped(cells, len(columns))
    values = dict(zip(columns, cells, strict=False))
    return Clause(f"附件 {number_line.text}", title, values.get("text", ""), number_line.number, "annex",
                  {k: v for k, v in values.items() if k != "text"})


def join_wrapped(cells: list[str], wanted: int) -> list[str]:
    """Cells broken over lines (`自治区党委组织部、` / `科技厅`) are joined until the row has `wanted` cells."""
    cells = list(cells)
    while len(cells) > wanted:
        index = next((i for i in range(len(cells) - 1) if cells[i].endswith(("、", "，", ","))), None)
        if index is None:
            index = len(cells) - 2  # the last column (units, deadline) is the narrow one that wraps
        cells[index:index + 2] = [cells[index] + cells[index + 1]]
    return cells
