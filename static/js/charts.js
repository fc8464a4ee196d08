/* Draws each chart of the programme's charts page from the JSON beside it. The table next to
   every chart holds the same numbers, so without this script (or without colour) nothing is
   lost: each series also has its own fill pattern, point shape and line dash. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  // Colours told apart by most kinds of colour blindness (Okabe and Ito), darkest first.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9",
                 "#8C6D1F", "#5B5B5B", "#7A0177"];
  var POINTS = ["circle", "triangle", "rect", "rectRot", "star", "crossRot", "cross",
                "rectRounded", "line", "circle"];
  var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [1, 2], [10, 2], [6, 3, 1, 3], [3, 6], [14, 6]];

  // A small tile with the series' colour and a white mark of its own: stripes, dots, grids.
  function pattern(index) {
    var size = 12;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var c = tile.getContext("2d");
    c.fillStyle = COLOURS[index % COLOURS.length];
    c.fillRect(0, 0, size, size);
    c.strokeStyle = "#ffffff";
    c.fillStyle = "#ffffff";
    c.lineWidth = 2;
    c.beginPath();
    switch (index % 10) {
      case 0: break; // solid
      case 1: c.moveTo(0, size); c.lineTo(size, 0); break;
      case 2: c.moveTo(0, size / 2); c.lineTo(size, size / 2); break;
      case 3: c.moveTo(size / 2, 0); c.lineTo(size / 2, size); break;
      case 4: c.arc(size / 2, size / 2, 2, 0, 2 * Math.PI); c.fill(); break;
      case 5: c.moveTo(0, 0); c.lineTo(size, size); break;
      case 6: c.moveTo(0, size / 2); c.lineTo(size, size / 2); c.moveTo(size / 2, 0); c.lineTo(size / 2, size); break;
      case 7: c.moveTo(0, 0); c.lineTo(size, size); c.moveTo(0, size); c.lineTo(size, 0); break;
      case 8: c.rect(3, 3, 6, 6); c.fill(); break;
      default: c.moveTo(0, 2); c.lineTo(size, 2); c.moveTo(0, 8); c.lineTo(size, 8); break;
    }
    c.stroke();
    return c.createPattern(tile, "repeat");
  }

  function config(data) {
    var line = data.type === "line";
    var datasets = data.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: line ? colour : pattern(i),
        borderColor: colour,
        borderWidth: line ? 3 : 1,
        borderDash: line ? DASHES[i % DASHES.length] : [],
        pointStyle: POINTS[i % POINTS.length],
        pointRadius: line ? 6 : 0,
        pointHoverRadius: line ? 8 : 0,
      };
    });
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return {
      type: data.type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: reduceMotion ? false : undefined,
        // Taller on a phone, so the months stay readable at 375 px.
        aspectRatio: window.innerWidth < 576 ? 1 : 2,
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: line, font: { size: 14 } } },
        },
        scales: {
          x: { stacked: data.stacked, ticks: { font: { size: 14 } } },
          y: { stacked: data.stacked, beginAtZero: true, ticks: { precision: 0, font: { size: 14 } } },
        },
      },
    };
  }

  function draw() {
    document.querySelectorAll("[data-chart-source]").forEach(function (holder) {
      var source = document.getElementById(holder.getAttribute("data-chart-source"));
      var canvas = holder.querySelector("canvas");
      if (!source || !canvas) return;
      holder.hidden = false;
      new window.Chart(canvas, config(JSON.parse(source.textContent)));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
