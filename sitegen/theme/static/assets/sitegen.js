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
    var apply = function () {
      var query = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
      var shown = 0;
      items.forEach(function (item) {
        var match = selects.every(function (s) {
          return !s.value || (item.getAttribute("data-" + s.name) || "").split(" ").indexOf(s.value) !== -1;
        });
        item.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = shown + (shown === 1 ? " resource" : " resources");
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
