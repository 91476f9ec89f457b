/* excerptor report: the table of posts (filter, sort, pages) and the findings by code.
   Post text only ever goes into the page as text (textContent), never as HTML.
   The state (filters, sort, page) lives in the URL's hash, e.g. #code=marker-line&changed=excerpt */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var errorBox = $("script-errors");
  window.addEventListener("error", function (event) {
    errorBox.hidden = false;
    errorBox.textContent += "script error: " + event.message + "\n";
    document.body.setAttribute("data-script-errors", "1");
  });

  var dataEl = $("report-data");
  var rows = JSON.parse(dataEl.textContent);
  var pageSize = parseInt(dataEl.getAttribute("data-page-size"), 10) || 50;
  var state = { code: "", changed: "", q: "", sort: "", dir: "asc", page: 1 };
  var DEFAULTS = { code: "", changed: "", q: "", sort: "", dir: "asc", page: 1 };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function findings(r) { return r.f || []; }
  function hasCode(r, code) {
    return findings(r).some(function (f) { return f[0] === code; });
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.keys(DEFAULTS).forEach(function (k) {
      state[k] = params.has(k) ? params.get(k) : DEFAULTS[k];
    });
    state.page = Math.max(1, parseInt(state.page, 10) || 1);
    state.dir = state.dir === "desc" ? "desc" : "asc";
  }
  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(DEFAULTS).forEach(function (k) {
      if (String(state[k]) !== String(DEFAULTS[k])) params.set(k, state[k]);
    });
    var hash = params.toString();
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (e) { /* some browsers refuse it on file:// pages: the state still applies */ }
  }

  function matches(r) {
    var n = findings(r).length;
    if (state.code === "*" && !n) return false;
    if (state.code === "-" && n) return false;
    if (state.code && state.code !== "*" && state.code !== "-" && !hasCode(r, state.code)) return false;
    switch (state.changed) {
      case "changed": if (!r.c) return false; break;
      case "excerpt": if (!r.ec) return false; break;
      case "reading-time": if (!r.mc) return false; break;
      case "unchanged": case "error": case "skipped": if (r.s !== state.changed) return false; break;
    }
    if (state.q) {
      var hay = [r.p, r.t, r.e0 || "", r.e1 || ""].join("\n").toLowerCase();
      if (hay.indexOf(state.q.toLowerCase()) < 0) return false;
    }
    return true;
  }

  function sortKey(r, key) {
    if (key === "f") return findings(r).length;
    if (key === "m0" || key === "m1") return r[key] === undefined ? null : r[key];
    return r[key] || "";
  }
  function compare(a, b) {
    var x = sortKey(a, state.sort), y = sortKey(b, state.sort);
    if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1); // empty last
    var d = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    return state.dir === "desc" ? -d : d;
  }

  function minutes(r, which) {
    var v = r[which];
    if (v !== null && v !== undefined) return v;
    if (which === "m0" && r.m0s) return r.m0s;
    return "—";
  }

  function renderRow(r) {
    var tr = el("tr");
    tr.setAttribute("data-path", r.p);
    tr.setAttribute("data-status", r.s);
    var post = el("td");
    var link = el("a", r.p);
    link.href = r.h;
    post.appendChild(link);
    if (r.t) post.appendChild(el("span", r.t, "title"));
    tr.appendChild(post);
    var status = el("td", r.s, "status-" + r.s);
    if (r.r) status.appendChild(el("span", r.r, "title"));
    tr.appendChild(status);
    tr.appendChild(el("td", r.e0, "excerpt-before" + (r.ec ? " changed" : "")));
    tr.appendChild(el("td", r.e1, "excerpt-after" + (r.ec ? " changed" : "")));
    tr.appendChild(el("td", minutes(r, "m0"), "num" + (r.mc ? " changed" : "")));
    tr.appendChild(el("td", minutes(r, "m1"), "num" + (r.mc ? " changed" : "")));
    var cell = el("td");
    findings(r).forEach(function (f) {
      var tag = el("span", f[0] + (f[1] ? ":" + f[1] : ""), "tag");
      tag.title = f[3];
      cell.appendChild(tag);
    });
    tr.appendChild(cell);
    return tr;
  }

  function render() {
    $("filter-code").value = state.code;
    if ($("filter-code").value !== state.code) { state.code = ""; $("filter-code").value = ""; }
    $("filter-changed").value = state.changed;
    if ($("filter-changed").value !== state.changed) { state.changed = ""; $("filter-changed").value = ""; }
    $("filter-q").value = state.q;
    var shown = rows.filter(matches);
    if (state.sort) {
      shown = shown.map(function (r, i) { return [r, i]; })
        .sort(function (a, b) { return compare(a[0], b[0]) || a[1] - b[1]; })
        .map(function (p) { return p[0]; });
    }
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    state.page = Math.min(state.page, pages);
    var body = $("post-rows");
    var fragment = document.createDocumentFragment();
    shown.slice((state.page - 1) * pageSize, state.page * pageSize).forEach(function (r) {
      fragment.appendChild(renderRow(r));
    });
    body.replaceChildren(fragment);
    var count = $("shown-count");
    count.textContent = shown.length + " of " + rows.length + " posts";
    count.setAttribute("data-shown", shown.length);
    $("page-info").textContent = "page " + state.page + " of " + pages;
    $("page-prev").disabled = state.page <= 1;
    $("page-next").disabled = state.page >= pages;
    document.querySelectorAll("th[data-sort]").forEach(function (th) {
      var key = th.getAttribute("data-sort");
      th.classList.toggle("sorted-asc", key === state.sort && state.dir === "asc");
      th.classList.toggle("sorted-desc", key === state.sort && state.dir === "desc");
    });
  }

  function update(changes) {
    Object.keys(changes).forEach(function (k) { state[k] = changes[k]; });
    writeHash();
    render();
  }

  $("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  $("filter-code").addEventListener("change", function () { update({ code: this.value, page: 1 }); });
  $("filter-changed").addEventListener("change", function () { update({ changed: this.value, page: 1 }); });
  $("filter-q").addEventListener("input", function () { update({ q: this.value, page: 1 }); });
  $("page-prev").addEventListener("click", function () { update({ page: state.page - 1 }); });
  $("page-next").addEventListener("click", function () { update({ page: state.page + 1 }); });
  document.querySelectorAll("th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      var dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      update({ sort: key, dir: dir, page: 1 });
    });
  });
  window.addEventListener("hashchange", function () {
    readHash();
    render();
    if (location.hash) $("posts").scrollIntoView();
  });

  // Findings by code: each group's list is built when it is first opened.
  function fillGroup(group) {
    var list = group.querySelector(".finding-list");
    if (list.childElementCount) return;
    var code = group.getAttribute("data-code");
    var show = el("li");
    var filter = el("a", "show these posts in the table");
    filter.href = "#code=" + encodeURIComponent(code);
    show.appendChild(filter);
    list.appendChild(show);
    rows.forEach(function (r) {
      findings(r).forEach(function (f) {
        if (f[0] !== code) return;
        var li = el("li");
        li.className = "finding";
        var link = el("a", r.p);
        link.href = r.h;
        li.appendChild(link);
        var lines = f[2] && f[2].length ? f[2] : (f[1] ? [f[1]] : []);
        var where = lines.length ? " line" + (lines.length > 1 ? "s " : " ") + lines.join(", ") : "";
        li.appendChild(el("span", where + ": " + f[3]));
        list.appendChild(li);
      });
    });
  }
  var groups = document.querySelectorAll("details.finding-group");
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () { if (group.open) fillGroup(group); });
  });
  // Filtering the table by a code also opens that code's findings.
  function openGroup() {
    groups.forEach(function (group) {
      if (group.getAttribute("data-code") === state.code) {
        fillGroup(group);
        group.open = true;
      }
    });
  }
  window.addEventListener("hashchange", openGroup);
  $("filter-code").addEventListener("change", openGroup);

  readHash();
  render();
  openGroup();
  document.body.setAttribute("data-ready", "1");
})();
