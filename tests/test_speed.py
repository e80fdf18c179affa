"""Issue 14: a rebuild re-renders only what an edit changed, and a cached build is the same site as a clean one.

Artifacts rendered (cache misses) are counted by build_atlas.cache.artifacts.RENDERED, by kind: "maps" (map pages),
"images" (print images, one count per map), "print-notes" (what the pages say of a map's prints: its numbers and its
sheet's orientation, one count per map), "search" (the search results made from the data).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import date
from pathlib import Path

import jinja2
import pytest

from build_atlas.cache import artifacts
from build_atlas.inputs.model import gather
from build_atlas.outputs import exports, maps
from build_atlas.outputs.maps import layers
from build_atlas.site import builds
from build_atlas.site.build import build_site
from build_atlas.vocabulary import routes
from build_atlas.vocabulary.schema import LAYERS

from .conftest import BUILD_DATE, ROOT, copy_project, edit_cell, ensure_dir, site_digest


def fresh_cache(work: Path) -> Path:
    """The copy's own artifact cache, empty but for the print images copied from the project's cache, so that no test
    redraws them all."""
    (work / ".cache").unlink()
    cache = ensure_dir(work / ".cache")
    if (ROOT / ".cache" / "artifacts" / exports.KIND).is_dir():
        shutil.copytree(ROOT / ".cache" / "artifacts" / exports.KIND, cache / "artifacts" / exports.KIND)
    return cache


@pytest.fixture(scope="module")
def warm(tmp_path_factory, built_site) -> dict:
    """A copy of the project built twice: with an empty artifact cache (but for the print images, which the session's
    built site drew), then again from the filled cache."""
    work = copy_project(tmp_path_factory.mktemp("speed") / "atlas")
    fresh_cache(work)
    artifacts.RENDERED.clear()
    held, finish = [], builds.WholeBuild.finish

    def noting_finish(self, config):  # what each pass still holds of its pages once they are written
        held.append([(f.src_uri, f.page.markdown, f.page.content, f.generated_by and f.content_bytes)
                     for f in self.files if f.page is not None])
        finish(self, config)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builds.WholeBuild, "finish", noting_finish)
        clean = build_site(work, site=work / "site-clean", today=BUILD_DATE)
    first = dict(artifacts.RENDERED)
    artifacts.RENDERED.clear()
    cached = build_site(work, site=work / "site-cached", today=BUILD_DATE)
    return {"work": work, "clean": clean, "cached": cached, "first": first, "second": dict(artifacts.RENDERED),
            "held": held}



def test_a_clean_build_renders_every_map_and_a_cached_build_none(warm):
    specs = maps.map_specs(gather(warm["work"]))
    assert warm["first"]["maps"] == len(routes.LANGUAGES) * len(specs)  # each edition's maps
    assert warm["second"].get("maps", 0) == 0
    assert warm["second"].get("images", 0) == warm["second"].get("search", 0) == 0
    assert warm["first"]["search"] == 2  # the records of each edition's index


def test_a_whole_build_lets_each_page_go_once_it_is_written(warm):
    """MkDocs makes every page's HTML before it writes any: a whole build lets a page's Markdown (and a generated
    page's source) go once its HTML is made, and the HTML once the page is written."""
    assert len(warm["held"]) == len(routes.LANGUAGES)  # each edition's pass
    for pages in warm["held"]:
        assert len(pages) > 200
        assert {(markdown, content) for _, markdown, content, _ in pages} == {("", None)}
        generated = [source for *_, source in pages if source is not None]
        assert len(generated) > 150 and set(generated) == {b""}


def test_cached_build_and_clean_build_give_the_same_site_byte_for_byte(warm, built_site):
    clean, cached = site_digest(warm["clean"]), site_digest(warm["cached"])
    assert len(clean) > 500
    assert clean == cached
    assert site_digest(built_site) == clean  # and two builds of the same inputs and date, in two copies, too


def test_editing_one_measure_re_renders_no_map(warm):
    work = warm["work"]
    first = next(csv.DictReader(io.StringIO((work / "measures.csv").read_text(encoding="utf-8-sig"))))
    edit_cell(work / "measures.csv", first["id"], "title", lambda title: title + "（修订）")
    artifacts.RENDERED.clear()
    site = build_site(work, site=work / "site-measure", today=BUILD_DATE)
    assert first["title"] + "（修订）" in (site / "documents" / f"{first['doc']}.html").read_text(encoding="utf-8")
    # maps show projects, not measure titles; the search results are made again (a title is searched), and the data
    # package (its tables hold the title); search: each edition's records
    assert +artifacts.RENDERED == {"search": 2, "package": 1}  # (+ drops kinds counted zero times)


def test_editing_one_project_re_renders_only_the_maps_that_show_it(warm):
    """The project's own map and images, and the overview, city and theme maps that show it, are made anew. The
    other map pages that load its layer's shared data get the script's new name (it carries its digest) without
    being rendered again, and nothing else is made."""
    work = warm["work"]
    fid = "hsr-baotou-yinchuan"
    edit_cell(work / "geodata" / "features.csv", fid, "name_zh", lambda name: name + "（修订）")
    specs = maps.map_specs(gather(work))
    showing = {s.name for s in specs if fid in s.features.index}
    assert f"project-{fid}" in showing and "overview" in showing and len(showing) < 10
    rail = next(layer for layer in LAYERS if layer.key == "rail")
    loading = {s.name for s in specs if not s.name.startswith("project-")
               and not maps.layer_features(s.features, rail).empty} - showing
    assert loading  # maps that load the rail layer but do not show this line (other cities' maps)
    artifacts.RENDERED.clear()
    site = build_site(work, site=work / "site-feature", today=BUILD_DATE)
    assert "（修订）" in (site / "maps" / f"project-{fid}.html").read_text(encoding="utf-8")
    script = next((site / "maps").glob("features-rail-*.js"))
    assert "（修订）" in script.read_text(encoding="utf-8")
    for name in loading:
        assert f'src="{script.name}"' in (site / "maps" / f"{name}.html").read_text(encoding="utf-8"), name
    both = len(routes.LANGUAGES) * len(showing)  # each edition's maps show the project's Chinese name
    assert artifacts.RENDERED == {"maps": both, "images": both, "print-notes": both, "search": 2, "package": 1}


def test_map_pages_load_shared_outlines(warm):
    site = warm["clean"]
    page = (site / "maps" / "project-hsr-baotou-yinchuan.html").read_text(encoding="utf-8")
    scripts = [name for name in page.split('src="')[1:] if name.startswith("outlines-")]
    shared = ("outlines-cities-*.js", "outlines-counties-all-*.js")  # the counties: a project map's only context
    assert sorted(s.split('"')[0] for s in scripts) == sorted(p.name for g in shared for p in site.glob(f"maps/{g}"))
    hohhot = '"name_zh":"呼和浩特市"'  # the city outline's name, as the maps write their layer data
    assert 'atlasOutlines["cities"]' in page and hohhot not in page
    assert 'atlasOutlines["counties-all"]' in page and '"name_zh":"杭锦旗"' not in page
    assert '"text": ' + json.dumps("杭锦旗") in page  # the names of the counties in view, written into the page
    city = (site / "maps" / "city-hohhot.html").read_text(encoding="utf-8")
    assert 'atlasOutlines["counties-hohhot"]' in city
    overview = (site / "maps" / "overview.html").read_text(encoding="utf-8")
    assert 'atlasOutlines["region-counties"]' in overview and 'atlasFeatures["features-rail"]' in overview
    assert '"label":' not in overview  # the features' data comes from the shared layer scripts


def test_the_pool_makes_artifacts_in_other_processes_and_keeps_their_order(monkeypatch):
    monkeypatch.setattr(artifacts, "POOL_FROM", 2)
    made = list(artifacts.in_pool(lambda n: (n * n, os.getpid()), range(6), workers=2))
    assert [(item, square) for item, (square, _) in made] == [(n, n * n) for n in range(6)]
    assert os.getpid() not in {pid for _, (_, pid) in made}
    monkeypatch.setattr(artifacts, "POOL_FROM", 7)  # too few to be worth a pool: made here
    assert {pid for _, (_, pid) in artifacts.in_pool(lambda n: (n, os.getpid()), range(6))} == {os.getpid()}


def test_map_pages_made_in_the_pool_are_the_same_as_made_here(monkeypatch):
    """A cold build renders the map pages in forked workers, a preview's few in its own process: the same bytes."""
    atlas = gather(ROOT)
    outlines = maps.context_outlines(atlas)
    specs = [s for s in maps.map_specs(atlas) if s.name in
             ("overview", "city-ulanqab", "project-hsr-baotou-yinchuan", "project-rail-jining-erenhot")]
    shared = {key: name for key, (name, _) in maps.shared_scripts(atlas, outlines).items()}

    def pages(pool_from: int) -> dict[str, str]:
        monkeypatch.setattr(artifacts, "POOL_FROM", pool_from)
        return maps.map_pages(specs, atlas, maps.MapOptions(), outlines, shared, artifacts.ArtifactCache(None),
                              workers=2)

    here, pooled = pages(10**9), pages(1)
    assert len(here) == 4
    assert here == pooled


@pytest.mark.site
def test_the_bench_build_stage_runs_and_the_plain_project_it_compares_with_builds(tmp_path, monkeypatch):
    import yaml

    from build_atlas.site import plugin
    from build_atlas.tools.bench import stages

    work = stages.copy_project(ROOT, tmp_path / "atlas")  # as the bench copies it: the code stays installed
    (work / ".cache").symlink_to(ensure_dir(ROOT / ".cache"))  # the session's print images
    monkeypatch.setattr(plugin.AtlasPlugin, "on_files", plugin.AtlasPlugin.on_files)  # the stage patches it

    class SessionDate(date):  # the bench builds as of today; the session's images were drawn as of BUILD_DATE
        @classmethod
        def today(cls) -> date:
            return BUILD_DATE

    monkeypatch.setattr(stages, "date", SessionDate)
    run, after = stages.prepare("build", work, work / ".cache", strict=False)
    run()
    figures = after()
    assert figures["pages"] > 200 and figures["generated_files"] > figures["pages"]
    config = yaml.safe_load((work / "plain" / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "atlas" not in plugins and "search" in plugins
    assert Path(config["plugins"][plugins.index("search")]["search"]["jieba_dict_user"]).is_file()
    run_plain, _ = stages.prepare("plain", work, work / ".cache", strict=False)
    assert (run_plain() / "404.html").is_file()  # the theme's pages build without the plugin too


def test_the_bench_scales_the_data_to_a_valid_atlas(tmp_path):
    """`make bench` measures the atlas at 20 times its data: each copy of the measures, projects and statements
    passes validation as the real data does (a project named by an alias is not copied: aliases are unique)."""
    from build_atlas.tools.bench import stages

    real = gather(ROOT, BUILD_DATE)
    work = stages.copy_project(ROOT, tmp_path / "x3")
    stages.scale_project(work, 3)
    scaled = gather(work, BUILD_DATE)  # raises AtlasError with every problem
    aliased = set(real.aliases.loc[real.aliases["feature"] != "", "feature"])
    assert len(scaled.measures) == 3 * len(real.measures) and len(scaled.statements) == 3 * len(real.statements)
    assert len(scaled.features) == len(real.features) + 2 * (len(real.features) - len(aliased)) > 2 * len(real.features)
    assert {f"{fid}.x3" for fid in real.features.index if fid not in aliased} <= set(scaled.features.index)


def test_templates_without_jinja_syntax_are_written_as_jinja_writes_them_uncompiled():
    """folium hands each element's rendered script to a Template of its own (a new source on every map): such a
    source without Jinja syntax is not compiled, and written as Jinja writes it (line ends as newlines, less one
    final newline)."""
    for source in ("var a = 1;\n", "a\r\nb\r\n", "a\rb\n\n", "{ x: [1, {y: 2}] }", "", "end}}"):
        made = jinja2.Template(source)
        assert isinstance(made, artifacts.Verbatim), source
        assert made.render(this=None, kwargs={}) == jinja2.Environment().from_string(source).render(), source
    for source in ("{{ this }}", "{% if x %}y{% endif %}", "a {# note #} b"):
        assert isinstance(jinja2.Template(source), jinja2.Template), source


def test_a_map_page_is_the_same_whether_its_outlines_were_written_before_or_not():
    """The outline layers' JSON is written once per process (layers.written) and found in a page by its text: the
    first rendering of a map and the next give the same page, which loads the shared outlines; with no shared
    scripts, the outlines are written into the page."""
    atlas = gather(ROOT)
    outlines = maps.context_outlines(atlas)
    shared = {key: name for key, (name, _) in maps.shared_scripts(atlas, outlines).items()}
    spec = next(s for s in maps.map_specs(atlas) if s.name == "city-baotou")
    layers._WRITTEN.clear()
    first = maps.render_map(spec, atlas, maps.MapOptions(), outlines=outlines, shared=shared)
    assert layers._WRITTEN
    assert maps.render_map(spec, atlas, maps.MapOptions(), outlines=outlines, shared=shared) == first
    assert 'atlasOutlines["cities"]' in first and 'atlasOutlines["counties-baotou"]' in first
    alone = maps.render_map(spec, atlas, maps.MapOptions(), outlines=outlines)
    assert "atlasOutlines[" not in alone and alone.count("atlasMap.unpack(") >= 2
