"""Settings and state files: where they are, private, readable back."""

import os
import stat

import pytest

from billsync import config
from billsync.cli import main


def test_billsync_config_overrides_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv("BILLSYNC_CONFIG", str(tmp_path / "c" / "config.json"))
    assert config.config_path() == tmp_path / "c" / "config.json"
    assert config.state_path() == tmp_path / "c" / "state.json"
    assert config.log_path() == tmp_path / "c" / "billsync.log"


@pytest.mark.skipif(os.name == "nt", reason="XDG paths are for Linux and macOS")
def test_the_default_path_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("BILLSYNC_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config.config_path() == tmp_path / "billsync" / "config.json"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.config_path() == tmp_path / "home" / ".config" / "billsync" / "config.json"


def test_windows_uses_appdata(tmp_path, monkeypatch):
    monkeypatch.delenv("BILLSYNC_CONFIG", raising=False)
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert config.config_path("nt") == tmp_path / "Roaming" / "billsync" / "config.json"


def test_the_config_is_saved_privately_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("BILLSYNC_CONFIG", str(tmp_path / "config.json"))
    saved = config.Config(url="http://127.0.0.1:8000", key="bsk_abcdefgh_" + "k" * 43, root=str(tmp_path))
    path = config.save_config(saved)
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = config.load_config()
    assert (loaded.url, loaded.key, loaded.root, loaded.workers) == (saved.url, saved.key, saved.root, 4)
    assert loaded.key_prefix == "bsk_abcdefgh"


def test_commands_without_a_config_say_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BILLSYNC_CONFIG", str(tmp_path / "none.json"))
    assert main(["sync", "--once"]) == 2
    assert "billsync configure" in capsys.readouterr().err


def test_configure_refuses_a_missing_root(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BILLSYNC_CONFIG", str(tmp_path / "config.json"))
    assert main(["configure", "--url", "http://127.0.0.1:9", "--key", "k", "--root", str(tmp_path / "no")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "config.json").exists()


def test_configure_refuses_an_unreachable_portal(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BILLSYNC_CONFIG", str(tmp_path / "config.json"))
    assert main(["configure", "--url", "http://127.0.0.1:9", "--key", "k", "--root", str(tmp_path)]) == 2
    assert "Cannot reach the portal" in capsys.readouterr().err
    assert not (tmp_path / "config.json").exists()
