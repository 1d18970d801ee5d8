"""Where the agent keeps its settings (URL, key, root folder), its state (the last run) and its log.

    Windows:  %APPDATA%\\billsync\\config.json
    elsewhere: $XDG_CONFIG_HOME/billsync/config.json, else ~/.config/billsync/config.json
    BILLSYNC_CONFIG=<file> overrides the path; state.json and billsync.log sit beside it.

The config file holds the sync key: it is written with mode 0600.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_WORKERS = 4


class ConfigError(Exception):
    """Missing or unreadable settings; the message says what to do."""


@dataclass
class Config:
    url: str
    key: str
    root: str
    poll_interval: int | None = None  # seconds; None: what the portal says
    workers: int = DEFAULT_WORKERS
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key_prefix(self) -> str:
        return self.key[:12]


def config_path(system: str = os.name) -> Path:
    chosen = os.environ.get("BILLSYNC_CONFIG")
    if chosen:
        return Path(chosen)
    if system == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "billsync" / "config.json"


def state_path() -> Path:
    return config_path().with_name("state.json")


def log_path() -> Path:
    return config_path().with_name("billsync.log")


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    if os.name != "nt":
        os.chmod(path, 0o600)


def save_config(config: Config) -> Path:
    path = config_path()
    data = asdict(config)
    data.update(data.pop("extra"))
    _write_private(path, data)
    return path


def load_config() -> Config:
    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"No configuration at {path}; run `billsync configure --url URL --key KEY --root FOLDER` first."
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigError(f"Cannot read {path}: {error}") from None
    try:
        known = {name: data.pop(name) for name in ("url", "key", "root")}
        poll = data.pop("poll_interval", None)
        workers = int(data.pop("workers", DEFAULT_WORKERS))
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path} is incomplete ({error}); run `billsync configure` again.") from None
    return Config(**known, poll_interval=int(poll) if poll else None, workers=max(1, workers), extra=data)


def load_state() -> dict[str, Any]:
    try:
        state = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_state(state: dict[str, Any]) -> None:
    _write_private(state_path(), state)
