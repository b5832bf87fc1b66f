// The reviewer's queue: tick every row of the page, or only the rows bulk approval will accept.
// Delegated listeners, because htmx replaces the table when a filter changes (CSP: no inline script).
(function () {
  "use strict";
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("input.sc-select-row"));
  }
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el instanceof HTMLInputElement && el.classList.contains("sc-select-page")) {
      rows().forEach(function (box) { box.checked = el.checked; });
    }
  });
  document.addEventListener("click", function (ev) {
    var el = ev.target;
    if (el instanceof Element && el.closest("[data-sc-select-clean]")) {
      rows().forEach(function (box) { box.checked = box.getAttribute("data-clean") === "1"; });
    }
  });
})();
