"""`billsync configure | sync --once | run | status | ui | service …`. Exit codes: see runs.ExitCode."""

import argparse
import logging
import logging.handlers
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

from . import __version__
from .agent import Agent, Progress
from .client import Api, ApiError, PortalUnavailable, Stopped
from .config import Config, ConfigError, config_path, load_config, load_state, log_path, save_config, save_state
from .runs import ExitCode, describe, run_and_record, summary
from .updates import update_notice, version_text

log = logging.getLogger("billsync")
LOG_BYTES = 1_000_000  # billsync.log rotates at this size…
LOG_BACKUPS = 3  # …keeping this many older files (billsync.log.1 …): at most 4 MB in all


def setup_logging(quiet: bool) -> bool:
    """Log to billsync.log beside the config (rotated, size-capped); also warnings to the terminal when there is
    one. Returns whether the terminal shows progress."""
    interactive = sys.stdout.isatty() and not quiet
    log.setLevel(logging.INFO)
    log.handlers.clear()
    try:
        log_path().parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_path(), maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
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
    """Ctrl-C, SIGTERM (systemd) and Ctrl-Break (Windows) ask for a clean stop: the current files are finished
    or abandoned, nothing half-written stays. A second Ctrl-C stops at once."""

    def ask_to_stop(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("stop requested (signal %s)", signum)
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), ask_to_stop)


