"""The print images' page: title, the map with its markers, names and numbers, then the legend and scale, the
numbered key and a footer with the data date, the atlas and the 示意图 disclaimer. Blocks are stacked in inches
from the top; colours come from schema.KINDS/CITIES, the same as the web maps.
"""

from __future__ import annotations

import math

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
from ..vocabulary.schema import CITIES, FEATURE_STATUSES, KIND_SHAPES, KINDS, PHASES, by_key
from .maps.specs import MapSpec
from .prints import PRINT, Footer, Measure, Plan, Size, plan_map, projected

KIND, STATUS, CITY = by_key(KINDS), by_key(FEATURE_STATUSES), by_key(CITIES)
CLOSING = "）)」』、，。；：”"  # never at the start of a wrapped line
SWATCH = 0.36  # inches from a legend entry's symbol to its text


def draw(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, size: Size = PRINT,
         footer: Footer | None = None, plan: Plan | None = None) -> Figure:
    """The whole page: title, map, legend and scale, numbered key, footer."""
    measure = Measure(size.dpi)
    plan = plan or plan_map(spec, cities, size, measure, counties)
    page = Page(size, measure)
    page.add("title", size.title * 1.9 / 72)
    page.add("map", plan.map_size[1])
    legend = legend_entries(plan)
    legend_cols, legend_rows = page.grid([measure(text, size.small)[0] + SWATCH * 72 + size.small * 1.5
                                          for _, text in legend])
    page.add("legend", 0.12 + legend_rows * size.small * 1.9 / 72)
    key = key_entries(plan)
    key_cells, key_lines = key_layout(key, page)
    page.add("key", (0.1 + size.small * 1.7 / 72 + key_lines * size.small * 1.6 / 72) if key else 0)
    notes = page.wrap((footer or Footer()).items(), size.footer)
    page.add("footer", 0.1 + len(notes) * size.footer * 1.5 / 72)
    fig = Figure(figsize=(size.width, page.height + size.margin), dpi=size.dpi)
    FigureCanvasAgg(fig)
    page.figure = fig
    fig.text(0.5, page.top("title"), spec.title, ha="center", va="top", fontsize=size.title, transform=fig.transFigure)
    ax = draw_map(fig, page, plan, spec, cities, counties)
    draw_placed(ax, plan)
    if plan.locator:
        draw_locator(ax, plan, cities)
    draw_legend(fig, page, plan, legend, legend_cols)
    if key:
        draw_key(fig, page, plan, key_cells)
    for row, note in enumerate(notes):
        page.text(size.margin, page.inch("footer") + 0.1 + row * size.footer * 1.5 / 72, note, size.footer,
                  color="#333")
    return fig


class Page:
    """Blocks stacked from the top of the page, in inches."""

    def __init__(self, size: Size, measure: Measure):
        self.size, self.measure, self.blocks, self.height, self.figure = size, measure, {}, size.margin * 0.7, None

    def add(self, name: str, height: float) -> None:
        self.blocks[name] = (self.height, height)
        self.height += height + (0.08 if height else 0)

    def inch(self, name: str) -> float:
        return self.blocks[name][0]

    def top(self, name: str) -> float:  # figure fraction of a block's top
        return 1 - self.inch(name) / self.figure.get_figheight()

    def usable(self) -> float:
        return self.size.width - 2 * self.size.margin

    def grid(self, widths: list[float]) -> tuple[int, int]:
        """(columns, rows) for entries of these widths in points."""
        if not widths:
            return 1, 0
        cols = max(1, min(4, int(self.usable() * 72 // max(widths))))
        return cols, math.ceil(len(widths) / cols)

    def wrap(self, items: list[str], size: float) -> list[str]:
        lines = [items[0]]
        for item in items[1:]:
            joined = f"{lines[-1]} · {item}"
            if self.measure(joined, size)[0] / 72 <= self.usable():
                lines[-1] = joined
            else:
                lines.append(item)
        return lines

    def xy(self, x: float, y_from_top: float) -> tuple[float, float]:
        return x / self.size.width, 1 - y_from_top / self.figure.get_figheight()

    def text(self, x: float, y_from_top: float, text: str, size: float, **style):
        self.figure.text(*self.xy(x, y_from_top), text, fontsize=size, va="top", transform=self.figure.transFigure,
                         **style)


def draw_map(fig: Figure, page: Page, plan: Plan, spec: MapSpec, cities, counties):
    size, (w, h) = plan.size, plan.map_size
    ax = fig.add_axes((size.margin / size.width, 1 - (page.inch("map") + h) / fig.get_figheight(),
                       w / size.width, h / fig.get_figheight()))
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
                           zorder=6))
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
                    va="center_baseline", fontsize=size.number, color="#1b2631", zorder=8)
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


def legend_entries(plan: Plan) -> list[tuple[tuple, str]]:
    """((swatch, colour, has line, has point, marker or phase), text) for each kind shown, each phase drawn, the
    numbers and the scale."""
    f = plan.features
    shapes = list(zip(f["kind"], f.geometry.geom_type, [style.phase_of(row) for _, row in f.iterrows()], strict=True))
    entries = []
    for kind in KINDS:
        types = {shape for key, shape, _ in shapes if key == kind.key}
        if types:
            entries.append((("kind", kind.color, types != {"Point"}, "Point" in types,
                             style.PRINT_MARKERS[KIND_SHAPES[kind.key]]), f"{kind.zh} {kind.en}"))
    for phase in PHASES:
        types = {shape for _, shape, drawn in shapes if drawn == phase.key}
        if types:
            entries.append((("phase", "#555555", types != {"Point"}, "Point" in types, phase.key),
                            f"{phase.zh} {phase.en}"))
    if plan.placement.numbered:
        entries.append((("number", "#34495e", False, False, ""), "编号：名称见下表 Key below"))
    entries.append((("scale", "#000000", False, False, ""), ""))
    return entries


