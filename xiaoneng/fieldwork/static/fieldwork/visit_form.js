// The visit form's "再加一条": one more finding box (each box is one finding).
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("[data-findings]").forEach(function (set) {
      var button = set.querySelector("[data-add-finding]");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var boxes = set.querySelectorAll(".finding-box");
        var last = boxes[boxes.length - 1];
        var copy = last.cloneNode(true);
        var n = boxes.length + 1;
        var area = copy.querySelector("textarea");
        var label = copy.querySelector("label");
        area.id = "id_finding_" + n;
        area.value = "";
        label.setAttribute("for", area.id);
        label.textContent = label.textContent.replace(/\d+$/, String(n));
        set.insertBefore(copy, button);
        area.focus();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
