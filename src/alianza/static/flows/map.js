/* The flow map: vector layers from our own API only (boundary, segments coloured by a chosen
   measure, the newest visible events, places, hotspot cells). No tile layer unless the
   deployment configured its own tile server (data-config.tileUrl). No inline script or style:
   the page passes its configuration in data-config; colours are SVG attributes set by Leaflet. */
(function () {
  "use strict";

  var element = document.getElementById("flow-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var config = JSON.parse(element.dataset.config);
  var labels = config.labels;
  var CLASSES = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
  var NONE = "#bbbbbb";
  var KIND_COLOURS = {
    apprehension: "#0f4c5c",
    turn_back: "#2a9d8f",
    got_away: "#c8553d",
    seizure: "#5f0f40",
    sighting: "#fb8b24",
    sensor_alert: "#6a4c93",
    tunnel: "#264653",
    vehicle_stop: "#8d99ae",
    assault: "#9a031e"
  };

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.5 });
  map.setView([31.35, -110.95], 9);
  if (config.tileUrl) {
    L.control.attribution({ prefix: false }).addTo(map);
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }

  function url(name, withQuery) {
    var base = config.api[name];
    return withQuery && config.query ? base + "?" + config.query : base;
  }

  function load(name, withQuery) {
    return fetch(url(name, withQuery), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(name + ": " + response.status);
      }
      return response.json();
    });
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return String(values[key]);
    });
  }

  function popup(rows, link) {
    var list = document.createElement("dl");
    list.className = "map-popup";
    rows.forEach(function (row) {
      var term = document.createElement("dt");
      term.textContent = row[0];
      var value = document.createElement("dd");
      value.textContent = row[1] === null || row[1] === undefined ? "—" : String(row[1]);
      list.appendChild(term);
      list.appendChild(value);
    });
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = labels.open;
      list.appendChild(anchor);
    }
    return list;
  }

  /* Five classes at the quantiles of the values present; null (no data) is grey. */
  function breaks(values) {
    var present = values.filter(function (v) { return v !== null && v !== undefined; });
    present.sort(function (a, b) { return a - b; });
    if (!present.length) {
      return [];
    }
    var result = [];
    for (var i = 1; i < CLASSES.length; i += 1) {
      var cut = present[Math.min(present.length - 1, Math.floor((i * present.length) / CLASSES.length))];
      /* Equal cuts (many equal values) would make empty classes: keep each cut once, and
         none at the maximum (nothing would lie above it). */
      if (result.indexOf(cut) < 0 && cut < present[present.length - 1]) {
        result.push(cut);
      }
    }
    return result;
  }

  function classOf(value, cuts) {
    if (value === null || value === undefined) {
      return -1;
    }
    var index = 0;
    while (index < cuts.length && value > cuts[index]) {
      index += 1;
    }
    return index;
  }

  var legend = L.control({ position: "bottomright" });
  var legendBox = null;
  legend.onAdd = function () {
    legendBox = L.DomUtil.create("div", "map-legend");
    return legendBox;
  };
  legend.addTo(map);

  function rounded(value) {
    return Math.round(value * 1000) / 1000;
  }

  /* One row per class: (previous cut, cut], the first from the minimum, the last to the
     maximum; then the grey of "no data". */
  function showLegend(title, values, cuts) {
    legendBox.textContent = "";
    var heading = document.createElement("strong");
    heading.textContent = title;
    legendBox.appendChild(heading);
    var present = values.filter(function (v) { return v !== null && v !== undefined; });
    if (present.length) {
      var low = Math.min.apply(null, present);
      var high = Math.max.apply(null, present);
      var bounds = [low].concat(cuts, [high]);
      for (var index = 0; index < bounds.length - 1; index += 1) {
        var row = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.className = "swatch c" + index;
        row.appendChild(swatch);
        var from = rounded(bounds[index]);
        var to = rounded(bounds[index + 1]);
        row.appendChild(document.createTextNode(from === to ? String(from) : from + " – " + to));
        legendBox.appendChild(row);
      }
    }
    var none = document.createElement("div");
    var grey = document.createElement("span");
    grey.className = "swatch none";
    none.appendChild(grey);
    none.appendChild(document.createTextNode(labels.no_value));
    legendBox.appendChild(none);
  }

  var segmentsLayer = null;
  var measureSelect = document.getElementById("map-measure");

  function measureValue(properties, measure) {
    var value = properties[measure];
    if (measure === "events" || measure === "apprehensions") {
      return value > 0 ? value : null;
    }
    return value;
  }

  function styleSegments() {
    if (!segmentsLayer) {
      return;
    }
    var measure = measureSelect.value;
    var values = [];
    segmentsLayer.eachLayer(function (layer) {
      values.push(measureValue(layer.feature.properties, measure));
    });
    var cuts = breaks(values);
    segmentsLayer.eachLayer(function (layer) {
      var index = classOf(measureValue(layer.feature.properties, measure), cuts);
      layer.setStyle({
        color: index < 0 ? NONE : CLASSES[index],
        weight: index < 0 ? 3 : 6,
        opacity: 0.95
      });
    });
    showLegend(measureSelect.options[measureSelect.selectedIndex].text, values, cuts);
  }

  var overlays = {};
  var layersControl = L.control.layers(null, null, { collapsed: false }).addTo(map);

  function add(name, layer, visible) {
    overlays[name] = layer;
    layersControl.addOverlay(layer, labels[name]);
    if (visible) {
      layer.addTo(map);
    }
  }

  var boundary = load("boundary", false).then(function (data) {
    var layer = L.geoJSON(data, { style: { color: "#1d3557", weight: 2, dashArray: "6 4" } });
    add("boundary", layer, true);
    element.dataset.boundary = String(data.features.length);
  });

  var segments = load("segments", true).then(function (data) {
    segmentsLayer = L.geoJSON(data, {
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindPopup(popup([
          [labels.segments, p.segment_id + " (km " + p.km_start.toFixed(1) + ")"],
          [labels.crossings, p.events],
          [labels.apprehensions, p.apprehensions],
          [labels.effectiveness, p.effectiveness === null ? null : Math.round(p.effectiveness * 100) + " %"],
          [labels.patrol_hours, p.patrol_hours],
          [labels.per_hour, p.events_per_hour]
        ]));
      }
    });
    add("segments", segmentsLayer, true);
    styleSegments();
    element.dataset.segments = String(data.features.length);
    if (data.features.length) {
      map.fitBounds(segmentsLayer.getBounds(), { padding: [20, 20] });
    }
  });

  var events = load("events", true).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var colour = KIND_COLOURS[feature.properties.kind] || "#333333";
        return L.circleMarker(latlng, {
          radius: 4, color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.85
        });
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindPopup(popup([
          [p.kind_label, p.occurred_at],
          [p.direction_label, p.agency + " · " + p.side + " · " + p.segment_id],
          [p.case_reference || "—", p.marking]
        ], p.url));
      }
    });
    add("events", layer, true);
    element.dataset.events = String(data.shown);
    document.getElementById("map-events-note").textContent = data.truncated
      ? format(labels.events_shown, { shown: data.shown, total: data.total })
      : format(labels.events_all, { total: data.total });
  });

  var places = load("places", false).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 6, color: "#111111", weight: 2, fillColor: "#ffffff", fillOpacity: 1
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name + " — " + feature.properties.kind_label);
      }
    });
    add("places", layer, true);
    element.dataset.places = String(data.features.length);
  });

  var hotspots = load("hotspots", true).then(function (data) {
    var counts = data.features.map(function (f) { return f.properties.events; });
    var cuts = breaks(counts);
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var index = classOf(feature.properties.events, cuts);
        return { color: "#555555", weight: 1, fillColor: CLASSES[Math.max(index, 0)], fillOpacity: 0.55 };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindPopup(popup([
          ["#" + p.rank, p.cell],
          [labels.crossings, p.events],
          [labels.patrol_hours, p.patrol_hours],
          [labels.per_hour, p.events_per_hour],
          [p.basis_label, ""]
        ]));
      }
    });
    add("hotspots", layer, config.layer === "hotspots");
    element.dataset.hotspots = String(data.features.length);
  });

  measureSelect.addEventListener("change", styleSegments);

  Promise.all([boundary, segments, events, places, hotspots]).then(
    function () {
      if (overlays.places) {
        overlays.places.bringToFront();
      }
      element.dataset.ready = "1";
    },
    function (error) {
      element.dataset.ready = "error";
      document.getElementById("map-events-note").textContent = labels.loading_failed + " " + error.message;
    }
  );
})();
