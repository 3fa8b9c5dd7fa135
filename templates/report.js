"use strict";
(function () {
  /* Progressive enhancement for the endorse-audit report: sorting, filtering, "done" checkboxes.
     Without this script the page is complete. Nothing is fetched; text is only ever set with
     textContent, never innerHTML. */
  var data = JSON.parse(document.getElementById("report-data").textContent);
  /* Every word the script writes comes from the page (the report's language): whole messages with
     {named} places, their plural form already chosen. The script holds no words of any language. */
  var textBlock = document.getElementById("report-text");
  var text = textBlock ? JSON.parse(textBlock.textContent) : {};
  var lang = document.documentElement.lang || "en";
  /* One store for every report: a tick is keyed by the member and the endorsement (never by the export
     or the file's path), so it outlives every later export and report. Value: the day it was ticked. */
  var storageKey = "endorse-audit:ticks";
  var legacyKey = "endorse-audit:" + data.report + ":done"; /* where this export's ticks were kept before */
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function read(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (error) {
      return {};
    }
  }

  function save(ticks) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(ticks));
    } catch (error) {
      /* storage unavailable (private mode, file:// restrictions): ticks last for this visit only */
    }
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  function format(template, values) { /* "{done} of {total} done" -> "1 of 18 done" */
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function number(n) { /* as the page writes numbers: 3,239 / 3.239 / 3 239 */
    return lang === "en" ? String(n) : new Intl.NumberFormat(lang).format(n);
  }

  function day(iso) { /* the report's date format: "3 Mar 2026" in English, the language's own otherwise */
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) {
      return "";
    }
    if (lang !== "en") {
      return new Intl.DateTimeFormat(lang, {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"})
        .format(new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))));
    }
    return Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1];
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.done[data-key]"));
  var progress = document.getElementById("progress");
  var legend = document.getElementById("ticks-legend");
  var ticks = read(storageKey);
  var legacy = read(legacyKey);
  var carried = 0;
  boxes.forEach(function (box) { /* ticks of an earlier version of this report: kept, their day unknown */
    if (legacy[box.dataset.legacy] === true && !(box.dataset.key in ticks)) {
      ticks[box.dataset.key] = "";
      carried += 1;
    }
  });
  if (carried) {
    save(ticks);
  }

  function show(box) {
    var since = ticks[box.dataset.key];
    var ticked = since !== undefined;
    var row = box.closest("tr");
    var note = row.querySelector(".tick-note");
    box.checked = ticked;
    row.classList.toggle("is-done", ticked);
    if (!note) {
      return;
    }
    note.hidden = !ticked;
    /* Ticked before the export was made, yet the export still lists it: it may not be hidden after all. */
    var still = ticked && since !== "" && data.exported !== "" && since < data.exported;
    note.classList.toggle("still", still);
    note.textContent = !ticked ? "" : still
      ? format(text.ticked_still, {day: day(since), exported: day(data.exported)})
      : since ? format(text.ticked_on, {day: day(since)}) : format(text.ticked, {});
  }

  function updateProgress() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    var still = document.querySelectorAll(".tick-note.still").length;
    if (progress) {
      progress.textContent = format(still ? text.progress_still : text.progress,
        {done: number(ticked), total: number(boxes.length), still: number(still)});
    }
    if (legend) {
      legend.hidden = ticked === 0;
    }
  }

  boxes.forEach(function (box) {
    show(box);
    box.addEventListener("change", function () {
      if (box.checked) {
        ticks[box.dataset.key] = today();
      } else {
        delete ticks[box.dataset.key];
      }
      boxes.forEach(function (other) {
        if (other.dataset.key === box.dataset.key) {
          show(other);
        }
      });
      save(ticks);
      updateProgress();
    });
  });
  updateProgress();

  /* Filtering: one search box for every table marked .filterable and the skill groups, and one switch
     that keeps only the new endorsements to hide (rows marked .is-new, in the skill groups). */
  var filter = document.getElementById("filter");
  var onlyNew = document.getElementById("only-new");
  var noMatch = document.getElementById("no-match");

  function applyFilter() {
    var query = filter.value.trim().toLowerCase();
    var newOnly = onlyNew !== null && onlyNew.checked;
    var visibleRows = 0;
    document.querySelectorAll("table.filterable tbody tr").forEach(function (row) {
      var group = row.closest(".group");
      var groupText = group ? group.dataset.skill.toLowerCase() : "";
      var show = (query === "" || row.textContent.toLowerCase().indexOf(query) !== -1 ||
        groupText.indexOf(query) !== -1) && !(newOnly && group && !row.classList.contains("is-new"));
      row.hidden = !show;
      if (show) {
        visibleRows += 1;
      }
    });
    document.querySelectorAll(".group").forEach(function (group) {
      group.hidden = group.querySelectorAll("tbody tr:not([hidden])").length === 0;
    });
    if (noMatch) {
      noMatch.hidden = visibleRows !== 0;
    }
  }

  if (filter) {
    filter.closest(".controls").hidden = false;
    filter.addEventListener("input", applyFilter);
    if (onlyNew) {
      onlyNew.addEventListener("change", applyFilter);
    }
  }

  /* Printing shows every step: open each closed <details> for the printout, close it again after
     (browsers without the print style's ::details-content). */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });

  /* Sorting: every column header of a table marked .sortable becomes a button. */
  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    var value = !cell ? "" : cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    return numeric ? parseFloat(value) || 0 : value.toLowerCase();
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    headers.forEach(function (th, index) {
      if (th.classList.contains("nosort")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.classList.contains("num");
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric);
          var y = cellValue(b, index, numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
