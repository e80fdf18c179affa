"""Maps that travel: single-file HTML with every asset inlined, and print images (PNG 300 dpi, SVG).

Print images are drawn with matplotlib in UTM 49N so the scale bar is true; Chinese labels use a CJK
font installed by `make` (WenQuanYi Micro Hei). The images are cached by their inputs' hash.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

import geopandas as gpd
import matplotlib
import shapely

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from .errors import AtlasError, Problem  # noqa: E402
from .maps import BOUNDARY_ATTRIBUTION, MapSpec  # noqa: E402
from .schema import CITIES, FEATURE_STATUSES, KINDS, by_key  # noqa: E402

KIND, STATUS, CITY = by_key(KINDS), by_key(FEATURE_STATUSES), by_key(CITIES)
PRINT_CRS = "EPSG:32649"
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc")
DPI = 300
EXPORT_VERSION = "4"  # bump when the drawing code or the kind colours change, to refresh cached images
MAX_LABEL_TRIES = 200  # a print holds a few dozen labels; past this many candidates none would fit anyway
# The downloads offered under every map, in order: (file suffix under exports/, label readers see).
DOWNLOADS = [("html", "单文件 HTML（离线可用）"), ("png", "PNG（300 dpi）"), ("svg", "SVG")]


def cjk_font() -> str:
    """Register the CJK font with matplotlib and return its family name; refuse to draw tofu."""
    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise AtlasError([Problem("(system)", 0, 0, "missing-font",
                              "没有中文字体，地图图片会出现方框 / no CJK font installed",
                              "运行 `make deps` 或 `apt-get install fonts-wqy-microhei`")])


def inline_assets(page: str, vendor: dict[str, Path]) -> str:
    """Replace <script src> and <link href> to vendored files with their contents (CSS images as data URIs)."""
    def script(match: re.Match) -> str:
        return f"<script>{vendor[match.group(1)].read_text(encoding='utf-8')}</script>"

    def style(match: re.Match) -> str:
        path = vendor[match.group(1)]
        css = path.read_text(encoding="utf-8")
        css = re.sub(r"url\((images/[^)]+\.png)\)", lambda m: "url(data:image/png;base64,"
                     + base64.b64encode((path.parent / m.group(1)).read_bytes()).decode() + ")", css)
        return f"<style>{css}</style>"

    names = "|".join(re.escape(name) for name in vendor)
    page = re.sub(rf'<script src="(?:[^"]*/)?({names})"></script>', script, page)
    return re.sub(rf'<link rel="stylesheet" href="(?:[^"]*/)?({names})"\s*/?>', style, page)


def spec_hash(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> str:
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    for frame in (spec.features, cities, counties):
        digest.update(frame.to_wkb().drop(columns=[c for c in ("cities",) if c in frame]).to_csv().encode())
    digest.update(repr((spec.name, spec.title, spec.frame, spec.counties_of)).encode())
    return digest.hexdigest()[:20]


def draw(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, font: str):
    plt.rcParams.update({"font.sans-serif": [font, "DejaVu Sans"], "font.family": "sans-serif",
                         "svg.hashsalt": "atlas", "axes.unicode_minus": False})
    fig = plt.figure(figsize=(8.27, 7.0))
    ax = fig.add_axes((0.03, 0.2, 0.94, 0.72))  # the legend and the source notes go below the map
    city_m, county_m = cities.to_crs(PRINT_CRS), counties.to_crs(PRINT_CRS)
    features = spec.features.to_crs(PRINT_CRS)
    for _, city in city_m.iterrows():
        focus = spec.counties_of in ("*", "", city["city"])
        gpd.GeoSeries([city.geometry]).plot(ax=ax, color=CITY[city["city"]].color, alpha=0.12 if focus else 0.04)
    shown = county_m if spec.counties_of == "*" else county_m[county_m["city"] == spec.counties_of]
    if len(shown):
        shown.boundary.plot(ax=ax, color="#6b7b8c", linewidth=0.4, linestyle=(0, (3, 3)))
    city_m.boundary.plot(ax=ax, color="#34495e", linewidth=1.0)
    styled = features.assign(dashed=[not s or STATUS[s].icon == "dash" for s in features["status"]],
                             point=features.geometry.geom_type.isin(["Point", "MultiPoint"]))
    for (kind, dashed, point), group in styled.groupby(["kind", "dashed", "point"]):  # one call per style
        if point:
            xy = group.geometry.get_coordinates()  # every site of a MultiPoint
            ax.plot(xy["x"], xy["y"], "o", linestyle="none", color=KIND[kind].color,
                    markersize=5, markeredgecolor="white", markeredgewidth=0.6, zorder=4)
        else:
            group.geometry.plot(ax=ax, color=KIND[kind].color, linewidth=1.8, zorder=3,
                                linestyle=(0, (4, 2)) if dashed else "-")
    frame = gpd.GeoSeries([shapely.box(*spec.frame)], crs="EPSG:4326").to_crs(PRINT_CRS).total_bounds
    ax.set_xlim(frame[0], frame[2])
    ax.set_ylim(frame[1], frame[3])
    ax.set_axis_off()
    ax.apply_aspect()  # fix the axes' place on the page before measuring labels
    place_labels(ax, fig, city_m, features)
    decorate(ax, fig, spec, features)
    return fig


def place_labels(ax, fig, cities: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> None:
    """City names, then feature names, longest features first; a label that would overlap one already placed, or
    leave the map, is left out (the web map and the project pages name every feature)."""
    renderer, taken = fig.canvas.get_renderer(), []

    def place(text: str, at, **style) -> None:
        label = ax.annotate(text, (at.x, at.y), **style)
        box = label.get_window_extent(renderer).expanded(1.04, 1.15)
        if any(box.overlaps(other) for other in taken) or not ax.bbox.contains(box.x0, box.y0) \
                or not ax.bbox.contains(box.x1, box.y1):
            label.remove()
        else:
            taken.append(box)

    for _, city in cities.iterrows():
        place(CITY[city["city"]].zh, city.geometry.representative_point(), ha="center", fontsize=12, color="#1b2631")
    longest_first = features.geometry.length.sort_values(ascending=False, kind="stable").index
    for index in longest_first[:MAX_LABEL_TRIES]:
        f = features.loc[index]
        anchor = f.geometry.interpolate(0.5, normalized=True) if f.geometry.geom_type == "LineString" \
            else f.geometry.representative_point()
        place(f["name_zh"], anchor, fontsize=5.5, color="#222", xytext=(3, 3), textcoords="offset points")


def decorate(ax, fig, spec: MapSpec, features: gpd.GeoDataFrame) -> None:
    """Title, legend, scale bar, north arrow, source and the 示意图 disclaimer."""
    fig.suptitle(spec.title, fontsize=15, y=0.97)
    handles = [Line2D([], [], color=KIND[k].color, linewidth=2.2, label=f"{KIND[k].zh} {KIND[k].en}")
               for k in [k.key for k in KINDS] if k in set(features["kind"])]
    handles.append(Line2D([], [], color="#555", linewidth=1.8, linestyle=(0, (4, 2)), label="虚线：规划/前期 Planned"))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.19), ncol=3, fontsize=6.5, frameon=False,
               title="图例 Legend", title_fontsize=7.5)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = next(n for n in (200_000, 100_000, 50_000, 20_000, 10_000, 5_000) if n <= (x1 - x0) / 4)
    bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=2.5, solid_capstyle="butt")
    ax.annotate(f"{length // 1000} km", (bx + length / 2, by), xytext=(0, 4), textcoords="offset points",
                ha="center", fontsize=7)
    ax.annotate("北\nN", xy=(0.05, 0.93), xytext=(0.05, 0.83), xycoords="axes fraction", ha="center", fontsize=8,
                arrowprops=dict(arrowstyle="-|>", color="black", linewidth=1.2))
    fig.text(0.02, 0.015, "示意图，线路走向按文件点名地点连线绘制，不作为权属界线依据。\n"
             f"数据：呼包鄂乌一体化政策图集；{BOUNDARY_ATTRIBUTION}。投影 UTM 49N。", fontsize=6, color="#333")


def render_images(spec: MapSpec, cities, counties, cache: Path) -> tuple[bytes, bytes]:
    """(PNG, SVG) for a map, from the cache when its inputs are unchanged."""
    key = spec_hash(spec, cities, counties)
    png_path, svg_path = cache / f"{spec.name}-{key}.png", cache / f"{spec.name}-{key}.svg"
    if png_path.exists() and svg_path.exists():
        return png_path.read_bytes(), svg_path.read_bytes()
    fig = draw(spec, cities, counties, cjk_font())
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"{spec.name}-*"):
        old.unlink()
    png_path.write_bytes(png.getvalue())
    svg_path.write_bytes(svg.getvalue())
    return png.getvalue(), svg.getvalue()
