"""One run as the user sees it: run, record it in the state file (last run, files delivered per day and in
total, failures), say it in one summary line, and the exit code of `sync --once`."""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from .agent import Agent, Failure, RunResult, result_summary
from .client import ApiError, PortalUnavailable, Stopped
from .config import load_state, save_state

log = logging.getLogger("billsync")
KEPT_DAYS = 31  # days of "delivered that day" kept in the state file


class ExitCode(IntEnum):
    """`billsync sync --once` (and the other commands) end with one of these."""

    OK = 0  # everything waiting was delivered (or nothing was waiting)
    PARTIAL = 1  # some files were not delivered: failed, conflict, or postponed to the next run
    USAGE = 2  # wrong arguments or no usable settings (run `billsync configure` or `billsync ui`)
    UNREACHABLE = 3  # the portal could not be reached (network, DNS, portal down): nothing changed
    REFUSED = 4  # the portal refused the key (revoked or wrong)
    NO_FOLDER = 5  # the root folder does not exist
    STOPPED = 6  # stopped (Ctrl-C, service stop) before the end: the next run finishes the work


@dataclass
class Outcome:
    code: ExitCode
    result: RunResult | None = None
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_and_record(agent: Agent) -> Outcome:
    """One run with its state recorded; never raises for the portal's or the folder's trouble."""
    state = load_state()
    started = now()
    try:
        result = agent.run_once(last_error=state.get("last_error", ""))
    except (ApiError, PortalUnavailable, FileNotFoundError, Stopped) as error:
        code = _error_code(error)
        message = str(error) or "stopped"
        log.error("run failed: %s", message)
        state.update(
            last_error=message, last_run={"started": started, "finished": now(), "ok": False, "error": message}
        )
        save_state(state)
        return Outcome(code, error=message)
    record(state, result, started)
    save_state(state)
    log.info(summary(result))
    if result.ok:
        return Outcome(ExitCode.OK, result)
    return Outcome(ExitCode.STOPPED if agent.stop.is_set() else ExitCode.PARTIAL, result)


def _error_code(error: Exception) -> ExitCode:
    if isinstance(error, ApiError):
        return ExitCode.REFUSED if error.status in (401, 403) else ExitCode.PARTIAL
    if isinstance(error, PortalUnavailable):
        return ExitCode.UNREACHABLE
    if isinstance(error, FileNotFoundError):
        return ExitCode.NO_FOLDER
    return ExitCode.STOPPED


def record(state: dict[str, Any], result: RunResult, started: str) -> None:
    """Put a finished run into `state`: the last run, the totals, the files delivered per day."""
    finished = now()
    state["last_run"] = {"started": started, "finished": finished, **result_summary(result)}
    state["last_error"] = "; ".join(result.errors)[:2000] if result.errors else ""
    arrived = result.delivered + result.present
    if arrived:
        state["last_delivery"] = finished
    state["delivered_total"] = int(state.get("delivered_total", 0)) + arrived
    days = dict(state.get("delivered_days", {}))
    today = finished[:10]
    days[today] = int(days.get(today, 0)) + arrived
    state["delivered_days"] = dict(sorted(days.items())[-KEPT_DAYS:])


def delivered_today(state: dict[str, Any]) -> int:
    return int(state.get("delivered_days", {}).get(now()[:10], 0))


def summary(result: RunResult) -> str:
    """`42 files delivered (3 sales, 12 purchases, 27 CODA), 1 failed: REF/…: why, 0 conflicts`."""
    arrived = result.delivered + result.present
    kinds = ", ".join(f"{result.kinds[kind]} {label}" for kind, label in KIND_LABELS.items() if result.kinds.get(kind))
    text = f"{arrived} file{'' if arrived == 1 else 's'} delivered" + (f" ({kinds})" if kinds else "")
    text += f", {result.failed} failed"
    reasons = [f"{failure.message} [{failure.code}]" for failure in result.failures if failure.code != "conflict"]
    if reasons:
        text += ": " + "; ".join(reasons[:3]) + ("; …" if len(reasons) > 3 else "")
    text += f", {result.conflicts} conflict{'' if result.conflicts == 1 else 's'}"
    if result.postponed:
        text += f", {result.postponed} postponed to the next run"
    if result.present:
        text += f" ({result.present} already in place)"
    if result.errors:
        text += f"; unexpected errors: {'; '.join(result.errors[:3])}"
    return text


KIND_LABELS = {"sales": "sales", "purchases": "purchases", "coda": "CODA"}


def describe(last_run: dict[str, Any]) -> str:
    """The last run, from the state file, in one line."""
    if not last_run:
        return "No run yet."
    if "error" in last_run:
        return f"Last run {last_run.get('finished')}: failed: {last_run['error']}"
    failures = [failure for failure in last_run.get("failures", []) if isinstance(failure, dict)]
    result = RunResult(
        **{name: last_run.get(name, 0) for name in ("delivered", "present", "failed", "conflicts", "postponed")},
        kinds=dict(last_run.get("kinds", {})),
    )
    result.failures = [
        Failure(int(f.get("id", 0)), str(f.get("path", "")), str(f.get("code", "")), str(f.get("message", "")))
        for f in failures
    ]
    return f"Last run {last_run.get('finished')}: {summary(result)}"
