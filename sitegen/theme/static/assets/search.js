/* sitegen: the header's search box and the search page (/search/).
   The search itself is Pagefind's: its script, WebAssembly and index load from this site's
   /pagefind/ folder, and only on the search page once something is searched for. */
(function () {
  "use strict";

  var box = document.querySelector("[data-search-box]");
  if (box) box.hidden = false; // without JavaScript it stays hidden and a note says why

  var root = document.querySelector("[data-search]");
  if (!root) return;
  var form = root.querySelector("[data-search-form]");
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var PER_PAGE = 10;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var latest = 0;
  var timer = null;

  /* A large hub's index is in parts: the first in /pagefind/, the others listed in its parts.json
     (none for a smaller hub), merged here with Pagefind's mergeIndex. */
  function load() {
    if (!pagefind) {
      var bundle = root.getAttribute("data-bundle");
      var base = { baseUrl: root.getAttribute("data-base") };
      var parts = fetch(bundle + "parts.json").then(function (response) {
        return response.ok ? response.json() : [];
      }).catch(function () { return []; });
      pagefind = Promise.all([import(bundle + "pagefind.js"), parts]).then(function (loaded) {
        var pf = loaded[0];
        return pf.options(base).then(function () {
          return Promise.all(loaded[1].map(function (part) { return pf.mergeIndex(bundle + part, base); }));
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) filters[s.name] = s.value; });
    return filters;
  }

  function remember(query, filters) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(filters).forEach(function (key) { params.set(key, filters[key]); });
    var search = params.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function say(text) {
    status.textContent = text;
  }

  // The words come from search.html, in the page's language; English when a hub's own search.html lacks them.
  function words(name, english, values) {
    return (root.getAttribute("data-" + name) || english).replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  function describe(count, query, filters) {
    var said = count === 0 ? words("none", "No results", {}) : words(count === 1 ? "one" : "many", count === 1 ? "{n} result" : "{n} results", {n: count});
    if (query) said += words("query", " for \u201c{query}\u201d", {query: query});
    var narrowed = selects.filter(function (s) { return s.value; }).map(function (s) {
      return s.labels[0].textContent + ": " + s.value;
    });
    if (narrowed.length) said += " (" + narrowed.join(", ") + ")";
    return said + (count === 0 ? words("try", ". Try fewer or other words, or clear the filters.", {}) : ".");
  }

  function run() {
    var query = input.value.trim();
    var filters = chosenFilters();
    remember(query, filters);
    var ticket = ++latest;
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      more.hidden = true;
      say("");
      return;
    }
    say("Searching\u2026");
    load().then(function (pf) {
      return pf.search(query || null, { filters: filters });
    }).then(function (search) {
      if (ticket !== latest) return; // a newer search has started
      results = search.results;
      shown = 0;
      list.textContent = "";
      return showMore(false).then(function () { say(describe(results.length, query, filters)); });
    }).catch(function () {
      if (ticket === latest) say("Search is not available just now. Browse the resources, news and events from the menu instead.");
    });
  }

  function showMore(moveFocus) {
    var next = results.slice(shown, shown + PER_PAGE);
    shown += next.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      var first = null;
      pages.forEach(function (data) {
        var item = render(data, Boolean(input.value.trim()));
        list.appendChild(item);
        first = first || item.querySelector("a");
      });
      more.hidden = shown >= results.length;
      if (moveFocus && first) first.focus(); // keyboard users carry on from the first new result
    });
  }

  function render(data, withExcerpt) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = meta.title || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.kind, meta.date].filter(Boolean).join(" \u00b7 ");
    if (facts) {
      var line = document.createElement("p");
      line.className = "meta";
      line.textContent = facts;
      item.appendChild(line);
    }
    if (meta.summary) {
      var summary = document.createElement("p");
      summary.textContent = meta.summary;
      item.appendChild(summary);
    }
    if (data.excerpt && (!meta.summary || (withExcerpt && !mentions(meta.summary, data.excerpt)))) {
      var excerpt = document.createElement("p"); // the words around what was found
      excerpt.className = "excerpt";
      addExcerpt(excerpt, data.excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  // Does the summary already show a word that was found?
  function mentions(summary, excerpt) {
    var found = excerpt.match(/<mark>[^<]*<\/mark>/g) || [];
    return found.some(function (m) { return summary.toLowerCase().indexOf(m.slice(6, -7).toLowerCase()) !== -1; });
  }

  // Pagefind's excerpt is text with <mark> around the words found: keep only those, as text and marks.
  function addExcerpt(target, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var wanted = params.get(s.name);
    if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) s.value = wanted;
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") run();
  });
  form.addEventListener("reset", function () { setTimeout(run, 0); });
  more.addEventListener("click", function () { showMore(true); });
  if (Object.keys(chosenFilters()).length) root.querySelector("[data-search-filters]").open = true;
  form.hidden = false;
  if (input.value || Object.keys(chosenFilters()).length) run();
})();
