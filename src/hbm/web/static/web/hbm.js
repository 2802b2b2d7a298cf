/* HBM officers' pages: optional keyboard helpers. Every page works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // The token card's "Print" button (shown only when this script runs).
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) {
      window.print();
    }
  });

  function firstFieldIn(container) {
    return container.querySelector("input:not([type=hidden]), select, textarea");
  }

  // The shortcuts shown on screen are the elements' access keys. Browsers bind access keys to
  // different modifiers (Alt, Alt+Shift, Ctrl+Alt) or not at all; this makes Alt+key and
  // Alt+Shift+key work everywhere, and opens a closed section before moving into it.
  function accessKeyTarget(event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) {
      return null;
    }
    // The physical key, so that the shortcuts shown (Latin letters) work on an Arabic layout too.
    var match = /^Key([A-Z])$/.exec(event.code || "");
    if (!match) {
      return null;
    }
    return document.querySelector('[accesskey="' + match[1].toLowerCase() + '"]');
  }

  function activate(target) {
    if (target.tagName === "SUMMARY") {
      var details = target.parentElement;
      details.open = true;
      var field = firstFieldIn(details);
      (field || target).focus();
    } else if (target.tagName === "BUTTON" || target.type === "submit") {
      target.click();
    } else {
      target.focus();
      if (typeof target.select === "function" && target.type !== "file") {
        target.select();
      }
    }
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    // Ctrl+Enter saves from a multi-line field (the MRZ), where Enter starts a new line.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && field && field.form) {
      event.preventDefault();
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
      return;
    }
    var target = accessKeyTarget(event);
    if (target) {
      event.preventDefault();
      activate(target);
    }
  });
})();
