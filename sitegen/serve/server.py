"""`sitegen serve`: build into memory, serve on 127.0.0.1 under the base path, rebuild what
changed on every save, and reload the open browser tabs.

Nothing is written to disk. The live-reload script and the error overlay are added by this
server to the pages it sends; a normal build carries none of it. A broken file never stops
the server: the error is shown in the terminal and over the page, and the site comes back
when the file is fixed.
"""

from __future__ import annotations

import gc
import html
import http.server
import ipaddress
import mimetypes
import re
import signal
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..builder.api import BuildOptions
from ..core.urls import output_file
from ..search.pagefind import BUNDLE
from . import editing as local
from .editor_proxy import API_PATH, MAX_BODY, relay
from .rebuild import Rebuilder, Rebuilt
from .search_index import DevIndex
from .watch import HubWatcher

CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')


LIVE_PATH = "/__sitegen/"


LIVE_SCRIPT = b"""(function () {
  var source = new EventSource("/__sitegen/events");
  source.onmessage = function () { window.location.reload(); };
})();
"""


LOCATION_SAFE = "/:@!$'()*+,;~=&"  # a redirect's path, decoded from the request: anything else is encoded again


DEBOUNCE = 0.01  # seconds to wait for the rest of a save (editors write several files)


IDLE = 0.15  # seconds without requests before a lazy rebuild's remaining work goes on


STEP_PAUSE = 0.001  # seconds between its steps


FULL_COLLECTION = 20  # every so many collections after a rebuild, a full one


YOUNG_LIMIT = 500_000  # objects made since the last collection, past which the background work collects first


