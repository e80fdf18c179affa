"""One clause as the structure pass finds it, before its columns are filled."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Clause:
    clause: str          # as printed: （一）, 9., 第六章第一节, 附件 12
    section: str         # the enclosing heading
    text: str            # verbatim, trailing bracket still attached
    line: int            # where it starts
    kind: str            # numbered | lead | paragraph | annex
    cells: dict[str, str] = field(default_factory=dict)  # annex rows: the units/deadline cells
