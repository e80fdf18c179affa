"""Draft measure rows from a policy document's text, for staff to review and paste into measures.csv.

read (decode, debris) → front (portal page and issuing notice) → structure (layout, numbering, clauses) →
units (trailing bracket) → classify (guesses) → report (what staff are told).
`draft()` never writes measures.csv; the command prints CSV with its header to standard output.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...errors import AtlasError, Problem
from ...inputs.load import REGISTRY
from ...vocabulary.schema import MEASURE_COLUMNS
from . import classify, report
from .clause import CN, Clause, cn_number
from .front import Front, split_front
from .read import LeftOut, Line, decode, read_page, script, simplified
from .structure import LEAD, Structure, split
from .units import Tail, normalise_deadline, parse_tail, parse_units, split_tail

HEADER = [column.name for column in MEASURE_COLUMNS]


@dataclass
class Draft:
    rows: list[dict[str, str]]
    structure: Structure
    encoding: str
    notes: list[str] = field(default_factory=list)  # messages for the person drafting (stderr)
    legacy_units: list[list[str]] = field(default_factory=list)  # per row, units in the old format (check only)
    left_out: list[LeftOut] = field(default_factory=list)  # lines (or HTML tags) kept out of the rows, and why
    unplaced: list[Line] = field(default_factory=list)     # body paragraphs in no row
    proposal: dict[str, str] = field(default_factory=dict)  # documents.yml fields read from the page


def registry(root: Path) -> list[dict]:
    return yaml.safe_load((root / REGISTRY).read_text(encoding="utf-8")) or []


def read_measures(root: Path) -> list[dict[str, str]]:
    with open(root / "measures.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def draft_file(path: Path, key: str, root: Path) -> Draft:
    """Read a document file (UTF-8 or GBK) and draft its rows; an undecodable file is a located error."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AtlasError([Problem(str(path), 0, 0, "missing-file", f"无法读取 / cannot read: {error}")]) from None
    text, encoding = decode(data, str(path))
    return draft_text(text, key, root, measures=read_measures(root), encoding=encoding)


def draft_text(text: str, key: str, root: Path, measures: list[dict[str, str]], encoding: str = "UTF-8") -> Draft:
    documents = registry(root)
    entry = next((d for d in documents if d.get("key") == key), None)
    notes = [] if entry else [f"注意：{key} 未在 {REGISTRY} 中登记，按区域文件处理、不提议 implements"
                              f" / {key} is not registered: drafted as a regional document"]
    page = read_page(text)
    front = split_front(page.lines)
    structure = split(front.body)
    left_out = [*page.left_out, *front.left_out, *structure.left_out]
    fields = proposal(front)
    notes += [report.layout_note(structure, front), *report.describe(structure),
              *([report.ENGLISH_NOTE] if structure.clauses else []), *report.left_out_notes(left_out),
              *report.unplaced_notes(structure.unplaced), *report.proposal_notes(fields, entry or {})]
    entry = entry or {"key": key, "level": "region"}
    context = Context(root, entry, documents, measures, text)
    draft = Draft([], structure, encoding, notes, left_out=left_out, unplaced=structure.unplaced, proposal=fields)
    for number, clause in enumerate(structure.clauses, start=1):
        row, legacy = draft_row(clause, number, context, draft.notes)
        draft.rows.append(row)
        draft.legacy_units.append(legacy)
    link_annex(draft.rows, structure.clauses)
    unique_ids(draft.rows, {m["id"] for m in measures if m.get("doc") != key})
    return draft


class Context:
    """What the guesses need besides the clause: places, feature names, candidate higher-level measures."""

    def __init__(self, root: Path, entry: dict, documents: list[dict], measures: list[dict], text: str):
        self.entry, self.key = entry, entry["key"]
        self.home = entry.get("city", "") if entry.get("level") == "city" else ""
        self.places = classify.places(root)
        self.features = classify.feature_names(root)
        self.candidates = implementation_candidates(entry, documents, measures, simplified(text))


