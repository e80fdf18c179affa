"""The built site as files: counts that match the documents, self-hosted assets, search words, exports,
and reproducible output."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import struct
import warnings
from pathlib import Path

import pytest

from build_atlas.inputs.model import gather
from build_atlas.outputs import exports, maps, vendor
from build_atlas.outputs.vendor import NPM_ASSETS, UNMINIFIED
from build_atlas.vocabulary.dataset import BY_NAME, FROM_STAFF, STAFF_ONLY

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_COUNTS = {"nzf-2023-23": 22, "baotou-2024": 22, "plan-2021": 95, "hohhot-2019": 48, "nzf-2023-1": 86}


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_home_page_counts_match_the_documents(built_site):
    home = read(built_site, "index.html")
    for key, count in EXPECTED_COUNTS.items():
        row = re.search(rf'href="documents/{key}\.html">.*?</tr>', home, re.S)
        assert row, key
        assert re.search(rf"<td[^>]*>{count}</td>\s*</tr>", row.group(0)), (key, count)
    assert "256 项举措" in home or f"{sum(EXPECTED_COUNTS.values())} 项举措" in home


def test_every_page_and_map_is_self_hosted(built_site):
    offenders = []
    for path in built_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<(?:script|link|img)\b[^>]*(?:src|href)="(https?:)?//[^"]+"', text):
            offenders.append((str(path.relative_to(built_site)), match.group(0)[:120]))
    assert offenders == []


def test_vendored_front_end_assets_are_the_npm_packages_files(built_site):
    """Each as the package ships it, or, where it ships only the unminified file, that file minified: the same
    code, with its licence comment, and its package's licence served beside it."""
    for site_path, module_path in NPM_ASSETS.items():
        served = (built_site / "assets/vendor" / site_path).read_bytes()
        source = (ROOT / "node_modules" / module_path).read_bytes()
        if site_path in UNMINIFIED:
            assert served.decode() == vendor.served(source.decode(), site_path) and len(served) < len(source)
            licences = [path for path in NPM_ASSETS if path.split("/")[0] == site_path.split("/")[0]
                        and "LICENSE" in path]
            assert licences, site_path
        else:
            assert served == source, site_path
    fullscreen = (built_site / "assets/vendor/leaflet.fullscreen/Control.FullScreen.umd.js").read_text()
    assert fullscreen.startswith("/*!") and "MIT License" in fullscreen.split("*/")[0]


def test_search_index_keeps_the_atlas_words_whole(built_site):
    index = json.loads(read(built_site, "search/search_index.json"))
    separator = re.compile(index["config"]["separator"])
    tokens = {token for doc in index["docs"] for field in ("title", "text") for token in separator.split(doc[field])}
    for word in ("呼包鄂乌", "白云鄂博", "和林格尔", "中欧班列", "稀土", "呼和浩特新机场", "大青山"):
        assert word in tokens, word


def test_traditional_document_carries_a_simplified_rendering_for_search(built_site):
    page = read(built_site, "documents/hohhot-2019.html")
    assert "呼包鄂協同發展" in page or "呼包鄂協同" in page
    assert "简体对照" in page and "呼包鄂协同" in page


def test_every_measure_has_an_anchor_on_its_document_page(built_site):
    atlas = gather(ROOT)
    missing = [m["id"] for _, m in atlas.measures.iterrows()
               if f'id="{m["id"]}"' not in read(built_site, f"documents/{m['doc']}.html")]
    assert missing == []


def png_dpi(data: bytes) -> float:
    start = data.index(b"pHYs") + 4
    per_metre, _, unit = struct.unpack(">IIB", data[start:start + 9])
    assert unit == 1
    return per_metre * 0.0254


