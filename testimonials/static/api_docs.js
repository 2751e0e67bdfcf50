// Starts Swagger UI on the page's OpenAPI document. A file, not an inline script, so the
// page runs under a Content-Security-Policy without 'unsafe-inline'.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Swagger UI would otherwise ask a public validator about the document: no outside calls.
    validatorUrl: null,
    tryItOutEnabled: false,
  });
})();
