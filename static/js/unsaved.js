// Progressive enhancement for long staff forms: ask before leaving a page with unsaved typing.
// The forms work without it; it only guards against closing a tab by mistake.
// A form larger than the server accepts (data-max-bytes, as it is sent: Thai letters as nine
// bytes each) is not sent: the typed text stays on the page, with a message saying why.
(function () {
  "use strict";
  document.querySelectorAll("form[data-max-bytes]").forEach(function (form) {
    var warning = document.getElementById(form.dataset.tooLarge);
    form.addEventListener("submit", function (event) {
      var size = new URLSearchParams(new FormData(form)).toString().length;
      if (size > parseInt(form.dataset.maxBytes, 10)) {
        event.preventDefault();
        warning.hidden = false;
        warning.scrollIntoView();
      }
    });
  });
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function (event) { if (!event.defaultPrevented) { dirty = false; } });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
