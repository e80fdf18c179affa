"""What a shared link shows: each page's own description and Open Graph tags, a sitemap of every page when the
published address is set, and the page's own map as its image."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_atlas.site import sharing

from .conftest import BUILD_DATE, copy_project

META = re.compile(r'<meta (?:name|property)="([a-z:]+)" content="([^"]*)"')
PUBLISHED = "https://atlas.example.cn/hbew/"


def metas(page: Path) -> dict[str, str]:
    return dict(META.findall(page.read_text(encoding="utf-8")))


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "maps" not in p.parts and p.name != "404.html")


def test_a_description_is_the_first_paragraph_of_prose_shortened():
    content = ('<p class="en" lang="en">Baotou</p><p>下载本图：PNG</p><p>短</p>'
               '<p>包头市共涉及 <strong>154 项举措</strong>、37 个规划项目，' + "很长的句子" * 40 + "</p>")
    text = sharing.describe(content, "备用")
    assert text.startswith("包头市共涉及 154 项举措") and len(text) <= sharing.LONGEST and text.endswith("…")
    assert sharing.describe("<p>太短</p>", "备用") == "备用"


def test_a_page_with_a_map_of_its_own_shares_that_map():
    assert sharing.image("cities/baotou.md", lambda path: True) == "exports/city-baotou.report.png"
    assert sharing.image("projects/road-x.md", lambda path: False) == "exports/overview.report.png"
    assert sharing.image("data.md", lambda path: True) == "exports/overview.report.png"


@pytest.mark.site
def test_every_page_has_its_own_description_and_open_graph_title(built_site):
    seen = {}
    for page in pages(built_site):
        tags = metas(page)
        assert tags.get("og:title") and tags.get("og:description") and tags.get("description"), page
        seen.setdefault(tags["description"], []).append(page.name)
    shared = {text: names for text, names in seen.items() if len(names) > 1}
    assert len(shared) <= 3, shared  # a few pages alike at most, never one description for all


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    """The atlas built for its published address."""
    from build_atlas.site.build import build_site

    work = copy_project(tmp_path_factory.mktemp("published") / "atlas")
    os.environ["ATLAS_SITE_URL"] = PUBLISHED
    try:
        return build_site(work, today=BUILD_DATE)
    finally:
        del os.environ["ATLAS_SITE_URL"]


@pytest.mark.site
def test_with_its_address_set_the_sitemap_lists_every_page_and_links_share_their_map(published_site):
    locations = {loc.text for loc in ET.parse(published_site / "sitemap.xml").getroot().iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    expected = {PUBLISHED + str(p.relative_to(published_site)) for p in pages(published_site)}
    assert expected <= locations and len(locations) == len(expected)
    city = metas(published_site / "cities/baotou.html")
    assert city["og:url"] == PUBLISHED + "cities/baotou.html"
    assert city["og:image"] == PUBLISHED + "exports/city-baotou.report.png"
    assert (published_site / "exports/city-baotou.report.png").is_file()
    described = metas(published_site / "projects/hsr-baotou-yinchuan.html")["description"]
    assert described.startswith("包头至银川高铁：") and "全线开通（2025年12月23日）" in described
