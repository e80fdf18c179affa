"""The one artifact cache: content-addressed, versions side by side, pruned by age and size, and keyed by the code and
vocabulary that shape each output (a colour changed in schema.py draws anew every map that shows the kind)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from build_atlas.cache import artifacts

from .conftest import ROOT


def test_versions_of_one_artifact_coexist_and_are_read_whole(tmp_path):
    cache = artifacts.ArtifactCache(tmp_path)
    cache.write("images", "city-baotou", "a", {"png": b"1", "svg": b"2"})
    cache.write("images", "city-baotou", "b", {"png": b"3", "svg": b"4"})
    assert cache.read("images", "city-baotou", "a", ("png", "svg")) == {"png": b"1", "svg": b"2"}
    assert cache.read("images", "city-baotou", "b", ("png", "svg")) == {"png": b"3", "svg": b"4"}
    (tmp_path / "images" / "city-baotou" / "b.svg").unlink()  # a part missing: the artifact is made again
    assert cache.read("images", "city-baotou", "b", ("png", "svg")) is None


def test_text_artifacts_are_made_once_per_key(tmp_path):
    cache, made = artifacts.ArtifactCache(tmp_path), []

    def make(name: str) -> str:
        made.append(name)
        return f"<p>{name}</p>"

    assert cache.get_all("maps", {"x": "k1", "y": "k2"}, make, workers=1) == {"x": "<p>x</p>", "y": "<p>y</p>"}
    assert cache.get_all("maps", {"x": "k1", "y": "k2"}, make, workers=1) == {"x": "<p>x</p>", "y": "<p>y</p>"}
    assert made == ["x", "y"]


def test_prune_drops_what_no_build_used_lately_and_keeps_the_cache_under_its_size(tmp_path):
    cache = artifacts.ArtifactCache(tmp_path)
    for key in ("old", "recent", "newest"):
        cache.write("maps", "overview", key, {"html": b"x" * 100})
    month_ago = time.time() - 40 * 86400
    os.utime(cache.path("maps", "overview", "old", "html"), (month_ago, month_ago))
    os.utime(cache.path("maps", "overview", "recent", "html"), (month_ago + 86400, month_ago + 86400))
    cache.read("maps", "overview", "recent", ("html",))  # a build read it: it is young again
    assert cache.prune(max_age_days=30) == 1
    assert not cache.path("maps", "overview", "old", "html").exists()
    os.utime(cache.path("maps", "overview", "recent", "html"), (month_ago, month_ago))
    assert cache.prune(max_age_days=365, max_bytes=150) == 1  # the least recently used goes first
    assert [p.stem for p in (tmp_path / "maps" / "overview").iterdir()] == ["newest"]


def test_every_output_key_covers_the_vocabulary():
    for module in ("maps/page", "exports", "search"):
        code = artifacts.package_imports(artifacts.PACKAGE / "outputs" / f"{module}.py")
        assert artifacts.PACKAGE / "vocabulary" / "schema.py" in code, module
        assert not any("inputs" in path.parts for path in code), module  # the data is in the key instead


RENDER = """
import hashlib, json, sys
from pathlib import Path
from build_atlas.cache import artifacts
from build_atlas.outputs import exports, maps
from build_atlas.inputs.model import gather

atlas = gather(Path(sys.argv[1]))
cache = artifacts.ArtifactCache(Path(sys.argv[2]))
names = sys.argv[3].split(",")
specs = [spec for spec in maps.map_specs(atlas) if spec.name in names]
outlines = maps.context_outlines(atlas)
scripts = maps.shared_scripts(atlas, outlines)
shared = {key: name for key, (name, _) in scripts.items()}
pages = maps.map_pages(specs, atlas, maps.MapOptions(), outlines, shared, cache, workers=1)
images = exports.render_all(specs, *outlines, cache, exports.Footer(date="2026-11-22"))
sha = lambda data: hashlib.sha256(data).hexdigest()
shown = {name: [sha(pages[name].encode())] + [sha(images[name][suffix]) for suffix in exports.IMAGES]
         for name in names}
made = {kind: count for kind, count in artifacts.RENDERED.items() if count}
print(json.dumps({"made": made, "shown": shown}))
"""


def render_with(code: Path, cache: Path, names: list[str]) -> dict:
    """Map pages and images of `names` made by the package in `code` (a copy of build_atlas), with the real data."""
    done = subprocess.run([sys.executable, "-c", RENDER, str(ROOT), str(cache), ",".join(names)], cwd=code,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_colour_changed_in_the_vocabulary_draws_anew_every_map_that_shows_the_kind(tmp_path):
    features = (ROOT / "geodata" / "features.csv").read_text(encoding="utf-8").splitlines()
    airport = next(line.split(",")[0] for line in features if ",airport," in line and ",point," in line)
    park = next(line.split(",")[0] for line in features if ",park," in line and ",point," in line)
    names = [f"project-{airport}", f"project-{park}"]
    code, cache = tmp_path / "code", tmp_path / "cache"
    shutil.copytree(ROOT / "build_atlas", code / "build_atlas", ignore=shutil.ignore_patterns("__pycache__"))
    before = render_with(code, cache, names)
    assert before["made"] == {"maps": 2, "images": 2}
    assert render_with(code, cache, names)["made"] == {}  # the same code and data: everything from the cache

    schema = code / "build_atlas" / "vocabulary" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    assert text.count('"#6a3d9a", "plane"') == 1  # the airport's colour
    schema.write_text(text.replace('"#6a3d9a", "plane"', '"#123456", "plane"'), encoding="utf-8")
    after = render_with(code, cache, names)
    assert after["made"] == {"maps": 2, "images": 2}  # nothing served from the cache of the old vocabulary
    shown_before, shown_after = before["shown"], after["shown"]
    assert all(new != old for new, old in zip(shown_after[names[0]], shown_before[names[0]], strict=True))
    assert shown_after[names[1]] == shown_before[names[1]]  # a park's map and images do not show airports
