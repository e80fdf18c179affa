"""The maps' own words in each edition: what the web maps (page.py, layers.py and atlas-map.js, which gets them as
data), their captions and the print images (prints.py, print_layout.py, print_page.py, print_numbers.py) say around
the data. The data's own names come from its columns (`NAMES`) and the vocabulary's `.zh` and `.en` labels (`label`).

A Chinese map says everything in Chinese (names of software and sources excepted: Leaflet, OpenStreetMap, AMap,
cnmaps);
an English map in English, where a name the data gives only in Chinese is shown in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import routes
from ...vocabulary.dataset import TERMS

ZH, EN = routes.LANGUAGES
# How the maps credit the boundaries: the credit the data set asks of reusers (dataset.TERMS), without its licence
BOUNDARIES = TERMS["boundaries"]


@dataclass(frozen=True)
class Names:
    """The columns a map reads the names of features and counties from in one edition."""

    feature: str  # the full name: popups, tooltips, the print key
    label: str  # what the web map writes beside a feature
    printed: str  # what the print images write beside a feature (Chinese names are short enough in full)
    county: str


NAMES = {
    ZH: Names("name_zh", "short_name", "name_zh", "name_zh"),
    EN: Names("name_en", "short_name_en", "short_name_en", "name_en"),
}


WORDS = {
    ZH: {
        # the web map's buttons, layer list, legend and popups
        "zoom_in": "放大", "zoom_out": "缩小", "reset": "复位", "reset_title": "复位：回到本图范围",
        "fullscreen": "全屏显示", "fullscreen_off": "退出全屏", "layers": "图层",
        "cities_layer": "市界", "counties_layer": "旗县区",
        "legend": "图例", "phase_title": "进展（勾选的显示在图上）", "count": "{}（{}）",
        "legend_note": "示意图，非精确走向；不作为权属界线依据",
        "project_link": "项目页与相关条款 →", "county_link": "本地的规划项目与举措 →",
        "metres": "{} 米", "kilometres": "{} 公里",
        "touch": "用双指移动地图", "scroll": "按住 Ctrl 滚动滚轮缩放地图，或先点击地图",
        "scroll_mac": "按住 ⌘ 滚动滚轮缩放地图，或先点击地图",
        # a popup's line under the name
        "stage": "{}（{}）", "stated": "文件表述：{}", "unstated": "文件未注明进展", "schematic": "示意", "dot": " · ",
        # the caption of an embedded or exported map (the atlas's name: mkdocs.yml's site_name, which a build
        # passes in MapOptions and prints.Footer; this one where none is given)
        "as_of": "数据截至 {}", "source": "来源：", "atlas": "呼包鄂乌一体化政策图集",
        # attributions: OpenStreetMap's own Chinese wording (openstreetmap.org/copyright)
        "osm": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者',
        "tianditu": "&copy; 天地图", "boundaries": BOUNDARIES.attribution.partition("（")[0],
        # map titles
        "overview": "呼包鄂乌一体化规划项目总览图", "city": "{}规划项目图", "theme": "{}主题项目图",
        "county": "{}规划项目图",
        # the print images
        "disclaimer": "示意图：线路走向按文件点名地点连线绘制，不作为权属界线依据", "projection": "投影 UTM 49N",
        "key_title": "编号对照", "numbers_note": "图上编号：名称见编号对照", "north": "↑ 北",
        "crowd": "{}一带的 {} 个项目，名称见图集网页", "joiner": "；",
    },
    EN: {
        "zoom_in": "Zoom in", "zoom_out": "Zoom out", "reset": "Reset",
        "reset_title": "Reset: back to this map's extent",
        "fullscreen": "Full screen", "fullscreen_off": "Exit full screen", "layers": "Layers",
        "cities_layer": "City boundaries", "counties_layer": "Counties and districts",
        "legend": "Legend", "phase_title": "Progress (ticked: shown on the map)", "count": "{} ({})",
        "legend_note": "Schematic: routes are approximate; not a basis for any boundary",
        "project_link": "Project page and clauses →", "county_link": "Projects and measures here →",
        "metres": "{} m", "kilometres": "{} km",
        "touch": "Use two fingers to move the map", "scroll": "Use Ctrl + scroll to zoom the map, or click it first",
        "scroll_mac": "Use ⌘ + scroll to zoom the map, or click it first",
        "stage": "{} ({})", "stated": "Documents say: {}", "unstated": "Progress not stated in the documents",
        "schematic": "schematic", "dot": " · ",
        "as_of": "Data as of {}", "source": "Source: ",
        "atlas": "Hohhot–Baotou–Ordos–Ulanqab Integration Policy Atlas",
        "osm": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "tianditu": "&copy; Tianditu", "boundaries": BOUNDARIES.attribution_en.partition(" (")[0],
        "overview": "Planned projects of Hohhot, Baotou, Ordos and Ulanqab", "city": "{}: planned projects",
        "theme": "{}: projects", "county": "{}: planned projects",
        "disclaimer": "Schematic map: lines join the places the documents name; not a basis for any boundary",
        "projection": "UTM zone 49N", "key_title": "Key to the numbers",
        "numbers_note": "Numbered on the map: see the key", "north": "↑ N",
        "crowd": "{1} projects around {0}: names on the atlas website", "joiner": "; ",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS[lang]


def term_label(term, lang: str) -> str:
    """A vocabulary term's (schema.Term, Stage) label in edition `lang`."""
    return term.en if lang == EN else getattr(term, "zh", getattr(term, "key", ""))


def names_in(frame, column: str, fallback: str):
    """The names in `column` of every row of a table, each missing one taken from `fallback` (name_of's names)."""
    given = frame[column].fillna("").astype(str).str.strip()
    return given.where(given != "", frame[fallback].fillna("").astype(str))


def name_of(row, column: str, fallback: str) -> tuple[str, bool]:
    """(the name in `column`, or in `fallback` when it is empty; whether it is the fallback's), so that a name the
    data gives only in Chinese is shown in Chinese, and marked so."""
    name = str(row.get(column, "") or "").strip()
    if name or column == fallback:
        return name, False
    return str(row.get(fallback, "") or ""), True
