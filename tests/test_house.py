"""One place for each fact: every address of the site comes from routes.py, every style rule the renderers share from
style.py, and both reach the map's script and styles as data."""

from __future__ import annotations

import re
from datetime import date

import pytest

from build_atlas.inputs.model import gather
from build_atlas.outputs import pages
from build_atlas.outputs.maps import ATLAS_ASSETS
from build_atlas.vocabulary import routes, style

from .conftest import ROOT

PACKAGE = ROOT / "build_atlas"
# A site folder written as a path anywhere but routes.py ("cities/…", 'projects/', `maps/…`).
PATH_LITERAL = re.compile(r"""["'(/](?:cities|themes|projects|documents|maps|exports|data)/(?:[{\w]|["'])""")


def test_addresses_are_written_only_in_the_route_table():
    sources = [*PACKAGE.glob("[!t]*/*.py"), *PACKAGE.glob("*.py"), *PACKAGE.glob("outputs/templates/*.j2"),
               *PACKAGE.glob("outputs/map/*"), *PACKAGE.glob("site/theme/**/*.html"),
               *PACKAGE.glob("site/theme/**/*.js")]  # the tools (draft, bench, boundaries) are not the site
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sources if path.name != "routes.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if PATH_LITERAL.search(line.replace("docs/documents/", "the repository's source texts"))
             and not line.lstrip().startswith(("#", "//", "/*", "*", "{#"))]
    assert found == []


def test_every_generated_page_is_of_a_kind_the_route_table_knows():
    atlas = gather(ROOT)
    plan = pages.page_plan(atlas, today=date(2026, 11, 22), site_url="", downloads={}, history=[])
    kinds = {path: routes.kind_of(path) for path in plan}
    assert {kind for kind in kinds.values()} == {"", "city", "county", "theme", "project", "document"}
    assert sum(kind == "project" for kind in kinds.values()) == len(atlas.features)
    assert sum(kind == "county" for kind in kinds.values()) == len(atlas.counties) == 38
    assert all(routes.page(kind, path.rpartition("/")[2].removesuffix(".md")) == path
               for path, kind in kinds.items() if kind)
    assert routes.kind_of(routes.PROJECTS) == ""  # the list of projects is not a project


def test_a_link_within_a_folder_is_the_file_name_as_mkdocs_writes_it():
    assert routes.link("../", "city", "city", "baotou") == "baotou.html"
    assert routes.link("../", "theme", "city", "baotou") == "../cities/baotou.html"
    assert routes.measure("nzf-2023-23", "r23-01") == "documents/nzf-2023-23.html#r23-01"
    assert routes.map_home("city-ordos") == "cities/ordos.html" and routes.map_home("overview") == "index.html"


def test_the_map_script_and_styles_get_the_vocabulary_as_data():
    script, styles = (style.filled(ATLAS_ASSETS[f"atlas/atlas-map.{suffix}"]) for suffix in ("js", "css"))
    assert f'var NARROW = "{style.NARROW}";' in script
    assert f"@media {style.NARROW} {{" in styles
    before, after = style.script_values()["project-page-before-id"], style.script_values()["project-page-after-id"]
    assert f'"{before}" + properties.id + \'{after}"' in script
    assert routes.html(routes.project("x")) == f"{before}x{after}"
    assert not style.UNFILLED.search(script + styles)


def test_a_token_the_vocabulary_does_not_know_stops_the_build(tmp_path):
    source = tmp_path / "atlas-map.css"
    source.write_text("@media @narrow@ { a { color: red } }\n@media @wide@ { b { color: blue } }\n", encoding="utf-8")
    with pytest.raises(ValueError, match="@wide@"):
        style.filled(source)


def test_print_images_and_web_maps_share_the_phase_rule():
    from build_atlas.outputs import maps, print_page

    for module in ("print_page.py", "maps/layers.py"):
        text = (PACKAGE / "outputs" / module).read_text(encoding="utf-8")
        assert "style.phase_of(" in text and "PHASE_STYLES" in text, module
    assert not hasattr(maps, "planned") and not hasattr(print_page, "dashed_status")
    assert style.phase_of({"status": "", "phase": ""}) == "planned"
    assert style.phase_of({"status": "proposed", "phase": ""}) == "planned"
    assert style.phase_of({"status": "construction", "phase": ""}) == "construction"
    assert style.phase_of({"status": "completed", "phase": ""}) == "built"
    assert style.phase_of({"status": "proposed", "phase": "built"}) == "built"  # a recorded event wins
    looks = {phase: (look.web_dash, look.print_dash, look.fill) for phase, look in style.PHASE_STYLES.items()}
    assert len(set(looks.values())) == 3  # three phases, three looks on every map and print


def test_samesite_names_every_file_that_differs_or_is_missing(tmp_path):
    from build_atlas.tools import samesite

    for name, files in (("a", {"index.html": "<p>一</p>\n", "data/x.csv": "id\n"}),
                        ("b", {"index.html": "<p>二</p>\n", "maps/y.html": ""})):
        for path, text in files.items():
            (tmp_path / name / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / path).write_text(text, encoding="utf-8")
    assert samesite.compare(tmp_path / "a", tmp_path / "b") == [
        f"only in {tmp_path / 'a'}: data/x.csv", f"only in {tmp_path / 'b'}: maps/y.html",
        "differs: index.html (line 1: '<p>一</p>' → '<p>二</p>')"]
    assert samesite.main([str(tmp_path / "a"), str(tmp_path / "a")]) == 0
