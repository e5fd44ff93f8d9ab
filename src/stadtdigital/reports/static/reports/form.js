/* Report form enhancements (all optional: the form works without them):
   error summary focus, category notices, and a draft kept in localStorage against lost mobile connections.
   Contact data (name, email, phone) is never put into the draft. */
(function () {
  "use strict";
  var KEY = "stadtdigital:report-draft";
  var SKIP = { csrfmiddlewaretoken: 1, name: 1, email: 1, phone: 1, website: 1, privacy_consent: 1, show_name: 1 };

  function readDraft() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeDraft(draft) {
    try { window.localStorage.setItem(KEY, JSON.stringify(draft)); } catch (e) { /* private mode: no draft */ }
  }

  if (document.querySelector("[data-clear-draft]")) {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* ignore */ }
    return;
  }

  var summary = document.getElementById("error-summary");
  var stepHeading = document.getElementById("schritt-2");
  if (summary) { summary.focus(); } else if (stepHeading) { stepHeading.focus(); }

  var select = document.getElementById("id_kategorie");
  function showNotices() {
    if (!select) { return; }
    document.querySelectorAll(".category-notice").forEach(function (notice) {
      notice.hidden = notice.getAttribute("data-category") !== select.value;
    });
  }
  if (select) { select.addEventListener("change", showNotices); }

  // Step 2: description and answers, per category.
  var form = document.querySelector("[data-draft-form]");
  if (form) {
    var categoryInput = form.querySelector("input[name=kategorie]");
    var category = categoryInput ? categoryInput.value : "";
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
      });
    };
    var draft = readDraft();
    var saved = draft.details && draft.details.kategorie === category ? draft.details.values || {} : null;
    var restored = false;
    if (saved && !summary) {
      fields().forEach(function (el) {
        if (!(el.name in saved)) { return; }
        var value = saved[el.name];
        if (el.type === "checkbox" || el.type === "radio") {
          var wanted = Array.isArray(value) ? value : [value];
          if (!el.checked && wanted.indexOf(el.value) >= 0) { el.checked = true; restored = true; }
        } else if (!el.value && value) { el.value = value; restored = true; }
      });
    }
    if (restored) {
      var note = document.createElement("p");
      note.className = "draft-note";
      note.setAttribute("role", "status");
      note.textContent = form.getAttribute("data-draft-restored") || "Ihr Entwurf wurde wiederhergestellt.";
      form.insertBefore(note, form.firstElementChild.nextElementSibling);
    }
    var save = function () {
      var values = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) {
            if (el.type === "checkbox") { (values[el.name] = values[el.name] || []).push(el.value); }
            else { values[el.name] = el.value; }
          }
        } else if (el.value) { values[el.name] = el.value; }
      });
      var current = readDraft();
      current.details = { kategorie: category, values: values, saved: Date.now() };
      writeDraft(current);
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  // Step 1: category and place.
  var placeForm = document.getElementById("place-form");
  if (placeForm) {
    var names = ["kategorie", "adresse", "lat", "lon"];
    var empty = names.every(function (n) { return !placeForm.elements[n] || !placeForm.elements[n].value; });
    var draftPlace = readDraft().place;
    if (empty && draftPlace && !summary) {
      names.forEach(function (n) { if (placeForm.elements[n] && draftPlace[n]) { placeForm.elements[n].value = draftPlace[n]; } });
      showNotices();
      placeForm.dispatchEvent(new CustomEvent("draftrestored"));
    }
    var savePlace = function () {
      var current = readDraft();
      current.place = {};
      names.forEach(function (n) { if (placeForm.elements[n]) { current.place[n] = placeForm.elements[n].value; } });
      writeDraft(current);
    };
    placeForm.addEventListener("input", savePlace);
    placeForm.addEventListener("change", savePlace);
    placeForm.addEventListener("pinchange", savePlace);
  }
})();
