/* Back office: the areas of responsibility on a map (the table on the page lists the same without JS). */
(function () {
  "use strict";
  var element = document.getElementById("areas-map");
  var configElement = document.getElementById("areas-map-config");
  if (!element || !configElement || !window.L || !window.fetch) { return; }
  var config = JSON.parse(configElement.textContent);
  element.hidden = false;
  var map = L.map(element).fitBounds(config.bounds);
  if (window.stadtdigitalBasemap) { window.stadtdigitalBasemap(map, config); }
  var colours = ["#005ea5", "#b10e1e", "#00703c", "#6f3c97", "#b35c00", "#28a197"];
  fetch(element.getAttribute("data-geojson"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (geojson) {
      if (!geojson || !geojson.features.length) { return; }
      var layer = L.geoJSON(geojson, {
        style: function (feature) {
          return { color: colours[feature.properties.body_index % colours.length], weight: 2, fillOpacity: 0.15 };
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindTooltip(feature.properties.name + " – " + feature.properties.body);
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    });
})();
