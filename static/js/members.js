// Member list: the filters start open on a wide screen and folded on a phone (where they would push
// the results below the fold). Without JavaScript they stay as the server rendered them.
(function () {
  "use strict";
  if (window.matchMedia("(min-width: 761px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
})();