def configure(args: argparse.Namespace) -> int:
    root = Path(args.root).expanduser()
    if not root.is_dir():
        print(
            f"The folder {root} does not exist. Create it or give the folder that holds your BOB dossiers.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    api = Api(args.url, args.key, retries=1)
    try:
        portal = api.config()
    except ApiError as error:
        print(f"The portal refused the key: {error.message} ({error.code}).", file=sys.stderr)
        return ExitCode.USAGE
    except PortalUnavailable as error:
        print(f"Cannot reach the portal at {args.url}: {error}", file=sys.stderr)
        return ExitCode.USAGE
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
    return ExitCode.OK


def sync(args: argparse.Namespace) -> int:
    """`sync --once`: one run, a summary line at the end (unless --quiet), an exit code that says how it went."""
    if not args.once:
        return run(args)
    config = load_config()
    interactive = setup_logging(args.quiet)
    stop = threading.Event()
    install_stop_handlers(stop)
    agent = Agent(config, stop, Progress(interactive))
    try:
        outcome = run_and_record(agent)
    finally:
        agent.close()
    if not args.quiet:
        if outcome.result is not None:
            print(summary(outcome.result))
        else:
            print(f"Nothing delivered: {outcome.error}", file=sys.stderr)
    return int(outcome.code)


def run(args: argparse.Namespace) -> int:
    """Keep polling until stopped (Ctrl-C, SIGTERM, a service stop)."""
    config = load_config()
    setup_logging(args.quiet)
    stop = threading.Event()
    install_stop_handlers(stop)
    agent = Agent(config, stop, Progress(False))
    log.info("billsync %s running for %s into %s", __version__, config.url, config.root)
    try:
        poll_forever(agent, lambda: args.interval or config.poll_interval)
    finally:
        agent.close()
        log.info("billsync stopped")
    return ExitCode.OK


def poll_forever(agent: Agent, chosen_interval: Callable[[], int | None]) -> None:
    """Run, wait the interval (the chosen one, else the portal's), run again, until `agent.stop` is set; the
    next poll's time is in the state file (the status screen shows it)."""
    while not agent.stop.is_set():
        interval = chosen_interval()
        try:
            if not interval:
                interval = int(agent.api.config().get("poll_interval", 60))
            run_and_record(agent)
        except Stopped:
            break
        except (PortalUnavailable, ApiError) as error:
            log.error("cannot poll: %s", error)
        interval = max(1, interval or 60)
        state = load_state()
        state["next_poll"] = (datetime.now(UTC) + timedelta(seconds=interval)).isoformat(timespec="seconds")
        save_state(state)
        agent.stop.wait(interval)


def status(args: argparse.Namespace) -> int:
    config = load_config()
    print(f"Portal:  {config.url}")
    print(f"Key:     {config.key_prefix}_…")
    print(f"Root:    {config.root}")
    print(f"Config:  {config_path()}")
    print(f"Version: {__version__}")
    api = Api(config.url, config.key, retries=1)
    code = ExitCode.OK
    try:
        portal = api.config()
        print(
            f"Connection: OK, {portal['firm']['name']} ({len(portal.get('dossiers', []))} dossier(s)), "
            f"key “{portal.get('key_name', '')}”"
        )
        notice = update_notice(portal)
        if notice:
            print(notice)
    except ApiError as error:
        print(f"Connection: refused: {error.message} ({error.code})")
        code = ExitCode.REFUSED
    except PortalUnavailable as error:
        print(f"Connection: portal unreachable: {error}")
        code = ExitCode.UNREACHABLE
    finally:
        api.close()
    state = load_state()
    print(describe(state.get("last_run", {})))
    if state.get("last_error"):
        print(f"Last error: {state['last_error']}")
    return code


def ui(args: argparse.Namespace) -> int:
    from .screen import serve

    setup_logging(quiet=True)
    return serve(port=args.port, open_browser=not args.no_browser, language=args.language)


def service(args: argparse.Namespace) -> int:
    from .service import manage

    return manage(args.action, user=args.user, dry_run=args.dry_run)


class ShowVersion(argparse.Action):
    """`--version`: the version, and the program file's sha256 (hashed only when asked)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(version_text())
        parser.exit()


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="billsync",
        description="Deliver the portal's export files into the folders Sage BOB 50 reads.",
        epilog="Exit codes: 0 everything delivered, 1 some files not delivered, 2 usage or settings, "
        "3 portal unreachable, 4 key refused, 5 root folder missing, 6 stopped.",
    )
    main_parser.add_argument("--version", action=ShowVersion)
    commands = main_parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("configure", help="check the connection and save the settings")
    setup.add_argument("--url", required=True, help="the portal's public address, e.g. https://portal.example.be")
    setup.add_argument("--key", required=True, help="a sync key from Settings → Integrations")
    setup.add_argument("--root", required=True, help=r"the folder that holds the BOB dossiers, e.g. C:\BOB50DATA")
    setup.add_argument("--poll-interval", type=int, default=None, help="seconds between polls (default: the portal's)")
    setup.add_argument("--workers", type=int, default=4, help="parallel downloads (default 4)")
    setup.set_defaults(handler=configure)
    once = commands.add_parser("sync", help="deliver what is waiting (with --once: then exit)")
    once.add_argument("--once", action="store_true", help="exit when done (see the exit codes)")
    once.add_argument("--quiet", action="store_true", help="no progress and no summary; log to the file only")
    once.add_argument("--interval", type=int, default=None, help=argparse.SUPPRESS)
    once.set_defaults(handler=sync)
    keep = commands.add_parser("run", help="keep polling and delivering until stopped")
    keep.add_argument("--interval", type=int, default=None, help="seconds between polls")
    keep.add_argument("--quiet", action="store_true", help="no progress; log to the file only")
    keep.set_defaults(handler=run)
    show = commands.add_parser("status", help="show the connection, the last run and whether an update is available")
    show.set_defaults(handler=status)
    screen = commands.add_parser("ui", help="open the configuration screen (a local web page on 127.0.0.1)")
    screen.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    screen.add_argument("--no-browser", action="store_true", help="only print the address, do not open a browser")
    screen.add_argument("--language", choices=["nl", "fr", "en"], default=None, help="default: the system's")
    screen.set_defaults(handler=ui)
    background = commands.add_parser("service", help="run billsync in the background (systemd, launchd, Windows)")
    background.add_argument("action", choices=["install", "uninstall", "start", "stop", "status", "host"])
    background.add_argument("--user", action="store_true", help="systemd/launchd: for this user, not the system")
    background.add_argument("--dry-run", action="store_true", help="print what would be written and run")
    background.set_defaults(handler=service)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigError as error:
        print(f"billsync: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print("billsync: stopped", file=sys.stderr)
        return ExitCode.STOPPED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
