// meshlint report: builds the page from the JSON in #report-data. No network, no libraries.
"use strict";
(function () {
  const errors = [];
  const failed = function (message) {
    errors.push(String(message));
    document.body.dataset.errors = errors.join(" | ");
  };
  window.addEventListener("error", function (e) { failed(e.message); });
  const consoleError = console.error;
  console.error = function () {
    failed(Array.prototype.join.call(arguments, " "));
    consoleError.apply(console, arguments);
  };

  // The data: JSON, zlib-compressed, in base64 (see report/html/mod.rs encode_data).
  const packed = atob(document.getElementById("report-data").textContent.trim());
  const bytes = new Uint8Array(packed.length);
  for (let i = 0; i < packed.length; i++) { bytes[i] = packed.charCodeAt(i); }
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  new Response(inflated).text().then(function (text) {
    build(JSON.parse(text));
  }).catch(function (e) { failed("cannot read the report data: " + e); });

  function build(data) {
    const $ = function (id) { return document.getElementById(id); };
    const el = function (tag, attrs, text) {
      const e = document.createElement(tag);
      if (attrs) { for (const k in attrs) { e.setAttribute(k, attrs[k]); } }
      if (text !== undefined) { e.textContent = text; }
      return e;
    };
    const fmt = function (n) { return Number(n).toLocaleString("en-US"); };

    // Header and summary.
    $("context").textContent = "Istio " + data.istio_version +
      (data.version_source ? " (" + data.version_source + ")" : "") +
      " · " + data.inputs + " · request " + data.request;
    const s = data.summary;
    const cards = [
      ["error", s.errors, "errors"], ["warning", s.warnings, "warnings"], ["info", s.infos, "infos"],
      ["", s.resources, "resources"], ["", s.workloads, "workloads"], ["", s.namespaces, "namespaces"],
      ["ok", s.reachable, "reachable cells"], ["blocked", s.blocked, "blocked cells"]
    ];
    // Cells the inputs do not decide are neither reachable nor blocked: a card of their own.
    if (s.depends) { cards.push(["", s.depends, "cells the inputs do not decide"]); }
    for (const c of cards) {
      const card = el("div", { "class": "card " + c[0] });
      card.appendChild(el("div", { "class": "n" }, fmt(c[1])));
      card.appendChild(el("div", { "class": "l" }, c[2]));
      $("summary").appendChild(card);
    }

    // Tabs; `#tab-reach` or `#tab-workloads` in the address opens that tab (no element has
    // that id, so the page does not scroll).
    const openTab = function (name) {
      for (const o of document.querySelectorAll(".tabs button")) { o.classList.toggle("active", o.dataset.tab === name); }
      for (const p of document.querySelectorAll(".panel")) { p.classList.toggle("active", p.id === name); }
    };
    for (const b of document.querySelectorAll(".tabs button")) {
      b.addEventListener("click", function () {
        openTab(b.dataset.tab);
        history.replaceState(null, "", "#tab-" + b.dataset.tab);
      });
    }
    const wanted = location.hash.replace("#tab-", "");
    if (["findings", "reach", "workloads"].indexOf(wanted) >= 0) { openTab(wanted); }

    // Findings.
    const options = function (select, values) {
      for (const v of values) { select.appendChild(el("option", { value: v[0] }, v[1])); }
    };
    const uniq = function (xs) { return Array.from(new Set(xs)).sort(); };
    options($("f-severity"), ["error", "warning", "info"].filter(function (v) {
      return data.findings.some(function (f) { return f.severity === v; });
    }).map(function (v) { return [v, v]; }));
    options($("f-rule"), uniq(data.findings.map(function (f) { return f.code; })).map(function (c) {
      return [c, c + " " + (data.rules[c] ? data.rules[c].name : "")];
    }));
    options($("f-namespace"), uniq(data.findings.map(function (f) { return f.namespace || ""; })
      .filter(function (n) { return n; })).map(function (n) { return [n, n]; }));
    const rows = [];
    for (const f of data.findings) {
      const tr = el("tr", { "data-code": f.code, "data-severity": f.severity, "data-namespace": f.namespace || "" });
      const sev = el("td");
      sev.appendChild(el("span", { "class": "sev " + f.severity }, f.severity));
      tr.appendChild(sev);
      const rule = el("td");
      rule.appendChild(el("code", null, f.code));
      if (data.rules[f.code]) { rule.appendChild(el("div", { "class": "muted" }, data.rules[f.code].name)); }
      tr.appendChild(rule);
      tr.appendChild(el("td", null, f.resource || ""));
      tr.appendChild(el("td", { "class": "mono" }, f.at || ""));
      const msg = el("td");
      msg.appendChild(el("div", null, f.message));
      if (data.rules[f.code]) {
        const d = el("details");
        d.appendChild(el("summary", null, "About " + data.rules[f.code].name));
        d.appendChild(el("pre", null, data.rules[f.code].doc));
        msg.appendChild(d);
      }
      tr.appendChild(msg);
      tr._text = (f.message + " " + (f.resource || "") + " " + (f.at || "")).toLowerCase();
      rows.push(tr);
      $("finding-rows").appendChild(tr);
    }
    const filter = function () {
      const sv = $("f-severity").value, rv = $("f-rule").value, nv = $("f-namespace").value;
      const tv = $("f-text").value.toLowerCase();
      let shown = 0;
      for (const tr of rows) {
        const ok = (!sv || tr.dataset.severity === sv) && (!rv || tr.dataset.code === rv) &&
          (!nv || tr.dataset.namespace === nv) && (!tv || tr._text.indexOf(tv) >= 0);
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      }
      $("f-count").textContent = shown + " of " + rows.length + " findings";
      $("no-findings").hidden = rows.length > 0;
    };
    for (const id of ["f-severity", "f-rule", "f-namespace", "f-text"]) { $(id).addEventListener("input", filter); }
    filter();

    // Heatmap.
    const h = data.heatmap;
    $("reach-intro").textContent = "Client namespaces (rows) × service namespaces (columns), coloured by the share of " +
      "(client workload, service port) cells a " + data.request + " cannot reach; a label reads reachable/cells." +
      (h.group > 1 ? " Each row and column stands for " + h.group + " namespaces in name order." : "") +
      " Hover for the mix; click for the deciding policies" +
      (Object.keys(data.grids).length ? " and the workload grid." : ".");
    const colour = function (share) {
      // Green: all reachable; amber to red as the blocked share grows; red: all blocked.
      if (share <= 0) { return "hsl(140, 55%, 45%)"; }
      if (share >= 1) { return "hsl(4, 65%, 48%)"; }
      return "hsl(" + (42 - 34 * share).toFixed(0) + ", 85%, 52%)";
    };
    const legend = $("legend");
    for (const item of [[0, "all reachable"], [0.5, "some blocked"], [1, "all blocked"]]) {
      const span = el("span");
      const i = el("i");
      i.style.background = colour(item[0]);
      span.appendChild(i);
      span.appendChild(document.createTextNode(item[1]));
      legend.appendChild(span);
    }
    const none = el("span");
    const ni = el("i");
    ni.style.background = "#eef0f3";
    none.appendChild(ni);
    none.appendChild(document.createTextNode("no cells"));
    legend.appendChild(none);
    const byPair = new Map();
    for (const p of h.pairs) { byPair.set(p[0] + "," + p[1], p[2]); }
    const blockedOf = function (counts) {
      let b = 0;
      for (let i = 1; i < counts.length; i++) { if (h.outcomes[i] !== "depends") { b += counts[i]; } }
      return b;
    };
    const table = $("heatmap");
    const head = el("thead");
    const hr = el("tr");
    hr.appendChild(el("th"));
    for (const t of h.to) { hr.appendChild(el("th", { title: t }, t)); }
    head.appendChild(hr);
    table.appendChild(head);
    const body = el("tbody");
    let selected = null;
    // Cells large enough to read on small meshes, small enough to fit large ones.
    const size = Math.max(14, Math.min(46, Math.floor(900 / Math.max(1, h.to.length))));
    const worst = { blocked: 0, td: null };
    h.from.forEach(function (f, fi) {
      const tr = el("tr");
      tr.appendChild(el("th", { title: f }, f));
      h.to.forEach(function (t, ti) {
        const counts = byPair.get(fi + "," + ti);
        if (!counts) {
          tr.appendChild(el("td", { "class": "none", title: f + " → " + t + ": no cells" }));
          return;
        }
        const ok = counts[0], blocked = blockedOf(counts);
        const total = counts.reduce(function (a, b) { return a + b; }, 0);
        const mix = h.outcomes.map(function (o, i) { return counts[i] ? o + " " + counts[i] : null; })
          .filter(function (x) { return x; }).join(", ");
        const td = el("td", {
          "data-from": f, "data-to": t, "data-ok": ok, "data-blocked": blocked,
          title: f + " → " + t + ": " + fmt(total) + " cells (" + mix + ")"
        });
        td.style.background = colour(total ? blocked / total : 0);
        td.style.width = td.style.height = td.style.minWidth = size + "px";
        if (size >= 34) { td.textContent = ok + "/" + total; td.className = "label"; }
        if (blocked > worst.blocked) { worst.blocked = blocked; worst.td = td; }
        td.addEventListener("click", function () {
          if (selected) { selected.classList.remove("sel"); }
          selected = td;
          td.classList.add("sel");
          showPair(fi, ti, f, t, counts);
        });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);

    function showPair(fi, ti, f, t, counts) {
      const key = fi + "," + ti;
      const box = $("pair");
      box.hidden = false;
      box.textContent = "";
      box.appendChild(el("h3", null, f + " → " + t));
      const mix = el("div", { "class": "mix" });
      h.outcomes.forEach(function (o, i) { if (counts[i]) { mix.appendChild(el("span", null, o + ": " + fmt(counts[i]))); } });
      box.appendChild(mix);
      const deciders = h.deciders[key];
      if (deciders && deciders.length) {
        box.appendChild(el("div", { "class": "muted" }, "Decided the blocked cells:"));
        const ul = el("ul");
        for (const d of deciders) { ul.appendChild(el("li", null, d)); }
        box.appendChild(ul);
      }
      const grid = data.grids[key];
      if (grid) {
        const g = el("table", { "class": "grid" });
        const gh = el("tr");
        gh.appendChild(el("th"));
        for (const c of grid.targets) { gh.appendChild(el("th", null, c)); }
        g.appendChild(gh);
        grid.clients.forEach(function (c, ci) {
          const r = el("tr");
          r.appendChild(el("th", null, c));
          grid.codes[ci].forEach(function (code) {
            const tone = code.indexOf("200") === 0 || code === "tcp" ? "ok" : (code.indexOf("503") === 0 || code === "?" ? "warn" : "bad");
            r.appendChild(el("td", { "class": tone }, code));
          });
          g.appendChild(r);
        });
        box.appendChild(g);
      } else if (h.group === 1) {
        box.appendChild(el("p", { "class": "muted" }, "The workload grid: meshlint matrix --from '" + f + "/*' --to '*." + t + "'"));
      }
    }
    // The page opens on the pair with the most blocked cells.
    if (worst.td) { worst.td.click(); }

    // Workloads.
    const ws = $("w-select");
    for (const w of data.workloads) { ws.appendChild(el("option", { value: w.id }, w.id)); }
    const showWorkload = function () {
      const w = data.workloads.find(function (x) { return x.id === ws.value; });
      $("describe").textContent = w ? w.text : "No describe view in this report (see the notes below).";
    };
    ws.addEventListener("input", showWorkload);
    showWorkload();

    for (const n of data.notes) { $("notes").appendChild(el("li", null, n)); }
    document.body.dataset.ready = "1";
  }
})();
