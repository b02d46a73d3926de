// Small behaviours of the G40 pages, kept out of the HTML so the Content-Security-Policy
// can forbid inline scripts: progress bars, auto-submitting selects, select-on-click fields.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-breedte]").forEach(function (el) {
    el.style.width = el.dataset.breedte + "%";
  });
  document.querySelectorAll("select[data-verstuur]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("input[data-selecteer]").forEach(function (el) {
    el.addEventListener("click", function () { el.select(); });
  });
});