@pytest.mark.parametrize("name", ["overview", "city-hohhot", "city-baotou", "city-ordos", "city-ulanqab"])
def test_each_map_offers_standalone_html_png_at_300_dpi_and_svg(built_site, name):
    png = (built_site / f"exports/{name}.png").read_bytes()
    assert png.startswith(b"\x89PNG") and round(png_dpi(png)) == 300
    assert (built_site / f"exports/{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert not (built_site / f"exports/{name}.html").exists()  # made in the reader's browser (test_maps_web.py)
    page = read(built_site, "index.html" if name == "overview" else f"cities/{name.split('-')[1]}.html")
    assert f"exports/{name}.png" in page and "&lt;iframe" in page
    assert f'maps/{name}.html" data-single-file="{name}.html"' in page


def test_print_map_draws_every_chinese_label_with_a_real_glyph():
    atlas = gather(ROOT)
    spec = next(s for s in maps.map_specs(atlas) if s.name == "city-hohhot")
    cities, counties = maps.context_outlines(atlas)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = exports.draw(spec, cities, counties, exports.cjk_font())
        figure.savefig(__import__("io").BytesIO(), format="png", dpi=72)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


def test_popup_links_lead_to_existing_project_pages(built_site):
    """The overview picks its features by id from the shared layer scripts; atlas-map.js links each popup to
    projects/<id>.html."""
    overview = read(built_site, "maps/overview.html")
    picked = re.findall(r'atlasMap\.pick\(atlasFeatures\["[a-z-]+"\],(\[[^\]]*\])\)', overview)
    targets = {fid for ids in picked for fid in json.loads(ids)}
    assert len(targets) > 20
    script = re.sub(r"\s+", "", read(built_site, "assets/vendor/atlas/atlas-map.js"))  # as served: minified
    assert '"projects/"+properties.id+\'.html"' in script
    assert [t for t in targets if not (built_site / f"projects/{t}.html").exists()] == []


def digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_download_layers_are_valid_geojson_with_every_located_feature(built_site):
    atlas = gather(ROOT)
    ids = set()
    for path in (built_site / "data").glob("projects-*.geojson"):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            assert feature["geometry"]["type"] in ("Point", "MultiPoint", "LineString", "Polygon", "MultiPolygon")
            ids.add(feature["properties"]["id"])
    unlocated = set(atlas.features.index[atlas.features["geometry_kind"] == "unlocated"])
    assert unlocated and ids == set(atlas.features.index) - unlocated


def test_unlocated_projects_have_a_page_that_says_so_and_no_map(built_site):
    for fid in ("park-baorihua", "park-baorihantu"):
        page = read(built_site, f"projects/{fid}.html")
        assert "位置未核实" in page and "<iframe" not in page
        assert not (built_site / f"maps/project-{fid}.html").exists()


def test_every_table_is_offered_for_download_whole_and_linked_from_the_data_page(built_site):
    """Each staff table's public copy keeps its rows and its columns in order (a script reads them by name), less
    the staff's notes, with a Chinese label beside each code."""
    page = read(built_site, "data.html")
    for resource, table in FROM_STAFF.items():
        source = list(csv.DictReader(io.StringIO((ROOT / table).read_text(encoding="utf-8-sig"), newline="")))
        download = (built_site / "data" / BY_NAME[resource].file).read_bytes().decode("utf-8-sig")
        offered = list(csv.DictReader(io.StringIO(download, newline="")))
        kept = [{"geometry": "geometry_kind"}.get(c, c) for c in source[0] if c not in STAFF_ONLY.get(table, ())]
        assert [c for c in offered[0] if c in kept] == kept, table
        per_target = sum(len(row["target"].split(";")) for row in source) if resource == "progress" else len(source)
        assert len(offered) == per_target, table
        assert f'href="data/{BY_NAME[resource].file}"' in page, table


def test_theme_scripts_no_reader_loads_are_not_shipped(built_site):
    """Source maps and the search languages not configured are removed; the Chinese search still runs (test_search)."""
    scripts = built_site / "assets/javascripts"
    assert sorted(p.relative_to(scripts / "lunr").as_posix() for p in (scripts / "lunr").rglob("*.js")) == [
        "min/lunr.stemmer.support.min.js", "min/lunr.zh.min.js"]
    assert not list(built_site.rglob("*.map"))
    assert not [p.name for p in built_site.glob("assets/*/*.min.*") if "sourceMappingURL" in p.read_text("utf-8")]


def test_project_pages_are_titled_by_the_project_name_in_chinese(built_site):
    """The trail above the heading kept MkDocs from taking the title from it: tabs and the header showed the file
    name ("Airport hohhot new"). The title comes from the page's metadata, escaped (the theme writes it as HTML;
    test_validation.py checks a hostile name)."""
    with (built_site.parent / "geodata/features.csv").open(encoding="utf-8-sig", newline="") as file:
        features = list(csv.DictReader(file))
    wrong = []
    for row in features:
        page = read(built_site, f"projects/{row['id']}.html")
        title = re.search(r"<title>([^<]*)</title>", page).group(1)
        if not html.unescape(title).startswith(row["name_zh"] + " - "):
            wrong.append((row["id"], title))
    assert wrong == []
