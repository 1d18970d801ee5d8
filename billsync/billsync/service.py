"""`billsync service install|uninstall|start|stop|status`: the agent in the background, started at boot, stopped
cleanly. A systemd unit on Linux (for the system, or with --user for this user), a launchd job on macOS, a
Windows service (pywin32) on Windows. Each runs `billsync run --quiet` with this agent's settings file; the
log rotates beside it (billsync.log, size-capped). `--dry-run` prints what would be written and run."""

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from .config import config_path
from .runs import ExitCode
from .updates import program_file

NAME = "billsync"
LAUNCHD_LABEL = "be.billsync.agent"
WINDOWS_NAME = "Billsync"
DESCRIPTION = "Billsync agent: delivers the portal's export files into the Sage BOB 50 folders"


def program_command() -> list[str]:
    """The command line that starts this same agent: the frozen program, the zipapp run by this Python, the
    installed `billsync` script beside this Python, or `python -m billsync`."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    program = program_file()
    if program is not None:
        return [sys.executable, str(program.resolve())]
    script = Path(sys.executable).with_name("billsync.exe" if os.name == "nt" else "billsync")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "billsync"]


@dataclass
class Plan:
    """A file to write (or remove) and the commands to run, in order."""

    path: Path | None = None
    content: str = ""
    commands: list[list[str]] = field(default_factory=list)
    remove: bool = False
    note: str = ""


# systemd ----------------------------------------------------------------------------------------------------


def _systemd_quote(argument: str) -> str:
    """One argument of ExecStart= (systemd splits on spaces and honours double quotes and backslashes)."""
    if argument and not any(c in argument for c in " \t\"\\'$%;"):
        return argument
    return '"' + argument.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$") + '"'


def systemd_unit(command: Sequence[str], config: Path, user: bool) -> str:
    exec_start = " ".join(_systemd_quote(part) for part in [*command, "run", "--quiet"])
    return "\n".join(
        [
            "[Unit]",
            f"Description={DESCRIPTION}",
            "After=network-online.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            "Type=simple",
            f"Environment={_systemd_quote('BILLSYNC_CONFIG=' + str(config))}",
            f"ExecStart={exec_start}",
            "Restart=always",
            "RestartSec=30",
            "KillSignal=SIGTERM",
            "TimeoutStopSec=120",
            "",
            "[Install]",
            f"WantedBy={'default.target' if user else 'multi-user.target'}",
            "",
        ]
    )


def systemd_plan(action: str, user: bool) -> Plan:
    systemctl = ["systemctl", "--user"] if user else ["systemctl"]
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"
    unit = (base if user else Path("/etc/systemd/system")) / f"{NAME}.service"
    if action == "install":
        return Plan(
            unit,
            systemd_unit(program_command(), config_path().resolve(), user),
            [[*systemctl, "daemon-reload"], [*systemctl, "enable", "--now", f"{NAME}.service"]],
            note="To keep a --user service running without a login: loginctl enable-linger $USER" if user else "",
        )
    if action == "uninstall":
        return Plan(
            unit,
            commands=[[*systemctl, "disable", "--now", f"{NAME}.service"], [*systemctl, "daemon-reload"]],
            remove=True,
        )
    options = ["--no-pager"] if action == "status" else []
    return Plan(commands=[[*systemctl, action, *options, f"{NAME}.service"]])


# launchd (macOS) -------------------------------------------------------------------------------------------


def launchd_plist(command: Sequence[str], config: Path) -> str:
    arguments = "".join(f"\n    <string>{escape(part)}</string>" for part in [*command, "run", "--quiet"])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>{LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>{arguments}
  </array>
  <key>EnvironmentVariables</key>
  <dict><key>BILLSYNC_CONFIG</key><string>{escape(str(config))}</string></dict>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>ExitTimeOut</key><integer>120</integer>
</dict>
</plist>
"""


def launchd_plan(action: str, user: bool) -> Plan:
    folder = Path.home() / "Library" / "LaunchAgents" if user else Path("/Library/LaunchDaemons")
    plist = folder / f"{LAUNCHD_LABEL}.plist"
    if action == "install":
        return Plan(
            plist,
            launchd_plist(program_command(), config_path().resolve()),
            [["launchctl", "load", "-w", str(plist)]],
        )
    if action == "uninstall":
        return Plan(plist, commands=[["launchctl", "unload", "-w", str(plist)]], remove=True)
    verb = {"start": "start", "stop": "stop", "status": "list"}[action]
    return Plan(commands=[["launchctl", verb, LAUNCHD_LABEL]])


# Running a plan ---------------------------------------------------------------------------------------------


def show(plan: Plan) -> None:
    if plan.path is not None:
        if plan.remove:
            print(f"# remove {plan.path}")
        else:
            print(f"# {plan.path}")
            print(plan.content, end="" if plan.content.endswith("\n") else "\n")
    for command in plan.commands:
        print("$ " + shlex.join(command))
    if plan.note:
        print(f"# {plan.note}")


def carry_out(plan: Plan) -> int:
    if plan.path is not None and not plan.remove:
        plan.path.parent.mkdir(parents=True, exist_ok=True)
        plan.path.write_text(plan.content, encoding="utf-8")
        print(f"Wrote {plan.path}")
    code = ExitCode.OK
    for command in plan.commands:
        try:
            done = subprocess.run(command, check=False)
        except FileNotFoundError:
            print(f"billsync: {command[0]} is not available on this machine", file=sys.stderr)
            return ExitCode.USAGE
        if done.returncode != 0:
            code = ExitCode.PARTIAL
            if plan.remove:
                continue  # uninstall goes on: the unit may not be running
            return code
    if plan.path is not None and plan.remove and plan.path.exists():
        plan.path.unlink()
        print(f"Removed {plan.path}")
    if plan.note:
        print(plan.note)
    return code


def manage(action: str, user: bool = False, dry_run: bool = False) -> int:
    """Carry out `action` for this system's service manager; returns an exit code."""
    if sys.platform == "win32":
        from .winservice import manage_windows

        return manage_windows(action, dry_run)
    if action == "host":
        print("billsync: `service host` is for the Windows service manager", file=sys.stderr)
        return ExitCode.USAGE
    plan = launchd_plan(action, user) if sys.platform == "darwin" else systemd_plan(action, user)
    if dry_run:
        show(plan)
        return ExitCode.OK
    return carry_out(plan)
