"""What a link to a page shows when it is shared (WeChat, chat apps, social sites): a description and an image of its
own, as `page.meta` that the theme's head writes into `<meta name="description">` and Open Graph tags
(theme/main.html).

The description is the page's first paragraph of prose (its opening sentence for a city, a theme or a project says
what it holds), shortened; the image is the page's own map (a city's, a theme's, a project's or a county's report
image), else the overview's. Open Graph wants absolute addresses: the image and the page's address are written
only when `site_url` is set (mkdocs.yml, or ATLAS_SITE_URL when building).
"""

from __future__ import annotations

import html
import re

from ..vocabulary import routes

PARAGRAPH = re.compile(r"<p\b([^>]*)>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
LONGEST = 110  # characters: what a chat app's card shows of a description
SHORTEST = 16  # a shorter first paragraph is a caption or a breadcrumb, not a description
MAPPED = ("city", "theme", "project", "county")  # kinds of page that have a map of their own


def describe(content: str, fallback: str) -> str:
    """The first paragraph of prose in a page's HTML, as plain text no longer than LONGEST characters."""
    for match in PARAGRAPH.finditer(content):
        if 'lang="en"' in match[1]:
            continue  # a project's English name under its title
        text = SPACE.sub(" ", html.unescape(TAG.sub("", match[2]))).strip()
        if len(text) >= SHORTEST and not text.startswith(("下载本图", "绘制方式")):
            return text if len(text) <= LONGEST else text[:LONGEST - 1].rstrip("，、；：") + "…"
    return fallback


def image(src_uri: str, exists) -> str:
    """The site path of the report image, in the page's edition, that shows a page's subject (`exists(path)`:
    whether the build has it)."""
    source, lang = routes.unlocalized(src_uri), routes.language_of(src_uri)
    kind = routes.kind_of(source)
    if kind in MAPPED:
        own = routes.image(f"{kind}-{source.rpartition('/')[2].removesuffix('.md')}", "report.png", lang)
        if exists(own):
            return own
    return routes.image("overview", "report.png", lang)
