"""Read a policy document as staff paste it: UTF-8 or GBK, from a web page, a Word file or a PDF.

The text is returned as numbered lines (the numbers a text editor shows) with the debris of those sources
removed: page numbers, running headers, share/print links, HTML tags and entities, Word bookmarks and stray
spaces. What is removed is kept, with its line number, for the report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from opencc_purepy import OpenCC

from ...errors import AtlasError, Problem
from ...inputs.load import decode_utf8

TO_SIMPLIFIED = OpenCC("t2s")

# Whole lines that are page furniture, not text.
DEBRIS_LINES = re.compile(
    r"^(?:"
    r"[-—–－]\s*\d{1,3}\s*[-—–－]"              # a page number as "- 3 -" (bare numbers: see structure.py)
    r"|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?"  # 第 3 页 / 共 12 页
    r"|\d+\s*/\s*\d+"                            # 3/12
    r"|\d+\s*条"                                  # "0 条": a web page's comment counter
    r"|(?:分享到|扫一扫)[:：]?.{0,20}"
    r"|[【\[]?(?:打印本页|打印|关闭窗口|关闭|返回顶部|字号|大|中|小|收藏)[】\]]?"
    r"(?:\s*[【\[]?(?:打印本页|打印|关闭窗口|关闭|返回顶部|分享到|字号|大|中|小|收藏)[】\]]?)*"
    r"|(?:上一篇|下一篇|相关链接|责任编辑|来源|浏览次数|点击数|访问量)[:：].*"
    r"|[•·▪◆■□○●]"                               # a list bullet left alone on its line
    r")$"
)
PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|\d{1,3}|第\s*\d+\s*页.*)$")
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,5});")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u3000]+")
ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str    # verbatim, spaces squeezed (see squeeze)
    plain: str   # the same in simplified characters, for matching keywords
    indented: bool = False  # began with a tab or spaces (cells of a table pasted from Word do)
    after_blank: bool = False  # an empty or whitespace-only line came just before it


@dataclass(frozen=True)
class LeftOut:
    line: int  # as an editor shows it
    code: str  # debris | html | navigation | breadcrumb | metadata | title | number | … (see report.REASONS)
    text: str  # what was left out, as printed


@dataclass
class Page:
    lines: list[Line]
    left_out: list[LeftOut] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else GBK/GB18030; else a located error."""
    text, problems = decode_utf8(data, name)
    if text is not None:
        return text, "UTF-8"
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        first = problems[0]
        raise AtlasError([Problem(first.file, first.line, editor_column(data, first.line, first.column), "encoding",
                                  "文件既不是 UTF-8 也不是 GBK 编码 / the file is neither UTF-8 nor GBK",
                                  "用记事本或 WPS 打开后另存为 UTF-8 文本 / re-save it as UTF-8 text")]) from None


def editor_column(data: bytes, line: int, byte_column: int) -> int:
    """The column an editor shows (characters, not bytes) for a byte offset into a line of valid UTF-8."""
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    return len(data[start:start + byte_column - 1].decode("utf-8", errors="replace")) + 1


def squeeze(text: str) -> str:
    """Drop the spaces a PDF or web page puts around Chinese words; keep one between two Latin words."""
    text = ZERO_WIDTH.sub("", BOOKMARK.sub("", text))
    parts = SPACES.split(text.strip())
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if out and part and ASCII_WORD.match(out[-1]) and ASCII_WORD.match(part[0]):
            out += " "
        out += part
    return out


def running_headers(lines: list[str]) -> set[str]:
    """A PDF's running header or footer: one of the document's first lines repeated three times or more, or a
    short line that recurs only next to page numbers."""
    head = set([line for line in lines if line][:3])
    counts: dict[str, int] = {}
    for index, line in enumerate(lines):
        if 0 < len(line) <= 40 and (line in head or any(PAGE_NUMBER.match(lines[j]) for j in (index - 1, index + 1)
                                                        if 0 <= j < len(lines))):
            counts[line] = counts.get(line, 0) + 1
    return {line for line, count in counts.items()
            if (line in head and count >= 3) or (line not in head and count >= 2 and lines.count(line) == count)}


def strip_html(line: str) -> tuple[str, str]:
    """The line without HTML tags, entities decoded (&nbsp; → space), and the tags removed."""
    tags = "".join(HTML_TAG.findall(line))
    text = HTML_TAG.sub("", line) if tags else line
    return HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text), tags


def read_page(text: str) -> Page:
    """The document's non-empty lines with debris removed (blank lines dropped, numbers kept), and what went."""
    originals = text.splitlines()
    stripped = [strip_html(line) for line in originals]
    raw = [squeeze(line) for line, _ in stripped]
    repeated = running_headers(raw)
    page, blank = Page([]), True
    for number, (original, (_, tags), line) in enumerate(zip(originals, stripped, raw, strict=True), start=1):
        if tags:
            page.left_out.append(LeftOut(number, "html", tags))
        if not line or DEBRIS_LINES.match(line) or line in repeated:
            if line:
                page.left_out.append(LeftOut(number, "debris", line))
            blank = blank or not line
            continue
        page.lines.append(Line(number, line, TO_SIMPLIFIED.convert(line), original[:1] in (" ", "\t", "\u3000"),
                               blank))
        blank = False
    return page


def read_lines(text: str) -> list[Line]:
    return read_page(text).lines


def simplified(text: str) -> str:
    return TO_SIMPLIFIED.convert(text)


def script(lines: list[Line]) -> str:
    """'traditional' when one Chinese character in twenty or more changes to simplified, else 'simplified'."""
    pairs = [(a, b) for line in lines if len(line.text) == len(line.plain)
             for a, b in zip(line.text, line.plain, strict=True) if "\u3400" <= a <= "\u9fff"]
    changed = sum(a != b for a, b in pairs)
    return "traditional" if pairs and changed * 20 >= len(pairs) else "simplified"
