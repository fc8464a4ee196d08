// Warns before an idle login times out, and keeps it alive if the person asks, without
// reloading: whatever they typed into a form stays where it is. Without JavaScript nothing
// shows; the server logs them out after the idle limit as usual.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var idle = parseInt(dialog.dataset.idleSeconds, 10);
  var warnBefore = parseInt(dialog.dataset.warnSeconds, 10);
  if (!(idle > 0)) {
    return;
  }
  var form = dialog.querySelector("form");
  var ended = dialog.querySelector(".session-warning-ended");
  var warnTimer = null;
  var endTimer = null;

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(warn, Math.max(idle - warnBefore, 10) * 1000);
    endTimer = window.setTimeout(showEnded, idle * 1000);
  }

  function warn() {
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function showEnded() {
    form.hidden = true;
    ended.hidden = false;
    warn();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.ok && !response.redirected) {
          dialog.close();
          schedule();
        } else {
          showEnded();
        }
      })
      .catch(showEnded);
  });

  // Every page load and every htmx exchange talks to the server, which counts as activity.
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
