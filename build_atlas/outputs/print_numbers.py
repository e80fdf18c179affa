"""One numbering for every image of a map: which features are numbered (those whose names find no room on some size
of the map, prints.plan_maps), in which order (reading order on the map), and how its key lists them. The atlas pages
list a map's features by the same numbers (exports.PrintNote).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely

from . import labels
from .maps.specs import county_names_in
from .maps.words import NAMES, ZH, names_in, words

SUMMED = 8  # a compact key names a crowd of up to this many points, and counts a larger one
READING_BANDS = 15  # numbers run top to bottom in this many bands of the map's height, left to right in each


@dataclass(frozen=True)
class Numbering:
    """The numbers of a map's features: the keys (feature ids; several for a crowd of points) of number 1, 2, …"""

    groups: tuple[tuple[str, ...], ...] = ()

    def numbers(self) -> dict[tuple[str, ...], int]:
        return {keys: n for n, keys in enumerate(self.groups, start=1)}

    def of_features(self) -> dict[str, int]:
        """Feature id → its number, for the numbered features."""
        return {fid: n for n, keys in enumerate(self.groups, start=1) for fid in keys}


def key_entries(features: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, numbering: Numbering,
                summed: bool = False, lang: str = ZH) -> list[tuple[str, str | None, str]]:
    """(number, feature id, name) for every numbered feature, named in edition `lang`; a crowd's members share its
    number, shown once, or (`summed`) the crowd is one entry (feature id None): its names in a row, or for more than
    SUMMED, how many projects it stands for and in which county (`counties`, projected as the features are)."""
    said, out = words(lang), []
    names = names_in(features, NAMES[lang].feature, "name_zh")
    for n, keys in enumerate(numbering.groups, start=1):
        if summed and len(keys) > SUMMED:
            place = crowd_place(features, counties, keys, lang)
            out.append((str(n), None, said["crowd"].format(place, len(keys))))
        elif summed and len(keys) > 1:
            out.append((str(n), None, said["joiner"].join(names[fid] for fid in keys)))
        else:
            out += [(str(n) if i == 0 else "", fid, names[fid]) for i, fid in enumerate(keys)]
    return out


def crowd_place(features: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, keys: tuple[str, ...],
                lang: str = ZH) -> str:
    """The county (旗县区) a crowd of points stands in, by its middle, named in edition `lang`."""
    points = features.loc[list(keys), "named_part"]
    middle = shapely.Point(sum(g.x for g in points) / len(points), sum(g.y for g in points) / len(points))
    return county_names_in(counties.iloc[[int(counties.distance(middle).argmin())]], lang)[0]


def crowds_of(features: gpd.GeoDataFrame, reach: float, before: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Groups of points closer than `reach` (the largest marker of any size, in the map's metres), or together
    `before`, every point in one group: each size spreads and numbers the same crowds, and a crowd only grows from
    round to round."""
    points = features[features.geometry.geom_type == "Point"].geometry
    crowds = labels.touching({fid: (g.x, g.y) for fid, g in points.items()}, reach)
    if not before:
        return crowds
    return labels.joined(crowds + before)


def number(features: gpd.GeoDataFrame, frame, numbered: set[str], crowds: list[tuple[str, ...]]) -> Numbering:
    """The numbered features in reading order (top to bottom in bands, then left to right), a crowd of more than
    labels.CROWD points by one number."""
    groups = [crowd for crowd in crowds if len(crowd) > labels.CROWD]
    shared = {fid for crowd in groups for fid in crowd}
    groups += [(fid,) for fid in sorted(numbered - shared)]
    x0, y0, x1, y1 = frame
    band = (y1 - y0) / READING_BANDS

    def where(keys: tuple[str, ...]) -> tuple[int, float]:
        anchors = [labels.anchor_of(features.loc[fid, "named_part"]) for fid in keys]
        x, y = sum(a.x for a in anchors) / len(anchors), sum(a.y for a in anchors) / len(anchors)
        return int((y1 - y) // band), x

    return Numbering(tuple(sorted(groups, key=where)))
