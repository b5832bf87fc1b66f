// The online application form (申报表): certificate rows, conditions of the chosen offering, 破格 fields.
// Loaded as a file because the CSP forbids inline scripts (script-src 'self').
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function syncKind(row) {
    var kind = row.querySelector('select[name$="-kind"]');
    var level = row.querySelector('select[name$="-level"]');
    var grade = row.querySelector('select[name$="-title_grade"]');
    if (!kind) { return; }
    // A professional title has a grade (初级/中级/高级), a skill certificate a level.
    if (level) { level.disabled = kind.value === "professional"; }
    if (grade) { grade.disabled = kind.value !== "professional"; }
  }

  function bindRow(row) {
    var remove = row.querySelector("[data-cert-remove]");
    if (remove) {
      remove.addEventListener("click", function () {
        var del = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
        if (del) { del.checked = true; }
        row.classList.add("d-none");
      });
    }
    var kind = row.querySelector('select[name$="-kind"]');
    if (kind) {
      kind.addEventListener("change", function () { syncKind(row); });
      syncKind(row);
    }
  }

  function setUpCertificates(form) {
    var rows = document.getElementById("cert-rows");
    var template = document.getElementById("cert-empty-row");
    var total = form.querySelector('input[name="cert-TOTAL_FORMS"]');
    var max = form.querySelector('input[name="cert-MAX_NUM_FORMS"]');
    var add = form.querySelector("[data-cert-add]");
    if (!rows || !template || !total || !add) { return; }
    each(rows.querySelectorAll("[data-cert-row]"), bindRow);
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      if (max && index >= parseInt(max.value, 10)) { return; }
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("tr");
      rows.appendChild(row);
      total.value = String(index + 1);
      bindRow(row);
      var first = row.querySelector("select, input");
      if (first) { first.focus(); }
    });
  }

  function setUpConditions() {
    var offering = document.getElementById("id_offering");
    var condition = document.getElementById("id_condition_relied_on");
    var exceptional = document.getElementById("id_is_exceptional");
    var extra = document.querySelector("[data-exceptional-only]");
    function filter() {
      if (!offering || !condition) { return; }
      var pk = offering.value;
      each(condition.querySelectorAll("optgroup"), function (group) {
        var any = false;
        each(group.querySelectorAll("option"), function (option) {
          var show = option.value.split(":")[0] === pk;
          option.hidden = !show;
          option.disabled = !show;
          if (show) { any = true; } else if (option.selected) { condition.value = ""; }
        });
        group.hidden = !any;
      });
    }
    function toggleGrounds() {
      if (extra && exceptional) { extra.classList.toggle("d-none", exceptional.value !== "1"); }
    }
    if (offering) { offering.addEventListener("change", filter); }
    if (condition && exceptional) {
      condition.addEventListener("change", function () {
        var option = condition.options[condition.selectedIndex];
        if (option && option.value && option.value !== "kept") {
          exceptional.value = option.text.indexOf("（破格）") === 0 ? "1" : "0";
          toggleGrounds();
        }
      });
    }
    if (exceptional) { exceptional.addEventListener("change", toggleGrounds); }
    filter();
    toggleGrounds();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("application-form");
    if (!form) { return; }
    setUpCertificates(form);
    setUpConditions();
  });
}());
