"""The print images' page as prints.plan_maps planned it (print_layout.py says where each block goes): the title, the
map with its markers, names and numbers, the legend with the scale, the numbered key and a footer with the data date,
the atlas and the 示意图 disclaimer. Colours and symbols come from the vocabulary (schema.KINDS, style), the same as
the web maps'.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path

from ..cache import artifacts
from ..vocabulary import style
from ..vocabulary.schema import CITIES, FEATURE_STATUSES, KIND_SHAPES, KINDS, by_key
from .maps.specs import MapSpec
from .maps.words import words
from .print_layout import SCALE_BAR, SWATCH, Box, legend_entries
from .prints import PRINT, Footer, Plan, Size, plan_maps, projected

KIND, STATUS, CITY = by_key(KINDS), by_key(FEATURE_STATUSES), by_key(CITIES)


def draw(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, size: Size = PRINT,
         footer: Footer | None = None, plan: Plan | None = None) -> Figure:
    """The whole page: title, map, legend and scale, numbered key, footer (`plan`: this size's, from
    prints.plan_maps, which plans every size of the map together)."""
    plan = plan or plan_maps(spec, cities, counties, footer)[size.suffix]
    layout = plan.layout
    fig = Figure(figsize=layout.page, dpi=size.dpi)
    FigureCanvasAgg(fig)
    page = Page(fig, size)
    title = layout.title
    fig.text(*page.xy(title.x + title.w / 2, title.y), spec.title, ha="center", va="top",
             fontsize=layout.title_size or size.title)
    ax = draw_map(fig, page, plan, spec, cities, counties)
    draw_placed(ax, plan)
    if plan.locator:
        draw_locator(ax, plan, cities)
    draw_legend(page, plan, spec.lang)
    if layout.key is not None:
        draw_key(page, plan, spec.lang)
    for row, note in enumerate(layout.footer_lines):
        page.text(layout.footer.x, layout.footer.y + 0.1 + row * size.footer * 1.5 / 72, note, size.footer,
                  color="#333")
    return fig


class Page:
    """Inches from the page's top left, as the figure's fractions."""

    def __init__(self, figure: Figure, size: Size):
        self.figure, self.size = figure, size
        self.width, self.height = figure.get_figwidth(), figure.get_figheight()

    def xy(self, x: float, y_from_top: float) -> tuple[float, float]:
        return x / self.width, 1 - y_from_top / self.height

    def box(self, box: Box) -> tuple[float, float, float, float]:  # left, bottom, width, height
        return box.x / self.width, 1 - (box.y + box.h) / self.height, box.w / self.width, box.h / self.height

    def text(self, x: float, y_from_top: float, text: str, size: float, **style):
        return self.figure.text(*self.xy(x, y_from_top), text, fontsize=size, va="top",
                                transform=self.figure.transFigure, **style)


def draw_map(fig: Figure, page: Page, plan: Plan, spec: MapSpec, cities, counties):
    size = plan.size
    ax = fig.add_axes(page.box(plan.layout.map))
    city_m, county_m = clipped(projected(cities), plan.frame), clipped(projected(counties), plan.frame)
    focus = spec.counties_of
    fills = [to_rgba(CITY[c].color, 0.12 if focus in ("*", "", c) else 0.04) for c in city_m["city"]]
    ax.add_collection(PathCollection([area_path(g) for g in city_m.geometry], facecolors=fills, linewidths=0,
                                     zorder=1))
    outlined = county_m if focus == "*" else county_m[county_m["city"] == focus]
    if len(outlined):
        ax.add_collection(LineCollection(rings(outlined.geometry), colors="#6b7b8c", linewidths=size.line * 0.25,
                                         linestyles=(0, (3, 3)), zorder=2))
    ax.add_collection(LineCollection(rings(city_m.geometry), colors="#34495e", linewidths=size.line * 0.6, zorder=2))
    own = county_m[county_m["adcode"] == spec.focus] if spec.focus else county_m.iloc[:0]
    if len(own):  # a county map's own county, as the web map draws it
        ax.add_collection(PathCollection([area_path(g) for g in own.geometry], facecolors=[to_rgba("#1b2631", 0.07)],
                                         linewidths=0, zorder=1))
        ax.add_collection(LineCollection(rings(own.geometry), colors="#1b2631", linewidths=size.line * 0.9,
                                         zorder=2))
    lines = plan.features[plan.features.geometry.geom_type != "Point"]
    phases = [style.phase_of(f) for _, f in lines.iterrows()]
    for (kind, phase), group in lines.assign(drawn=phases).groupby(["kind", "drawn"]):  # one collection per style
        ax.add_collection(LineCollection(rings(group.geometry), colors=KIND[kind].color, linewidths=size.line,
                                         linestyles=line_style(phase), capstyle="round", zorder=3))
    x0, y0, x1, y1 = plan.frame
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_axis_off()
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, edgecolor="#9aa5b1", linewidth=0.5,
                           zorder=6, gid="map-frame"))  # the id tells where the map is on the page (tests)
    return ax


def clipped(frame: gpd.GeoDataFrame, bounds, margin: float = 0.05) -> gpd.GeoDataFrame:
    """The outlines cut to a little beyond the map's frame: what lies outside is never seen, but a project's SVG
    would carry every vertex of the four cities (the cut edges lie outside the frame, so they are not drawn)."""
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    out = frame.copy()
    out["geometry"] = shapely.clip_by_rect(frame.geometry.values, x0 - dx, y0 - dy, x1 + dx, y1 + dy)
    return out[~out.geometry.is_empty]


def rings(geometries) -> list:
    """Coordinate arrays of every line, and of every polygon's rings, for a LineCollection."""
    out = []
    for g in geometries:
        for part in getattr(g, "geoms", [g]):
            if part.geom_type == "Polygon":
                out += [ring.coords for ring in (part.exterior, *part.interiors)]
            else:
                out.append(part.coords)
    return [np.asarray(c)[:, :2] for c in out]


