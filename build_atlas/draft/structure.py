"""Find a document's numbering and cut it into clauses.

Schemes, outermost first: 第X章, 第X节, 一、, （一）/(一), 1./1、/1．. The deepest numbered scheme that carries
text is the clause level and the others are headings. A document numbered only with 第X章/第X节 (a plan) has
lead-phrase paragraphs ("共建轨道上的呼包鄂乌。…") as clauses, and plain paragraphs where a section has none.
An annex table (序号/事项/责任单位/时限), pasted as runs of short lines, gives one clause per numbered row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .annex import split_annex
from .clause import Clause
from .read import Line
from .units import split_tail

CN = "一二三四五六七八九十百零〇两"
SCHEMES = (  # (kind, pattern of the label at the start of a line)
    ("chapter", re.compile(rf"^第[{CN}\d]+章")),
    ("jie", re.compile(rf"^第[{CN}\d]+节")),
    ("part", re.compile(rf"^[{CN}]+、")),
    ("paren", re.compile(rf"^[（(][{CN}]+[）)]")),
    ("arabic", re.compile(r"^\d{1,3}[.．、](?!\d)")),
)
RANK = {kind: rank for rank, (kind, _) in enumerate(SCHEMES)}
UNNUMBERED_HEADINGS = re.compile(
    r"^(?:前言|序言|引言|目录|结束语|附录|附件[\d一二三四五六七八九十]*)(?:[:：].{0,40})?$")
CLOSING = re.compile(r"^(?:附件|抄送|印发|此件公开发布|（此件公开发布）|\(此件公开发布\))")
DATE_LINE = re.compile(r"^20\d\d年\d{1,2}月\d{1,2}日$")
LEAD = re.compile(r"^(?:——)?([^，。；：,;:（）()]{2,30}?)。")
SENTENCE_END = tuple("。！？；…")
CLOSERS = tuple("”’）)》")


def ends_sentence(text: str) -> bool:
    """。 ！ ？ ； … end a sentence, also before closing quotes and brackets (…。” / …。）)."""
    text = text.rstrip()
    while text.endswith(CLOSERS):
        text = text[:-1]
    return text.endswith(SENTENCE_END)


@dataclass
class Structure:
    clauses: list[Clause]
    schemes: dict[str, int]   # kind → how many lines carry it
    clause_kind: str          # the scheme that numbers clauses, or lead / paragraph
    annex_rows: int = 0


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
    """The deepest numbered scheme whose lines carry text: sentences (。) or a median over 25 characters."""
    rests: dict[str, list[str]] = {}
    for line in lines:
        kind, _, rest = classify(line)
        if kind in RANK:
            rests.setdefault(kind, []).append(rest)
    counts = {kind: len(values) for kind, values in rests.items()}
    for kind in ("arabic", "paren", "part"):
        values = rests.get(kind, [])
        lengths = sorted(len(rest) for rest in values)
        sentences = sum("。" in rest for rest in values)
        if len(values) >= 2 and (lengths[len(lengths) // 2] > 25 or sentences * 2 >= len(values)):
            return kind, counts
    if counts.get("chapter") or counts.get("jie"):
        return "lead", counts
    return "paragraph", counts


def split(lines: list[Line]) -> Structure:
    body, annex = split_annex([line for line in lines if not is_toc(line)])
    kind, counts = clause_scheme(body)
    if kind in RANK:
        clauses = numbered(body, kind)
    elif kind == "lead":
        clauses = sectioned(body)
    else:
        clauses = paragraphs(body, section="", width=page_width(body))
        for number, clause in enumerate(clauses, start=1):
            clause.clause = f"第{number}段"  # a placeholder label for staff to replace
    clauses += annex
    return Structure(clauses, counts, kind, len(annex))


def heading_text(label: str, rest: str) -> str:
    """`第一节` + `优化城市功能定位` → `第一节 优化城市功能定位`; `一、` headings stay as printed."""
    return f"{label} {rest}".strip() if label.startswith("第") else f"{label}{rest}"


def numbered(lines: list[Line], clause_kind: str) -> list[Clause]:
    clauses: list[Clause] = []
    width = page_width(lines)
    section, current, closed, previous = "", None, False, ""
    for line in lines:
        kind, label, rest = classify(line)
        if kind == "number":
            continue  # a bare page number
        if kind == clause_kind:
            current, closed = Clause(label, section, rest, line.number, "numbered"), False
            clauses.append(current)
        elif kind in RANK and RANK[kind] < RANK[clause_kind] and len(rest) <= 40 and "。" not in rest[:-1]:
            section, current = heading_text(label, rest), None
        elif kind == "heading" or CLOSING.match(line.plain) or DATE_LINE.match(line.plain):
            current = None
        elif current is not None and not closed and (kind in RANK or continues(current.text, previous, line.text,
                                                                                 width)):
            current.text += line.text  # a wrapped line, a list item or a deeper numbered item
        elif current is not None:
            closed = True  # a closing paragraph after a complete clause: not part of it
        if current is not None and ends_with_tail(current.text):
            closed = True
        previous = line.text
    return clauses


def page_width(lines: list[Line]) -> int:
    """The line width of text converted from a PDF (most long lines are within a character of it), else 0."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 15]
    if len(lengths) < 10:
        return 0
    best = max(set(lengths), key=lambda n: sum(abs(length - n) <= 1 for length in lengths))
    share = sum(abs(length - best) <= 1 for length in lengths) / len(lengths)
    return best + 1 if share >= 0.3 else 0


