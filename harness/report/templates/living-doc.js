// Offline search and filters of the living documentation (the language toggle is language.js).
(function () {
  "use strict";
  var search = document.getElementById("search");
  var tag = document.getElementById("tag-filter");
  var outcome = document.getElementById("outcome-filter");
  var status = document.getElementById("status-filter");
  var shown = document.getElementById("shown");
  var scenarios = Array.prototype.slice.call(document.querySelectorAll("article.scenario"));
  var texts = scenarios.map(function (article) { return article.textContent.toLowerCase(); });
  function words(value) { return value ? value.split(" ") : []; }
  function apply() {
    var needle = search.value.trim().toLowerCase();
    var count = 0;
    scenarios.forEach(function (article, index) {
      var visible = (!needle || texts[index].indexOf(needle) !== -1)
        && (!tag.value || words(article.dataset.tags).indexOf(tag.value) !== -1)
        && (!outcome.value || article.dataset.outcome === outcome.value)
        && (!status.value || words(article.dataset.statuses).indexOf(status.value) !== -1);
      article.classList.toggle("hidden", !visible);
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  [search, tag, outcome, status].forEach(function (control) {
    control.addEventListener("input", apply);
    control.addEventListener("change", apply);
  });
  var firstFailure = document.querySelector(".side-by-side");
  if (firstFailure && !window.location.hash) { firstFailure.scrollIntoView({block: "center"}); }
}());
