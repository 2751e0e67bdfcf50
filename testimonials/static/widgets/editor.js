// Live preview: re-render the preview pane shortly after each change (the Preview button
// does the same without JavaScript).
(function () {
  "use strict";
  var form = document.getElementById("widget-form");
  var button = document.getElementById("preview-button");
  if (!form || !button) return;
  var timer = null;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () { form.requestSubmit(button); }, 400);
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
