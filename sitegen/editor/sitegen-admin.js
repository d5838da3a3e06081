// sitegen's additions to Decap CMS on /admin/: the theme's stylesheet in the preview pane, and the
// checks a build would otherwise fail on, made before a change is saved. The settings come from
// the page (generated from the content schema), so this file is the same for every hub.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("sitegen-admin").textContent);
  var CMS = window.CMS;
  if (!CMS) { return; }
  CMS.registerPreviewStyle(settings.stylesheet);

  // Every picture needs a description, as the build requires.
  var MARKDOWN_IMAGE_WITHOUT_ALT = /!\[\s*\]\(/;
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var data = entry.get("data");
      var pairs = settings.alt[entry.get("collection")] || [];
      pairs.forEach(function (pair) {
        var image = data.get(pair[0]);
        var alt = data.get(pair[1]);
        if (image && !(alt && String(alt).trim())) {
          throw new Error(pair[2] + " is needed with the picture: a few words saying what it shows");
        }
      });
      if (MARKDOWN_IMAGE_WITHOUT_ALT.test(String(data.get("body") || ""))) {
        throw new Error("A picture in the text has no description: write what it shows between its square brackets, ![like this](...)");
      }
      return undefined;
    }
  });
})();