def area_path(geometry) -> Path:
    """One compound path of a (multi)polygon, holes included."""
    return Path.make_compound_path(*[Path(ring, closed=True) for ring in rings([geometry])])


def draw_placed(ax, plan: Plan) -> None:
    """Markers where the placement put them, then the city names, feature names and numbers it placed."""
    size, (w, h) = plan.size, plan.map_size
    pw, ph = w * 72, h * 72
    kinds = plan.features["kind"]
    for fid, (x, y) in plan.placement.markers.items():
        kind = kinds[fid]
        ax.plot([x / pw], [y / ph], style.PRINT_MARKERS[KIND_SHAPES[kind]], transform=ax.transAxes,
                **point_style(KIND[kind].color, style.phase_of(plan.features.loc[fid]), size.marker), zorder=4)
    clear = dict(boxstyle="square,pad=0.1", facecolor="white", alpha=0.6, edgecolor="none")  # no path effects:
    # they would turn the SVG's text into outlines
    for p in plan.placement.placed:
        x0, y0, x1, y1 = p.box
        if p.role == "number":
            edge = KIND[kinds[p.keys[0]]].color if len(p.keys) == 1 else "#34495e"
            if p.leader:
                tx, ty = min(max(p.leader[0], x0), x1), min(max(p.leader[1], y0), y1)
                ax.plot([p.leader[0] / pw, tx / pw], [p.leader[1] / ph, ty / ph], transform=ax.transAxes,
                        color="#4d5656", linewidth=0.5, zorder=5)
            ax.add_patch(Rectangle((x0 / pw, y0 / ph), (x1 - x0) / pw, (y1 - y0) / ph, transform=ax.transAxes,
                                   facecolor="white", edgecolor=edge, linewidth=size.line * 0.4, zorder=7))
            ax.text((x0 + x1) / 2 / pw, (y0 + y1) / 2 / ph, p.text, transform=ax.transAxes, ha="center",
                    va="center_baseline", fontsize=size.number, color="#1b2631", zorder=8, gid=f"map-{p.text}")
        else:
            text_style = {"city": dict(fontsize=size.city, color="#1b2631", alpha=0.75, zorder=2),
                     "county": dict(fontsize=size.county, color="#3e4c5a", zorder=2)}.get(
                p.role, dict(fontsize=size.label, color="#17202a", zorder=8, bbox=clear))
            ax.text(x0 / pw, y0 / ph, p.text, transform=ax.transAxes, ha="left", va="bottom", **text_style)


