/* Map pin for the report form (Leaflet). Without JavaScript the map stays hidden and the address field
   does the job. Keyboard: arrow keys move the map, Enter puts the pin in the middle of the map. */
(function () {
  "use strict";
  var configNode = document.getElementById("map-config");
  var block = document.getElementById("map-block");
  var form = document.getElementById("place-form");
  if (!configNode || !block || !form || typeof L === "undefined") { return; }
  var config = JSON.parse(configNode.textContent);
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var status = document.getElementById("pin-status");
  var clearButton = document.getElementById("clear-pin");
  var locateButton = document.getElementById("locate-me");
  var lang = document.documentElement.lang || "de";
  var text = lang.indexOf("en") === 0 ? {
    set: "Place marked on the map", outside: "This point is outside the city area.",
    centre: "Place set to the middle of the map", cleared: "Pin removed", locating: "Finding your location …",
    noLocation: "Your location is not available. Please tap the map or type the address.", marker: "Marked place"
  } : {
    set: "Ort auf der Karte markiert", outside: "Dieser Punkt liegt außerhalb des Stadtgebiets.",
    centre: "Ort auf die Kartenmitte gesetzt", cleared: "Punkt entfernt", locating: "Standort wird ermittelt …",
    noLocation: "Ihr Standort ist nicht verfügbar. Bitte tippen Sie auf die Karte oder geben Sie die Adresse ein.",
    marker: "Markierter Ort"
  };
  var placeUrl = block.getAttribute("data-place-url");
  var lookup = 0;

  // Say where the pin is in words ("nahe Hauptstraße 12–20"), from the city's street list on the server.
  function describe(latlng, message) {
    var current = ++lookup;
    if (!placeUrl || !window.fetch) { return; }
    var query = "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6);
    window.fetch(placeUrl + query, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (data) {
        if (current === lookup && data.address) { announce((message || text.set) + ": " + data.address); }
      })
      .catch(function () { /* the pin is set; only its description is missing */ });
  }

  block.hidden = false;
  var bounds = L.latLngBounds(config.bounds);
  var map = L.map("map", { maxBounds: bounds.pad(0.25), keyboard: true, zoomControl: true });
  map.attributionControl.setPrefix(false);
  window.stadtdigitalBasemap(map, config);
  L.rectangle(bounds, { color: "#0b5394", weight: 2, fill: false, interactive: false }).addTo(map);
  map.setView(config.center, config.zoom);
  var marker = null;

  function announce(message) { status.textContent = message; }

  function setPin(latlng, message) {
    if (!bounds.contains(latlng)) { announce(text.outside); return; }
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: text.marker, alt: text.marker }).addTo(map);
      marker.on("dragend", function () { setPin(marker.getLatLng()); });
    } else {
      marker.setLatLng(latlng);
    }
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    clearButton.hidden = false;
    announce(message || text.set);
    describe(latlng, message);
    form.dispatchEvent(new CustomEvent("pinchange", { bubbles: true }));
  }

  if (latInput.value && lonInput.value) {
    var initial = L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value));
    if (bounds.contains(initial)) { setPin(initial); map.setView(initial, Math.max(config.zoom, 16)); }
  }
  form.addEventListener("draftrestored", function () {
    if (latInput.value && lonInput.value) { setPin(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value))); }
  });

  map.on("click", function (event) { setPin(event.latlng); });
  map.getContainer().addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === map.getContainer()) {
      event.preventDefault();
      setPin(map.getCenter(), text.centre);
    }
  });
  clearButton.addEventListener("click", function () {
    if (marker) { map.removeLayer(marker); marker = null; }
    latInput.value = ""; lonInput.value = "";
    lookup++;  // a description still on its way must not bring the removed pin back
    clearButton.hidden = true;
    announce(text.cleared);
    form.dispatchEvent(new CustomEvent("pinchange", { bubbles: true }));
  });
  if (!("geolocation" in navigator)) {
    locateButton.hidden = true;
  } else {
    locateButton.addEventListener("click", function () {
      announce(text.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(here, 17);
        setPin(here);
      }, function () { announce(text.noLocation); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
})();