def draw_legend(fig: Figure, page: Page, plan: Plan, entries, cols: int) -> None:
    size, top = plan.size, page.inch("legend") + 0.06
    col_w, row_h = page.usable() / cols, size.small * 1.9 / 72
    for index, ((swatch, colour, line, point, marker), text) in enumerate(entries):
        x = size.margin + (index % cols) * col_w
        y = top + (index // cols) * row_h + row_h / 2
        if swatch == "scale":
            draw_scale(fig, page, plan, x, y)
            continue
        bx, by = page.xy(x, y)
        sx = page.xy(x + 0.28, y)[0]
        if swatch == "number":
            fig.text((bx + sx) / 2, by, "12", ha="center", va="center", fontsize=size.number, transform=fig.transFigure,
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
        fig.text(page.xy(x + SWATCH, y)[0], by, text, fontsize=size.small, va="center_baseline",
                 transform=fig.transFigure)


def draw_scale(fig: Figure, page: Page, plan: Plan, x: float, y: float) -> None:
    """A true-length scale bar and a north arrow (UTM grid north is within 2° of true north here)."""
    metres_per_inch = 72 / plan.scale
    length = next(n for n in (200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000)
                  if n / metres_per_inch <= 1.2)
    bar = length / metres_per_inch
    (bx, by), ex = page.xy(x, y), page.xy(x + bar, y)[0]
    fig.add_artist(Line2D([bx, ex], [by, by], transform=fig.transFigure, color="black", linewidth=plan.size.line * 1.3,
                          solid_capstyle="butt"))
    fig.text(page.xy(x + bar + 0.08, y)[0], by, f"{length // 1000} km", fontsize=plan.size.small,
             va="center_baseline", transform=fig.transFigure)
    fig.text(page.xy(x + bar + 0.7, y)[0], by, "↑ 北 N", fontsize=plan.size.small, va="center_baseline",
             transform=fig.transFigure)


def key_entries(plan: Plan) -> list[tuple[str, str, str]]:
    """(number, feature id, name) for every numbered feature; a crowd's members share its number, shown once."""
    names = plan.features["name_zh"]
    return [(str(n) if i == 0 else "", fid, names[fid])
            for n, keys in enumerate(plan.placement.numbered, start=1) for i, fid in enumerate(keys)]


def key_layout(key, page: Page, cols: int = 3) -> tuple[list, int]:
    """Cells (column, line, number, feature id, wrapped name lines) filling `cols` columns top to bottom, each about
    as long; and the number of lines of the longest column."""
    size = page.size
    cols = max(1, min(cols, len(key)))
    room = (page.usable() / cols) * 72 - size.small * 4.6
    entries = [(number, fid, wrap_chars(name, room, lambda t: page.measure(t, size.small)[0]))
               for number, fid, name in key]
    target = math.ceil(sum(len(lines) for _, _, lines in entries) / cols)
    cells, column, line = [], 0, 0
    for number, fid, lines in entries:
        if line and line + len(lines) > target and column < cols - 1:
            column, line = column + 1, 0
        cells.append((column, line, number, fid, lines))
        line += len(lines)
    return cells, max((c[1] + len(c[4]) for c in cells), default=0)


def wrap_chars(text: str, room: float, width) -> list[str]:
    """Chinese wraps between any two characters: fill each line up to `room` points."""
    if width(text) <= room:  # most names fit on one line: one measure instead of one per character
        return [text]
    lines = [""]
    for char in text:
        if lines[-1] and width(lines[-1] + char) > room and char not in CLOSING:
            lines.append("")
        lines[-1] += char
    return lines


def draw_key(fig: Figure, page: Page, plan: Plan, cells) -> None:
    size = page.size
    top = page.inch("key")
    page.text(size.margin, top, "编号对照 Key", size.small)
    top += size.small * 1.7 / 72
    cols = max((c[0] for c in cells), default=0) + 1
    col_w, row_h = page.usable() / cols, size.small * 1.6 / 72
    features = plan.features
    for column, line, number, fid, lines in cells:
        x = size.margin + column * col_w
        y = top + line * row_h
        page.text(x, y, number, size.small)
        kind, point = features.loc[fid, "kind"], features.geometry[fid].geom_type == "Point"
        colour = KIND[kind].color
        sx, sy = page.xy(x + size.small * 2.2 / 72, y + size.small * 0.6 / 72)
        ex = page.xy(x + size.small * 3.6 / 72, y)[0]
        if point:
            fig.add_artist(Line2D([(sx + ex) / 2], [sy], transform=fig.transFigure,
                                  marker=style.PRINT_MARKERS[KIND_SHAPES[kind]], linestyle="none", color=colour,
                                  markersize=size.marker * 0.9))
        else:
            fig.add_artist(Line2D([sx, ex], [sy, sy], transform=fig.transFigure, color=colour,
                                  linewidth=size.line * 0.9))
        for index, text in enumerate(lines):
            page.text(x + size.small * 4.0 / 72, y + index * row_h, text, size.small)