def implementation_candidates(entry: dict, documents: list[dict], measures: list[dict], plain: str) -> list:
    """For a city's implementation plan: the measures of the documents it cites by number (else of the
    regional documents dated no later than it), as (id, simplified text)."""
    issuer = entry.get("issuer", "")
    if entry.get("level") != "city" or "自治区" in issuer:
        return []
    cited = {d["key"] for d in documents if d.get("number") and simplified(d["number"]) in plain}
    if not cited:
        date = str(entry.get("date", ""))
        cited = {d["key"] for d in documents if d.get("level") == "region" and date and str(d.get("date", "")) <= date}
    cited.discard(entry["key"])
    return [(m["id"], simplified(m["text"])) for m in measures if m.get("doc") in cited]


def proposal(front: Front) -> dict[str, str]:
    """documents.yml fields read from the page (title, issuer, number, date) and the script of the text."""
    return {**front.proposal, "script": script(front.body)}


def draft_row(clause: Clause, number: int, context: Context, notes: list[str]) -> tuple[dict[str, str], list[str]]:
    text, tail = clause.text, None
    if clause.kind == "annex":
        units_cell = clause.cells.get("units", "")
        deadline_cell = clause.cells.get("deadline", "")
        tail = Tail(parse_units(units_cell), parse_units(units_cell, legacy=True),
                    normalise_deadline(deadline_cell), deadline_cell)
    else:
        text, content = split_tail(text)
        if content is not None:
            tail = parse_tail(content)
    if tail and tail.printed_deadline and not tail.deadline:
        notes.append(f"第 {clause.line} 行：完成时限“{tail.printed_deadline}”无法换算，请手工填写 deadline"
                     f" / line {clause.line}: deadline not understood")
    plain = simplified(text)
    lead = LEAD.match(text)
    title = classify.title(clause.title or text, lead.group(1) if lead and clause.kind == "lead" else "")
    row = dict.fromkeys(HEADER, "")
    row.update(
        id=proposed_id(context.key, clause, number), doc=context.key, clause=clause.clause, section=clause.section,
        title=title, text=text, themes=";".join(classify.themes(plain, title)),
        cities=";".join(classify.cities(plain, context.places, context.home)),
        units=";".join(tail.units) if tail else "", deadline=tail.deadline if tail else "",
        implements=classify.most_like(plain, context.candidates) if context.candidates else "",
        features=";".join(classify.features(plain, context.features)),
    )
    return row, (tail.legacy_units if tail else [])


def proposed_id(key: str, clause: Clause, number: int) -> str:
    if clause.kind == "annex":
        return f"{key}-a{cn_number(clause.clause):02d}"
    if clause.kind == "numbered":
        return f"{key}-{cn_number(clause.clause):02d}"
    parts = re.findall(rf"第[{CN}\d]+[章节]", clause.clause)
    prefix = "".join(f"{cn_number(part):02d}" for part in parts) or (
        f"{cn_number(clause.clause):02d}" if re.search(rf"[{CN}\d]", clause.clause) else "p")
    if len(parts) == 1 and parts[0].endswith("章"):
        prefix += "00"  # a chapter's opening paragraphs, as in measures.csv (pl21-0300-01)
    return f"{key}-{prefix}-{number:02d}"


def unique_ids(rows: list[dict[str, str]], taken: set[str]) -> None:
    """Sequence numbers within a section count from 1; an id already taken gets a letter."""
    counters: dict[str, int] = {}
    for row in rows:
        base = row["id"]
        if re.search(r"-\d{2,4}-\d+$|-p-\d+$", base):
            stem = base.rsplit("-", 1)[0]
            counters[stem] = counters.get(stem, 0) + 1
            base = f"{stem}-{counters[stem]:02d}"
        candidate, letter = base, iter("bcdefghijklmnopqrstuvwxyz")
        while candidate in taken:
            candidate = base + next(letter)
        row["id"] = candidate
        taken.add(candidate)


def link_annex(rows: list[dict[str, str]], clauses: list[Clause]) -> None:
    """An annex row carries out the body clause of the same document it most resembles."""
    body = [(row["id"], simplified(row["text"])) for row, c in zip(rows, clauses, strict=True) if c.kind != "annex"]
    for row, clause in zip(rows, clauses, strict=True):
        if clause.kind == "annex" and not row["implements"]:
            row["implements"] = classify.most_like(simplified(row["text"]), body, floor=0.2)


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
