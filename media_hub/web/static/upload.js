// Sends a file from the asset page to the server's tus endpoint (/uploads) in 8 MiB chunks,
// with a progress bar. A dropped connection is resumed from the offset the server reports
// (HEAD); an upload the server no longer knows must be started again, and the page says so.
// Plain script, no build step: the page's CSP allows scripts from this site only.
(function () {
  "use strict";
  var CHUNK = 8 * 1024 * 1024;
  var TRIES = 8; // failed requests in a row before giving up

  function b64(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary);
  }

  // The server's one-line reason (plain text), else the status (an error page is HTML).
  function reason(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    return type.indexOf("text/plain") === 0 && xhr.responseText ? xhr.responseText : "HTTP " + xhr.status;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  // One request; resolves with the XHR once answered, rejects on a network failure.
  function send(method, url, headers, body, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (onProgress) {
        xhr.upload.onprogress = function (event) { onProgress(event.loaded); };
      }
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Error("network")); };
      xhr.send(body === undefined ? null : body);
    });
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector(".upload-bar");
    var percent = form.querySelector(".upload-percent");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button");
    var token = form.elements.csrf_token.value;
    var base = { "Tus-Resumable": "1.0.0", "X-CSRF-Token": token };

    function headers(extra) {
      var all = {};
      Object.keys(base).forEach(function (k) { all[k] = base[k]; });
      Object.keys(extra || {}).forEach(function (k) { all[k] = extra[k]; });
      return all;
    }

    function show(done, total) {
      var value = total ? Math.floor((100 * done) / total) : 100;
      bar.hidden = false;
      bar.value = value;
      percent.textContent = value + " %";
    }

    function say(text, problem) {
      status.textContent = text;
      status.className = "upload-status" + (problem ? " problem" : "");
    }

    function keyOf(file) {
      return "tus:" + form.dataset.asset + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    }

    async function offsetOf(url) {
      var answer = await send("HEAD", url, headers());
      if (answer.status !== 200) { return null; }
      return Number(answer.getResponseHeader("Upload-Offset"));
    }

    async function create(file) {
      var answer = await send("POST", "/uploads", headers({
        "Upload-Length": String(file.size),
        "Upload-Metadata": "asset " + b64(form.dataset.asset) + ",filename " + b64(file.name),
      }));
      if (answer.status !== 201) {
        throw new Error(reason(answer));
      }
      return answer.getResponseHeader("Location");
    }

    async function upload(file) {
      var key = keyOf(file);
      var url = localStorage.getItem(key);
      var offset = url ? await offsetOf(url).catch(function () { return null; }) : null;
      if (offset === null) {
        url = await create(file);
        offset = 0;
        localStorage.setItem(key, url);
      }
      var failures = 0;
      show(offset, file.size);
      while (true) {
        var start = offset;
        var answer;
        try {
          answer = await send("PATCH", url, headers({
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": String(start),
          }), file.slice(start, start + CHUNK), function (loaded) { show(start + loaded, file.size); });
        } catch (network) {
          answer = null;
        }
        if (answer && answer.status === 204) {
          offset = Number(answer.getResponseHeader("Upload-Offset"));
          failures = 0;
          show(offset, file.size);
          if (offset >= file.size) {
            localStorage.removeItem(key);
            return;
          }
          continue;
        }
        if (answer && answer.status === 404) {
          localStorage.removeItem(key);
          throw new Error("restart");
        }
        if (answer && answer.status < 500 && answer.status !== 409) {
          localStorage.removeItem(key);
          throw new Error(reason(answer));
        }
        failures += 1; // dropped, a 5xx, or an offset the server does not hold: ask it
        if (failures > TRIES) { throw new Error("restart"); }
        say(form.dataset.msgResuming, false);
        await sleep(Math.min(500 * Math.pow(2, failures), 15000));
        var held = await offsetOf(url).catch(function () { return undefined; });
        if (held === null) {
          localStorage.removeItem(key);
          throw new Error("restart");
        }
        if (held !== undefined) { offset = held; }
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = input.files[0];
      if (!file) { return; }
      button.disabled = true;
      say("", false);
      upload(file).then(function () {
        show(file.size, file.size);
        say(form.dataset.msgDone, false);
      }, function (error) {
        if (error.message === "restart") {
          say(form.dataset.msgRestart, true);
        } else {
          say(form.dataset.msgRefused + " " + error.message, true);
        }
      }).finally(function () { button.disabled = false; });
    });
  }

  document.querySelectorAll("form.upload").forEach(setUp);
})();
