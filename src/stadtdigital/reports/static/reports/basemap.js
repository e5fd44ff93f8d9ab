/* Background for every map: the city's tile server, or else the offline GeoJSON basemap (no CDN). */
(function () {
  "use strict";
  window.stadtdigitalBasemap = function (map, config) {
    if (config.marker_icons) {
      // Full static addresses instead of Leaflet's guess from the (hashed) stylesheet name.
      L.Icon.Default.imagePath = "";
      L.Icon.Default.mergeOptions(config.marker_icons);
    }
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
      return;
    }
    if (!config.basemap || !window.fetch) { return; }
    fetch(config.basemap, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geojson) {
        if (!geojson) { return; }
        var layer = L.geoJSON(geojson, {
          interactive: false,
          style: function () { return { color: "#9aa5b1", weight: 3, opacity: 0.9 }; },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 3, color: "#6b7480", weight: 1, fillColor: "#c9d1da", fillOpacity: 1, interactive: false
            });
          }
        });
        layer.addTo(map);
        layer.bringToBack();
        if (geojson.name) { map.attributionControl.addAttribution(geojson.name); }
      })
      .catch(function () { /* the map still works without a background */ });
  };
})();
