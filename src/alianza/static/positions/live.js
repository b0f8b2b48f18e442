/* The live patrol map: the boundary and the latest position of each unit the reader may see,
   fetched from our own API every config.refreshSeconds seconds; markers move in place. No
   inline script or style: the page passes its configuration in data-config. */
(function () {
  "use strict";

  var element = document.getElementById("live-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var config = JSON.parse(element.dataset.config);
  var labels = config.labels;
  var status = document.getElementById("live-status");
  var COLOURS = { USBP: "#1d3557", MXFP: "#2a9d8f" };

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.5 });
  map.setView([31.34, -110.95], 11);
  if (config.tileUrl) {
    L.control.attribution({ prefix: false }).addTo(map);
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }

  /* Times in the display time zone the server shows everywhere else (data-time-zone), not
     the browser's own: a browser set to another zone would otherwise disagree with every
     other page. */
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    timeZone: element.dataset.timeZone || undefined,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23"
  });

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return String(values[key]);
    });
  }

  function getJSON(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    });
  }

  function popup(p) {
    var rows = [
      [labels.unit, p.unit + (p.label ? " (" + p.label + ")" : "")],
      [labels.agency, p.agency],
      [labels.time, format(labels.age, { minutes: Math.round(p.age_seconds / 60) })],
      [labels.speed, p.speed_kmh],
      [labels.heading, p.heading],
      [labels.segment, p.segment_id + " · " + p.side],
      [labels.operation, p.operation],
      [labels.marking, p.marking]
    ];
    var list = document.createElement("dl");
    list.className = "live-popup";
    rows.forEach(function (row) {
      var term = document.createElement("dt");
      term.textContent = row[0];
      var value = document.createElement("dd");
      value.textContent = row[1] === null || row[1] === undefined ? "—" : String(row[1]);
      list.appendChild(term);
      list.appendChild(value);
    });
    return list;
  }

  getJSON(config.boundary).then(function (data) {
    L.geoJSON(data, { style: { color: "#555555", weight: 2, dashArray: "6 4" } }).addTo(map);
  }, function () { /* the positions are drawn without the line */ });

  /* Legend: one swatch per agency (colours as CSS classes: no inline style), size by kind. */
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "live-legend");
    Object.keys(COLOURS).forEach(function (agency) {
      var row = document.createElement("div");
      var swatch = document.createElement("span");
      swatch.className = "swatch agency-" + agency.toLowerCase();
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(agency));
      box.appendChild(row);
    });
    var note = document.createElement("div");
    note.textContent = labels.legend_kind;
    box.appendChild(note);
    return box;
  };
  legend.addTo(map);

  var markers = {};
  var first = true;

  function latestUrl() {
    var query = "max_age_minutes=" + encodeURIComponent(config.maxAgeMinutes);
    if (config.operation) {
      query += "&operation_id=" + encodeURIComponent(config.operation);
    }
    return config.latest + "?" + query;
  }

  function draw(data) {
    var seen = {};
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      seen[feature.id] = true;
      var marker = markers[feature.id];
      if (!marker) {
        marker = L.circleMarker(latlng, {
          radius: p.kind === "vehicle" ? 8 : 6,
          color: "#ffffff",
          weight: 2,
          fillColor: COLOURS[p.agency] || "#c8553d",
          fillOpacity: 0.9
        }).addTo(map);
        marker.bindTooltip(p.unit);
        markers[feature.id] = marker;
      } else {
        marker.setLatLng(latlng);
      }
      marker.bindPopup(popup(p));
    });
    Object.keys(markers).forEach(function (id) {
      if (!seen[id]) {
        map.removeLayer(markers[id]);
        delete markers[id];
      }
    });
    if (first && data.features.length) {
      var group = L.featureGroup(Object.keys(markers).map(function (id) { return markers[id]; }));
      map.fitBounds(group.getBounds(), { padding: [40, 40], maxZoom: 14 });
    }
    first = false;
    element.dataset.units = String(data.features.length);
    element.dataset.ready = "1";
    status.textContent = format(labels.count, {
      count: data.features.length,
      time: clock.format(new Date(data.generated_at))
    });
  }

  function refresh() {
    getJSON(latestUrl()).then(draw, function (error) {
      element.dataset.ready = "error";
      status.textContent = labels.loading_failed + " (" + error.message + ")";
    }).then(function () {
      window.setTimeout(refresh, config.refreshSeconds * 1000);
    });
  }

  refresh();
})();
