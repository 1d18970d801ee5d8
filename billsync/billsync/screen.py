"""`billsync ui`: the configuration screen, a small web page served by the agent on 127.0.0.1 only.

Tabs Configuratie (portal address, target folder with a folder chooser, the Sage BOB layout), API-sleutel (the key,
checked against the portal at once) and Status (connection, last run, files delivered today and in total,
failures, next poll, the log, "Sync now"). Dutch, French and English.

Only this machine's browser, holding this run's token, can use it: the server listens on the loopback address;
every request needs the token (a new random one per run) in its address; the Host header must name the loopback
address and this port (a foreign web site cannot reach it through DNS rebinding); a POST from another origin is
refused; no CORS header is ever sent, so no other site can read an answer. The key is never shown back in full.
"""

import hmac
import html
import secrets
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from . import __version__
from .agent import Agent, Progress
from .client import Api, ApiError, PortalUnavailable
from .config import Config, ConfigError, load_config, load_state, log_path, save_config
from .folders import check_folder, drives, normalise, parent, subfolders
from .runs import ExitCode, Outcome, delivered_today, describe, run_and_record, summary
from .screen_text import LANGUAGES, system_language, text
from .updates import is_newer

MAX_BODY = 64 * 1024
REFRESH = '<meta http-equiv="refresh" content="2">'  # while "Sync now" runs
LOG_LINES = 50
KEY_LENGTH = 56  # bsk_ + 8 + _ + 43
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",  # the token is in the address: never send it to another site
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@dataclass
class Session:
    """One run of the screen: its token, its port and language, and the "Sync now" in progress."""

    token: str
    port: int = 0
    language: str = "en"
    lock: threading.Lock = field(default_factory=threading.Lock)
    syncing: threading.Thread | None = None
    last_sync: Outcome | None = None

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def start_sync(self) -> None:
        with self.lock:
            if self.syncing is not None and self.syncing.is_alive():
                return
            self.syncing = threading.Thread(target=self._sync, name="billsync-sync-now", daemon=True)
            self.syncing.start()

    def _sync(self) -> None:
        try:
            agent = Agent(load_config(), progress=Progress(False))
        except ConfigError as error:
            self.last_sync = Outcome(ExitCode.USAGE, error=str(error))
            return
        try:
            self.last_sync = run_and_record(agent)
        finally:
            agent.close()

    @property
    def is_syncing(self) -> bool:
        return self.syncing is not None and self.syncing.is_alive()


def current_config() -> Config:
    """The saved settings, or empty ones to fill in."""
    try:
        return load_config()
    except ConfigError:
        return Config(url="", key="", root="")


def check_key(url: str, key: str) -> tuple[bool, str, dict[str, Any]]:
    """Ask the portal with this key: (connected, message key, the portal's configuration or the error)."""
    api = Api(url, key, retries=0, timeout=10.0)
    try:
        return True, "connected_to", api.config()
    except ApiError as error:
        if error.status in (401, 403):
            return False, "key_refused", {"error": f"{error.message} ({error.code})"}
        return False, "refused", {"error": f"{error.message} ({error.code})"}
    except PortalUnavailable as error:
        return False, "unreachable", {"error": str(error)}
    finally:
        api.close()


def last_log_lines(count: int = LOG_LINES) -> list[str]:
    try:
        with open(log_path(), "rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - 128 * 1024))
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    return lines[-count:]


class ScreenServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, session: Session, port: int) -> None:
        self.session = session
        super().__init__(("127.0.0.1", port), Handler)
        session.port = self.server_address[1]


