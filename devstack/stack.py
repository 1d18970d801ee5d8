"""What `make run` started, for every other command on this machine: while the embedded servers run, their
addresses and folders are recorded in `.state/stack.json`, and the settings use them when no server is
configured (DATABASE_URL / PGHOST / REDIS_URL unset). Nothing here imports Django."""

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("PORTAL_STATE_DIR", ROOT / ".state"))
STACK_FILE = STATE / "stack.json"
# The variables `make run` sets for its own processes, which every other command must share.
SHARED = ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "EMAIL_FILE_PATH")


def record(values: dict[str, str]) -> None:
    """Called by `make run` once its servers are up."""
    STACK_FILE.parent.mkdir(parents=True, exist_ok=True)
    temporary = STACK_FILE.with_suffix(".tmp")
    temporary.write_text(json.dumps({"pid": os.getpid(), **{name: values[name] for name in SHARED}}))
    temporary.replace(STACK_FILE)


def forget() -> None:
    STACK_FILE.unlink(missing_ok=True)


def running() -> dict[str, str] | None:
    """The recorded stack if the `make run` that recorded it is still alive."""
    try:
        data = json.loads(STACK_FILE.read_text())
        os.kill(int(data["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {name: str(data[name]) for name in SHARED if data.get(name)}


def use_running_stack(environ=os.environ) -> bool:
    """Point this process at the running `make run` when no server is configured; True if it did."""
    if environ.get("DATABASE_URL") or environ.get("PGHOST") or environ.get("PORTAL_IGNORE_STACK"):
        return False
    stack = running()
    if stack is None:
        return False
    for name, value in stack.items():
        environ.setdefault(name, value)
    return True


def no_server_message() -> str:
    return (
        "No database server answers. Start the portal's embedded servers with `make run` (in another terminal), "
        "or point this command at a server with DATABASE_URL (and REDIS_URL)."
    )
