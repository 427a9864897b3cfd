// The lesson player: resume at the saved position, save the position every ~10 s while
// playing and on pause, seek and leaving the page (small POSTs; sendBeacon on leave).
(function () {
  "use strict";
  var video = document.getElementById("lesson-video");
  if (!video) return;
  var url = video.dataset.progressUrl;
  var start = parseFloat(video.dataset.position || "0") || 0;
  var lastSent = -1;
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function body(position) {
    var data = new FormData();
    data.append("position", String(Math.floor(position)));
    data.append("csrfmiddlewaretoken", csrf());
    return data;
  }
  function save(beacon) {
    if (!url) return;
    var position = Math.floor(video.currentTime || 0);
    if (position === lastSent) return;
    lastSent = position;
    if (beacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, body(position));
      return;
    }
    fetch(url, {
      method: "POST",
      body: body(position),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    }).catch(function () {});
  }
  video.addEventListener("loadedmetadata", function () {
    if (start > 0 && start < (video.duration || Infinity)) video.currentTime = start;
  });
  var timer = null;
  video.addEventListener("play", function () {
    if (!timer) timer = setInterval(function () { save(false); }, 10000);
  });
  video.addEventListener("pause", function () {
    clearInterval(timer);
    timer = null;
    save(false);
  });
  video.addEventListener("seeked", function () { save(false); });
  video.addEventListener("ended", function () { save(false); });
  window.addEventListener("pagehide", function () { save(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
})();
