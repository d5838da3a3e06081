/* sitegen: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Resource library: filter by several facets at once, and keep the choice in the address.
  var form = document.querySelector("[data-filters]");
  var list = document.querySelector("[data-resources]");
  if (form && list) {
    var items = Array.prototype.slice.call(list.children);
    var count = document.querySelector("[data-count]");
    var empty = list.parentNode.querySelector(".empty-message");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    });
    var has = function (item, name, value) {
      return !value || (item.getAttribute("data-" + name) || "").split(" ").indexOf(value) !== -1;
    };
    // Does the item match every chosen filter except `skip`?
    var matchesOthers = function (item, skip) {
      return selects.every(function (s) { return s === skip || has(item, s.name, s.value); });
    };
    var apply = function () {
      var query = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
      var shown = 0;
      items.forEach(function (item) {
        var match = matchesOthers(item, null);
        item.hidden = !match;
        if (match) shown += 1;
      });
      // Each choice's count: the resources it would show, with the other filters as they are.
      selects.forEach(function (select) {
        var pool = items.filter(function (item) { return matchesOthers(item, select); });
        Array.prototype.forEach.call(select.options, function (option) {
          if (!option.value) return;
          var n = pool.filter(function (item) { return has(item, select.name, option.value); }).length;
          option.textContent = option.getAttribute("data-label") + " (" + n + ")";
        });
      });
      // The words come from resources.html, in the page's language ({n} is the number).
      count.textContent = (count.getAttribute(shown === 1 ? "data-one" : "data-many") || (shown === 1 ? "{n} resource" : "{n} resources")).replace("{n}", shown);
      empty.hidden = shown !== 0;
      var search = query.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    };
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    document.querySelector("[data-facet-links]").hidden = true;
    apply();
  }

  // Upcoming events: hide those that have ended since the site was built.
  var upcoming = document.querySelector("[data-upcoming]");
  if (upcoming) {
    var now = Date.now();
    var left = 0;
    Array.prototype.forEach.call(upcoming.children, function (item) {
      var ends = Date.parse(item.getAttribute("data-ends"));
      item.hidden = ends <= now;
      if (!item.hidden) left += 1;
    });
    if (left === 0) upcoming.parentNode.querySelector(".empty-message").hidden = false;
  }
})();
