// Behaviour every dashboard page shares, bound here rather than in inline handlers so the
// pages run under a Content-Security-Policy without 'unsafe-inline'.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Choosing another workspace switches to it at once (the form's button is for no-JS).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
  // "Copy" beside a code to paste elsewhere (an embed code): shown only where it can work.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector("[role=status]");
    if (!source || !navigator.clipboard) return;
    button.parentElement.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () { status.textContent = "Copied."; },
        function () { source.select(); status.textContent = "Selected: press Ctrl+C (⌘C) to copy."; }
      );
    });
  });
});
