"""`billsync configure | sync --once | run | status`."""

import argparse
import logging
import logging.handlers
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .agent import Agent, Progress, result_summary
from .client import Api, ApiError, PortalUnavailable, Stopped
from .config import Config, ConfigError, config_path, load_config, load_state, log_path, save_config, save_state

log = logging.getLogger("billsync")
OK, FAILED, USAGE = 0, 1, 2


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def setup_logging(quiet: bool) -> bool:
    """Log to billsync.log beside the config; also to the terminal when there is one. Returns whether the
    terminal shows progress."""
    interactive = sys.stdout.isatty() and not quiet
    log.setLevel(logging.INFO)
    log.handlers.clear()
    try:
        log_path().parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(log_path(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    except OSError as error:
        print(f"billsync: cannot write the log file {log_path()}: {error}", file=sys.stderr)
    if interactive:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        log.addHandler(console)
    return interactive


def install_stop_handlers(stop: threading.Event) -> None:
    """Ctrl-C, SIGTERM (systemd) and Ctrl-Break (Windows services) ask for a clean stop: the current files
    are finished or abandoned, nothing half-written stays. A second Ctrl-C stops at once."""

    def ask_to_stop(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("stop requested (signal %s)", signum)
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), ask_to_stop)


def configure(args) -> int:
    root = Path(args.root).expanduser()
    if not root.is_dir():
        print(
            f"The folder {root} does not exist. Create it or give the folder that holds your BOB dossiers.",
            file=sys.stderr,
        )
        return USAGE
    api = Api(args.url, args.key, retries=1)
    try:
        portal = api.config()
    except ApiError as error:
        print(f"The portal refused the key: {error.message} ({error.code}).", file=sys.stderr)
        return USAGE
    except PortalUnavailable as error:
        print(f"Cannot reach the portal at {args.url}: {error}", file=sys.stderr)
        return USAGE
    finally:
        api.close()
    config = Config(
        url=args.url.rstrip("/"),
        key=args.key,
        root=str(root.resolve()),
        poll_interval=args.poll_interval,
        workers=args.workers,
    )
    path = save_config(config)
    print(f"Connected to {portal['firm']['name']} ({len(portal.get('dossiers', []))} dossier(s)).")
    print(f"Settings saved in {path}.")
    return OK


def _run(agent: Agent, state: dict) -> bool:
    """One run with its state recorded; returns whether everything was delivered."""
    started = _now()
    try:
        result = agent.run_once(last_error=state.get("last_error", ""))
    except (ApiError, PortalUnavailable, FileNotFoundError) as error:
        log.error("run failed: %s", error)
        state.update(
            last_error=str(error), last_run={"started": started, "finished": _now(), "ok": False, "error": str(error)}
        )
        save_state(state)
        return False
    summary = result_summary(result)
    state.update(
        last_run={"started": started, "finished": _now(), **summary},
        last_error="; ".join(result.errors)[:2000] if result.errors else "",
    )
    if result.delivered or result.present:
        state["last_delivery"] = _now()
    save_state(state)
    log.info(
        "run finished: %s delivered, %s already present, %s failed, %s postponed, %s skipped",
        result.delivered,
        result.present,
        result.failed,
        result.postponed,
        result.skipped,
    )
    return result.ok


def sync(args) -> int:
    if not args.once:
        return run(args)
    config = load_config()
    interactive = setup_logging(args.quiet)
    stop = threading.Event()
    install_stop_handlers(stop)
    agent = Agent(config, stop, Progress(interactive))
    try:
        ok = _run(agent, load_state())
    except Stopped:
        ok = False
    finally:
        agent.close()
    if interactive:
        print(_describe(load_state().get("last_run", {})))
    return OK if ok else FAILED


def run(args) -> int:
    config = load_config()
    interactive = setup_logging(args.quiet)
    stop = threading.Event()
    install_stop_handlers(stop)
    agent = Agent(config, stop, Progress(interactive))
    log.info("billsync %s running for %s into %s", __version__, config.url, config.root)
    try:
        while not stop.is_set():
            interval = args.interval or config.poll_interval
            try:
                if not interval:
                    interval = int(agent.api.config().get("poll_interval", 60))
                _run(agent, load_state())
            except Stopped:
                break
            except (PortalUnavailable, ApiError) as error:
                log.error("cannot poll: %s", error)
                interval = interval or 60
            stop.wait(max(1, interval))
    finally:
        agent.close()
        log.info("billsync stopped")
    return OK


def _describe(last_run: dict) -> str:
    if not last_run:
        return "No run yet."
    if "error" in last_run:
        return f"Last run {last_run.get('finished')}: failed: {last_run['error']}"
    return (
        f"Last run {last_run.get('finished')}: {last_run.get('delivered', 0)} delivered, "
        f"{last_run.get('present', 0)} already present, {last_run.get('failed', 0)} failed, "
        f"{last_run.get('postponed', 0)} postponed" + ("" if last_run.get("ok") else " (not everything)")
    )


def status(args) -> int:
    config = load_config()
    print(f"Portal:  {config.url}")
    print(f"Key:     {config.key_prefix}_…")
    print(f"Root:    {config.root}")
    print(f"Config:  {config_path()}")
    api = Api(config.url, config.key, retries=1)
    code = OK
    try:
        portal = api.config()
        print(
            f"Connection: OK, {portal['firm']['name']} ({len(portal.get('dossiers', []))} dossier(s)), "
            f"key “{portal.get('key_name', '')}”"
        )
    except ApiError as error:
        print(f"Connection: refused: {error.message} ({error.code})")
        code = FAILED
    except PortalUnavailable as error:
        print(f"Connection: portal unreachable: {error}")
        code = FAILED
    finally:
        api.close()
    state = load_state()
    print(_describe(state.get("last_run", {})))
    if state.get("last_error"):
        print(f"Last error: {state['last_error']}")
    return code


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="billsync", description="Deliver the portal's export files into the folders Sage BOB 50 reads."
    )
    main_parser.add_argument("--version", action="version", version=f"billsync {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("configure", help="check the connection and save the settings")
    setup.add_argument("--url", required=True, help="the portal's public address, e.g. https://portal.example.be")
    setup.add_argument("--key", required=True, help="a sync key from Settings → Integrations")
    setup.add_argument("--root", required=True, help=r"the folder that holds the BOB dossiers, e.g. C:\BOB50DATA")
    setup.add_argument("--poll-interval", type=int, default=None, help="seconds between polls (default: the portal's)")
    setup.add_argument("--workers", type=int, default=4, help="parallel downloads (default 4)")
    setup.set_defaults(handler=configure)
    once = commands.add_parser("sync", help="deliver what is waiting (with --once: then exit)")
    once.add_argument("--once", action="store_true", help="exit when done: 0 = everything delivered")
    once.add_argument("--quiet", action="store_true", help="no progress; log to the file only")
    once.add_argument("--interval", type=int, default=None, help=argparse.SUPPRESS)
    once.set_defaults(handler=sync)
    keep = commands.add_parser("run", help="keep polling and delivering until stopped")
    keep.add_argument("--interval", type=int, default=None, help="seconds between polls")
    keep.add_argument("--quiet", action="store_true", help="no progress; log to the file only")
    keep.set_defaults(handler=run)
    show = commands.add_parser("status", help="show the connection and the last run")
    show.set_defaults(handler=status)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as error:
        print(f"billsync: {error}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("billsync: stopped", file=sys.stderr)
        return FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
