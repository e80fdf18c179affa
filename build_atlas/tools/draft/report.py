"""What the draft command tells staff, so they see at once whether to trust the draft: the layout it recognised,
the numbering, what it left out of the rows (with line numbers), the paragraphs it placed in no row, and what it
read for documents.yml. Messages are Chinese first, then English after ' / '."""

from __future__ import annotations

from .front import Front
from .read import LeftOut, Line
from .structure import Structure

REASONS = {  # code → (Chinese, English)
    "debris": ("网页或 PDF 残留", "page debris"), "html": ("HTML 标签", "HTML tags"),
    "navigation": ("网站导航", "site navigation"), "breadcrumb": ("当前位置", "breadcrumb"),
    "metadata": ("信息公开元数据", "metadata block"), "title": ("通知标题", "notice title"),
    "number": ("文号", "document number"), "addressees": ("主送机关", "addressees"),
    "issuing": ("印发通知", "issuing sentence"), "signature": ("落款", "signature"), "date": ("成文日期", "date"),
    "publication": ("此件公开发布", "publication note"), "doc-title": ("文件标题", "document title"),
    "copied-to": ("抄送", "copied to"), "printed": ("印发机关和日期", "printed by"), "toc": ("目录", "contents"),
}
SCHEME_NAMES = {"chapter": "第X章", "jie": "第X节", "part": "一、", "paren": "（一）", "arabic": "1."}
# The draft never guesses an English title: staff write it in review (until they do, validation warns and the English
# edition shows the Chinese title).
ENGLISH_NOTE = ("title_en 列留空，请审核时补写英文标题（未补写也能生成网站，校验会逐行提醒）"
                " / title_en is left empty: write the English titles in review")
SAMPLE = 24  # characters of a line quoted in a message
MAX_RANGES = 8


def quote(text: str) -> str:
    return text if len(text) <= SAMPLE else text[:SAMPLE] + "…"


def describe(structure: Structure) -> list[str]:
    found = "，".join(f"{SCHEME_NAMES[k]} {n} 处" for k, n in structure.schemes.items())
    counts = f"{len(structure.clauses) - structure.annex_rows} 条正文条款" + (
        f"，附件表格 {structure.annex_rows} 行" if structure.annex_rows else "")
    if structure.clause_kind == "paragraph":
        return ["未识别出条款编号（（一）、一、、1.、第X章/第X节 均未找到），"
                f"已按段落逐段列出 {len(structure.clauses)} 行，请逐行核对、合并或删除"
                " / no recognisable numbering: one row per paragraph, edit them by hand"]
    names = SCHEME_NAMES | {"lead": "引领句段落", "headed": "编号标题下的段落"}
    return [f"识别到：{found or '无编号'}；条款层级：{names[structure.clause_kind]}；{counts}"
            f" / clauses found: {len(structure.clauses)}"]


def layout_note(structure: Structure, front: Front) -> str:
    chinese, english = structure.layout.name()
    if front.issued:
        chinese, english = f"前有印发通知，{chinese}", f"after its issuing notice, {english}"
    if front.portal:
        chinese, english = f"政府网站页面，{chinese}", f"a portal page, {english}"
    return f"版式：{chinese} / layout: {english}"


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → 1–3、7 (at most MAX_RANGES ranges, then 等)."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = "、".join(f"{a}–{b}" if b > a else f"{a}" for a, b in spans[:MAX_RANGES])
    return text + ("等" if len(spans) > MAX_RANGES else "")


def left_out_notes(left_out: list[LeftOut]) -> list[str]:
    """One line per reason, in the order the reasons first occur: its lines and what its first line said."""
    if not left_out:
        return []
    by_code: dict[str, list[LeftOut]] = {}
    for item in sorted(left_out, key=lambda item: item.line):
        by_code.setdefault(item.code, []).append(item)
    lines = [f"已略去，不作为条款（共 {len({item.line for item in left_out})} 行）/ left out of the rows:"]
    for code, items in by_code.items():
        chinese, english = REASONS[code]
        lines.append(f"  第 {ranges([item.line for item in items])} 行 {chinese} / {english}：{quote(items[0].text)}")
    return lines


def unplaced_notes(unplaced: list[Line]) -> list[str]:
    if not unplaced:
        return []
    return [f"未归入任何一行的段落 {len(unplaced)} 处，请确认是否应为条款 / paragraphs placed in no row:",
            *(f"  第 {line.number} 行：{quote(line.text)}" for line in unplaced)]


def proposal_notes(proposal: dict[str, str], entry: dict) -> list[str]:
    """The fields read from the page for documents.yml, where the registry lacks them or says otherwise."""
    fields = [(key, value) for key, value in proposal.items() if str(entry.get(key, "")) != value]
    if not fields:
        return []
    lines = ["读自页面和印发通知，建议写入 documents.yml（请核对）/ proposed for documents.yml:"]
    for key, value in fields:
        registered = f"    # 已登记 / registered: {entry[key]}" if entry.get(key) else ""
        lines.append(f'  {key}: "{value}"{registered}' if key == "date" else f"  {key}: {value}{registered}")
    return lines
