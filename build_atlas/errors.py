"""The one error type of the atlas: a list of located problems, reported together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as a text editor shows it.

    `line` and `column` are 1-based; 0 means "the whole file" or "the whole line".
    """

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""

    def location(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location()}: [{self.code}] {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class AtlasError(Exception):
    """Raised once, after every problem has been collected."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        count = len(self.problems)
        lines.append(f"发现 {count} 个问题，未生成网站。 / {count} problem(s) found; the site was not built.")
        return "\n".join(lines)


def warning_report(warnings: list[Problem]) -> str:
    """The warnings as staff read them, like the problems, with a count that says the site is built anyway."""
    count = len(warnings)
    return "\n".join([*(str(warning) for warning in sorted(warnings)),
                      f"提醒 {count} 条，网站照常生成。 / {count} warning(s); the site is built anyway."])
