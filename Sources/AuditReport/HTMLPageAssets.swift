/// The style sheet and script of `report.html`, written into the page so that it
/// loads nothing: the report holds patient data and is opened from disk, offline.
///
/// Neither holds a value from the input. The script only moves and hides rows the
/// page already has, so every cell it shows was escaped when the page was written.
enum HTMLPageAssets {
    /// Blocks every fetch, frame and form post: were markup ever to slip through the
    /// escaping, it still could not send patient data anywhere.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        + "base-uri 'none'; form-action 'none'"

    static let style = """
        :root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --panel: #f9fafb; --accent: #0f766e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        header.page { background: #0f172a; color: #f8fafc; padding: 20px 32px; }
        header.page h1 { margin: 0 0 4px; font-size: 22px; }
        header.page p { margin: 0; color: #cbd5e1; }
        main { max-width: 1400px; margin: 0 auto; padding: 8px 32px 40px; }
        h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 15px; margin: 18px 0 8px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 20px; }
        .card { flex: 1 1 110px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .card .value { white-space: nowrap; }
        .card .value { font-size: 22px; font-weight: 600; }
        .card .label { color: var(--muted); font-size: 12px; }
        .card.error .value { color: #b91c1c; } .card.warning .value { color: #b45309; } .card.info .value { color: #1d4ed8; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .pair { display: grid; grid-template-columns: minmax(0, 600px) minmax(0, 1fr); gap: 32px; align-items: start; }
        .pair h3 { margin-top: 4px; }
        @media (max-width: 1000px) { .pair { grid-template-columns: 1fr; } }
        svg.chart { max-width: 100%; height: auto; display: block; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 5px 7px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #f3f4f6; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
        td.nowrap { white-space: nowrap; }
        td.code, td.text { overflow-wrap: break-word; }
        td.message { min-width: 12em; }
        td.hash { word-break: break-all; min-width: 12em; }
        tbody tr:nth-child(even) { background: #fafafa; }
        .scroll { overflow: auto; max-height: 80vh; border: 1px solid var(--line); border-radius: 6px; }
        .scroll thead th { position: sticky; top: 0; z-index: 1; }
        .scroll.short { max-height: 420px; }
        th button { all: unset; cursor: pointer; white-space: nowrap; }
        th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        th button::after { content: " \\2195"; color: #9ca3af; }
        th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
        th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
        .sev { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; font-weight: 600; }
        .sev-error { background: #fee2e2; color: #991b1b; } .sev-warning { background: #fef3c7; color: #92400e; }
        .sev-info { background: #dbeafe; color: #1e40af; }
        .controls { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; margin: 8px 0 10px; }
        .controls input, .controls select { font: inherit; padding: 4px 6px; border: 1px solid #d1d5db; border-radius: 4px; }
        .controls input { min-width: 260px; }
        .note { color: var(--muted); }
        .cap { background: #fffbeb; border: 1px solid #fde68a; border-radius: 6px; padding: 6px 10px; }
        footer { max-width: 1400px; margin: 0 auto; padding: 16px 32px 32px; color: var(--muted); font-size: 12px; }
        @media print { .controls { display: none; } .scroll { max-height: none; overflow: visible; } }
        """

    /// Sorts any `table.sortable` on a header click and filters `#findings-table`.
    /// Rows move in the DOM; nothing is rebuilt from data.
    static let script = """
        (function () {
          "use strict";
          var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
          function key(row, index, numeric) {
            var cell = row.cells[index];
            var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
            return numeric ? (raw === "" ? -Infinity : Number(raw)) : raw;
          }
          function sortBy(table, th, index) {
            var numeric = th.classList.contains("num");
            var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
            Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
            th.setAttribute("aria-sort", direction);
            var sign = direction === "ascending" ? 1 : -1;
            var body = table.tBodies[0];
            var rows = Array.prototype.map.call(body.rows, function (row, position) {
              return { row: row, key: key(row, index, numeric), position: position };
            });
            rows.sort(function (a, b) {
              var order = numeric ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : collator.compare(a.key, b.key);
              return order * sign || a.position - b.position;
            });
            var fragment = document.createDocumentFragment();
            rows.forEach(function (entry) { fragment.appendChild(entry.row); });
            body.appendChild(fragment);
          }
          Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
              var button = document.createElement("button");
              button.type = "button";
              while (th.firstChild) { button.appendChild(th.firstChild); }
              th.appendChild(button);
              button.addEventListener("click", function () { sortBy(table, th, index); });
            });
          });
          var table = document.getElementById("findings-table");
          var controls = document.getElementById("findings-controls");
          if (!table || !controls) { return; }
          var text = document.getElementById("filter-text");
          var severity = document.getElementById("filter-severity");
          var rule = document.getElementById("filter-rule");
          var status = document.getElementById("filter-status");
          var count = document.getElementById("findings-count");
          var rows = Array.prototype.slice.call(table.tBodies[0].rows);
          rows.forEach(function (row) { row.searchText = row.textContent.toLowerCase(); });
          function apply() {
            var query = text.value.trim().toLowerCase();
            var shown = 0;
            rows.forEach(function (row) {
              var match = (!severity.value || row.getAttribute("data-severity") === severity.value)
                && (!rule.value || row.getAttribute("data-rule") === rule.value)
                && (!status.value || row.getAttribute("data-status") === status.value)
                && (!query || row.searchText.indexOf(query) !== -1);
              row.hidden = !match;
              if (match) { shown += 1; }
            });
            count.textContent = shown.toLocaleString("en-US") + " of " + rows.length.toLocaleString("en-US") + " shown";
          }
          [text, severity, rule, status].forEach(function (control) {
            control.addEventListener("input", apply);
            control.addEventListener("change", apply);
          });
          controls.hidden = false;
          apply();
        })();
        """
}
