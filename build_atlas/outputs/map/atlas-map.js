/* The atlas's map behaviour on top of Leaflet and folium (loaded before folium's script; see build_atlas/outputs/maps/):
   controls that fold away on phones, reset view and fullscreen, labels in the map's language (its words come with
   `enhance`, from the maps' words.py), a metric scale, gestures that leave the page scrollable, popups kept clear
   of the controls, and the controls first in the Tab order. */
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

  // How far the map must pan so that a popup sits inside it and clear of the controls; and where it then is.
  function clearance(map, popup) {
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
    return {dx: dx, dy: dy, rect: {left: rect.left + dx, right: rect.right + dx, top: rect.top + dy,
                                   bottom: rect.bottom + dy}};
  }

  // Two boxes meet when they overlap or come within `margin` pixels of each other.
  function overlaps(a, b, margin) {
    var m = margin || 0;
    return a.left < b.right + m && b.left < a.right + m && a.top < b.bottom + m && b.top < a.bottom + m;
  }

  function inside(box, frame) {
    return box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;
  }

  // A popup is never under the legend: where panning cannot keep them apart, the legend folds away; a legend opened
  // over an open popup closes the popup.
  function keepPopupsClear(map, legend) {
    map.on("popupopen", function (event) {
      var plan = clearance(map, event.popup);
      if (legend && legend.open && overlaps(plan.rect, legend.getBoundingClientRect())) {
        legend.open = false;
        plan = clearance(map, event.popup);
      }
      if (plan.dx || plan.dy) {
        map.panBy([-plan.dx, -plan.dy]);
      }
    });
    if (legend) {
      legend.addEventListener("toggle", function () {
        var open = map._popup && map.hasLayer(map._popup) && map._popup.getElement();
        if (legend.open && open && overlaps(open.getBoundingClientRect(), legend.getBoundingClientRect())) {
          map.closePopup();
        }
      });
    }
  }

  // Until the reader opens them, the panels (legend, layer list and buttons) cover at most this share of a map.
  var PANELS = 0.2;

  function panelShare(container) {
    var box = container.getBoundingClientRect(), covered = 0;
    container.querySelectorAll(".leaflet-control").forEach(function (control) {
      var r = control.getBoundingClientRect();
      covered += r.width * r.height;
    });
    return covered / (box.width * box.height);
  }

  // A point drawn in its kind's shape: a CircleMarker whose `outline` option gives the vertices of a unit shape.
  // A finger or a pointer reaches it anywhere within HIT_RADIUS of its centre: an unpainted circle under the
  // drawing (SVG maps only) answers for it, so that a small symbol is still a 24 px target.
  var HIT_RADIUS = 12;

  L.AtlasSymbol = L.CircleMarker.extend({
    onAdd: function (map) {
      L.CircleMarker.prototype.onAdd.call(this, map);
      if (this.options.interactive !== false && this._path && this._path.parentNode && L.SVG.create) {
        this._hit = L.SVG.create("circle");
        this._hit.setAttribute("class", "atlas-hit");
        this._path.parentNode.insertBefore(this._hit, this._path);
        this.addInteractiveTarget(this._hit);
        this._placeHit();
      }
    },
    onRemove: function (map) {
      if (this._hit) {
        this.removeInteractiveTarget(this._hit);
        L.DomUtil.remove(this._hit);
        this._hit = null;
      }
      L.CircleMarker.prototype.onRemove.call(this, map);
    },
    _placeHit: function () {
      if (this._hit) {
        this._hit.setAttribute("cx", this._point.x);
        this._hit.setAttribute("cy", this._point.y);
        this._hit.setAttribute("r", this._empty() ? 0 : HIT_RADIUS);
      }
    },
    _updatePath: function () {
      this._placeHit();
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
      button(bar, words.reset, words.reset_title, this.options.reset);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });

  function narrow() {
    return window.matchMedia(NARROW).matches;
  }

  // The scale in metres and kilometres only (Leaflet's default adds miles and feet), in the map's words.
  var Scale = L.Control.Scale.extend({
    options: {imperial: false, metric: true},
    _updateMetric: function (maxMeters) {
      var meters = this._getRoundNum(maxMeters);
      this._updateScale(this._mScale, meters < 1000 ? words.metres.replace("{}", meters)
        : words.kilometres.replace("{}", meters / 1000), meters / maxMeters);
    }
  });

  // A county's name gives way where, at this zoom, it would cover a city's name, another county's name or a
  // project's symbol: the city names and the symbols are drawn where they are, county names fill in. On a city map
  // a name waits instead for the zoom at which it fits inside its county (`data-room`: the radius, in degrees of
  // latitude, of the widest circle inside the county round the name's anchor), and lies under the symbols
  // (namesPane), so that on a city full of projects the names still show.
  function fits(map, label, box, frame) {
    var room = parseFloat(label.getAttribute("data-room"));
    if (!room) {
      return true;
    }
    var anchor = map.containerPointToLatLng(L.point((box.left + box.right) / 2 - frame.left,
                                                    (box.top + box.bottom) / 2 - frame.top));
    var radius = Math.abs(map.latLngToContainerPoint(anchor).y
      - map.latLngToContainerPoint(L.latLng(anchor.lat + room, anchor.lng)).y);
    return box.width / 2 <= radius && box.height / 2 <= radius;
  }

  // Where a line's name goes at this zoom: the middle of the longest stretch of the line inside the map's view
  // (Leaflet's clipped parts, in layer pixels, cut again to the view), or null when none of it is in view.
  function lineAnchor(map, layer) {
    var view = L.bounds(map.containerPointToLayerPoint([0, 0]), map.containerPointToLayerPoint(map.getSize()));
    var best = null, bestLength = 0;
    (layer._parts || []).forEach(function (part) {
      var stretch = [];
      function close() {
        var length = 0;
        for (var j = 1; j < stretch.length; j++) {
          length += stretch[j].distanceTo(stretch[j - 1]);
        }
        if (length > bestLength) {
          best = stretch;
          bestLength = length;
        }
        stretch = [];
      }
      for (var i = 1; i < part.length; i++) {
        var piece = L.LineUtil.clipSegment(part[i - 1], part[i], view, false, true);
        if (!piece) {
          close();
          continue;
        }
        if (!stretch.length || !stretch[stretch.length - 1].equals(piece[0])) {
          close();
          stretch.push(piece[0]);
        }
        stretch.push(piece[1]);
      }
      close();
    });
    var half = bestLength / 2;
    for (var k = 1; best && k < best.length; k++) {
      var step = best[k].distanceTo(best[k - 1]);
      if (half <= step) {
        return map.layerPointToLatLng(best[k - 1].add(best[k].subtract(best[k - 1]).multiplyBy(half / step)));
      }
      half -= step;
    }
    return null;
  }

  // Every box is read before any name is shown or hidden: one layout, not one per name.
  function declutter(map, container) {
    Object.keys(projectNames).forEach(function (id) {  // first the lines' names move to the middle of what is in view
      var name = projectNames[id];
      if (!name.point && name.layer && name.marker && name.marker._map) {
        var at = name.layer.getLayers ? null : lineAnchor(map, name.layer);
        var label = name.marker.getElement() && name.marker.getElement().firstChild;
        if (at) {
          name.marker.setLatLng(at);
        }
        if (label) {
          label.toggleAttribute("data-away", !at);
        }
      }
    });
    function text(element) {
      var range = document.createRange();
      range.selectNodeContents(element);
      return range.getBoundingClientRect();
    }
    function meets(a, b) {
      return overlaps(a, b, 2);
    }
    var taken = Array.prototype.map.call(container.querySelectorAll(".atlas-city-label"), text);
    var names = taken.slice();
    container.querySelectorAll(".leaflet-overlay-pane path.leaflet-interactive").forEach(function (path) {
      var box = path.getBoundingClientRect();
      if (box.width && box.width < 30 && box.height < 30) {  // a point symbol, not a line or an outline
        taken.push(box);
      }
    });
    var frame = container.getBoundingClientRect();
    var labels = Array.prototype.map.call(container.querySelectorAll(".atlas-county-label"), function (label) {
      return {label: label, box: text(label)};
    });
    labels.forEach(function (item) {
      var box = item.box, under = item.label.hasAttribute("data-room");
      // a name cut by the map's edge is not read
      item.free = inside(box, frame) && fits(map, item.label, box, frame)
        && (under ? names : taken).every(function (other) { return !meets(box, other); });
      if (item.free) {
        taken.push(box);
        names.push(box);
      }
    });
    // then the projects' names, biggest first, where they cover no name and no symbol (their own project shown)
    var projects = Array.prototype.filter.call(container.querySelectorAll(".atlas-project-label"), function (label) {
      return label.parentNode.style.display !== "none" && !label.hasAttribute("data-away");
    }).sort(function (a, b) {
      return a.getAttribute("data-rank") - b.getAttribute("data-rank");
    }).map(function (label) {
      return {label: label, box: text(label)};
    });
    projects.forEach(function (item) {
      var box = item.box;
      item.free = inside(box, frame) && taken.every(function (other) { return !meets(box, other); });
      if (item.free) {
        taken.push(box);
      }
    });
    container.querySelectorAll(".atlas-project-label[data-away]").forEach(function (label) {
      label.style.visibility = "hidden";
    });
    labels.concat(projects).forEach(function (item) {
      item.label.style.visibility = item.free ? "visible" : "hidden";
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
    words = options.words;
    if (window.atlasLinkBase) {  // a single-file copy links to the atlas by its full address (atlas-embed.js)
      linkBase = window.atlasLinkBase;
    } else if (options.linkBase !== undefined) {
      linkBase = options.linkBase;
    }
    var legend = container.querySelector(".atlas-legend");
    function reset(animate) {
      var room = legend && legend.open ? legend.offsetWidth + 2 * MARGIN : 0;  // the subject beside an open legend
      map.fitBounds(frame, {paddingBottomRight: L.point(room, 0), animate: animate});
    }
    L.control.zoom({zoomInTitle: words.zoom_in, zoomOutTitle: words.zoom_out}).addTo(map);
    new Reset({reset: reset}).addTo(map);
    if (document.fullscreenEnabled && L.Control.FullScreen) {
      new L.Control.FullScreen({title: words.fullscreen, titleCancel: words.fullscreen_off, forceSeparateButton: true})
        .addTo(map);
    }
    new Scale().addTo(map);
    var layers = L.control.layers({}, options.overlays, {collapsed: true, position: "topright"}).addTo(map);
    if (layers._layersLink) {
      layers._layersLink.title = words.layers;
      layers._layersLink.setAttribute("aria-label", words.layers);
    }
    // The legend starts open where it leaves the map most of its room (a desktop), folded on a phone or a small frame.
    if (legend && (narrow() || panelShare(container) > PANELS)) {
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
    var named = container.querySelector(".atlas-county-label") || Object.keys(projectNames).length;
    keepPopupsClear(map, legend);
    container.querySelectorAll(".atlas-legend input[data-phase]").forEach(function (box) {
      box.addEventListener("change", function () {
        showPhase(map, box.getAttribute("data-phase"), box.checked);
      });
    });
    // Keyboard: the controls come before the drawn shapes (they stay on top through their z-index).
    container.insertBefore(map._controlContainer, container.firstChild);
    // The map's work in short turns of the browser's loop, none long enough to hold up a reader's tap: the page's
    // script (folium's layers, made above), the map's only framing (the page script sets no view, so Leaflet draws
    // every shape once), each layer of the layer list drawn in a turn of its own (the overview's 219 projects at once
    // were the longest task of the home page), then the names. `atlas-ready` marks the end.
    var layers = Object.keys(options.overlays).map(function (name) { return options.overlays[name]; })
      .filter(function (layer) { return map.hasLayer(layer); });
    layers.forEach(function (layer) { map.removeLayer(layer); });  // not yet drawn: taken back until its turn
    function draw(index) {
      if (index < layers.length) {
        layers[index].addTo(map);
        setTimeout(function () { draw(index + 1); }, 0);
        return;
      }
      if (named) {
        declutter(map, container);
        // after the renderer's own handlers, added with the first shape: names go where the shapes now are
        map.on("zoomend moveend resize overlayadd overlayremove", function () { declutter(map, container); });
      }
      container.classList.add("atlas-ready");
    }
    setTimeout(function () {
      reset(false);
      draw(0);
    }, 0);
  }

  // Every drawn shape's name as a tooltip and, for projects, its popup (name, kind, status, link to its page): one
  // function shared by all layers instead of folium's tooltip and popup code repeated in each.
  // A project's popup: its name (on an English map also its Chinese one, the official name), kind, status and
  // precision (escaped by build_atlas/outputs/maps/layers.py), and its page in the map's edition.
  var linkBase = "../";
  var words = {};  // the map's words, given to enhance

  function named(properties) {  // a name the data has only in Chinese is marked so on an English map
    return properties.labelZh ? '<span lang="zh">' + properties.label + "</span>" : properties.label;
  }

  function popup(properties) {
    return "<strong>" + named(properties) + "</strong>"
      + (properties.zh ? '<br><span lang="zh">' + properties.zh + "</span>" : "") + "<br>" + properties.note
      + '<br><a href="' + linkBase + "@project-page-before-id@" + properties.id + '@project-page-after-id@" target="_top">'
      + words.project_link + "</a>";
  }

  // The drawn projects by phase (built, under construction, planned): the legend's check boxes show or hide them.
  var byPhase = {};

  function showPhase(map, phase, shown) {
    function show(layer) {
      if (layer.eachLayer) {  // a multi-site project: a group of points
        layer.eachLayer(show);
        return;
      }
      [layer.getElement && layer.getElement(), layer._hit].forEach(function (element) {
        if (element) {
          element.style.display = shown ? "" : "none";
        }
      });
    }
    (byPhase[phase] || []).forEach(function (layer) {
      show(layer);
      if (layer.atlasName && layer.atlasName.getElement()) {
        layer.atlasName.getElement().style.display = shown ? "" : "none";
      }
      if (!shown && layer.isPopupOpen && layer.isPopupOpen()) {
        map.closePopup();
      }
    });
    declutter(map, map.getContainer());  // the names of the projects now shown, or of those freed
  }

  // A county's popup: its name and its page (a tap on a phone, where a tooltip would not stay).
  function countyPopup(properties) {
    return "<strong>" + properties.name + '</strong><br><a href="' + linkBase + "@county-page-before-id@"
      + properties.key + '@county-page-after-id@" target="_top">' + words.county_link + "</a>";
  }

  // The projects' names a map may write (page.py ProjectNames: [id, name, lat, lon, beside a point], biggest first):
  // each comes and goes with its project's layer and is shown by declutter where it fits. A line's name is centred
  // in a box `width` pixels wide (its language's longest names fit).
  var projectNames = {}, nameWidth = 180;

  function names(list, width) {
    nameWidth = width || nameWidth;
    list.forEach(function (entry, rank) {
      projectNames[entry[0]] = {text: entry[1], at: [entry[2], entry[3]], point: entry[4], rank: rank};
    });
  }

  function nameMarker(name) {
    var point = name.point;  // beside a symbol, or centred on its line
    return L.marker(name.at, {interactive: false, keyboard: false, icon: L.divIcon({
      className: "", iconSize: [nameWidth, 16], iconAnchor: point ? [-13, 8] : [nameWidth / 2, 8],
      html: '<div class="atlas-project-label' + (point ? " atlas-beside" : "") + '" data-rank="' + name.rank + '">'
        + name.text + "</div>"})});
  }

  function bindName(layer, name) {
    name.layer = layer;
    layer.on("add", function (event) {
      name.marker = name.marker || nameMarker(name);
      name.marker.addTo(event.target._map);
      layer.atlasName = name.marker;
    });
    layer.on("remove", function () {
      if (name.marker) {
        name.marker.remove();
      }
    });
  }

  function bindFeature(feature, layer) {
    var properties = feature.properties;
    if (properties.phase) {
      (byPhase[properties.phase] = byPhase[properties.phase] || []).push(layer);
    }
    if (projectNames[properties.id]) {
      bindName(layer, projectNames[properties.id]);
    }
    layer.bindTooltip(properties.label ? named(properties) : properties.name, {sticky: true,
                                                                               className: "foliumtooltip"});
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
                     namesPane: namesPane, names: names};
})();
