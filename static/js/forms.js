// Progressive enhancement for staff forms; the forms work without it.
// - After a refused save, focus moves to the error summary's first link, and each link focuses
//   its field (or the first box of a group of checkboxes).
// - "Add a row" appends a blank row to a list, from the formset's empty row (<template>).
// - Ticking "cite the score" shows the sentence it will add, from the page's citations.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.querySelectorAll("a").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.hash.slice(1));
        if (!target) { return; }
        event.preventDefault();
        var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
        target.scrollIntoView({ block: "center" });
        (field || target).focus();
      });
    });
    var first = summary.querySelector("a");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
      var row = holder.firstElementChild;
      button.parentNode.insertBefore(row, button);
      total.value = index + 1;
      bindCitation(row);
      row.querySelector("textarea").focus();
    });
  });

  var citationData = document.getElementById("citations");
  var citations = citationData ? JSON.parse(citationData.textContent) : {};
  function bindCitation(row) {
    var preview = row.querySelector("[data-citation-preview]");
    if (!preview) { return; }
    var indicator = row.querySelector("select[name$='-indicator']");
    var cite = row.querySelector("input[name$='-cite_score']");
    function show() {
      var sentence = citations[indicator.value];
      if (cite.checked && sentence) {
        preview.textContent = preview.dataset.label + " " + sentence;
      } else if (cite.checked) {
        preview.textContent = preview.dataset.missing;
      } else {
        preview.textContent = "";
      }
    }
    indicator.addEventListener("change", show);
    cite.addEventListener("change", show);
    show();
  }
  document.querySelectorAll("fieldset.item").forEach(bindCitation);
})();
