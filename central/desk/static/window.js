// The window page: one press = one action (a double click must not call two numbers), and
// the waiting counts refresh every 15 s while nobody is typing in a form.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var buttons = document.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
  }, true);
  if (!document.getElementById("current-number")) { return; }
  setInterval(function () {
    var active = document.activeElement;
    var busy = active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
    var open = document.getElementById("setup");
    var sending = document.querySelector("form[data-sent]");
    if (!busy && !sending && !document.hidden && !(open && open.open)) {
      window.location.replace(window.location.pathname);
    }
  }, 15000);
})();
