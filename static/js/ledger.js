// Member ledgers: while a file uploads, the submit button says so and cannot be pressed twice.
// (The import job's progress bar is polled by htmx: templates/members/ledger_job_status.html.)
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-upload-form]");
    if (!form || event.defaultPrevented) {
      return;
    }
    var button = form.querySelector("[data-busy-text]");
    if (button) {
      button.disabled = true;
      button.textContent = button.getAttribute("data-busy-text");
    }
  });
})();
