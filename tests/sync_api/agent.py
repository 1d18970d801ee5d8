"""Running the real agent (`python -m billsync`, or a built program such as the PyInstaller binary) as a subprocess,
with its config in a temporary folder."""

import os
import subprocess
import sys
from pathlib import Path

SLOW_AGENT = Path(__file__).with_name("slow_agent.py")


class AgentProcess:
    def __init__(self, folder: Path, program: list[str] | None = None):
        self.folder = folder
        self.program = program or [sys.executable, "-m", "billsync"]
        self.config = folder / "config" / "config.json"
        self.root = folder / "BOB50DATA"
        self.root.mkdir(parents=True, exist_ok=True)

    def env(self, **extra) -> dict:
        return {**os.environ, "BILLSYNC_CONFIG": str(self.config), **extra}

    def command(self, *args: str, read_delay: float | None = None) -> list[str]:
        if read_delay is not None:  # downloads slowed down by the test (seconds per chunk)
            return [sys.executable, str(SLOW_AGENT), str(read_delay), *args]
        return [*self.program, *args]

    def run(self, *args: str, timeout: float = 120, **env) -> subprocess.CompletedProcess:
        # cwd: not the repository root, whose billsync/ folder would shadow the installed package
        return subprocess.run(
            self.command(*args), env=self.env(**env), cwd=self.folder, capture_output=True, text=True, timeout=timeout
        )

    def start(self, *args: str, read_delay: float | None = None, **env) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(*args, read_delay=read_delay),
            env=self.env(**env),
            cwd=self.folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def configure(self, url: str, key: str, *extra: str) -> subprocess.CompletedProcess:
        done = self.run("configure", "--url", url, "--key", key, "--root", str(self.root), *extra)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def files(self) -> dict[str, bytes]:
        """Every file under the root, by its `/`-separated relative path."""
        return {
            path.relative_to(self.root).as_posix(): path.read_bytes()
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        }

    def leftovers(self) -> list[str]:
        return [path.name for path in self.root.rglob("*.part")]