class DevServer:
    """The state the HTTP handlers read and the watcher updates."""

    def __init__(self, root: Path, options: BuildOptions, out=sys.stderr):  # type: ignore[no-untyped-def]
        self.root = root.resolve()
        self.rebuilder = Rebuilder(self.root, options)
        self.version = 0
        self.changed = threading.Condition()
        self.out = out
        self.http: http.server.ThreadingHTTPServer | None = None
        self._pending: set[Path] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.base_path = "/"
        self.search = DevIndex()  # the search index, made again (from memory) when a browser next searches after an edit
        self.editor: local.LocalBackend | None = None  # decap-server, for editing at /admin/
        self.watcher: HubWatcher | None = None  # tells `file_changed` of each save
        self.host = "127.0.0.1"  # the --host it listens on, for the Host check
        self._wake_finish = threading.Event()  # a lazy rebuild has work left
        self._finishing = threading.Lock()  # held while a step of that work, and what follows its end, is done
        self._collecting = False  # whether the garbage collector was on before the server turned it off
        self._collections = 0
        self._idle_since = 0.0  # when the server was last asked for a file, or last rebuilt
        self._rebuilt_at = 0.0  # when the last lazy rebuild was made ready
        self._busy = 0  # requests being answered (not counting the reload events' streams)
        self._rebuilding = False  # the watcher's thread is rebuilding after a save
        self._busy_lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(WORKERS)  # requests answered at once (DevHTTPServer)

    # building -----------------------------------------------------------------
    def rebuild(self, changed: set[Path] | None) -> Rebuilt:
        """Bring the site up to date. After an edit, lazily: the open pages reload as soon as the site is
        assembled and planned, each page rendered when asked for if it changed; the rest of the work
        (finding and rendering every other changed output) goes on in the background (`finish_loop`)."""
        result = self.rebuilder.rebuild(changed, lazy=changed is not None)
        config = self.rebuilder._config
        if config is not None:
            self.base_path = config.base_path
        if changed is None and self.rebuilder.search_off:
            print(self.rebuilder.search_off, file=self.out)
        if result.pending:
            self._idle_since = self._rebuilt_at = time.monotonic()
            self._wake_finish.set()
        else:
            self.finished(result, full=changed is None)
        if result.pending or result.changed or result.errors or changed is None:
            self.bump()
        return result

    def finished(self, result: Rebuilt, full: bool = False) -> None:
        """A rebuild is done: tell the search index what changed, and the terminal."""
        config = self.rebuilder._config
        if config is not None and config.search and not result.errors:
            self.search.update(self.rebuilder.files, None if full else result.changed, config.language)
        self.report(result)

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def finish_loop(self) -> None:
        """The rest of each lazy rebuild, a little at a time, once the browser has had what it asked for."""
        while not self._stop.is_set():
            if not self._wake_finish.wait(0.5):
                continue
            if self.rebuilder._steps is None:
                self._wake_finish.clear()
                self.collect()
                continue
            now = time.monotonic()
            if (now - self._idle_since < IDLE and now - self._rebuilt_at < IDLE * 4) or self._busy or self._wake.is_set() or self._rebuilding:
                time.sleep(0.005)  # the reloaded pages ask for their files first; requests and saves go before this work
                continue
            if self._collecting and gc.get_count()[0] > YOUNG_LIMIT:  # saves coming faster than this work is done
                gc.collect(1)
            with self._finishing:
                try:
                    result = self.rebuilder.step()
                except Exception as exc:  # noqa: BLE001 - the last guard
                    print(f"sitegen: internal error while rebuilding ({type(exc).__name__}: {exc}); save again to retry", file=self.out, flush=True)
                    continue
                if result is not None:
                    self.finished(result)
            if result is not None:
                if result.errors:  # the pages show them
                    self.bump()
            else:
                time.sleep(STEP_PAUSE)  # let the other threads (the watcher's, the requests') have the interpreter at once

    def collect(self) -> None:
        """The garbage collector's work, left to now (see `start`): the young objects after each rebuild,
        everything now and then."""
        if not self._collecting:
            return
        self._collections += 1
        gc.collect() if self._collections % FULL_COLLECTION == 0 else gc.collect(1)

    def settle(self) -> None:
        """Finish the lazy rebuild now (the search index needs every page)."""
        with self._finishing:  # once it is done, the search index has been told what changed
            result = self.rebuilder.settle()
            if result is not None:
                self.finished(result)

    def report(self, result: Rebuilt) -> None:
        for error in result.errors:
            print(error, file=self.out)
        if result.errors:
            print(f"{len(result.errors)} error(s): the browser shows them until the files are fixed", file=self.out, flush=True)
        else:
            took = f"{result.seconds * 1000:.0f} ms"
            if result.ready is not None:
                took = f"{result.ready * 1000:.0f} ms (finished in the background after {took})"
            print(f"rebuilt in {took}: {result.rendered} rendered, {len(result.changed)} changed", file=self.out, flush=True)

    def file_changed(self, path: Path) -> None:
        self._pending.add(path)
        self._wake.set()

    def watch_loop(self) -> None:
        """Rebuild after each burst of saves, until the server stops, whatever a rebuild meets."""
        while not self._stop.is_set():
            if not self._wake.wait(0.5):
                continue
            self._rebuilding = True  # the background work waits meanwhile
            try:
                time.sleep(DEBOUNCE)
                self._wake.clear()
                changed, self._pending = self._pending, set()
                if changed:
                    self.rebuild(changed)
            except Exception as exc:  # noqa: BLE001 - the Rebuilder turns errors into messages; this is the last guard
                print(f"sitegen: internal error while rebuilding ({type(exc).__name__}: {exc}); save again to retry", file=self.out, flush=True)
            finally:
                self._rebuilding = False

    def stop(self) -> None:
        self._stop.set()
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    # serving ------------------------------------------------------------------
    def lookup(self, path: str, host: str = "127.0.0.1") -> tuple[int, bytes, str, str | None]:
        """(status, body, content type, redirect) for a request path; `host`: the request's (checked) Host."""
        if not path.startswith(self.base_path):
            if path == "/" or path == self.base_path.rstrip("/"):
                return 302, b"", "text/plain", self.base_path
            return self.not_found()
        site_path = "/" + path[len(self.base_path):]
        try:
            file = output_file(site_path)
        except ValueError:
            return self.not_found()
        self._idle_since = time.monotonic()
        rebuilder = self.rebuilder
        copies = rebuilder.copies
        config = rebuilder._config
        if site_path.startswith(f"/{BUNDLE}/") and config is not None and config.search:
            self.settle()
            found = self.search.get(site_path[len(BUNDLE) + 2:])
            return (200, found, guess_type(site_path), None) if found is not None else self.not_found()
        made = rebuilder.has(file)
        if not made and file not in copies and not site_path.endswith("/") and rebuilder.has(output_file(site_path + "/")):
            return 301, b"", "text/plain", path + "/"
        found = rebuilder.get(file) if made else None
        if found is not None:
            body = local.served(file, found, host) if self.editor and file.startswith("admin/") else found
            return 200, body, guess_type(file), None
        if file in copies:
            try:
                # Resolved now, not at the last rebuild: a file swapped for a link out of the hub since then is not served.
                # (The theme's and the editor's own files live outside the hub, where sitegen put them.)
                real = copies[file].resolve(strict=True)
                hubs_own = copies[file].absolute().is_relative_to(self.root)
                if (hubs_own and not real.is_relative_to(self.root)) or not real.is_file():
                    return self.not_found()
                return 200, real.read_bytes(), guess_type(file), None
            except (OSError, RuntimeError):  # removed, unreadable or a link loop since the last rebuild, which will say so
                return self.not_found()
        return self.not_found()

    def known_host(self, header: str | None) -> bool:
        """Is the request's Host this server? A web page on another site whose name was made to point at
        127.0.0.1 (DNS rebinding) sends its own name, and must not read the drafts served here."""
        if not header or self.http is None:
            return False
        parts = urlsplit("//" + header)
        try:
            name, port = parts.hostname, parts.port
        except ValueError:
            return False
        if name is None or port != self.http.server_address[1]:
            return False
        if name in ("localhost", self.host.strip("[]").lower()):
            return True
        try:  # an address written as numbers cannot be rebound (only names can): the LAN address under --host 0.0.0.0
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def not_found(self) -> tuple[int, bytes, str, str | None]:
        body = self.rebuilder.get("404.html") or b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        return 404, body, "text/html; charset=utf-8", None

    def decorate(self, body: bytes) -> bytes:
        """Add the live-reload script, and the errors when the last rebuild failed."""
        extra = f'<script src="{LIVE_PATH}live.js"></script>'
        if self.rebuilder.errors:
            items = "".join(f"<li>{html.escape(str(e))}</li>" for e in self.rebuilder.errors)
            extra += (
                '<div id="sitegen-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'
                'background:#fff;color:#000;border-top:6px solid #b10e1e;padding:1rem 1.5rem;font:1rem/1.5 system-ui,sans-serif;z-index:99999">'
                f'<h2 style="margin:0 0 .5rem;color:#b10e1e">sitegen: {len(self.rebuilder.errors)} error(s)</h2>'
                f'<ul style="margin:0;padding-left:1.2rem;font-family:ui-monospace,monospace">{items}</ul>'
                '<p style="margin:.5rem 0 0">Fix the file and save it: this page reloads by itself.</p></div>'
            )
        # The page's Content-Security-Policy would block the error overlay's styles: not while editing.
        body = CSP_META.sub(b"", body, count=1)
        marker = b"</body>"
        index = body.rfind(marker)
        insert = extra.encode()
        return body[:index] + insert + body[index:] if index != -1 else body + insert


