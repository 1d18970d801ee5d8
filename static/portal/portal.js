// Small behaviours of every page, as a file of the portal's own origin (no inline script: CSP).
(function () {
  "use strict";
  // A checkbox with data-select-all="NAME" ticks or clears every checkbox named NAME.
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      var name = all.getAttribute("data-select-all");
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
