"""Maps that travel: print images — PNG at 300 dpi for print, PNG 1600 px wide with larger type for reports, and SVG
whose labels stay editable text. (The single-file HTML is made in the reader's browser from the map page:
theme/assets/javascripts/atlas-embed.js.)

The drawing is in prints.py (layout and figure) and labels.py (label placement). Images are kept in the artifact
cache (kind "images"), keyed by exactly their inputs (the map's data, the outlines, the footer, the drawing code and
the vocabulary), and missing ones are drawn in a process pool.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import pandas as pd
from PIL import Image

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402

from ..cache import artifacts
from ..errors import AtlasError, Problem  # noqa: E402
from . import (
    print_page,
    prints,  # noqa: E402
)
from .maps.specs import MapSpec  # noqa: E402
from .maps.words import ZH  # noqa: E402
from .prints import Footer  # noqa: E402

CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc")
DPI = prints.PRINT.dpi
IMAGES = ("png", "report.png", "svg")
# Text is not hinted: at 200 and 300 dpi it looks the same (compared side by side at both sizes), and
# matplotlib's default hinting took about a sixth of the drawing time.
RC = {"font.family": "sans-serif", "font.sans-serif": prints.FONTS, "svg.fonttype": "none",
      "svg.hashsalt": "atlas", "axes.unicode_minus": False, "text.hinting": "none"}


def cjk_font() -> str:
    """Register the CJK font with matplotlib, make it the first choice, and return its family name; refuse to draw
    tofu."""
    for path in CJK_FONTS:
        if Path(path).exists():
            name = registered_font(path)
            matplotlib.rcParams.update(RC, **{"font.sans-serif": list(dict.fromkeys([name, *prints.FONTS]))})
            return name
    raise AtlasError([Problem("(system)", 0, 0, "missing-font",
                              "没有中文字体，地图图片会出现方框 / no CJK font installed",
                              "运行 `make deps` 或 `apt-get install fonts-wqy-microhei`")])


@functools.cache
def registered_font(path: str) -> str:
    """Add a font file to matplotlib's list once per process (each addition empties its font look-up cache, which
    cost about 0.03 s a drawing) and return its family name."""
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def draw(spec: MapSpec, cities, counties, font: str = "", size: prints.Size = prints.PRINT,
         footer: Footer | None = None):
    """One map's page as a matplotlib figure, with the CJK font set up (`font`: cjk_font()'s name)."""
    cjk_font()
    return print_page.draw(spec, cities, counties, size, footer)


def code_version() -> str:
    """The drawing code, the styles it reads (the vocabulary in schema.py) and matplotlib's version: any change draws
    the images anew."""
    return artifacts.code_digest(Path(__file__))


def outlines_digest(cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> str:
    digest = hashlib.sha256()
    for frame in (cities, counties):
        digest.update(frame.to_wkb().to_csv().encode())
    return digest.hexdigest()


IMAGE_COLUMNS = ["kind", "name_zh", "status", "phase", "geometry"]  # all a Chinese print image shows of a feature
# an English one shows its English names, or where one is missing its Chinese (short) name
ENGLISH_COLUMNS = [*IMAGE_COLUMNS, "name_en", "short_name_en", "short_name"]


def image_columns(lang: str) -> list[str]:
    return IMAGE_COLUMNS if lang == ZH else ENGLISH_COLUMNS


def image_key(spec: MapSpec, outlines: str, footer: Footer, code: str, rows: dict[str, str] | None = None) -> str:
    """Hash of exactly what the images are drawn from (`rows`: the features' artifacts.row_digests of
    image_columns(spec.lang), when the caller has them for every feature)."""
    rows = rows if rows is not None else artifacts.row_digests(spec.features, image_columns(spec.lang))
    digest = hashlib.sha256(code.encode())
    digest.update(outlines.encode())
    for fid in spec.features.index:
        digest.update(f"{fid}\0{rows[fid]}\0".encode())
    digest.update(repr((spec.name, spec.title, spec.frame, spec.counties_of, footer)
                       + ((spec.lang,) if spec.lang != ZH else ())).encode())
    return digest.hexdigest()[:24]


def draw_images(spec: MapSpec, cities, counties, footer: Footer) -> dict[str, bytes]:
    """{suffix: bytes} of the print PNG, the report PNG and the SVG of one map, planned together (one numbering)."""
    cjk_font()
    plans, out = prints.plan_maps(spec, cities, counties, footer), {}
    for size in prints.SIZES:
        out.update(saved(print_page.draw(spec, cities, counties, size, footer, plans[size.suffix]), size))
        # A figure's artists refer to each other, so only the cycle collector frees them: until it ran, a worker
        # held several 300-dpi canvases (its memory climbed from 168 to 601 MB over 16 maps; with this, 179–242 MB).
        gc.collect()
    return out


def saved(fig, size: prints.Size) -> dict[str, bytes]:
    """The figure as the PNG of its size, and for print also as SVG."""
    out = {size.suffix: palette_png(fig, size.dpi)}
    if size is prints.PRINT:
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        out["svg"] = lean_svg(svg.getvalue())
    fig.clear()
    return out


PATH_DATA = re.compile(rb' d="[^"]*"')
NUMBER = re.compile(rb"-?\d+\.\d+")


def lean_svg(data: bytes) -> bytes:
    """matplotlib writes path coordinates to six decimals of a point; a tenth of a point (0.035 mm) is finer than
    print shows, and drops about a third of a map's SVG."""
    def short(number: re.Match) -> bytes:
        text = f"{float(number.group()):.1f}".rstrip("0").rstrip(".")
        return (text if text != "-0" else "0").encode()

    return PATH_DATA.sub(lambda attribute: NUMBER.sub(short, attribute.group()), data)


