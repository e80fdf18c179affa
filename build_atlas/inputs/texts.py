"""The source texts as readers see them: a declared display normalisation of each document.

The files in docs/documents/ stay exactly as received (they are offered unchanged for download). For display,
and for the validator's verbatim check, each text goes through the rules declared for its document in
CLEANING, then through the rules every document gets:

- ``drop_marks``: conversion debris inside a line, removed (e.g. Word's ``[bookmark: _GoBack]``);
- ``drop_block``: a run of lines from the first pattern up to (not including) the second, removed (the plan's
  table of contents, which the PDF conversion ran together);
- ``drop_lines``: whole lines that are page debris, removed (a portal's header line, a stray ``0 条``);
- ``join_cells``: in a table whose cells each start with a tab, a line without the tab continues the cell above
  (``自治区财政厅、自然`` + ``资源厅、生态环境厅``);
- ``join_broken``: a line of running text (it holds a ，。or ；) that ends inside a sentence (on a character, not
  punctuation) continues on the next line (``改革创`` + ``新和对外开放…``), as PDF line and page breaks left it;
- every document: spaces next to a Chinese character or full-width punctuation removed (``“十三五 ”``,
  ``（ B型）``), a space between two Latin letters or digits kept; lines trimmed; blank lines removed.

Joining and space removal change only whitespace, so ``rules.squeeze`` of the cleaned text equals the squeezed
original minus the dropped debris: measures.csv stays verbatim against both. tests/test_pages_text.py proves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opencc_purepy import OpenCC

# The atlas's one pair of script converters (a converter loads its dictionaries when made).
TO_SIMPLIFIED, TO_TRADITIONAL = OpenCC("t2s"), OpenCC("s2t")
SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+")
ASCII_WORD = re.compile(r"[A-Za-z0-9]")
SENTENCE_INSIDE = re.compile(r"[\u3400-\u9fff]$")  # a line cut off on a character, not on punctuation
PROSE = re.compile(r"[，。；]")  # titles and headings carry none: a line with one is running text


@dataclass(frozen=True)
class Cleaning:
    """The display rules of one document (see the module docstring for what each does)."""

    drop_marks: tuple[str, ...] = ()
    drop_block: tuple[str, str] | None = None
    drop_lines: tuple[str, ...] = ()
    join_cells: bool = False
    join_broken: bool = False
    table: tuple[str, ...] = ()  # the header cells of a table printed one cell per line (the annex)


CLEANING = {
    "nzf-2023-23": Cleaning(drop_marks=(r"\[bookmark: [^\]]*\]",)),
    "baotou-2024": Cleaning(drop_lines=(r"0 条",)),
    "plan-2021": Cleaning(drop_block=(r"目录.*", r"前言"), drop_lines=(r"发布日期:\S+来源：\S+",), join_broken=True),
    "hohhot-2019": Cleaning(),
    "nzf-2023-1": Cleaning(join_cells=True, table=("序号", "支持事项", "责任单位")),
}


@dataclass
class Cleaned:
    """A document's display text and how many of each kind of debris the rules removed."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # the removed non-whitespace debris, for the fidelity check


def tidy_spaces(line: str) -> tuple[str, int]:
    """Trim the line and remove every inner run of spaces unless it sits between two Latin letters or digits."""
    line = line.strip(" \t\u3000\xa0\r")
    removed = 0

    def keep_or_drop(match: re.Match) -> str:
        nonlocal removed
        before, after = line[match.start() - 1], line[match.end()]
        if ASCII_WORD.match(before) and ASCII_WORD.match(after):
            return " "
        removed += 1
        return ""

    return SPACE_RUN.sub(keep_or_drop, line), removed


