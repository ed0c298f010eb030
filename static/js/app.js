// Small behaviours for every page. No inline scripts: the CSP allows only our own files.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-toggle-menu]");
    if (toggle) {
      var open = document.body.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    var expander = event.target.closest("[data-expander]");
    if (expander) {
      var node = expander.closest(".tree-node");
      var expanded = node.getAttribute("aria-expanded") === "true";
      node.setAttribute("aria-expanded", expanded ? "false" : "true");
      expander.textContent = expanded ? "▸" : "▾";
      var name = node.querySelector(".node-name");
      expander.setAttribute("aria-label", (expanded ? "展开 " : "收起 ") + (name ? name.textContent : ""));
      return;
    }
    var pick = event.target.closest("[data-pick-code]");
    if (pick) {
      var form = pick.closest("form");
      var input = form && form.querySelector("[data-org-code]");
      if (input) {
        input.value = pick.getAttribute("data-pick-code");
        input.focus();
      }
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // On a phone the side menu's sections fold: keep open only the one holding the current page.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 760px)").matches) {
      return;
    }
    document.querySelectorAll("#sidebar details.menu-section:not([data-current])").forEach(function (section) {
      section.removeAttribute("open");
    });
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form) {
      form.submit();
    }
  });
})();
