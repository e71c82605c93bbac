// Org chart page: zoom and pan over the inlined SVG (svg-pan-zoom), toolbar buttons, and
// selects that apply themselves. Without JavaScript the chart scrolls in its box and the
// toolbar's Show button applies the selects.
(function () {
  'use strict';

  document.querySelectorAll('[data-chart-form] [data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });

  var canvas = document.querySelector('[data-org-chart]');
  var svg = canvas && canvas.querySelector('svg');
  if (!svg || typeof window.svgPanZoom !== 'function') { return; }

  // Readable scale for the first view: a big chart starts with its head in view, not shrunk
  // to a speck.
  var READABLE = 0.9;

  svg.removeAttribute('width');
  svg.removeAttribute('height');
  canvas.classList.add('is-interactive');

  var panZoom = window.svgPanZoom(svg, {
    zoomEnabled: true,
    controlIconsEnabled: false,
    dblClickZoomEnabled: true,
    mouseWheelZoomEnabled: true,
    preventMouseEventsDefault: true,
    zoomScaleSensitivity: 0.25,
    minZoom: 0.02,
    maxZoom: 40,
    fit: true,
    center: true
  });

  function fitAll() {
    panZoom.resize();
    panZoom.fit();
    panZoom.center();
  }

  function firstView() {
    fitAll();
    var sizes = panZoom.getSizes();
    // zoom limits are relative to the fitted chart: let a huge chart still reach 3×
    panZoom.setMaxZoom(Math.max(40, 3 / sizes.realZoom));
    var head = canvas.dataset.focus && document.getElementById(canvas.dataset.focus);
    if (sizes.realZoom >= READABLE || !head) { return; }
    panZoom.zoom(READABLE / sizes.realZoom);
    // svg-pan-zoom applies its transform on the next animation frame: measure after it.
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        var box = head.getBoundingClientRect();
        var view = canvas.getBoundingClientRect();
        panZoom.panBy({
          x: view.left + view.width / 2 - (box.left + box.width / 2),
          y: view.top + Math.min(view.height * 0.2, 120) - box.top
        });
      });
    });
  }

  firstView();

  // A drag that pans must not also follow the link under the pointer when released.
  var downAt = null;
  canvas.addEventListener('pointerdown', function (event) { downAt = [event.clientX, event.clientY]; });
  canvas.addEventListener('click', function (event) {
    if (downAt && Math.abs(event.clientX - downAt[0]) + Math.abs(event.clientY - downAt[1]) > 6) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  var actions = {
    'zoom-in': function () { panZoom.zoomIn(); },
    'zoom-out': function () { panZoom.zoomOut(); },
    'reset': fitAll,
    'print': function () { window.print(); }
  };
  document.querySelectorAll('[data-chart-action]').forEach(function (button) {
    button.addEventListener('click', function () { actions[button.dataset.chartAction](); });
  });
  document.querySelectorAll('[data-chart-controls]').forEach(function (element) { element.hidden = false; });

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { panZoom.resize(); }, 150);
  });
  window.addEventListener('beforeprint', fitAll);
}());
