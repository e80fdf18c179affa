"""What a portal page and an issuing notice put around a document: left out of the rows, read for documents.yml.

Front: the site's navigation and breadcrumb (当前位置:首页>>…), a metadata block (索引号, 发布机构, 文号 …), and the
notice that issues the document: its title, 文号, addressees (各盟行政公署…：), the 印发/转发 sentence, signature, date
and 此件公开发布, then the document's own title. Back: a signature and date, 此件公开发布, 抄送 and 印发 lines.
The front is looked for above the first numbered heading; everything above its first sure sign (a breadcrumb,
a metadata line, a notice title with 关于, a 文号, the addressees, the 印发 sentence) that is not a sentence is
page navigation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .annex import TABLE_HEAD
from .clause import cn_number, scheme
from .layout import heading_like
from .read import LeftOut, Line

ORG_END = r"(?:人民政府|办公厅|办公室|委员会|行政公署|管委会|党委|市委|政府|厅|局|委|办)"
DOC_TYPE = r"(?:通知|意见|方案|规划|办法|措施|计划|细则|规则|决定|纲要|举措|批复|通报|规定|函)"
NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]\d{1,4}号")
BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您所在的位置|您当前的位置|所在位置)[:：]|首页(?:>|＞|›|»|/)")
META_KEYS = ("索引号", "主题分类", "信息分类", "组配分类", "体裁分类", "发布机构", "发文机关", "发文单位", "成文日期",
             "发文日期", "发布日期", "公开日期", "发布时间", "发文字号", "文号", "标题", "名称", "主题词", "公文时效",
             "有效性", "信息来源", "概述")
META_FIELD = re.compile("(" + "|".join(META_KEYS) + ")[:：]?")
META_LINE = re.compile("^(?:" + "|".join(META_KEYS) + ")")
BULLETS = "•·▪"
FURNITURE = re.compile(r"^(?:取消收藏成功|收藏成功|相关办事指南|相关文件|相关解读|信息检索|字体|字号|.{0,6}分享到|微博|"
                       r"[qQ][qQ]空间|【】|\[\]|English|登录|注册|\d{1,3}[.．、]?$)")
ADDRESSEE_ORG = re.compile(r"人民政府|公署|单位|部门|委|办|厅|局|管委会")
ISSUING = re.compile(r"现将.{0,120}(?:印发|转发|下达)|(?:印发|转发|下达)给你们|现予(?:印发|转发)|印发你们")
DATE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月"
                  r"[\d一二三四五六七八九十]{1,3}日(?:[（(]此件.{2,6}[）)])?$")
PUBLICATION = re.compile(r"^[（(]?此件(?:公开发布|不公开|依申请公开|主动公开)[）)]?$")
COPIED = re.compile(r"^抄送[:：]")
PRINTED = re.compile(r"^.{2,30}\d{4}年\d{1,2}月\d{1,2}日印发$")
NOTE = re.compile(r"^[（(][^（()）]{2,60}[）)]$")
PERIOD = re.compile(r"^[（(]\d{4}.{0,6}\d{4}年?[）)]$")
ANCHORS = ("breadcrumb", "metadata", "number", "addressees", "issuing")


@dataclass
class Front:
    body: list[Line]
    left_out: list[LeftOut] = field(default_factory=list)
    proposal: dict[str, str] = field(default_factory=dict)  # title, issuer, number, date for documents.yml
    portal: bool = False   # a site's navigation, breadcrumb or metadata block was found
    issued: bool = False   # an issuing notice (印发/转发 sentence) comes before the document


def title_like(plain: str) -> bool:
    return (len(plain) <= 100 and not re.search(r"[，。；：！？,;:!?]", plain) and not scheme(plain)[0]
            and ("关于" in plain or "印发" in plain or bool(re.search(DOC_TYPE + r"[》”]?$", plain))))


def addressees(plain: str) -> bool:
    return ("。" not in plain and len(plain) <= 150 and bool(ADDRESSEE_ORG.search(plain))
            and (plain.endswith((":", "：")) or (plain.startswith("各") and not re.search(r"[，,；;]$", plain))))


def kind_of(plain: str) -> str:
    """What a line of a front or back is, without context; '' when it is none of these."""
    bare = plain.lstrip(BULLETS)
    if META_LINE.match(bare):
        return "metadata"
    if bare != plain:
        return "navigation"  # a bulleted link: • 国家经济管理、国有资产监督
    checks = (("breadcrumb", BREADCRUMB.search), ("navigation", FURNITURE.match), ("issuing", ISSUING.search),
              ("date", DATE.match), ("publication", PUBLICATION.match), ("copied-to", COPIED.match),
              ("printed", PRINTED.match), ("number", NUMBER.fullmatch), ("addressees", addressees))
    for kind, check in checks:
        if check(plain):
            return kind
    if re.fullmatch(r"[^，。；：,;:]{1,12}[:：]", plain) and not scheme(plain)[0]:
        return "navigation"  # a label with nothing after it: 信息检索:
    return "title" if title_like(plain) else ""


def region_end(lines: list[Line]) -> int:
    """The first numbered heading or clause: the front is above it (a list of links numbered 1. 2. is not one)."""
    for index, line in enumerate(lines):
        kind, end = scheme(line.plain)
        rest = line.plain[end:]
        if kind and kind != "arabic" or kind == "arabic" and ("。" in rest or len(rest) > 30):
            return index
    return len(lines)


def anchor(lines: list[Line], end: int) -> int | None:
    kinds = [kind_of(line.plain) for line in lines[:end]]
    if "breadcrumb" in kinds:
        return kinds.index("breadcrumb")
    if lines and (kinds[:1] == ["title"] or split_title(lines, 0)):
        return 0  # the document starts with its own title
    return next((i for i, (k, line) in enumerate(zip(kinds, lines, strict=False))
                 if k in ANCHORS or k == "title" and "关于" in line.plain), None)


def split_title(lines: list[Line], index: int) -> bool:
    """A title printed over two lines whose first part is not a title by itself (包头市推进… / …工作方案)."""
    return (index + 1 < len(lines) and heading_like(lines[index].plain) and not scheme(lines[index].plain)[0]
            and title_like(lines[index + 1].plain))


def front_block(lines: list[Line], start: int) -> list[tuple[int, str]]:
    """(index, kind) of the front's lines from its anchor on, until the document's text begins."""
    found: list[tuple[int, str]] = []
    issued = key_only = False
    for index in range(start, len(lines)):
        plain, following = lines[index].plain, lines[index + 1].plain if index + 1 < len(lines) else ""
        kind = kind_of(plain)
        if key_only and kind in ("", "navigation", "title", "number", "date"):
            kind = "metadata"  # the value under a metadata key printed alone (• 索引号 / • 000014349/2025-02841)
        elif kind == "title" and issued:
            kind = "doc-title"  # the issued document's own title, after the notice
        elif not kind and re.fullmatch(r".{2,30}" + ORG_END, plain) and DATE.match(following):
            kind = "signature"
        elif not kind and (split_title(lines, index) or issued and NOTE.match(plain)):
            kind = "doc-title" if issued else "title"  # a title over two lines, or its note: (2020年—2025年)
        if not kind or kind in ("copied-to", "printed") or scheme(plain)[0] and kind != "navigation":
            break
        key_only = kind == "metadata" and META_FIELD.fullmatch(plain.lstrip(BULLETS)) is not None
        issued = issued or kind == "issuing"
        found.append((index, kind))
    return found


def back_matter(lines: list[Line]) -> list[tuple[int, str]]:
    """(index, kind) of closing lines: signature, date, 此件公开发布, 印发, and 抄送 with the lines it runs on to;
    never inside an annex table (its cells may be dates)."""
    found: list[tuple[int, str]] = []
    copied = False
    table = next((i for i, line in enumerate(lines) if TABLE_HEAD.match(line.plain)), len(lines))
    for index, line in enumerate(lines[:table]):
        kind = kind_of(line.plain)
        following = lines[index + 1].plain if index + 1 < len(lines) else ""
        ends = kind in ("date", "publication", "printed") or scheme(line.plain)[0] or line.plain.startswith("附件")
        if copied and not ends:
            kind = "copied-to"  # 抄送 runs on over lines until the 印发 line or an annex
        elif kind not in ("date", "publication", "copied-to", "printed"):
            kind = "signature" if re.fullmatch(r".{2,30}" + ORG_END, line.plain) and DATE.match(following) else ""
        copied = kind == "copied-to"
        if kind:
            found.append((index, kind))
    return found


def split_front(lines: list[Line]) -> Front:
    """The body without its front and back, what was left out (line numbers as an editor shows) and the proposal."""
    end = region_end(lines)
    start = anchor(lines, end)
    marked: dict[int, str] = {}
    if start is not None:
        for index in range(start):
            if re.search(r"[。！？]", lines[index].plain) or len(lines[index].plain) > 60:
                break  # a news summary above the notice stays text (baotou-2024)
            marked[index] = "navigation"
        marked.update(front_block(lines, start))
    after = max(marked, default=-1) + 1
    marked.update((after + i, kind) for i, kind in back_matter(lines[after:]))
    result = Front([line for index, line in enumerate(lines) if index not in marked])
    result.left_out = [LeftOut(lines[i].number, kind, lines[i].text) for i, kind in sorted(marked.items())]
    result.portal = any(kind in ("navigation", "breadcrumb", "metadata") for kind in marked.values())
    result.issued = "issuing" in marked.values()
    result.proposal = propose([(lines[i], kind) for i, kind in sorted(marked.items())])
    return result


def propose(marked: list[tuple[Line, str]]) -> dict[str, str]:
    """Title, issuer, 文号 and date as the front and back print them (simplified characters)."""
    meta = metadata([line.plain.lstrip(BULLETS) for line, kind in marked if kind == "metadata"])
    titles = runs([(line.plain, kind) for line, kind in marked], "title")
    own = runs([(line.plain, kind) for line, kind in marked], "doc-title")
    notice = next((t for t in titles if not NUMBER.search(t)), titles[0] if titles else meta.get("标题", ""))
    printed = [line.plain for line, kind in marked if kind in ("number", "title")]
    number = next((m.group() for text in [meta.get("文号", "") + meta.get("发文字号", ""), *printed]
                   for m in [NUMBER.search(text)] if m), "")
    signature = next((line.plain for line, kind in marked if kind == "signature"), "")
    issuer = re.match(r"^(.{2,40}?" + ORG_END + ")(?:关于|印发|转发)", notice)
    dates = [iso_date(line.plain) for line, kind in marked if kind == "date"]
    dates += [iso_date(meta.get(key, "")) for key in ("成文日期", "发文日期", "发布日期", "公开日期")]
    proposal = {"title": own[0] if own else notice,
                "issuer": issuer.group(1) if issuer else signature or meta.get("发布机构", meta.get("发文机关", "")),
                "number": number, "date": next((d for d in dates if d), "")}
    return {key: value for key, value in proposal.items() if value}


def runs(marked: list[tuple[str, str]], wanted: str) -> list[str]:
    """Consecutive lines of one kind joined (a title printed over two lines), each run once; a period note such as
    (2020年—2025年) stays on the document's title."""
    out, current = [], ""
    for plain, kind in [*marked, ("", "")]:
        whole = bool(re.search(DOC_TYPE + r"[》”]?$", current))  # the run so far is a whole title
        if current and (kind != wanted or whole and not PERIOD.match(plain)):
            out, current = out if current in out else [*out, current], ""
        if kind == wanted and (not NOTE.match(plain) or PERIOD.match(plain)):
            current += plain
    return out


def metadata(lines: list[str]) -> dict[str, str]:
    """{key: value} of a metadata block: 索引号:…文号:包府发〔2020〕54号 (keys with or without colons)."""
    text = "".join(lines)
    marks = list(META_FIELD.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return {m.group(1): text[m.end():end].strip() for m, end in zip(marks, ends, strict=False)}


def iso_date(text: str) -> str:
    """2018年12月29日 / 2019-01-07 / 二○二三年十二月十一日 → YYYY-MM-DD; else ''."""
    digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
    match = re.search(r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*[年\-/.]\s*([\d一二三四五六七八九十]{1,3})\s*[月\-/.]"
                      r"\s*([\d一二三四五六七八九十]{1,3})", text)
    if not match:
        return ""
    year = "".join(digits.get(c, c) for c in match.group(1))
    return f"{year}-{cn_number(match.group(2)):02d}-{cn_number(match.group(3)):02d}"
