// Starts Swagger UI on the page's OpenAPI document. A file, not an inline script, so the
// page runs under a Content-Security-Policy without 'unsafe-inline'.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    // Deep links put a link inside each operation's toggle button: a control inside a
    // control, which screen readers cannot announce (axe: nested-interactive).
    deepLinking: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Swagger UI would otherwise ask a public validator about the document: no outside calls.
    validatorUrl: null,
    tryItOutEnabled: false,
    onComplete: landmarks,
  });

  // Swagger UI puts its title block outside any landmark and jumps from its h1 to h3 for
  // the operation groups (h4 for an operation's sections, as it opens them): give the title
  // block the banner role and every heading below the h1 one level up, now and whenever
  // Swagger UI renders more, so a screen reader's landmark and heading lists read in order
  // (axe: region, heading-order, landmark-unique; tests/browser/test_api_docs_axe.py).
  function landmarks() {
    var info = root.querySelector(".information-container");
    if (info) info.setAttribute("role", "banner");
    levelUp();
    new MutationObserver(levelUp).observe(root, { childList: true, subtree: true });
  }

  function levelUp() {
    root.querySelectorAll("h3:not([aria-level]), h4:not([aria-level]), h5:not([aria-level]), h6:not([aria-level])")
      .forEach(function (heading) {
        heading.setAttribute("aria-level", String(Number(heading.tagName.charAt(1)) - 1));
      });
    // Each opened operation's responses table is marked as an unnamed region, which hides
    // that it is a table and makes a landmark per operation with no name to tell them apart.
    root.querySelectorAll("table[role=region]").forEach(function (table) {
      table.removeAttribute("role");
    });
  }
})();
