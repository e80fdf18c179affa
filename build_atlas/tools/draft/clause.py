"""One clause as the structure pass finds it, before its columns are filled, and the labels that number it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN = "一二三四五六七八九十百零〇两"
SCHEMES = (  # (kind, pattern of the label at the start of a line), outermost first
    ("chapter", re.compile(rf"^第[{CN}\d]+章")),
    ("jie", re.compile(rf"^第[{CN}\d]+节")),
    ("part", re.compile(rf"^[{CN}]+、")),
    ("paren", re.compile(rf"^[（(][{CN}]+[）)]")),
    ("arabic", re.compile(r"^\d{1,3}[.．、](?!\d)")),
)
RANK = {kind: rank for rank, (kind, _) in enumerate(SCHEMES)}


@dataclass
class Clause:
    clause: str          # as printed: （一）, 9., 第六章第一节, 附件 12
    section: str         # the enclosing heading
    text: str            # verbatim, trailing bracket still attached
    line: int            # where it starts
    kind: str            # numbered | lead | paragraph | headed | annex
    cells: dict[str, str] = field(default_factory=dict)  # annex rows: the units/deadline cells
    title: str = ""      # a heading printed alone above the text (（一）指导思想 / 以习近平…), else ''
    lines: list[int] = field(default_factory=list)  # every line the text was taken from

    def __post_init__(self) -> None:
        self.lines = self.lines or [self.line]

    def add(self, number: int, text: str) -> None:
        self.text += text
        self.lines.append(number)


def scheme(text: str) -> tuple[str, int]:
    """(kind, end of the label) of a numbered line, or ('', 0)."""
    for kind, pattern in SCHEMES:
        match = pattern.match(text)
        if match:
            return kind, match.end()
    return "", 0


def cn_number(label: str) -> int:
    """第十二章 → 12, （二十一） → 21, 9. → 9."""
    digits = re.sub(r"\D", "", label)
    if digits:
        return int(digits)
    chars = re.sub(f"[^{CN}]", "", label)
    values = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for char in chars:
        if char == "百":
            total, current = total + max(current, 1) * 100, 0
        elif char == "十":
            total, current = total + max(current, 1) * 10, 0
        else:
            current = values.get(char, 0)
    return total + current
