"use strict";
(function () {
  /* Progressive enhancement for the endorse-audit report: sorting, filtering, "done" checkboxes.
     Without this script the page is complete. Nothing is fetched; text is only ever set with
     textContent, never innerHTML. */
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var storageKey = "endorse-audit:" + data.report + ":done";

  function loadDone() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function saveDone(done) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(done));
    } catch (error) {
      /* storage unavailable (private mode, file:// restrictions): ticks last for this visit only */
    }
  }

  /* "Done" checkboxes, remembered per report in localStorage. */
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.done[data-key]"));
  var progress = document.getElementById("progress");
  var done = loadDone();

  function updateProgress() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    if (progress) {
      progress.textContent = ticked + " of " + boxes.length + " done";
    }
  }

  boxes.forEach(function (box) {
    box.checked = done[box.dataset.key] === true;
    box.closest("tr").classList.toggle("is-done", box.checked);
    box.addEventListener("change", function () {
      if (box.checked) {
        done[box.dataset.key] = true;
      } else {
        delete done[box.dataset.key];
      }
      boxes.forEach(function (other) {
        if (other.dataset.key === box.dataset.key) {
          other.checked = box.checked;
          other.closest("tr").classList.toggle("is-done", box.checked);
        }
      });
      saveDone(done);
      updateProgress();
    });
  });
  updateProgress();

  /* Filtering: one search box for every table marked .filterable and the skill groups. */
  var filter = document.getElementById("filter");
  var noMatch = document.getElementById("no-match");
  if (filter) {
    filter.closest(".controls").hidden = false;
    filter.addEventListener("input", function () {
      var query = filter.value.trim().toLowerCase();
      var visibleRows = 0;
      document.querySelectorAll("table.filterable tbody tr").forEach(function (row) {
        var group = row.closest(".group");
        var groupText = group ? group.dataset.skill.toLowerCase() : "";
        var show = query === "" || row.textContent.toLowerCase().indexOf(query) !== -1 ||
          groupText.indexOf(query) !== -1;
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
    });
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
