"""`billsync service install --dry-run`: the unit that would be written starts this same agent with its settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from billsync.service import launchd_plist, systemd_unit


def dry_run(tmp_path, *command: str) -> str:
    env = {**os.environ, "BILLSYNC_CONFIG": str(tmp_path / "conf dir" / "config.json"), "HOME": str(tmp_path)}
    env.pop("XDG_CONFIG_HOME", None)
    done = subprocess.run(
        [*command, "service", "install", "--user", "--dry-run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the systemd unit is for Linux")
def test_the_user_unit_runs_this_agent_with_its_settings(tmp_path):
    out = dry_run(tmp_path, sys.executable, "-m", "billsync")
    assert f"# {tmp_path}/.config/systemd/user/billsync.service" in out.splitlines()
    python = os.path.abspath(sys.executable)
    script = Path(python).with_name("billsync")
    program = str(script) if script.is_file() else f"{python} -m billsync"
    assert f"ExecStart={program} run --quiet" in out.splitlines()
    assert f'Environment="BILLSYNC_CONFIG={tmp_path}/conf dir/config.json"' in out.splitlines()
    assert "WantedBy=default.target" in out and "Restart=always" in out
    assert "$ systemctl --user enable --now billsync.service" in out


def test_arguments_with_spaces_are_quoted_for_systemd(tmp_path):
    unit = systemd_unit(["/opt/my tools/python3", "/srv/bill sync.pyz"], Path("/etc/billsync/config.json"), False)
    assert 'ExecStart="/opt/my tools/python3" "/srv/bill sync.pyz" run --quiet' in unit.splitlines()
    assert "WantedBy=multi-user.target" in unit


def test_the_launchd_job_runs_the_agent_at_load_and_keeps_it_alive():
    plist = launchd_plist(["/usr/local/bin/billsync"], Path("/Users/bob/config & co.json"))
    assert "<string>/usr/local/bin/billsync</string>\n    <string>run</string>\n    <string>--quiet</string>" in plist
    assert "config &amp; co.json" in plist and "<key>KeepAlive</key><true/>" in plist
