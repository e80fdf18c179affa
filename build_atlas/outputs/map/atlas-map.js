/* The atlas's map behaviour on top of Leaflet and folium (loaded before folium's script; see build_atlas/outputs/maps/):
   controls that fold away on phones, reset view and fullscreen, Chinese labels, gestures that leave the page
   scrollable, popups kept clear of the controls, and the controls first in the Tab order. */
(function () {
  "use strict";
  var NARROW = "@narrow@";  // the map's own size: a phone, or a small frame

  // Inside the atlas's own page (its iframe is named so) the page already shows the title, date and source.
  if (window.name === "atlas-map") {
    document.documentElement.classList.add("atlas-inpage");
  }

  // Popups open fully in view and clear of the controls: panned by keepClear below instead of Leaflet's autoPan,
  // which knows only the map's edges.
  L.Popup.mergeOptions({autoPan: false, maxWidth: 250});
  var MARGIN = 8;

  function keepClear(map, popup) {
    var box = map.getContainer().getBoundingClientRect();
    var rect = popup.getElement().getBoundingClientRect();
    var dx = rect.left < box.left + MARGIN ? box.left + MARGIN - rect.left
      : rect.right > box.right - MARGIN ? box.right - MARGIN - rect.right : 0;
    var left = rect.left + dx, right = rect.right + dx, top = box.top + MARGIN, bottom = box.bottom - MARGIN;
    map.getContainer().querySelectorAll(".leaflet-control, .atlas-caption").forEach(function (control) {
      var r = control.getBoundingClientRect();
      if (!r.width || !r.height || r.right <= left || r.left >= right) {
        return;
      }
      if (r.top + r.height / 2 < box.top + box.height / 2) {
        top = Math.max(top, r.bottom + MARGIN);
      } else {
        bottom = Math.min(bottom, r.top - MARGIN);
      }
    });
    var dy = rect.top < top ? top - rect.top : rect.bottom > bottom ? Math.max(bottom - rect.bottom, top - rect.top) : 0;
    if (dx || dy) {
      map.panBy([-dx, -dy]);
    }
  }

  // A point drawn in its kind's shape: a CircleMarker whose `outline` option gives the vertices of a unit shape.
  L.AtlasSymbol = L.CircleMarker.extend({
    _updatePath: function () {
      var outline = this.options.outline;
      if (!outline || !this._renderer._setPath || this._empty()) {
        return L.CircleMarker.prototype._updatePath.call(this);
      }
      var p = this._point, r = this._radius;
      this._renderer._setPath(this, "M" + outline.map(function (v) {
        return (p.x + v[0] * r) + " " + (p.y + v[1] * r);
      }).join("L") + "z");
    }
  });

  function button(bar, text, title, onClick) {
    var link = L.DomUtil.create("a", "", bar);
    link.href = "#";
    link.textContent = text;
    link.title = title;
    link.setAttribute("role", "button");
    link.setAttribute("aria-label", title);
    L.DomEvent.on(link, "click", function (event) {
      L.DomEvent.preventDefault(event);
      onClick();
    });
    return link;
  }

  var Reset = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var bar = L.DomUtil.create("div", "leaflet-bar atlas-reset");
      button(bar, "复位", "复位：回到本图范围", this.options.reset);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });

  function narrow() {
    return window.matchMedia(NARROW).matches;
  }

  // A county's name gives way where, at this zoom, it would cover a city's name, another county's name or a
  // project's symbol: the city names and the symbols are drawn where they are, county names fill in. On a city map
  // a name waits instead for the zoom at which it fits inside its county (`data-room`: the radius, in degrees of
  // latitude, of the widest circle inside the county round the name's anchor), and lies under the symbols
  // (namesPane), so that on a city full of projects the names still show.
  function fits(map, label, box) {
    var room = parseFloat(label.getAttribute("data-room"));
    if (!room) {
      return true;
    }
    var anchor = map.containerPointToLatLng(L.point((box.left + box.right) / 2 - map.getContainer()
      .getBoundingClientRect().left, (box.top + box.bottom) / 2 - map.getContainer().getBoundingClientRect().top));
    var radius = Math.abs(map.latLngToContainerPoint(anchor).y
      - map.latLngToContainerPoint(L.latLng(anchor.lat + room, anchor.lng)).y);
    return box.width / 2 <= radius && box.height / 2 <= radius;
  }

  function declutter(map, container) {
    function text(element) {
      var range = document.createRange();
      range.selectNodeContents(element);
      return range.getBoundingClientRect();
    }
    function meets(a, b) {
      return a.left < b.right + 2 && b.left < a.right + 2 && a.top < b.bottom + 2 && b.top < a.bottom + 2;
    }
    var taken = Array.prototype.map.call(container.querySelectorAll(".atlas-city-label"), text);
    container.querySelectorAll(".leaflet-overlay-pane path.leaflet-interactive").forEach(function (path) {
      var box = path.getBoundingClientRect();
      if (box.width && box.width < 30 && box.height < 30) {  // a point symbol, not a line or an outline
        taken.push(box);
      }
    });
    var names = taken.slice(0, container.querySelectorAll(".atlas-city-label").length);
    var frame = container.getBoundingClientRect();
    container.querySelectorAll(".atlas-county-label").forEach(function (label) {
      var box = text(label), under = label.hasAttribute("data-room");
      var whole = box.left >= frame.left && box.right <= frame.right && box.top >= frame.top
        && box.bottom <= frame.bottom;  // a name cut by the map's edge is not read
      var free = whole && fits(map, label, box) && (under ? names : taken).every(function (other) {
        return !meets(box, other);
      });
      label.style.visibility = free ? "" : "hidden";
      if (free) {
        taken.push(box);
        names.push(box);
      }
    });
  }

  function namesPane(map) {
    if (!map.getPane("atlas-names")) {
      map.createPane("atlas-names").style.zIndex = 350;  // above the tiles (200), under the shapes (400)
    }
    return "atlas-names";
  }

  function enhance(map, options) {
    var container = map.getContainer();
    container.setAttribute("role", "main");  // the map is the page's content (a landmark for screen readers)
    container.setAttribute("aria-label", document.title);
    var frame = L.latLngBounds(options.frame);
    if (window.atlasLinkBase) {  // a single-file copy links to the atlas by its full address (atlas-embed.js)
      linkBase = window.atlasLinkBase;
    } else if (options.linkBase !== undefined) {
      linkBase = options.linkBase;
    }
    function reset(animate) {
      map.fitBounds(frame, {paddingBottomRight: L.point(narrow() ? 0 : options.controlsWidth, 0), animate: animate});
    }
    if (narrow()) {
      reset(false);  // on a phone the controls fold away: the subject may use the whole width
    }
    L.control.zoom({zoomInTitle: "放大", zoomOutTitle: "缩小"}).addTo(map);
    new Reset({reset: reset}).addTo(map);
    if (document.fullscreenEnabled && L.Control.FullScreen) {
      new L.Control.FullScreen({title: "全屏显示", titleCancel: "退出全屏", forceSeparateButton: true}).addTo(map);
    }
    var layers = L.control.layers({}, options.overlays, {collapsed: narrow(), position: "topright"}).addTo(map);
    if (layers._layersLink) {
      layers._layersLink.title = "图层";
      layers._layersLink.setAttribute("aria-label", "图层");
    }
    var legend = container.querySelector(".atlas-legend");
    if (legend && narrow()) {
      legend.open = false;
    }
    window.addEventListener("beforeprint", function () {
      if (legend) {
        legend.open = true;
      }
    });
    // Desktop: the wheel zooms with Ctrl/⌘ (gesture handling), or freely once the reader has clicked into the map.
    container.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && map.gestureHandling && map.gestureHandling.enabled()) {
        map.gestureHandling.disable();
      }
    });
    container.addEventListener("mouseleave", function () {
      if (map.gestureHandling && !map.gestureHandling.enabled()) {
        map.gestureHandling.enable();
      }
    });
    if (container.querySelector(".atlas-county-label")) {
      map.on("zoomend moveend resize", function () { declutter(map, container); });
      map.whenReady(function () { declutter(map, container); });
    }
    map.on("popupopen", function (event) {
      keepClear(map, event.popup);
    });
    container.querySelectorAll(".atlas-legend input[data-phase]").forEach(function (box) {
      box.addEventListener("change", function () {
        showPhase(map, box.getAttribute("data-phase"), box.checked);
      });
    });
    // Keyboard: the controls come before the drawn shapes (they stay on top through their z-index).
    container.insertBefore(map._controlContainer, container.firstChild);
  }

  // Every drawn shape's name as a tooltip and, for projects, its popup (name, kind, status, link to its page): one
  // function shared by all layers instead of folium's tooltip and popup code repeated in each.
  // A project's popup: its names, kind, status and precision (escaped by build_atlas/outputs/maps/layers.py), and its page.
  var linkBase = "../";

  function popup(properties) {
    return "<strong>" + properties.label + "</strong><br>" + properties.en + "<br>" + properties.note
      + '<br><a href="' + linkBase + "@project-page-before-id@" + properties.id + '@project-page-after-id@" target="_top">项目页与相关条款 →</a>';
  }

  // The drawn projects by phase (built, under construction, planned): the legend's check boxes show or hide them.
  var byPhase = {};

  function showPhase(map, phase, shown) {
    function show(layer) {
      if (layer.eachLayer) {  // a multi-site project: a group of points
        layer.eachLayer(show);
        return;
      }
      var element = layer.getElement && layer.getElement();
      if (element) {
        element.style.display = shown ? "" : "none";
      }
    }
    (byPhase[phase] || []).forEach(function (layer) {
      show(layer);
      if (!shown && layer.isPopupOpen && layer.isPopupOpen()) {
        map.closePopup();
      }
    });
  }

  // A county's popup: its name and its page (a tap on a phone, where a tooltip would not stay).
  function countyPopup(properties) {
    return "<strong>" + properties.name_zh + '</strong><br><a href="' + linkBase + "@county-page-before-id@"
      + properties.key + '@county-page-after-id@" target="_top">本地的规划项目与举措 →</a>';
  }

  function bindFeature(feature, layer) {
    var properties = feature.properties;
    if (properties.phase) {
      (byPhase[properties.phase] = byPhase[properties.phase] || []).push(layer);
    }
    layer.bindTooltip(properties.label || properties.name_zh, {sticky: true, className: "foliumtooltip"});
    if (properties.note !== undefined) {
      layer.bindPopup(function () { return popup(properties); }, {className: "foliumpopup"});
    } else if (properties.key !== undefined) {
      layer.bindPopup(function () { return countyPopup(properties); }, {className: "foliumpopup"});
      layer.on("popupopen", function () { layer.closeTooltip(); });  // the popup says the name already
    }
  }

  // The features a map draws from a shared layer script (atlasFeatures), in the map's order.
  function pick(collection, ids) {
    var byId = {};
    collection.features.forEach(function (feature) { byId[feature.properties.id] = feature; });
    return {type: "FeatureCollection", features: ids.map(function (id) { return byId[id]; })};
  }

  // The shared outline scripts carry each polygon ring as an encoded polyline (build_atlas/outputs/maps/layers.py `packed`).
  var PRECISION = 3;

  function ring(encoded) {
    return polyline.toGeoJSON(encoded, PRECISION).coordinates;
  }

  function unpack(collection) {
    collection.features.forEach(function (feature) {
      var geometry = feature.geometry;
      geometry.coordinates = geometry.type === "Polygon" ? geometry.coordinates.map(ring)
        : geometry.coordinates.map(function (polygon) { return polygon.map(ring); });
    });
    return collection;
  }

  window.atlasMap = {enhance: enhance, narrow: narrow, bindFeature: bindFeature, unpack: unpack, pick: pick,
                     namesPane: namesPane};
})();