def palette_png(fig, dpi: int) -> bytes:
    """The figure as a 256-colour PNG: a map has few colours, and this is about a third of the size of full colour
    (Baotou at 300 dpi: 819 → 239 KB) and no slower to write."""
    fig.canvas.draw()
    image = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="png", dpi=(dpi, dpi))
    return out.getvalue()


KIND = "images"  # the cache's name for a map's three images


def render_images(spec: MapSpec, cities, counties, cache: artifacts.ArtifactCache,
                  footer: Footer | None = None) -> dict[str, bytes]:
    """{suffix: bytes} for one map, from the cache when its inputs are unchanged."""
    return render_all([spec], cities, counties, cache, footer)[spec.name]


def image_keys(specs: list[MapSpec], cities, counties, footer: Footer) -> dict[str, str]:
    """{map name: image_key} for every map."""
    code, outlines = code_version(), outlines_digest(cities, counties)
    features = pd.concat([spec.features for spec in specs])
    features = features[~features.index.duplicated()]
    rows = {lang: artifacts.row_digests(features, image_columns(lang)) for lang in {spec.lang for spec in specs}}
    return {spec.name: image_key(spec, outlines, footer, code, rows[spec.lang]) for spec in specs}


def render_all(specs: list[MapSpec], cities, counties, cache: artifacts.ArtifactCache,
               footer: Footer | None = None) -> dict[str, dict[str, bytes]]:
    """{map name: {suffix: bytes}} for every map; cached ones are read, the others drawn (across the cores when
    many: artifacts.in_pool)."""
    footer = footer or Footer()
    by_name = {spec.name: spec for spec in specs}
    draw_one = functools.partial(draw_named, by_name, cities=cities, counties=counties, footer=footer)
    return cache.get_parts(KIND, image_keys(specs, cities, counties, footer), draw_one, IMAGES)


@dataclass(frozen=True)
class PrintNote:
    """What a map's atlas page and map page need of its print images: the numbers its images give features
    (feature id → number; a crowd's members share one) and the way its A4 sheet is turned."""

    numbers: dict[str, int]
    orientation: str


NOTES = "print-notes"  # the cache's name for a map's PrintNote, keyed as its images


def print_notes(specs: list[MapSpec], cities, counties, cache: artifacts.ArtifactCache,
                footer: Footer | None = None, workers: int | None = None) -> dict[str, PrintNote]:
    """{map name: PrintNote} for every map, without drawing: cached with the images' key, the missing ones planned
    (prints.plan_maps, across the cores when many), so that a page lists a map's features by the numbers its images
    will have even before they are drawn (a preview draws them after its build)."""
    footer = footer or Footer()
    by_name = {spec.name: spec for spec in specs}
    made = cache.get_all(NOTES, image_keys(specs, cities, counties, footer),
                         functools.partial(noted, by_name, cities=cities, counties=counties, footer=footer), workers)
    return {name: PrintNote(**json.loads(text)) for name, text in made.items()}


def noted(by_name: dict[str, MapSpec], name: str, cities, counties, footer: Footer) -> str:
    cjk_font()  # the names' sizes, hence what fits and what is numbered, are those of the font the images use
    plan = prints.plan_maps(by_name[name], cities, counties, footer)[prints.PRINT.suffix]
    return json.dumps({"numbers": plan.numbering.of_features(), "orientation": plan.orientation}, sort_keys=True)


def note_and_store(spec: MapSpec, cities, counties, footer: Footer, folder: Path, key: str) -> None:
    """One map's PrintNote, planned unless another process cached it meanwhile, and cached (a preview's worker)."""
    artifacts.ArtifactCache(folder).get_all(NOTES, {spec.name: key}, functools.partial(
        noted, {spec.name: spec}, cities=cities, counties=counties, footer=footer), workers=1)


def draw_named(by_name: dict[str, MapSpec], name: str, cities, counties, footer: Footer) -> dict[str, bytes]:
    return draw_images(by_name[name], cities, counties, footer)


def draw_and_store(spec: MapSpec, cities, counties, footer: Footer, folder: Path, key: str) -> dict[str, bytes]:
    """One map's images, drawn unless another process cached them meanwhile, and cached (a preview's worker)."""
    cache = artifacts.ArtifactCache(folder)
    return cache.get_parts(KIND, {spec.name: key}, lambda _: draw_images(spec, cities, counties, footer), IMAGES,
                           workers=1)[spec.name]