def line_style(phase: str):
    """A matplotlib line style for a phase (style.PHASE_STYLES)."""
    dash = style.PHASE_STYLES[phase].print_dash
    return (0, dash) if dash else "solid"


def point_style(color: str, phase: str, markersize: float) -> dict:
    """A marker's paint for a phase, as the web maps paint it: filled with a white edge when built, tinted inside its
    kind's colour while under construction, white inside it when planned."""
    fill = style.PHASE_STYLES[phase].fill
    if fill == 1:
        return dict(color=color, markersize=markersize, markeredgecolor="white", markeredgewidth=markersize * 0.12)
    return dict(color=color, markersize=markersize * 0.92, markerfacecolor=to_rgba(color, fill) if fill else "white",
                markeredgecolor=color, markeredgewidth=markersize * 0.16)


def draw_locator(ax, plan: Plan, cities) -> None:
    """A small map of the four cities in a corner of a project map, with the map's frame marked on it."""
    size, (pw, ph) = plan.size, (plan.map_size[0] * 72, plan.map_size[1] * 72)
    x0, y0, x1, y1 = plan.locator
    inset = ax.inset_axes((x0 / pw, y0 / ph, (x1 - x0) / pw, (y1 - y0) / ph), zorder=9)
    region = locator_outlines(projected(cities))
    rx0, ry0, rx1, ry1 = region.total_bounds
    inset.add_collection(PathCollection([area_path(g) for g in region.geometry],
                                        facecolors=[to_rgba(CITY[c].color, 0.3) for c in region["city"]],
                                        edgecolors="#34495e", linewidths=size.line * 0.2))
    fx0, fy0, fx1, fy1 = plan.frame
    least = (rx1 - rx0) * 0.03  # a small frame is still marked visibly
    cx, cy = (fx0 + fx1) / 2, (fy0 + fy1) / 2
    w, h = max(fx1 - fx0, least), max(fy1 - fy0, least)
    inset.add_patch(Rectangle((cx - w / 2, cy - h / 2), w, h, fill=False, edgecolor="#c0392b",
                              linewidth=size.line * 0.6))
    inset.set_xlim(rx0, rx1)
    inset.set_ylim(ry0, ry1)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_edgecolor("#9aa5b1")
        spine.set_linewidth(0.5)


_LOCATOR_OUTLINES = artifacts.Recent(2)


