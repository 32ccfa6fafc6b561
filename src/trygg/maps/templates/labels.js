/* The places for a reader (trygg.maps.view): a permanent name on each place, its name on
   hover and keyboard focus, the button "Visa hela kommunen", and a view that follows
   the chosen place.
   Each name is anchored to its place's label point (a point inside the place, fixed at
   import), so it stays on its place whatever the map is coloured by: centred on it, or
   else touching it from one side. Larger places come first; a name that would cover
   another name or a control, or leave the map, waits until the user zooms in. Every place is focusable and named (aria-label, from its
   label's text), so Leaflet shows its tooltip on focus as on hover; Enter or Space
   chooses it, as a click does.
   labels: [{place_id, text, lat, lon, bounds: [[south, west], [north, east]]}], text
   already HTML; options: {reset: the button's text, pad: the room kept around the
   places in pixels, maxZoom: the closest view of a chosen place}; map: the Leaflet map.
   Gives the map tryggShow(bounds): fit it to bounds (null: every place), clear of the
   legend and the buttons, and keep it so while the frame changes size, until the user
   moves the map. */
function tryggPlaceLabels(labels, options, map) {
  "use strict";
  var items = labels.map(function (l) {
    var icon = L.divIcon({className: "trygg-label", html: "<span>" + l.text + "</span>",
                          iconSize: null});
    var marker = L.marker([l.lat, l.lon], {icon: icon, interactive: false,
                                            keyboard: false}).addTo(map);
    return {marker: marker, id: l.place_id, bounds: L.latLngBounds(l.bounds)};
  });
  var everything = L.latLngBounds([]);
  items.forEach(function (item) { everything.extend(item.bounds); });
  var view = {bounds: everything, touched: false};

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function boxOf(element) {
    var frame = map.getContainer().getBoundingClientRect(), r = element.getBoundingClientRect();
    return {left: r.left - frame.left, top: r.top - frame.top,
            right: r.right - frame.left, bottom: r.bottom - frame.top,
            width: r.width, height: r.height};
  }
  function controlBoxes() {
    var controls = map.getContainer().querySelectorAll(".leaflet-control");
    return [].map.call(controls, boxOf).filter(function (b) { return b.width > 0; });
  }
  function candidates(at, w, h, size) {
    // Each box holds the label point: centred on it, else with the point at its left,
    // right, top or bottom edge; moved along its edge to stay inside the map.
    var gap = 3, offsets = [[-w / 2, -h / 2], [-gap, -h / 2], [gap - w, -h / 2],
                            [-w / 2, -gap], [-w / 2, gap - h]];
    return offsets.map(function (o) {
      var dx = Math.min(Math.max(o[0], -at.x), size.x - at.x - w);
      var dy = Math.min(Math.max(o[1], -at.y), size.y - at.y - h);
      return {dx: dx, dy: dy, left: at.x + dx, top: at.y + dy, right: at.x + dx + w,
              bottom: at.y + dy + h};
    }).filter(function (c) {
      return c.left <= at.x && at.x <= c.right && c.top <= at.y && at.y <= c.bottom &&
        c.left >= 0 && c.top >= 0 && c.right <= size.x && c.bottom <= size.y;
    });
  }
  function layout() {
    var size = map.getSize(), taken = controlBoxes();
    items.forEach(function (item) {
      var element = item.marker.getElement();
      if (!element || !element.firstChild) { return; }
      var span = element.firstChild, w = span.offsetWidth, h = span.offsetHeight;
      var at = map.latLngToContainerPoint(item.marker.getLatLng());
      var spot = candidates(at, w, h, size).find(function (c) {
        return !taken.some(function (other) { return overlaps(c, other); });
      });
      span.style.visibility = spot ? "visible" : "hidden";
      if (spot) {
        span.style.transform = "translate(" + spot.dx + "px," + spot.dy + "px)";
        taken.push(spot);
      }
    });
  }

  function focusable() {
    var names = {};
    items.forEach(function (item) {
      var element = item.marker.getElement();
      names[item.id] = element ? element.textContent : "";
    });
    map.eachLayer(function (layer) {
      var properties = layer.feature && layer.feature.properties;
      var path = layer._path;
      if (!properties || !path || !names[properties.place_id]) { return; }
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", names[properties.place_id]);
      L.DomEvent.on(path, "keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") { return; }
        L.DomEvent.preventDefault(event);
        layer.fire("click", {latlng: layer.getCenter(), layer: layer, originalEvent: event},
                   true);
      });
    });
  }

  function clearance() {
    // The room the corners' controls take: the places go beside or below the buttons
    // and beside or above the legend, whichever lets the map zoom in further.
    var pad = options.pad, corner = map.getContainer();
    var topLeft = corner.querySelector(".leaflet-top.leaflet-left");
    var legend = corner.querySelector(".trygg-legend");
    var starts = [[pad, pad]], ends = [[pad, pad]];
    if (topLeft) {
      var a = boxOf(topLeft);
      starts = [[a.right + pad, pad], [pad, a.bottom + pad]];
    }
    if (legend) {
      var b = boxOf(legend);
      ends = [[b.width + 2 * pad, pad], [pad, b.height + 2 * pad]];
    }
    var size = map.getSize(), found = [];
    starts.forEach(function (start) {
      ends.forEach(function (end) {
        if (start[0] + end[0] < size.x && start[1] + end[1] < size.y) {
          found.push({start: start, end: end});
        }
      });
    });
    return found;
  }
  function fit() {
    if (!view.bounds.isValid()) { return; }
    var choices = clearance();
    if (!choices.length) { return; }  // a frame not laid out yet: wait for resize
    var zooms = choices.map(function (c) {
      return map.getBoundsZoom(view.bounds, false,
                               L.point(c.start[0] + c.end[0], c.start[1] + c.end[1]));
    });
    var best = choices[zooms.indexOf(Math.max.apply(null, zooms))];
    map.fitBounds(view.bounds, {paddingTopLeft: best.start, paddingBottomRight: best.end,
                                maxZoom: options.maxZoom, animate: false});
  }
  function settle() {
    // Another fitting (the legend's) may have started an animated zoom that begins at
    // the next frame and would end elsewhere: fit again once it is over.
    fit();
    L.Util.requestAnimFrame(function () {
      if (map._animatingZoom) { map.once("zoomend", fit); }
    });
  }

  if (items.length) {
    var Reset = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var bar = L.DomUtil.create("div", "leaflet-bar trygg-reset");
        var button = L.DomUtil.create("button", "", bar);
        button.type = "button";
        button.textContent = options.reset;
        L.DomEvent.disableClickPropagation(bar);
        L.DomEvent.on(button, "click", function () { map.tryggShow(null); });
        return bar;
      }
    });
    new Reset().addTo(map);
  }
  var following = false;
  map.tryggShow = function (bounds) {
    view.bounds = bounds ? L.latLngBounds(bounds) : everything;
    view.touched = false;
    if (!following) {
      // Listening from the first call on, after the legend's own fitting (it is drawn
      // after the names), so on a resize this view is the last word.
      following = true;
      map.on("resize", function () { if (!view.touched) { settle(); } });
    }
    settle();
  };
  ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
    map.getContainer().addEventListener(name, function () { view.touched = true; });
  });
  map.on("zoomend moveend resize", layout);
  focusable();
  map.whenReady(function () { setTimeout(layout, 0); });
}