def continues(text: str, previous: str, line: str, width: int = 0) -> bool:
    """Whether a plain line belongs to the clause before it: the clause has not finished its sentence, the
    previous line ran to the full width of a PDF page, the line is a list item, or the clause so far is a lead."""
    return (not ends_sentence(text) or bool(width and len(previous) >= width - 2)
            or line.startswith(("——", "—", "●", "·", "（1）", "(1)", "1)"))
            or (len(text) <= 13 and bool(LEAD.fullmatch(text))))  # a bare lead such as 目标定位。 heads a list


def ends_with_tail(text: str) -> bool:
    return split_tail(text)[1] is not None


def sectioned(lines: list[Line]) -> list[Clause]:
    """A plan: 第X章/第X节 headings; lead-phrase paragraphs, or plain paragraphs where a section has none."""
    clauses: list[Clause] = []
    chapter, section, block = "", "", []
    width = page_width(lines)

    def flush() -> None:
        if (chapter or section) and block:
            label = chapter + section.split(" ")[0] if section else chapter
            clauses.extend(block_clauses(block, label, section or chapter_title, width))
        block.clear()

    chapter_title = ""
    for line in lines:
        kind, label, rest = classify(line)
        if kind == "number":
            continue
        if kind == "chapter":
            flush()
            chapter, chapter_title, section = label, heading_text(label, rest), ""
        elif kind == "jie":
            flush()  # a chapter's introduction before its first section is a row of its own, labelled 第X章
            section = heading_text(label, rest)
        elif kind == "heading" or CLOSING.match(line.plain):
            flush()
            chapter, section = "", ""
        else:
            block.append(line)
    flush()
    return clauses


def block_clauses(block: list[Line], label: str, section: str, width: int = 0) -> list[Clause]:
    """Clauses of one section: lead paragraphs with what follows them, else its plain paragraphs."""
    starts = lead_starts(block, width)
    if not starts:
        return paragraphs(block, section, label, width)
    first = min(starts)  # a section's opening paragraph before its first lead phrase is a row of its own
    clauses: list[Clause] = paragraphs(block[:first], section, label, width)
    for index, line in enumerate(block[first:], start=first):
        if index in starts:
            clauses.append(Clause(label, section, line.text, line.number, "lead"))
        elif clauses:
            clauses[-1].text += line.text
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


def wrapped(text: str, previous: Line | None, width: int) -> bool:
    """A PDF page or line break inside a sentence: the text so far is unfinished or its line ran full width."""
    return not ends_sentence(text) or bool(width and previous and len(previous.text) >= width - 2)


def paragraphs(lines: list[Line], section: str, label: str = "", width: int = 0) -> list[Clause]:
    """Plain paragraphs: a line that does not end a sentence continues onto the next (PDF wrapping)."""
    clauses: list[Clause] = []
    for previous, line in zip([None, *lines], lines, strict=False):
        if clauses and wrapped(clauses[-1].text, previous, width):
            clauses[-1].text += line.text
        else:
            clauses.append(Clause(label, section, line.text, line.number, "paragraph"))
    return clauses
