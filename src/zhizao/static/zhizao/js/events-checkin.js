/* Check-in page: read a badge's QR code with the phone's camera where the browser can
   (BarcodeDetector: Chromium on Android, Chrome OS, macOS), then send the form as a typed code
   would be sent. Elsewhere nothing changes: the text field stays, and a handheld scanner types
   into it. After a scan the page reloads with the result; the camera starts again by itself
   (until the person stops it), so a queue of badges is scanned one after another; the badge
   just sent is not sent again for a few seconds. */
(function () {
  "use strict";
  var box = document.querySelector("[data-camera]");
  var form = document.querySelector('[data-testid="scan-form"]');
  var input = document.getElementById("id_code");
  if (!box || !form || !input) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) return;
  var KEY = "zhizao-checkin-camera";
  var LAST = "zhizao-checkin-last";
  var REPEAT_MS = 4000; // the badge just sent is still in front of the camera: wait before again
  var button = box.querySelector("[data-camera-toggle]");
  var video = box.querySelector("video");
  var status = box.querySelector("[data-camera-status]");
  var stream = null;
  var detector = null;

  function stop(remember) {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    button.textContent = box.dataset.startLabel;
    if (remember) sessionStorage.removeItem(KEY);
  }

  function recent(code) {
    var last = JSON.parse(sessionStorage.getItem(LAST) || "null");
    return last && last.code === code && Date.now() - last.at < REPEAT_MS;
  }

  function found(code) {
    if (recent(code)) return false;
    sessionStorage.setItem(LAST, JSON.stringify({ code: code, at: Date.now() }));
    input.value = code;
    stop(false);
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState < 2) { requestAnimationFrame(tick); return; }
    detector.detect(video).then(function (codes) {
      for (var i = 0; i < codes.length; i++) {
        if (codes[i].rawValue && found(codes[i].rawValue.trim())) return;
      }
      requestAnimationFrame(tick);
    }, function () { setTimeout(tick, 250); });
  }

  function start() {
    status.textContent = "";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        sessionStorage.setItem(KEY, "on");
        video.srcObject = s;
        video.hidden = false;
        button.textContent = box.dataset.stopLabel;
        var playing = video.play();
        if (playing && playing.catch) playing.catch(function () {});
        tick();
      }, function () {
        sessionStorage.removeItem(KEY);
        status.textContent = box.dataset.deniedLabel;
      });
  }

  var ready = window.BarcodeDetector.getSupportedFormats
    ? window.BarcodeDetector.getSupportedFormats()
    : Promise.resolve(["qr_code"]);
  ready.then(function (formats) {
    if (formats.indexOf("qr_code") < 0) return;
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    video.style.width = "100%";
    video.style.maxWidth = "28rem";
    box.hidden = false;
    button.addEventListener("click", function () {
      if (stream) stop(true); else start();
    });
    if (sessionStorage.getItem(KEY) === "on") start();
  }, function () {});
})();
