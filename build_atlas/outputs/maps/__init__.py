"""Stage 3: the interactive maps. specs.py says what each map shows (its frame, features and context outlines),
layers.py what it draws as data (styles, symbols, legend, the scripts map pages share), page.py makes the folium
page; words.py holds what they say in each edition."""

from __future__ import annotations

from .layers import SHAPE_OUTLINES, layer_features, shared_scripts, symbol_svg
from .page import ATLAS_ASSETS, add_boundaries, add_features, map_pages, render_map
from .specs import AREA_SHARE, MapOptions, MapSpec, context_outlines, county_names, map_specs

__all__ = ["AREA_SHARE", "ATLAS_ASSETS", "MapOptions", "MapSpec", "SHAPE_OUTLINES",
           "add_boundaries", "add_features", "context_outlines", "county_names", "layer_features", "map_pages",
           "map_specs", "render_map", "shared_scripts", "symbol_svg"]
