/* The hall display: server-sent events, server-made audio, and honest failure states.
 * Plain ES5: no build step, runs in any Chromium. */
(function () {
  "use strict";
  var body = document.body;
  var hall = body.getAttribute("data-hall");
  var lastHeard = 0;
  var source = null;
  var queue = [];
  var playing = false;
  var QUIET_LIMIT_MS = 40000;   // pings come every 15 s; two missed = lost
  var RECONNECT_MS = 10000;     // never reconnect faster than every 10 s

  function $(id) { return document.getElementById(id); }
  function setLost(lost) { $("lost").hidden = !lost; body.classList.toggle("lost", lost); }
  function setBlocked(blocked) { $("sound-blocked").hidden = !blocked; body.setAttribute("data-sound", blocked ? "blocked" : "ok"); }
  function heard() { lastHeard = Date.now(); setLost(false); }

  function showLatest(call, fresh) {
    $("latest-number").textContent = call.number;
    $("latest-window").textContent = call.window;
    $("latest-window-en").textContent = call.window;
    $("latest-zone").textContent = [call.zone_name, call.floor ? call.floor + "楼" : ""].join(" ").trim();
    var box = document.querySelector(".latest");
    if (fresh) { box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash"); }
  }

  function showRecent(calls) {
    var list = $("recent");
    list.innerHTML = "";
    for (var i = 0; i < calls.length && i < 6; i++) {
      var li = document.createElement("li");
      var num = document.createElement("span");
      num.textContent = calls[i].number;
      var to = document.createElement("span");
      to.className = "to";
      to.textContent = calls[i].window + " 号窗口";
      li.appendChild(num); li.appendChild(to);
      list.appendChild(li);
    }
  }

  var recent = [];
  function onCall(call) {
    recent.unshift(call);
    recent = recent.slice(0, 8);
    showLatest(call, true);
    showRecent(recent);
    announce(call.audio_url);
  }

  // -- sound -------------------------------------------------------------------------
  // Each call's audio is fetched at once (ready when its turn comes); they play one after
  // another, never over each other. A backlog beyond five calls drops the oldest.
  function announce(url) {
    var audio = new Audio();
    audio.preload = "auto";
    audio.src = url;
    window.lastAnnouncement = { url: url, at: Date.now() };
    queue.push(audio);
    if (queue.length > 5) { queue.shift(); }
    playNext();
  }
  function playNext() {
    if (playing || !queue.length) { return; }
    playing = true;
    var audio = queue.shift();
    audio.onended = function () { playing = false; playNext(); };
    audio.onerror = function () { playing = false; playNext(); };
    var started = audio.play();
    if (started && started.then) {
      started.then(function () { setBlocked(false); }, function (err) {
        playing = false;
        if (err && err.name === "NotAllowedError") { setBlocked(true); queue = []; }
        else { playNext(); }
      });
    }
  }
  // Find out at once whether this browser lets the page play sound (autoplay policy).
  function probeSound() {
    var probe = new Audio("/web/static/silence.wav");
    var p = probe.play();
    if (p && p.then) {
      p.then(function () { setBlocked(false); }, function (err) {
        setBlocked(!!(err && err.name === "NotAllowedError"));
      });
    }
  }
  document.addEventListener("click", probeSound);
  document.addEventListener("touchend", probeSound);

  // -- the live feed -----------------------------------------------------------------
  function connect() {
    if (source) { source.close(); }
    source = new EventSource("/display/events?hall=" + encodeURIComponent(hall));
    source.onopen = heard;
    source.onerror = function () { setLost(true); };
    source.addEventListener("ping", heard);
    source.addEventListener("recent", function (e) {
      heard();
      recent = JSON.parse(e.data).calls;
      if (recent.length) { showLatest(recent[0], false); }
      showRecent(recent);
    });
    source.addEventListener("call", function (e) { heard(); onCall(JSON.parse(e.data)); });
  }
  setInterval(function () {
    if (Date.now() - lastHeard > QUIET_LIMIT_MS) {
      setLost(true);
      // A stream that is retrying by itself (every 10 s, the server's retry) is left alone;
      // a silently dead one or one the server refused (closed) is opened again.
      if (!source || source.readyState !== 0) { connect(); }
      lastHeard = Date.now() - QUIET_LIMIT_MS + RECONNECT_MS;
    }
  }, 5000);

  function tick() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    $("clock").textContent = two(d.getHours()) + ":" + two(d.getMinutes());
  }
  setInterval(tick, 10000);
  tick();
  setBlocked(false);
  probeSound();
  lastHeard = Date.now();
  connect();
}());