def clean(key: str, text: str) -> Cleaned:
    """The display text of document `key` (rules: CLEANING[key], then those every document gets)."""
    rules = CLEANING.get(key, Cleaning())
    lines = text.replace("\r\n", "\n").split("\n")
    result = Cleaned("")
    count = result.counts

    for pattern in rules.drop_marks:
        for i, line in enumerate(lines):
            found = re.findall(pattern, line)
            result.dropped += found
            count["marks"] = count.get("marks", 0) + len(found)
            lines[i] = re.sub(pattern, "", line)
    if rules.drop_block:
        first, until = (re.compile(p) for p in rules.drop_block)
        start = next((i for i, line in enumerate(lines) if first.fullmatch(line.strip())), None)
        if start is not None:
            end = next(i for i in range(start + 1, len(lines)) if until.fullmatch(lines[i].strip()))
            result.dropped += lines[start:end]
            count["contents"] = end - start
            del lines[start:end]
    for pattern in (re.compile(p) for p in rules.drop_lines):
        kept = [line for line in lines if not pattern.fullmatch(line.strip())]
        result.dropped += [line for line in lines if pattern.fullmatch(line.strip())]
        count["debris_lines"] = count.get("debris_lines", 0) + len(lines) - len(kept)
        lines = kept
    if rules.join_cells:
        lines = join_lines(lines, lambda prev, line: prev.startswith("\t") and not line.startswith("\t"), count,
                           "joined_cells")
    if rules.join_broken:
        lines = join_lines(lines, lambda prev, line: bool(PROSE.search(prev) and SENTENCE_INSIDE.search(prev.strip())),
                           count, "joined_lines")
    tidied = []
    for line in lines:
        line, removed = tidy_spaces(line)
        count["spaces"] = count.get("spaces", 0) + removed
        if line:
            tidied.append(line)
        else:
            count["blank_lines"] = count.get("blank_lines", 0) + 1
    result.text = "\n".join(tidied) + "\n"
    return result


def join_lines(lines: list[str], continues, count: dict, name: str) -> list[str]:
    """Append each non-blank line to the line before it when `continues(previous, line)` says so."""
    out: list[str] = []
    for line in lines:
        if out and line.strip() and continues(out[-1], line):
            out[-1] = out[-1].rstrip() + line.strip()
            count[name] = count.get(name, 0) + 1
        else:
            out.append(line)
    return out


def table_rows(key: str, lines: list[str]) -> tuple[int, int, list[tuple[str, ...]]]:
    """The table printed one cell per line in document `key`'s cleaned lines: (first line, end line, rows).

    Rows follow the declared header for as long as each starts with a number; (0, 0, []) when there is none.
    """
    header = CLEANING.get(key, Cleaning()).table
    width = len(header)
    for start in range(len(lines) - width + 1):
        if width and tuple(lines[start:start + width]) == header:
            rows, at = [], start + width
            while at + width <= len(lines) and lines[at].isdigit():
                rows.append(tuple(lines[at:at + width]))
                at += width
            return start, at, rows
    return 0, 0, []


COUNT_LABELS = {"marks": "删去文档残留标记 {} 处", "contents": "删去连排的目录 {} 行",
                "debris_lines": "删去网页或排版残留行 {} 行", "joined_cells": "接合表格中被换行拆开的单元格 {} 处",
                "joined_lines": "接合被换行拆开的词句 {} 处", "spaces": "去除多余空格 {} 处",
                "blank_lines": "去除空行 {} 行"}


COUNT_LABELS_EN = {"marks": "{} conversion marks removed", "contents": "{} lines of a run-together table of contents "
                   "removed", "debris_lines": "{} lines of web page or layout debris removed",
                   "joined_cells": "{} table cells split by line breaks joined",
                   "joined_lines": "{} words or phrases split by line breaks joined",
                   "spaces": "{} stray spaces removed", "blank_lines": "{} blank lines removed"}


def summary(cleaned: Cleaned, lang: str = "zh") -> list[str]:
    """What the normalisation did to a document, in plain words of the page's language."""
    labels = COUNT_LABELS_EN if lang == "en" else COUNT_LABELS
    return [labels[k].format(v) for k, v in cleaned.counts.items() if v and k in labels]
