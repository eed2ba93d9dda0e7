// The language toggle of every page: English or Japanese, remembered where the browser allows.
(function () {
  "use strict";
  var root = document.documentElement;
  var key = "amazon-pay-living-doc-language";
  var saved = null;
  try { saved = window.localStorage.getItem(key); } catch (error) { saved = null; }
  if (saved === "ja" || saved === "en") { root.lang = saved; }
  document.getElementById("language").addEventListener("click", function () {
    root.lang = root.lang === "ja" ? "en" : "ja";
    try { window.localStorage.setItem(key, root.lang); } catch (error) { /* file: */ }
  });
}());