def locator_outlines(city_m: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The projected cities simplified for the inset (about 300 vertices across the region are plenty), once."""
    def make() -> gpd.GeoDataFrame:
        out = city_m[["city", "geometry"]].copy()
        bounds = city_m.total_bounds
        out["geometry"] = shapely.simplify(city_m.geometry.values, (bounds[2] - bounds[0]) / 300)
        return out

    return _LOCATOR_OUTLINES.of(city_m, make)


def draw_legend(page: Page, plan: Plan, lang: str) -> None:
    """The legend's entries in its columns, filled row by row."""
    size, layout, fig = plan.size, plan.layout, page.figure
    entries = legend_entries(plan.features, bool(plan.numbering.groups), lang)
    box, cols = layout.legend, layout.legend_cols
    col_w, row_h = box.w / cols, size.small * 1.9 / 72
    for index, ((swatch, colour, line, point, marker), text) in enumerate(entries):
        x = box.x + (index % cols) * col_w
        y = box.y + 0.06 + (index // cols) * row_h + row_h / 2
        if swatch == "scale":
            draw_scale(page, plan, x, y, lang)
            continue
        if swatch == "north":
            fig.text(*page.xy(x, y), text, fontsize=size.small, va="center_baseline")
            continue
        bx, by = page.xy(x, y)
        sx = page.xy(x + 0.28, y)[0]
        if swatch == "number":
            fig.text((bx + sx) / 2, by, "12", ha="center", va="center", fontsize=size.number,
                     bbox=dict(boxstyle="square,pad=0.2", facecolor="white", edgecolor=colour,
                               linewidth=size.line * 0.4))
        phase = marker if swatch == "phase" else "built"
        beside = swatch == "phase" and line and point  # a phase's line and point side by side, in grey
        if line:
            end = page.xy(x + 0.15, y)[0] if beside else sx
            fig.add_artist(Line2D([bx, end], [by, by], transform=fig.transFigure, color=colour, linewidth=size.line,
                                  linestyle=line_style(phase), solid_capstyle="round", dash_capstyle="round"))
        if point:
            at = page.xy(x + 0.23, y)[0] if beside else (bx + sx) / 2
            fig.add_artist(Line2D([at], [by], transform=fig.transFigure, linestyle="none",
                                  marker="o" if swatch == "phase" else marker,
                                  **point_style(colour, phase, size.marker)))
        fig.text(page.xy(x + SWATCH, y)[0], by, text, fontsize=size.small, va="center_baseline")


def draw_scale(page: Page, plan: Plan, x: float, y: float, lang: str) -> None:
    """A true-length scale bar, the longest round distance up to SCALE_BAR inches (UTM grid north, which the north
    entry shows, is within 2° of true north here)."""
    metres_per_inch = 72 / plan.scale
    length = next((n for n in (200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100)
                   if n / metres_per_inch <= SCALE_BAR), 100)
    bar = length / metres_per_inch
    fig, (bx, by), ex = page.figure, page.xy(x, y), page.xy(x + bar, y)[0]
    fig.add_artist(Line2D([bx, ex], [by, by], transform=fig.transFigure, color="black", linewidth=plan.size.line * 1.3,
                          solid_capstyle="butt"))
    said = words(lang)
    distance = said["kilometres"].format(length // 1000) if length >= 1000 else said["metres"].format(length)
    fig.text(page.xy(x + bar + 0.08, y)[0], by, distance, fontsize=plan.size.small, va="center_baseline")


def draw_key(page: Page, plan: Plan, lang: str) -> None:
    """The numbered features by number, each with its symbol and its name, as the layout set them."""
    size, layout, fig = plan.size, plan.layout, page.figure
    box, type_size = layout.key, layout.key_size
    page.text(box.x, box.y + 0.05, words(lang)["key_title"], type_size)
    top = box.y + 0.05 + type_size * 1.7 / 72
    row_h = type_size * 1.6 / 72
    features, entries, lines = plan.features, {}, {}
    for piece in layout.key_pieces:
        x, y = box.x + piece.x, top + piece.line * row_h
        if piece.role == "number":
            page.text(x, y, piece.text, type_size)
        elif piece.role == "name":  # ids key-<number>-<entry>-<line> let an editor (and the tests) pair them
            members = entries.setdefault(piece.number, [])
            if piece.fid not in members:
                members.append(piece.fid)
            entry = members.index(piece.fid)
            line = lines[piece.number, entry] = lines.get((piece.number, entry), -1) + 1
            page.text(x, y, piece.text, type_size, gid=f"key-{piece.number}-{entry}-{line}")
        else:
            kind, point = features.loc[piece.fid, "kind"], features.geometry[piece.fid].geom_type == "Point"
            colour = KIND[kind].color
            sx, sy = page.xy(x, y + type_size * 0.6 / 72)
            ex = page.xy(x + type_size * 1.4 / 72, y)[0]
            if point:
                fig.add_artist(Line2D([(sx + ex) / 2], [sy], transform=fig.transFigure,
                                      marker=style.PRINT_MARKERS[KIND_SHAPES[kind]], linestyle="none", color=colour,
                                      markersize=size.marker * 0.9 * type_size / size.small))
            else:
                fig.add_artist(Line2D([sx, ex], [sy, sy], transform=fig.transFigure, color=colour,
                                      linewidth=size.line * 0.9))