class Handler(BaseHTTPRequestHandler):
    server: ScreenServer
    server_version = "billsync"
    sys_version = ""

    # Guards ------------------------------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        return self.server.session

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass  # the address holds the token: keep it out of logs

    def _query(self) -> dict[str, str]:
        return {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}

    def _allowed(self) -> bool:
        """This machine's browser with this run's token, addressing the loopback host; no other origin."""
        if self.headers.get("Host", "") not in self.session.allowed_hosts():
            return False
        origin = self.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://") not in self.session.allowed_hosts():
            return False
        return hmac.compare_digest(self._query().get("token", "").encode(), self.session.token.encode())

    def _refuse(self, status: HTTPStatus = HTTPStatus.FORBIDDEN) -> None:
        self._send(status, f"<p>{html.escape(text(self.session.language, 'refused_request'))}</p>")

    def _send(self, status: HTTPStatus, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in {**HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str] | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return None
        body = self.rfile.read(length).decode("utf-8", "replace")
        return {name: values[0] for name, values in parse_qs(body, keep_blank_values=True).items()}

    # Methods ----------------------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        if not self._allowed():
            return self._refuse()
        query = self._query()
        if query.get("lang") in LANGUAGES:
            self.session.language = query["lang"]
        route = urlsplit(self.path).path
        pages: dict[str, Callable[[dict[str, str]], str]] = {
            "/": self.config_tab,
            "/config": self.config_tab,
            "/key": self.key_tab,
            "/status": self.status_tab,
            "/browse": self.browse,
        }
        page = pages.get(route)
        if page is None:
            return self._send(HTTPStatus.NOT_FOUND, "<p>Not found</p>")
        self._send(HTTPStatus.OK, page(query))

    def do_POST(self) -> None:  # noqa: N802
        if not self._allowed():
            return self._refuse()
        form = self._form()
        if form is None:
            return self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "<p>Too large</p>")
        route = urlsplit(self.path).path
        if route == "/config":
            return self._send(HTTPStatus.OK, self.save_config(form))
        if route == "/key":
            return self._send(HTTPStatus.OK, self.save_key(form))
        if route == "/sync":
            self.session.start_sync()
            return self._send(HTTPStatus.SEE_OTHER, "", {"Location": self.link("/status")})
        self._send(HTTPStatus.NOT_FOUND, "<p>Not found</p>")

    def _not_allowed(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "<p>Method not allowed</p>", {"Allow": "GET, POST"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815 (no CORS pre-flight either)

    # Pages ------------------------------------------------------------------------------------------------

    def t(self, key: str, **values: object) -> str:
        return html.escape(text(self.session.language, key, **values))

    def link(self, route: str, **params: str) -> str:
        return f"{route}?{urlencode({'token': self.session.token, **params})}"

    def page(self, tab: str, body: str, refresh: bool = False) -> str:
        tabs = "".join(
            f'<a href="{html.escape(self.link(route))}" class="tab{" active" if route == tab else ""}">'
            f"{self.t(label)}</a>"
            for route, label in (("/config", "tab_config"), ("/key", "tab_key"), ("/status", "tab_status"))
        )
        languages = " ".join(
            f'<a href="{html.escape(self.link(tab, lang=code))}" lang="{code}"'
            f"{' aria-current=page' if code == self.session.language else ''}>{code.upper()}</a>"
            for code in LANGUAGES
        )
        return f"""<!doctype html>
<html lang="{self.session.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{REFRESH if refresh else ""}
<title>{self.t("title")}</title><style>{STYLE}</style></head>
<body><header><h1>Billsync</h1><nav class="languages" aria-label="{self.t("language")}">{languages}</nav></header>
<nav class="tabs">{tabs}</nav><main>{body}</main>
<footer>{self.t("version")} {html.escape(__version__)}</footer></body></html>"""

    def message(self, ok: bool, words: str) -> str:
        return f'<p id="message" class="{"ok" if ok else "error"}" role="status">{words}</p>'

    def config_tab(self, query: dict[str, str], message: str = "", url: str = "", root: str = "") -> str:
        config = current_config()
        url = url or config.url
        root = query.get("root") or root or config.root
        bob = html.escape(root.rstrip("\\/") or "BOB50DATA")
        sep = "\\" if "\\" in root or sys.platform == "win32" else "/"
        choose = html.escape(self.link("/browse", path=root))
        body = f"""{message}
<form method="post" action="{html.escape(self.link("/config"))}">
<label for="url">{self.t("portal_url")}</label>
<input id="url" name="url" type="url" value="{html.escape(url)}" placeholder="https://portal.example.be">
<p class="help">{self.t("portal_url_help")}</p>
<label for="root">{self.t("folder")}</label>
<input id="root" name="root" value="{html.escape(root)}" placeholder="C:\\BOB50DATA">
<p class="help">{self.t("folder_help")} <a id="choose" href="{choose}">{self.t("choose")}</a></p>
<p class="help">{self.t("network_help")}</p>
<button type="submit" id="save">{self.t("save")}</button>
</form>
<section><h2>{self.t("layout")}</h2><p>{self.t("layout_help")}</p><ul>
<li><code>{bob}{sep}REF{sep}Demat{sep}Aankopen</code> · {self.t("layout_purchases")}</li>
<li><code>{bob}{sep}REF{sep}Demat{sep}Verkopen</code> · {self.t("layout_sales")}</li>
<li><code>{bob}{sep}REF{sep}CODA</code> · {self.t("layout_coda")}</li></ul></section>"""
        return self.page("/config", body)

    def save_config(self, form: dict[str, str]) -> str:
        url, root = form.get("url", "").strip().rstrip("/"), form.get("root", "")
        if not url.startswith(("http://", "https://")) or len(url) < 10:
            return self.config_tab({}, self.message(False, self.t("url_invalid")), url, root)
        check = check_folder(root)
        if not check.ok:
            words = self.t(check.reason) + (f": {html.escape(check.detail)}" if check.detail else "")
            return self.config_tab({}, self.message(False, words), url, root)
        config = current_config()
        config.url, config.root = url, normalise(root)
        save_config(config)
        return self.config_tab({}, self.message(True, f"{self.t('saved')} {self.t('folder_ok')}"), url, root)

    def key_tab(self, query: dict[str, str], message: str = "") -> str:
        config = current_config()
        current = f"{config.key_prefix}_…" if config.key else self.t("key_none")
        body = f"""{message}
<form method="post" action="{html.escape(self.link("/key"))}">
<p>{self.t("key_current")}: <code id="current-key">{html.escape(current)}</code></p>
<label for="key">{self.t("key")}</label>
<input id="key" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="bsk_…">
<p class="help">{self.t("key_help")}</p>
<button type="submit" id="check-key">{self.t("key_check")}</button>
</form>"""
        return self.page("/key", body)

    def save_key(self, form: dict[str, str]) -> str:
        key = form.get("key", "").strip()
        config = current_config()
        if not config.url:
            return self.key_tab({}, self.message(False, self.t("key_first_url")))
        if not key.startswith("bsk_") or len(key) != KEY_LENGTH:
            return self.key_tab({}, self.message(False, self.t("key_format")))
        connected, reason, portal = check_key(config.url, key)
        if not connected:
            words = self.t(reason, url=config.url, error=portal.get("error", ""))
            return self.key_tab({}, self.message(False, words))
        config.key = key
        save_config(config)
        return self.key_tab({}, self.message(True, self.t("connected_to", firm=portal["firm"]["name"])))

    def status_tab(self, query: dict[str, str]) -> str:
        config = current_config()
        state = load_state()
        syncing = self.session.is_syncing
        parts = [f"<h2>{self.t('connection')}</h2>", self.connection_status(config)]
        if syncing:
            parts.append(f'<p id="sync-state" class="busy">{self.t("sync_running")}</p>')
        elif self.session.last_sync is not None:
            outcome = self.session.last_sync
            words = summary(outcome.result) if outcome.result is not None else outcome.error
            parts.append(f'<p id="sync-state">{self.t("sync_done")}: {html.escape(words)}</p>')
        failures = "".join(
            f"<li><code>{html.escape(str(f.get('path', '')))}</code>: {html.escape(str(f.get('message', '')))} "
            f"[{html.escape(str(f.get('code', '')))}]</li>"
            for f in state.get("last_run", {}).get("failures", [])
        )
        parts.append(f"""<dl>
<dt>{self.t("last_run")}</dt><dd id="last-run">{html.escape(describe(state.get("last_run", {})))}</dd>
<dt>{self.t("delivered_today")}</dt><dd id="delivered-today">{delivered_today(state)}</dd>
<dt>{self.t("delivered_total")}</dt><dd id="delivered-total">{int(state.get("delivered_total", 0))}</dd>
<dt>{self.t("next_poll")}</dt><dd id="next-poll">{html.escape(state.get("next_poll", "")) or self.t("no_service")}</dd>
</dl>
<h2>{self.t("failures")}</h2>{f'<ul id="failures">{failures}</ul>' if failures else f"<p>{self.t('no_failures')}</p>"}
<form method="post" action="{html.escape(self.link("/sync"))}">
<button type="submit" id="sync-now"{" disabled" if syncing else ""}>{self.t("sync_now")}</button></form>
<h2>{self.t("log")}</h2><pre id="log">{html.escape(chr(10).join(last_log_lines()))}</pre>""")
        return self.page("/status", "".join(parts), refresh=syncing)

    def connection_status(self, config: Config) -> str:
        if not (config.url and config.key and config.root):
            return self.message(False, self.t("not_configured"))
        connected, reason, portal = check_key(config.url, config.key)
        if not connected:
            return self.message(False, self.t(reason, url=config.url, error=portal.get("error", "")))
        words = self.message(True, self.t("connected_to", firm=portal["firm"]["name"]))
        agent = portal.get("agent") or {}
        if is_newer(agent.get("latest_version")):
            download = html.escape(str(agent.get("download_url", "")))
            words += (
                f'<p id="update" class="warn">{self.t("update", latest=agent["latest_version"], current=__version__)} '
                f'<a href="{download}" target="_blank" rel="noopener noreferrer">{self.t("download")}</a></p>'
            )
        return words

    def browse(self, query: dict[str, str]) -> str:
        path = normalise(query.get("path", ""))
        items = [(folder, folder) for folder in drives()] if not path else []
        if path:
            up = parent(path)
            if up:
                items.append((up, f"↑ {self.t('up')}"))
            items += [
                (folder, folder.rstrip("\\/").rsplit("\\" if "\\" in folder else "/", 1)[-1])
                for folder in subfolders(path)
            ]
        entries = "".join(
            f'<li><a href="{html.escape(self.link("/browse", path=target))}">{html.escape(label)}</a></li>'
            for target, label in items
        )
        use = (
            f'<p><a class="button" id="use-folder" href="{html.escape(self.link("/config", root=path))}">'
            f"{self.t('use_folder')}: <code>{html.escape(path)}</code></a></p>"
            if path
            else ""
        )
        return self.page("/config", f"<h2>{self.t('choose')}</h2>{use}<ul class='folders'>{entries}</ul>")


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{display:flex;justify-content:space-between;align-items:center;background:#1f3a5f;color:#fff;padding:.6rem 1.2rem}
header h1{font-size:1.2rem;margin:0}header a{color:#fff;margin-left:.5rem}header a[aria-current]{font-weight:bold}
.tabs{display:flex;gap:.2rem;padding:0 1.2rem;background:#e3e7ee}
.tab{padding:.6rem 1rem;text-decoration:none;color:#1d2330}.tab.active{background:#fff;font-weight:bold}
main{background:#fff;margin:0 1.2rem;padding:1rem 1.2rem;max-width:60rem}
label{display:block;font-weight:bold;margin-top:.8rem}input{width:100%;max-width:40rem;padding:.4rem;font-size:1rem}
button,.button{margin-top:.8rem;padding:.5rem 1.2rem;background:#1f3a5f;color:#fff;border:0;font-size:1rem;
text-decoration:none;display:inline-block}button[disabled]{opacity:.5}
.help{color:#555;font-size:.9rem;margin:.2rem 0}.ok{color:#0a6b2d;font-weight:bold}.error{color:#a11;font-weight:bold}
.warn{color:#8a5a00}pre{background:#f0f0f0;padding:.6rem;max-height:20rem;overflow:auto;font-size:.8rem}
dt{font-weight:bold}dd{margin:0 0 .5rem 0}footer{margin:1rem 1.2rem;color:#777;font-size:.8rem}
"""


def serve(port: int = 0, open_browser: bool = True, language: str | None = None) -> int:
    """Serve the screen until Ctrl-C; the last line printed is its address with the token."""
    session = Session(token=secrets.token_urlsafe(24), language=language or system_language())
    server = ScreenServer(session, port)
    address = f"http://127.0.0.1:{session.port}/config?token={session.token}"
    print("Billsync configuration screen (this machine only; Ctrl-C stops it):")
    print(address, flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
