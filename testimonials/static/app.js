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
});
