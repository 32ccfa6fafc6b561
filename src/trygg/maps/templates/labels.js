/* Permanent place names, placed so they do not overlap (trygg.maps.build).
   Larger places come first. A label sits on its place when it fits inside, else beside
   it (right, left, below, above), never over another label, the legend or a place it is
   not nested with; one that fits nowhere hides until the user zooms in.
   labels: [{text, lat, lon, bounds: [[south, west], [north, east]]}], text already HTML;
   map: the Leaflet map. */
function tryggPlaceLabels(labels, map) {
  "use strict";
  var items = labels.map(function (l) {
    var icon = L.divIcon({className: "trygg-label", html: "<span>" + l.text + "</span>",
                          iconSize: null});
    var marker = L.marker([l.lat, l.lon], {icon: icon, interactive: false,
                                            keyboard: false}).addTo(map);
    return {marker: marker, bounds: L.latLngBounds(l.bounds)};
  });
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function candidates(item, w, h) {
    var at = map.latLngToContainerPoint(item.marker.getLatLng());
    var sw = map.latLngToContainerPoint(item.bounds.getSouthWest());
    var ne = map.latLngToContainerPoint(item.bounds.getNorthEast());
    var gap = 5, mid = -h / 2, centre = -w / 2;
    var beside = [[ne.x - at.x + gap, mid], [sw.x - at.x - w - gap, mid],
                  [centre, sw.y - at.y + gap], [centre, ne.y - at.y - h - gap]];
    var inside = ne.x - sw.x > w && sw.y - ne.y > h;
    var offsets = inside ? [[centre, mid]].concat(beside) : beside;
    return offsets.map(function (o) {
      return {dx: o[0], dy: o[1], left: at.x + o[0], top: at.y + o[1],
              right: at.x + o[0] + w, bottom: at.y + o[1] + h};
    });
  }
  function pixelBox(bounds) {
    var sw = map.latLngToContainerPoint(bounds.getSouthWest());
    var ne = map.latLngToContainerPoint(bounds.getNorthEast());
    return {left: sw.x, top: ne.y, right: ne.x, bottom: sw.y};
  }
  function nested(a, b) { return a.contains(b) || b.contains(a); }
  function controlBoxes() {
    var frame = map.getContainer().getBoundingClientRect();
    return [].map.call(map.getContainer().querySelectorAll(".trygg-legend"), function (el) {
      var r = el.getBoundingClientRect();
      return {left: r.left - frame.left, top: r.top - frame.top,
              right: r.right - frame.left, bottom: r.bottom - frame.top};
    });
  }
  function layout() {
    var size = map.getSize(), taken = controlBoxes();
    var boxes = items.map(function (item) { return pixelBox(item.bounds); });
    items.forEach(function (item) {
      var element = item.marker.getElement();
      if (!element || !element.firstChild) { return; }
      var span = element.firstChild;
      var others = boxes.filter(function (box, i) {
        return !nested(item.bounds, items[i].bounds);
      });
      var spot = candidates(item, span.offsetWidth, span.offsetHeight).find(function (c) {
        var onMap = c.left >= 0 && c.top >= 0 && c.right <= size.x && c.bottom <= size.y;
        var clash = function (other) { return overlaps(c, other); };
        return onMap && !taken.some(clash) && !others.some(clash);
      });
      span.style.visibility = spot ? "visible" : "hidden";
      if (spot) {
        span.style.transform = "translate(" + spot.dx + "px," + spot.dy + "px)";
        taken.push(spot);
      }
    });
  }
  map.on("zoomend moveend resize", layout);
  map.whenReady(function () { setTimeout(layout, 0); });
}
