// Loaded into decap-server (and the npx that runs it) by `sitegen serve`, through NODE_OPTIONS=--require.
// 1. decap-server answers only `sitegen serve`: every request it passes on carries the secret that serve
//    made up when it started decap-server; a page that found the port (DNS rebinding, another local site)
//    does not know it. (serve itself checks the Host, and where each save writes, before passing it on.)
// 2. decap-server stops with serve, however serve stops: serve holds the other end of our stdin, and the
//    operating system closes it when serve ends, even on SIGKILL or a crash.
"use strict";
const http = require("http");
const crypto = require("crypto");

const token = Buffer.from(process.env.SITEGEN_EDITOR_TOKEN || "");
if (token.length) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, request, response) {
    if (event === "request") {
      const given = Buffer.from(String(request.headers["x-sitegen-token"] || ""));
      if (given.length !== token.length || !crypto.timingSafeEqual(given, token)) {
        response.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
        response.end("this decap-server answers only the sitegen serve that started it\n");
        return true;
      }
    }
    return emit.apply(this, arguments);
  };
}

if (process.env.SITEGEN_STOP_WITH_STDIN === "1") {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}
