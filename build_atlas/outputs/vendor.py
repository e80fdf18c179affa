"""The front-end assets the site serves itself, copied from npm packages (package-lock.json pins them) with their
licences, and the atlas's own map script and styles with the vocabulary filled in (style.py): nothing is loaded from a
CDN when the site is read."""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

from ..errors import AtlasError, Problem
from ..vocabulary import routes, style
from . import maps

NPM_ASSETS = {  # site path under assets/vendor/ → file in node_modules/
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "leaflet/LICENSE.txt": "leaflet/LICENSE",  # BSD-2-Clause
    # Decodes the map outlines, which the shared outline scripts carry as encoded polylines (BSD-2-Clause).
    "polyline/polyline.js": "@mapbox/polyline/src/polyline.js",
    "polyline/LICENSE.txt": "@mapbox/polyline/LICENSE",
    # Map plugins (MIT): one finger scrolls the page, two move the map; Ctrl/⌘+wheel zooms; a fullscreen button.
    "leaflet-gesture-handling/leaflet-gesture-handling.min.js":
        "leaflet-gesture-handling/dist/leaflet-gesture-handling.min.js",
    "leaflet-gesture-handling/leaflet-gesture-handling.min.css":
        "leaflet-gesture-handling/dist/leaflet-gesture-handling.min.css",
    "leaflet-gesture-handling/LICENSE": "leaflet-gesture-handling/LICENSE",
    "leaflet.fullscreen/Control.FullScreen.umd.js": "leaflet.fullscreen/dist/Control.FullScreen.umd.js",
    "leaflet.fullscreen/Control.FullScreen.css": "leaflet.fullscreen/dist/Control.FullScreen.css",
    "leaflet.fullscreen/LICENSE.txt": "leaflet.fullscreen/LICENSE.md",  # .txt: MkDocs would make a .md a page
    # The 落实追踪 charts (MIT), drawn from the tables beside them by assets/atlas-charts.js: chosen over Apache
    # ECharts by measurement (build_atlas/README.md, 落实追踪).
    "chart.js/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "chart.js/LICENSE.txt": "chart.js/LICENSE.md",
    # The offline plugin's Web Worker shim for file://; mkdocs.yml's extra.polyfills points here, which stops
    # the plugin from adding its CDN copy.
    "iframe-worker/shim.js": "iframe-worker/shim/index.js",
}


OWN_SUFFIXES = (".js", ".css")


def served(text: str, path: str) -> str:
    """One of the atlas's own scripts or stylesheets (`path` ends .js or .css) as readers get it: minified by rJSmin
    or rCSSmin, without the comments written for developers (which the source keeps), on every page that loads it.
    A comment opened with /*! (a licence) would be kept."""
    if path.endswith(".css"):
        return rcssmin.cssmin(text, keep_bang_comments=True)
    return rjsmin.jsmin(text, keep_bang_comments=True)


# The packages' scripts and stylesheets that they ship unminified: every map loads them.
UNMINIFIED = ("leaflet/leaflet.css", "polyline/polyline.js", "leaflet.fullscreen/Control.FullScreen.umd.js",
              "leaflet.fullscreen/Control.FullScreen.css")


def minified(source: Path, path: str) -> str | None:
    """One of the UNMINIFIED as `served` makes the atlas's own (a fifth to a half of their bytes), its licence
    comment (/*!) kept and its licence file served beside it; None for any other file, which is copied as it is."""
    return served(source.read_text(encoding="utf-8"), path) if path in UNMINIFIED else None


def is_own(path: str, source: Path | None, root: Path) -> bool:
    """A script or stylesheet the atlas itself writes (docs/assets/, the theme's overrides), not a minified one of
    Material's or a vendored package's."""
    return (source is not None and path.endswith(OWN_SUFFIXES) and ".min." not in path
            and (source.is_relative_to(root / "docs") or source.is_relative_to(root / "build_atlas")))


def assets(root: Path) -> list[tuple[str, Path, str | None]]:
    """(site path, source file, content or None to copy the file) for every asset; a missing npm package is an
    error that says how to install it."""
    modules, out = root / "node_modules", []
    for site_path, module_path in NPM_ASSETS.items():
        source = modules / module_path
        if not source.exists():
            raise AtlasError([Problem("(system)", 0, 0, "missing-asset", f"缺少 {source} / {source} is missing",
                                      "运行 `make assets`（npm ci）/ run `make assets` (npm ci) first")])
        out.append((routes.vendor(site_path), source, minified(source, site_path)))
    for site_path, source in maps.ATLAS_ASSETS.items():
        out.append((routes.vendor(site_path), source, served(style.filled(source), site_path)))
    return out


LICENCE_LIST = "spdx-license-list/licenses"  # the full texts of SPDX licences (npm spdx-license-list, CC0-1.0)


def licence_text(root: Path, spdx: str) -> str:
    """The full text of a licence by its SPDX id (CC-BY-4.0), as the zip of the data set ships it."""
    import json

    source = root / "node_modules" / LICENCE_LIST / f"{spdx}.json"
    if not source.exists():
        raise AtlasError([Problem("(system)", 0, 0, "missing-asset", f"缺少 {source} / {source} is missing",
                                  "运行 `make assets`（npm ci），或在 mkdocs.yml 中写 SPDX 许可名"
                                  " / run `make assets`")])
    return json.loads(source.read_text(encoding="utf-8"))["licenseText"]
