/* A report's progress page: live over server-sent events; plain ES5 for WeChat's browser.
   The stream says only the step; on a new one the page fetches itself again and shows the
   new content in place. Without EventSource (or once the stream has given up) it reloads
   every minute, as the page's <noscript> refresh does without JavaScript. */
(function () {
  "use strict";
  var body = document.body;
  // The page's own reload interval (REFRESH_S), never under 10 s (issue 17).
  var RELOAD_MS = Math.max(10, parseInt(body.getAttribute("data-refresh-s"), 10) || 60) * 1000;
  if (body.getAttribute("data-state") !== "found" || body.getAttribute("data-step") === "answered") {
    return;
  }
  function reload() { location.reload(); }
  if (!window.EventSource || !window.DOMParser || !window.XMLHttpRequest) {
    setTimeout(reload, RELOAD_MS);
    return;
  }
  var source = null;
  var busy = false;
  var again = false;

  function show(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var main = fresh && fresh.querySelector("main");
    if (!main || fresh.body.getAttribute("data-state") !== "found") { return false; }
    document.querySelector("main").innerHTML = main.innerHTML;
    body.setAttribute("data-step", fresh.body.getAttribute("data-step") || "");
    return true;
  }

  function update() {
    if (busy) { again = true; return; }
    busy = true;
    var xhr = new XMLHttpRequest();
    xhr.open("GET", location.href, true);
    xhr.setRequestHeader("Cache-Control", "no-cache");
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      busy = false;
      var shown = xhr.status === 200 && show(xhr.responseText);
      if (!shown) {  // too many requests a moment ago, or the network: look again shortly
        setTimeout(update, 10000);
      } else if (again) {
        again = false;
        update();
      }
      if (body.getAttribute("data-step") === "answered" && source) { source.close(); }
    };
    xhr.send();
  }

  source = new EventSource(location.pathname.replace(/\/+$/, "") + "/events" + location.search);
  source.addEventListener("status", function (e) {
    var s = JSON.parse(e.data);
    if (s.answered) { source.close(); }  // the last word: no reconnect after the stream ends
    if (s.step !== body.getAttribute("data-step")) { update(); }
  });
  setInterval(function () {  // the stream gave up (refused, or the centre was gone): reload
    if (source.readyState === 2 && body.getAttribute("data-step") !== "answered") { reload(); }
  }, RELOAD_MS);
}());
