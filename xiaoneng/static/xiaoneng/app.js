// Small behaviours of the UI shell. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // <form data-confirm="…">: ask before a consequential action.
    document.addEventListener("submit", function (event) {
      var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
      if (message && !window.confirm(message)) event.preventDefault();
    });
    // <input type="checkbox" data-select-all="NAME">: ticks or clears every box named NAME
    // in its form.
    document.addEventListener("change", function (event) {
      var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
      if (!name) return;
      var boxes = event.target.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = event.target.checked;
    });
    // <input type="file" data-max-mb="20">: refuse a file over the limit before uploading it.
    document.addEventListener("change", function (event) {
      var input = event.target;
      var max = input.getAttribute && input.getAttribute("data-max-mb");
      if (!max || !input.files) return;
      var message = "";
      for (var i = 0; i < input.files.length; i++) {
        if (input.files[i].size > max * 1024 * 1024) {
          message = (input.getAttribute("data-too-big") || "{name} > {max} MB")
            .replace("{name}", input.files[i].name)
            .replace("{max}", max);
        }
      }
      input.setCustomValidity(message);
      if (message) input.reportValidity();
    });
    // <select data-autosubmit>: submit its form on change (filters).
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("[data-autosubmit]")) {
        event.target.form.requestSubmit();
      }
    });
  });
})();
