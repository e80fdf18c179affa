"""How a document's lines make paragraphs: one paragraph a line (a web page), paragraphs separated by blank
lines (some portals, a hard-wrapped e-mail), or lines cut at a fixed width (a PDF).

A line is joined to the one before it only where the layout breaks a sentence: a PDF line that ran to the page
width or stops mid-sentence, a line inside a blank-separated block, or a line that stops at a comma. A heading
alone on its line (short, no sentence punctuation) is never joined to the paragraph after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clause import scheme
from .read import Line

SENTENCE_END = tuple("。！？；…!?;")
CLOSERS = tuple("”’）)》\"'")
CJK = re.compile(r"[\u3400-\u9fff]")
PUNCTUATION = re.compile(r"[，。；：！？,;:!?]|、$")
NAMES = {"pdf": ("PDF 转换，每行约 {width} 字", "converted from a PDF, about {width} characters a line"),
         "blocks": ("段与段之间空一行", "paragraphs separated by blank lines"),
         "lines": ("每段一行", "one paragraph per line")}


def ends_sentence(text: str) -> bool:
    """。 ！ ？ ； … end a sentence (half-width too, and a full stop after a Chinese character), also before closing
    quotes and brackets (…。” / …。）)."""
    text = text.rstrip()
    while text.endswith(CLOSERS):
        text = text[:-1]
    return text.endswith(SENTENCE_END) or (text.endswith(".") and bool(CJK.match(text[-2:-1])))


def heading_like(text: str) -> bool:
    """A heading or title alone on its line: short and without sentence punctuation (总体要求, 优化空间格局)."""
    return 0 < len(text) <= 40 and not PUNCTUATION.search(text)


@dataclass(frozen=True)
class Layout:
    kind: str       # pdf | blocks | lines
    width: int = 0  # a PDF's line width

    def name(self) -> tuple[str, str]:
        """(Chinese, English) for the report."""
        chinese, english = NAMES[self.kind]
        return chinese.format(width=self.width), english.format(width=self.width)

    def joins(self, previous: Line | None, line: Line, text: str) -> bool:
        """Whether `line` goes on the paragraph whose text so far is `text` (previous: the line before)."""
        if self.kind == "pdf":
            return not ends_sentence(text) or bool(previous and len(previous.text) >= self.width - 2)
        if self.kind == "blocks" and not line.after_blank and not heading_like(text):
            return True
        return not ends_sentence(text) and not heading_like(text)


def detect(lines: list[Line]) -> Layout:
    """A PDF's fixed width; else blank-separated paragraphs when nearly every numbered line follows a blank line
    (without two numbered lines: a third of all lines); else one paragraph a line."""
    width = page_width(lines)
    if width:
        return Layout("pdf", width)
    later = lines[1:]
    numbered = [line for line in later if scheme(line.plain)[0]]
    if len(numbered) >= 2:
        blocks = sum(line.after_blank for line in numbered) >= 0.8 * len(numbered)
    else:
        blocks = len(later) >= 2 and sum(line.after_blank for line in later) * 3 >= len(later)
    return Layout("blocks" if blocks else "lines")


def page_width(lines: list[Line]) -> int:
    """The line width of text converted from a PDF (most long lines are within a character of it), else 0."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 15]
    if len(lengths) < 10:
        return 0
    best = max(set(lengths), key=lambda n: sum(abs(length - n) <= 1 for length in lengths))
    share = sum(abs(length - best) <= 1 for length in lengths) / len(lengths)
    return best + 1 if share >= 0.3 else 0
