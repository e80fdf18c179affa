"""Find a document's numbering and cut it into clauses.

Schemes, outermost first: 第X章, 第X节, 一、, （一）/(一), 1./1、/1．. The deepest numbered scheme that carries
text is the clause level and the others are headings; a paragraph under a heading before its first clause is a
row labelled with the heading. A document numbered only with 第X章/第X节 (a plan) has lead-phrase paragraphs
("共建轨道上的呼包鄂乌。…") as clauses, and plain paragraphs where a section has none; so has a document whose
numbers (一、 （一） 1.) only head paragraphs printed below them. A heading alone on its line is never glued to
the paragraph after it. An annex table (序号/事项/责任单位/时限), pasted as runs of short lines, gives one clause
per numbered row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .annex import split_annex
from .clause import CN, RANK, SCHEMES, Clause
from .front import DATE
from .layout import Layout, detect, ends_sentence, heading_like
from .read import LeftOut, Line
from .units import split_tail

UNNUMBERED_HEADINGS = re.compile(
    r"^(?:前言|序言|引言|目录|结束语|附录|附件[\d一二三四五六七八九十]*)(?:[:：].{0,40})?$")
CLOSING = re.compile(r"^(?:附件|抄送|印发|此件公开发布|（此件公开发布）|\(此件公开发布\))")
LEAD = re.compile(r"^(?:——)?([^，。；：,;:（）()]{2,30}?)。")
LIST_ITEM = ("——", "—", "●", "·", "（1）", "(1)", "1)")


@dataclass
class Structure:
    clauses: list[Clause]
    schemes: dict[str, int]   # kind → how many lines carry it
    clause_kind: str          # the scheme that numbers clauses, or lead / headed / paragraph
    annex_rows: int = 0
    layout: Layout = field(default_factory=lambda: Layout("lines"))
    unplaced: list[Line] = field(default_factory=list)     # body paragraphs in no row
    left_out: list[LeftOut] = field(default_factory=list)  # table-of-contents lines


def classify(line: Line) -> tuple[str, str, str]:
    """(kind, label, rest) of one line; kind is a scheme, 'heading', 'number' or 'plain'."""
    text = line.plain
    if text.isdigit() and len(text) <= 3:
        return "number", line.text, ""
    for kind, pattern in SCHEMES:
        match = pattern.match(text)
        if match:
            label = line.text[:match.end()].strip()
            return kind, label, line.text[match.end():].strip()
    if UNNUMBERED_HEADINGS.match(text):
        return "heading", line.text, ""
    return "plain", "", line.text


def is_toc(line: Line) -> bool:
    """A table-of-contents line holds several headings at once."""
    return len(re.findall(rf"第[{CN}]+[章节]", line.plain)) >= 2 or line.plain.startswith("目录")


def clause_scheme(lines: list[Line]) -> tuple[str, dict[str, int]]:
    """The deepest numbered scheme whose lines carry text: sentences (。), or a heading alone on its line with a
    paragraph below it, or a median over 25 characters; at least two lines, or one under a shallower heading."""
    rests: dict[str, list[str]] = {}
    carrying: dict[str, int] = {}
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        kind, _, rest = classify(line)
        if kind in RANK:
            rests.setdefault(kind, []).append(rest)
            carrying[kind] = carrying.get(kind, 0) + ("。" in rest or heads_paragraph(rest, following))
    counts = {kind: len(values) for kind, values in rests.items()}
    for kind in ("arabic", "paren", "part"):
        values = rests.get(kind, [])
        lengths = sorted(len(rest) for rest in values)
        enough = len(values) >= 2 or values and any(RANK[other] < RANK[kind] for other in rests)
        if enough and (lengths[len(lengths) // 2] > 25 or carrying[kind] * 2 >= len(values)):
            return kind, counts
    if counts.get("chapter") or counts.get("jie"):
        return "lead", counts
    return ("headed" if counts else "paragraph"), counts


def heads_paragraph(rest: str, following: Line | None) -> bool:
    """一、总体要求 alone on its line with a paragraph printed below it."""
    return heading_like(rest) and following is not None and classify(following)[0] == "plain" and not heading_like(
        following.text)


def split(lines: list[Line]) -> Structure:
    toc = [line for line in lines if is_toc(line)]
    body, annex = split_annex([line for line in lines if not is_toc(line)])
    kind, counts = clause_scheme(body)
    layout = detect(body)
    if kind in RANK:
        clauses = numbered(body, kind, layout)
    elif kind in ("lead", "headed"):
        clauses = sectioned(body, layout)
    else:
        clauses = paragraphs(body, "", "", layout, headings=True)
        for number, clause in enumerate(clauses, start=1):
            clause.clause = f"第{number}段"  # a placeholder label for staff to replace
    for clause in clauses:
        if not clause.text:  # a numbered heading with nothing printed under it is its own text
            clause.text, clause.title = clause.title, ""
    structure = Structure([*clauses, *annex], counts, kind, len(annex), layout)
    structure.unplaced = unplaced(body, clauses)
    structure.left_out = [LeftOut(line.number, "toc", line.text) for line in toc]
    return structure


def unplaced(body: list[Line], clauses: list[Clause]) -> list[Line]:
    """Body lines in no row, other than headings and bare page numbers."""
    used = {number for clause in clauses for number in clause.lines}
    out = []
    for line in body:
        kind, _, rest = classify(line)
        heading = kind in ("chapter", "jie", "number", "heading") or (kind in RANK and heading_like(rest))
        if line.number not in used and not heading and not (kind == "plain" and heading_like(line.text)):
            out.append(line)
    return out


def heading_text(label: str, rest: str) -> str:
    """`第一节` + `优化城市功能定位` → `第一节 优化城市功能定位`; `一、` headings stay as printed."""
    return f"{label} {rest}".strip() if label.startswith("第") else f"{label}{rest}"


def numbered(lines: list[Line], clause_kind: str, layout: Layout) -> list[Clause]:
    clauses: list[Clause] = []
    section, current, closed, previous, heading = "", None, False, None, None
    for line in lines:
        kind, label, rest = classify(line)
        if kind == "number":
            continue  # a bare page number
        if kind == clause_kind:
            title = rest if heading_like(rest) else ""  # （一）指导思想 alone on its line: the text follows
            current, closed, heading = Clause(label, section, "" if title else rest, line.number, "numbered",
                                              title=title), False, None
            clauses.append(current)
        elif kind in RANK and RANK[kind] < RANK[clause_kind] and len(rest) <= 40 and "。" not in rest[:-1]:
            section, current, heading = heading_text(label, rest), None, (label, rest)
        elif kind == "heading" or CLOSING.match(line.plain) or DATE.match(line.plain):
            current, heading = None, None
        elif current is None and heading:  # a paragraph under a heading, before its first clause
            current, closed = Clause(heading[0], section, line.text, line.number, "headed", title=heading[1]), False
            clauses.append(current)
            heading = None
        elif current is not None and not closed and (kind in RANK or current.title
                                                     or continues(current.text, previous, line, layout)):
            current.add(line.number, line.text)  # a wrapped line, a list item, a deeper item, a headed paragraph
        elif current is not None:
            closed = True  # a closing paragraph after a complete clause: not part of it
        if current is not None and ends_with_tail(current.text):
            closed = True
        previous = line
    return clauses


def continues(text: str, previous: Line | None, line: Line, layout: Layout) -> bool:
    """Whether a plain line belongs to the clause before it: the layout breaks the clause's sentence there, the
    line is a list item, or the clause so far is a lead."""
    return (layout.joins(previous, line, text) or line.text.startswith(LIST_ITEM)
            or (len(text) <= 13 and bool(LEAD.fullmatch(text))))  # a bare lead such as 目标定位。 heads a list


def ends_with_tail(text: str) -> bool:
    return split_tail(text)[1] is not None


def sectioned(lines: list[Line], layout: Layout) -> list[Clause]:
    """Headings only (第X章/第X节, or 一、 （一） 1. printed alone): lead-phrase paragraphs under each heading, or
    its plain paragraphs; a chapter's introduction before its first section is a row of its own."""
    clauses: list[Clause] = []
    stack: list[tuple[str, str, str]] = []  # (kind, label, rest) of the enclosing headings, outermost first
    block: list[Line] = []

    def flush() -> None:
        if stack and block:
            kind, label, rest = stack[-1]
            found = block_clauses(block, heading_label(stack), heading_text(label, rest), layout)
            if len(found) == 1 and found[0].kind == "paragraph" and kind not in ("chapter", "jie"):
                found[0].title = rest  # 一、总体要求 over one paragraph: the heading is its title
            clauses.extend(found)
        block.clear()

    for line in lines:
        kind, label, rest = classify(line)
        if kind == "number":
            continue
        if kind in ("chapter", "jie") or kind in RANK and heading_like(rest):
            flush()
            stack[:] = [*(s for s in stack if RANK[s[0]] < RANK[kind]), (kind, label, rest)]
        elif kind == "heading" or CLOSING.match(line.plain):
            flush()
            stack.clear()
        else:
            block.append(line)
    flush()
    return clauses


