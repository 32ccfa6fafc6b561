/* The legend as a plain Leaflet control (no branca colormap: it pulls in d3), see
   trygg.maps.legend. It is an open <details>: its <summary> folds it away by click or
   keyboard (Enter, Space), and it is never taller than maxShare of the map (it
   scrolls instead). Clicks and the wheel inside it stay in it, off the map. Once drawn,
   the map is fitted again so no place lies under it: the places go either left of the
   legend or above it, whichever lets the map zoom in further. content: the legend's
   HTML, already escaped; bounds: [[south, west], [north, east]] or null; pad: the room
   kept free around the places, in pixels; map: the Leaflet map; maxShare: the largest
   share of the map's height the legend may take (0.4). */
function tryggLegend(content, bounds, pad, map, maxShare) {
  "use strict";
  var share = maxShare || 0.4;
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div");
    div.innerHTML = content;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);
  var box = legend.getContainer().firstChild;
  function limit() {
    // A share of the map's own height: CSS max-height in % has no height to refer to
    // inside Leaflet's corner, so the stylesheet's 40vh is only the fallback.
    var height = map.getSize().y;
    if (box && height > 0) { box.style.maxHeight = Math.floor(share * height) + "px"; }
  }
  limit();
  map.on("resize", limit);
  if (!bounds) { return; }
  var area = L.latLngBounds(bounds);
  function fit() {
    // The legend's own box: its max-width holds before Leaflet's stylesheet loads.
    var rect = box.getBoundingClientRect();
    var size = map.getSize(), w = rect.width + 2 * pad, h = rect.height + 2 * pad;
    var options = [[w, pad], [pad, h]].filter(function (corner) {
      return corner[0] + pad < size.x && corner[1] + pad < size.y;
    });
    if (!options.length) { return; }  // a frame not laid out yet: wait for resize
    var zooms = options.map(function (corner) {
      return map.getBoundsZoom(area, false, L.point(corner[0] + pad, corner[1] + pad));
    });
    var best = zooms.indexOf(Math.max.apply(null, zooms));
    map.fitBounds(area, {paddingTopLeft: [pad, pad], paddingBottomRight: options[best]});
  }
  // Until the user moves the map, keep it fitted when its frame changes size.
  var touched = false;
  ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
    map.getContainer().addEventListener(name, function () { touched = true; });
  });
  map.on("resize", function () { if (!touched) { fit(); } });
  fit();
}
