// Progressive enhancement for the clinician's forms (the pages work without it):
// - a questionnaire form says how many items are answered as they are filled in;
// - a form that came back with errors moves the focus to its error summary.
(function () {
  "use strict";
  function countAnswers(form) {
    var selects = form.querySelectorAll("ol.items select");
    var answered = 0;
    selects.forEach(function (s) { if (s.value !== "") { answered += 1; } });
    var out = document.getElementById("answered-count");
    if (out) { out.textContent = answered + " / " + selects.length + " answered"; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-live-check]").forEach(function (form) {
      form.addEventListener("change", function () { countAnswers(form); });
      countAnswers(form);
    });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
