// Upload progress of the ledger form (htmx reports XHR progress); the import's own
// progress is then polled by the job fragment (hx-trigger="every 1s").
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = document.getElementById("upload-progress");
    if (!bar || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
})();
