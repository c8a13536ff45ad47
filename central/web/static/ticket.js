/* A ticket's phone page: live over server-sent events; plain ES5 for WeChat's browser. */
(function () {
  "use strict";
  var body = document.body;
  var id = body.getAttribute("data-ticket");
  var STATES = ["called", "waiting", "served", "no_show", "expired"];
  function $(x) { return document.getElementById(x); }
  function setAll(cls, text) {
    var nodes = document.querySelectorAll("." + cls);
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = text; }
  }
  function show(t) {
    body.setAttribute("data-status", t.status);
    for (var i = 0; i < STATES.length; i++) { $(STATES[i]).hidden = STATES[i] !== t.status; }
    $("number").textContent = t.number;
    setAll("win", t.window || "");
    $("ahead").textContent = t.ahead;
    var hm = t.appointment_slot ? String(t.appointment_slot).substr(11, 5) : "";
    $("slot").hidden = !hm;
    setAll("slot-hm", hm);
    $("slot-early").hidden = t.slot_state !== "early";
    $("slot-lost").hidden = t.slot_state !== "lost";
    setAll("ahead-en", t.ahead);
    if (t.estimated_wait_s === null || t.estimated_wait_s === undefined) {
      $("estimate").hidden = true;
    } else {
      $("estimate").hidden = false;
      setAll("minutes", Math.ceil(t.estimated_wait_s / 60));
    }
    if (t.status === "called" && navigator.vibrate) { navigator.vibrate([300, 100, 300]); }
  }
  if (!window.EventSource) {
    setTimeout(function () { location.reload(); }, 30000);  // old browsers: reload, gently
    return;
  }
  var source = new EventSource("/t/" + id + "/events");
  source.onopen = function () { $("offline").hidden = true; };
  source.onerror = function () { $("offline").hidden = false; };
  source.addEventListener("ping", function () { $("offline").hidden = true; });
  source.addEventListener("status", function (e) { $("offline").hidden = true; show(JSON.parse(e.data)); });
}());