def heading_label(stack: list[tuple[str, str, str]]) -> str:
    """第六章第一节 for a plan's sections; the innermost number (三、, （二）) for other headings."""
    if stack[-1][0] in ("chapter", "jie"):
        return "".join(label for kind, label, _ in stack if kind in ("chapter", "jie"))
    return stack[-1][1]


def block_clauses(block: list[Line], label: str, section: str, layout: Layout) -> list[Clause]:
    """Clauses of one section: lead paragraphs with what follows them, else its plain paragraphs."""
    starts = lead_starts(block, layout.width)
    if not starts:
        return paragraphs(block, section, label, layout)
    first = min(starts)  # a section's opening paragraph before its first lead phrase is a row of its own
    clauses: list[Clause] = paragraphs(block[:first], section, label, layout)
    for index, line in enumerate(block[first:], start=first):
        if index in starts:
            clauses.append(Clause(label, section, line.text, line.number, "lead"))
        elif clauses:
            clauses[-1].add(line.number, line.text)
    return clauses


def lead_starts(block: list[Line], width: int) -> set[int]:
    """Lines that open a lead-phrase paragraph. Not one when a page break cut the sentence before it
    (改革创 / 新。), nor a short sentence alone on a line after a full-width PDF line."""
    starts = set()
    for index, line in enumerate(block):
        match = LEAD.match(line.plain)
        if not match:
            continue
        previous = block[index - 1].text if index else ""
        if previous and not ends_sentence(previous):
            continue
        if match.end() == len(line.plain) and width and len(previous) >= width - 2:
            continue
        starts.add(index)
    return starts


def paragraphs(lines: list[Line], section: str, label: str, layout: Layout, headings: bool = False) -> list[Clause]:
    """Plain paragraphs, a line joining the one before where the layout breaks a sentence; with `headings`, a
    heading alone on its line (总体要求) heads the paragraphs below it instead of being one."""
    clauses: list[Clause] = []
    previous: Line | None = None  # the line before, unless it was a heading
    for line in lines:
        if clauses and previous and layout.joins(previous, line, clauses[-1].text):
            clauses[-1].add(line.number, line.text)
        elif headings and heading_like(line.text):
            section, previous = line.text, None
            continue
        else:
            clauses.append(Clause(label, section, line.text, line.number, "paragraph"))
        previous = line
    return clauses
