/* Maps of the public report pages. An enhancement only: without JavaScript or Leaflet the pages work
 * unchanged (the list carries the same information; coordinates can be typed in).
 * data-mode="list": clustered reports from the map data endpoint, reloaded on every move;
 * data-mode="detail": one report's place; data-mode="pick": click to choose the centre of an alert area. */
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  var configEl = document.getElementById("report-map-config");
  if (!el || !configEl || typeof window.L === "undefined") return;
  var L = window.L;
  var config = JSON.parse(configEl.textContent);
  var status = document.getElementById("report-map-status");
  var TONES = {
    received: "open", in_review: "open", reopened: "open", in_progress: "progress",
    fixed: "fixed", closed_not_fixed: "not-fixed", rejected: "not-fixed",
    duplicate: "other", not_responsible: "other"
  };

  el.hidden = false;
  // The section around a map (heading, notes) is shown only when there is a map to talk about.
  var section = el.closest("[data-map-section]");
  if (section) { section.hidden = false; }
  var map = L.map(el, { keyboard: true, scrollWheelZoom: el.dataset.mode !== "detail" });
  el.setAttribute("role", "region");
  el.setAttribute("aria-label", el.dataset.label || "");
  window.stadtdigitalBasemap(map, config);
  var cityBounds = L.latLngBounds(config.bounds);
  L.rectangle(cityBounds, {
    fill: false, weight: 2, color: "#0b5394", dashArray: "6 4", interactive: false
  }).addTo(map);

  function announce(text) { if (status) status.textContent = text; }
  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function pointMarker(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    var label = p.category_name + " – " + p.state_name;
    var icon = L.divIcon({
      className: "", iconSize: [18, 18],
      html: '<span class="map-point state-' + (TONES[p.state] || "other") + '"></span>'
    });
    var marker = L.marker([c[1], c[0]], { icon: icon, title: label, alt: label, keyboard: true });
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.category_name + " (Nr. " + p.id + ")";
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(p.state_name));
    marker.bindPopup(popup);
    return marker;
  }

  function clusterMarker(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    var size = Math.round(Math.min(56, 26 + Math.log(p.count) * 5));
    var label = format(el.dataset.clusterLabel, { count: p.count.toLocaleString() });
    // An element, not an HTML string: a style="" attribute would break the Content-Security-Policy.
    var badge = document.createElement("span");
    badge.className = "map-cluster";
    badge.style.width = size + "px";
    badge.style.height = size + "px";
    badge.textContent = p.count >= 10000 ? Math.round(p.count / 1000) + "k" : String(p.count);
    var icon = L.divIcon({ className: "", iconSize: [size, size], html: badge });
    var marker = L.marker([c[1], c[0]], { icon: icon, title: label, alt: label, keyboard: true });
    marker.on("click", function () {
      var b = p.bbox;
      var bounds = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
      if (bounds.getNorth() - bounds.getSouth() < 1e-6 && bounds.getEast() - bounds.getWest() < 1e-6) {
        map.setView(bounds.getCenter(), Math.min(map.getZoom() + 2, 19));
      } else {
        map.fitBounds(bounds.pad(0.1));
      }
    });
    return marker;
  }

  function listMode() {
    var layer = L.layerGroup().addTo(map);
    var controller = null;
    var alertLink = document.getElementById("map-alert-link");
    map.setView(config.center, config.zoom);

    function load() {
      var b = map.getBounds();
      var bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (v) {
        return v.toFixed(5);
      }).join(",");
      var url = el.dataset.url + "?bbox=" + bbox + "&zoom=" + map.getZoom() +
        (el.dataset.query ? "&" + el.dataset.query : "");
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url, controller ? { signal: controller.signal } : {})
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          layer.clearLayers();
          data.features.forEach(function (feature) {
            layer.addLayer(feature.properties.cluster ? clusterMarker(feature) : pointMarker(feature));
          });
          announce(format(el.dataset.summary, { total: data.total.toLocaleString() }));
        })
        .catch(function (error) {
          if (error.name !== "AbortError") announce(el.dataset.error);
        });
      if (alertLink) {
        var centre = map.getCenter();
        alertLink.href = alertLink.href.split("?")[0] + "?lat=" + centre.lat.toFixed(5) + "&lon=" + centre.lng.toFixed(5);
      }
    }
    map.on("moveend", load);
    load();
  }

  function detailMode() {
    var position = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    map.setView(position, 17);
    L.marker(position, {
      icon: L.divIcon({ className: "", iconSize: [18, 18], html: '<span class="map-point"></span>' }),
      keyboard: false, interactive: false
    }).addTo(map);
  }

  function pickMode() {
    var latInput = document.getElementById("id_lat");
    var lonInput = document.getElementById("id_lon");
    var radiusInput = document.getElementById("id_radius_m");
    var circle = null;
    function draw(lat, lon) {
      var radius = parseInt(radiusInput && radiusInput.value, 10) || 500;
      if (circle) circle.remove();
      circle = L.circle([lat, lon], { radius: radius, color: "#0b5394", interactive: false }).addTo(map);
    }
    var lat = parseFloat(latInput && latInput.value);
    var lon = parseFloat(lonInput && lonInput.value);
    if (!isNaN(lat) && !isNaN(lon)) {
      map.setView([lat, lon], 15);
      draw(lat, lon);
    } else {
      map.setView(config.center, config.zoom);
    }
    map.on("click", function (event) {
      var la = event.latlng.lat.toFixed(6);
      var lo = event.latlng.lng.toFixed(6);
      if (latInput) latInput.value = la;
      if (lonInput) lonInput.value = lo;
      draw(event.latlng.lat, event.latlng.lng);
      announce(format(el.dataset.picked, { lat: la, lon: lo }));
    });
    if (radiusInput) {
      radiusInput.addEventListener("change", function () {
        var la = parseFloat(latInput.value), lo = parseFloat(lonInput.value);
        if (!isNaN(la) && !isNaN(lo)) draw(la, lo);
      });
    }
  }

  if (el.dataset.mode === "list") listMode();
  else if (el.dataset.mode === "detail") detailMode();
  else if (el.dataset.mode === "pick") pickMode();
})();