WORKERS = 16  # requests answered at the same moment; the others wait their turn (more threads only fight for the GIL)


QUEUE_WAIT = 15.0  # seconds a request waits for its turn before it is answered 503 (Retry-After: 1)


BUSY = b"sitegen serve is busy: try again in a moment\n"


class DevHTTPServer(http.server.ThreadingHTTPServer):
    """Many requests at once (a page's pictures, several tabs, a link checker) are all accepted: the
    listen queue is long (Python's default of 5 made the system drop connections, which the browser
    only retries after seconds), `WORKERS` are answered at a time, and one that cannot be answered
    within QUEUE_WAIT gets 503 with Retry-After rather than nothing."""

    request_queue_size = 1024
    daemon_threads = True


def guess_type(file: str) -> str:
    kind = "text/yaml" if file.endswith((".yml", ".yaml")) else mimetypes.guess_type(file)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") or kind in ("application/xml", "application/javascript") else kind


def make_handler(server: DevServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.answer(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self.answer(head=True)

        def answer(self, head: bool) -> None:
            if unquote(urlsplit(self.path).path) == LIVE_PATH + "events":
                return self.respond(head)
            if not server.slots.acquire(timeout=QUEUE_WAIT):  # waited its turn too long: say so, never drop it
                return self.overloaded(head)
            with server._busy_lock:
                server._busy += 1
            try:
                return self.respond(head)
            finally:
                with server._busy_lock:
                    server._busy -= 1
                server.slots.release()

        def overloaded(self, head: bool) -> None:
            self._head_only = head
            self.close_connection = True
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(BUSY)))
            self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                self.wfile.write(BUSY)

        def wrong_host(self) -> bool:
            """Refuse (and say so) a request whose Host is not this server's."""
            if server.known_host(self.headers.get("Host")):
                return False
            port = server.http.server_address[1] if server.http else 0
            message = (f"sitegen serve answers only at its own address (such as http://127.0.0.1:{port}/), "
                       f"not at {self.headers.get('Host') or 'an address with no Host'}\n")
            self.send(421, message.encode(), "text/plain; charset=utf-8")
            return True

        def do_POST(self) -> None:  # noqa: N802 - the editor's requests for decap-server (editor_proxy), after the Host check
            self._head_only = False
            self.close_connection = True  # a body left unread must not be taken for the next request
            if self.wrong_host():
                return None
            length = self.headers.get("Content-Length") or ""
            if urlsplit(self.path).path != API_PATH or server.editor is None:
                return self.send(404, b'{"error": "not found"}', "application/json")
            if not length.isdigit() or int(length) > MAX_BODY:
                return self.send(413, b'{"error": "give the length of the request, at most 50 MB"}', "application/json")
            body = self.rfile.read(int(length))
            status, answer = relay(server.editor.port, server.editor.token, server.rebuilder.get("admin/config.yml"), server.root,
                                   self.client_address[0], self.headers, body)
            return self.send(status, answer, "application/json; charset=utf-8")

        def respond(self, head: bool) -> None:
            self._head_only = head  # this handler serves every request of a kept-alive connection: set each time
            if self.wrong_host():
                return None
            path = unquote(urlsplit(self.path).path)
            if path == LIVE_PATH + "live.js":
                return self.send(200, LIVE_SCRIPT, "text/javascript; charset=utf-8")
            if path == LIVE_PATH + "events":
                return self.events()
            status, body, kind, location = server.lookup(path, self.headers.get("Host") or "127.0.0.1")
            if location:
                self.send_response(status)
                # One leading slash: "//news/" would send the browser to a host called news. Percent-encoded: headers are ASCII.
                self.send_header("Location", quote("/" + location.lstrip("/"), safe=LOCATION_SAFE))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if kind.startswith("text/html") and not path.startswith(server.base_path + "admin/"):  # reloading would lose an edit
                body = server.decorate(body)
            return self.send(status, body, kind)

        def send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not getattr(self, "_head_only", False):
                self.wfile.write(body)

        def events(self) -> None:
            """Server-sent events: one message each time the site changes."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = server.version
            try:
                while not server._stop.is_set():
                    with server.changed:
                        server.changed.wait_for(lambda: server.version != seen, timeout=15)  # noqa: B023 - called within this iteration
                    if server._stop.is_set():
                        break
                    if server.version != seen:
                        seen = server.version
                        self.wfile.write(b"data: reload\n\n")
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def start(root: Path, options: BuildOptions, host: str, port: int, out=sys.stderr, editor: bool = False) -> DevServer:  # type: ignore[no-untyped-def]
    """Build, start the HTTP server and the watcher in background threads; return the server.

    With `editor`, also Decap's local backend, so that /admin/ saves into the hub's folder."""
    server = DevServer(root, BuildOptions(**{**options.__dict__, "drafts": True}), out)
    server.rebuild(None)
    gc.freeze()  # the first build's objects live as long as the server: keep the collector from walking them again
    # And no collection while a save is being rebuilt or a page answered (one would walk everything the rebuild
    # made, ~10 ms): the background work collects instead, once it has nothing else to do (finish_loop).
    server._collecting = gc.isenabled()
    gc.disable()
    server.http = DevHTTPServer((host, port), make_handler(server))
    server.host = host
    if editor:  # once the port is ours, so that a failure leaves nothing running
        try:
            config = server.rebuilder._config
            server.editor, downloaded = local.prepare(server.root, config is not None and config.admin.enabled, out)
            if downloaded:
                server.rebuild(None)
        except BaseException:  # stopped (Ctrl-C, `kill`) while starting: leave no decap-server behind
            if server.editor:
                server.editor.stop()
            server.http.server_close()
            raise
    threading.Thread(target=server.http.serve_forever, daemon=True).start()
    threading.Thread(target=server.watch_loop, daemon=True).start()
    threading.Thread(target=server.finish_loop, daemon=True).start()
    threading.Thread(target=server.rebuilder.warm, daemon=True).start()
    server.watcher = HubWatcher(server.root, server.file_changed)
    server.watcher.start()
    return server


def shutdown(server: DevServer) -> None:
    server.stop()
    if server._collecting:
        gc.enable()
    server.search.close()
    if server.editor:
        server.editor.stop()
    if server.watcher:
        server.watcher.stop()
    if server.http:
        server.http.shutdown()
        server.http.server_close()


def serve(root: Path, options: BuildOptions, host: str, port: int) -> int:
    # `kill` (SIGTERM) and a closed terminal (SIGHUP) stop the server as Ctrl-C does, decap-server with it.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):  # Windows has no SIGHUP
            signal.signal(getattr(signal, name), _stop_on_signal)
    try:
        server = start(root, options, host, port, editor=True)
    except OSError as exc:
        print(f"sitegen: cannot listen on {host}:{port}: {exc.strerror}; try another --port", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
        return 0
    try:  # from here on a signal, even one sent the moment these lines are read, stops the server cleanly
        address = f"http://{host}:{server.http.server_address[1]}{server.base_path}"  # type: ignore[union-attr]
        print(f"serving {root} at {address} (drafts shown); press Ctrl-C to stop", file=sys.stderr, flush=True)
        if server.editor:
            print(f"editor: {address}admin/ saves into {root} (Decap CMS's local backend, no account needed)", file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
    finally:
        shutdown(server)
    return 0


def _stop_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
