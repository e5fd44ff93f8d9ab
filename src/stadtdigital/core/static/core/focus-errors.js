// Forms sent back with errors: move the keyboard focus to the error summary (WCAG 3.3.1), without inline script.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
