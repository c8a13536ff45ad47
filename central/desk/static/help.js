/* The desk's help-calls page: server-sent events, a chime for every new call, and a plain
 * on-screen warning when the browser blocks the sound. Plain ES5, no build step. */
(function () {
  "use strict";
  var root = document.getElementById("help-page");
  if (!root) { return; }
  var csrf = root.getAttribute("data-csrf");
  var prefix = root.getAttribute("data-prefix");
  var chimeUrl = root.getAttribute("data-chime");
  var probeUrl = root.getAttribute("data-probe");
  var known = {};
  var lastHeard = Date.now();
  var source = null;
  var QUIET_LIMIT_MS = 40000;   // pings come every 15 s; two missed = lost
  var RECONNECT_MS = 10000;

  function $(id) { return document.getElementById(id); }
  function setLost(lost) { $("lost").hidden = !lost; }
  function setBlocked(blocked) {
    $("sound-blocked").hidden = !blocked;
    root.setAttribute("data-sound", blocked ? "blocked" : "ok");
  }
  function heard() { lastHeard = Date.now(); setLost(false); root.setAttribute("data-live", "open"); }

  // Calls already on the page when it loaded are not new: no chime for them.
  var items = document.querySelectorAll("#calls [data-call]");
  for (var i = 0; i < items.length; i++) { known[items[i].getAttribute("data-call")] = true; }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function bilingual(tag, cls, zh, en) {
    var node = el(tag, cls, zh + " ");
    node.appendChild(el("small", "", en));
    return node;
  }
  function actionForm(id, action, zh, en, cls) {
    var form = el("form");
    form.method = "post";
    form.action = prefix + "/help/" + id + "/" + action;
    var token = el("input");
    token.type = "hidden"; token.name = "csrf"; token.value = csrf;
    form.appendChild(token);
    form.appendChild(bilingual("button", cls, zh, en));
    return form;
  }

  function render(calls) {
    var list = $("calls");
    var fresh = false;
    list.innerHTML = "";
    for (var i = 0; i < calls.length; i++) {
      var c = calls[i];
      var li = el("li", "call");
      li.setAttribute("data-call", c.id);
      if (c.escalated) { li.className += " escalated"; }
      if (c.coming_name) { li.className += " answered"; }
      if (!known[c.id]) { li.className += " new"; known[c.id] = true; fresh = true; }
      var where = el("div", "where");
      where.appendChild(el("strong", "", c.location));
      where.appendChild(document.createTextNode(" "));
      where.appendChild(el("small", "", c.kiosk_id));
      li.appendChild(where);
      var what = bilingual("div", "what", c.reason_name, c.reason_name_en);
      what.appendChild(document.createTextNode(" · " + c.time + " "));
      if (c.escalated) {
        var told = c.phoned && !c.after_hours;
        what.appendChild(bilingual("span", "tag alert", told ? "已提级至值班长，已通知值班电话" : "已提级至值班长",
                                   told ? "Escalated to the duty officer, duty phone told"
                                        : "Escalated to the duty officer"));
      }
      if (c.after_hours) {
        what.appendChild(bilingual("span", "tag", c.phoned ? "非工作时间，已通知值班电话" : "非工作时间",
                                   c.phoned ? "After hours, duty phone told" : "After hours"));
      }
      li.appendChild(what);
      var who = el("div", "who");
      if (c.coming_name) {
        who.appendChild(bilingual("span", "coming", c.coming_name + "（" + c.coming_role_name + "）正在前往",
                                  c.coming_name + " (" + c.coming_role_name_en + ") is on the way"));
      }
      li.appendChild(who);
      var acts = el("div", "acts");
      if (!c.coming_name) { acts.appendChild(actionForm(c.id, "coming", "我来了", "I'm coming", "coming-btn")); }
      acts.appendChild(actionForm(c.id, "close", "已处理", "Handled", "secondary close-btn"));
      li.appendChild(acts);
      list.appendChild(li);
    }
    $("empty").hidden = calls.length > 0;
    if (fresh) { ring(); }
  }

  // -- sound: every new call chimes; a refused play() shows the yellow banner -------------
  function ring() {
    var audio = new Audio(chimeUrl);
    window.lastChime = { url: chimeUrl, at: Date.now() };
    var started = audio.play();
    if (started && started.then) {
      started.then(function () { setBlocked(false); }, function (err) {
        if (err && err.name === "NotAllowedError") { setBlocked(true); }
      });
    }
  }
  function probeSound() {
    var probe = new Audio(probeUrl);
    var p = probe.play();
    if (p && p.then) {
      p.then(function () { setBlocked(false); }, function (err) {
        setBlocked(!!(err && err.name === "NotAllowedError"));
      });
    }
  }
  document.addEventListener("click", probeSound);
  document.addEventListener("touchend", probeSound);

  // -- the live feed ------------------------------------------------------------------
  function connect() {
    if (source) { source.close(); }
    source = new EventSource(prefix + "/help/events");
    source.onopen = heard;
    source.onerror = function () { setLost(true); };
    source.addEventListener("ping", heard);
    source.addEventListener("calls", function (e) { heard(); render(JSON.parse(e.data).calls); });
  }
  setInterval(function () {
    if (Date.now() - lastHeard > QUIET_LIMIT_MS) {
      setLost(true);
      if (!source || source.readyState !== 0) { connect(); }
      lastHeard = Date.now() - QUIET_LIMIT_MS + RECONNECT_MS;
    }
  }, 5000);
  setBlocked(false);
  probeSound();
  connect();
}());
