"""Writing a file into place: verified, atomic, never over another file, no temporary file left behind."""

import errno
import hashlib
import threading

import pytest

from billsync.delivery import (
    Abandoned,
    TransferError,
    existing,
    failure_code,
    remove_stale_parts,
    write_file,
)

DATA = b"<Invoice>" + b"x" * 200_000 + b"</Invoice>"
SHA = hashlib.sha256(DATA).hexdigest()


def chunks(data: bytes, size: int = 65536):
    return [data[i : i + size] for i in range(0, len(data), size)]


def parts(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_it_writes_the_verified_file(tmp_path):
    target = tmp_path / "a.xml"
    write_file(target, 7, chunks(DATA), len(DATA), SHA)
    assert target.read_bytes() == DATA
    assert parts(tmp_path) == []


@pytest.mark.parametrize(
    "data,size,sha",
    [
        (DATA[:-1], len(DATA), SHA),  # short
        (DATA + b"!", len(DATA), SHA),  # long
        (DATA[:-1] + b"?", len(DATA), SHA),  # corrupted
    ],
)
def test_wrong_bytes_are_not_placed(tmp_path, data, size, sha):
    target = tmp_path / "a.xml"
    with pytest.raises(TransferError):
        write_file(target, 7, chunks(data), size, sha)
    assert not target.exists() and parts(tmp_path) == []


def test_it_never_replaces_another_file(tmp_path):
    target = tmp_path / "a.xml"
    target.write_bytes(b"someone else's")
    with pytest.raises(FileExistsError):
        write_file(target, 7, chunks(DATA), len(DATA), SHA)
    assert target.read_bytes() == b"someone else's" and parts(tmp_path) == []


def test_a_stop_abandons_the_file_cleanly(tmp_path):
    stop = threading.Event()

    def stopping():
        yield DATA[:1000]
        stop.set()
        yield DATA[1000:]

    with pytest.raises(Abandoned):
        write_file(tmp_path / "a.xml", 7, stopping(), len(DATA), SHA, stop)
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_receiving_leaves_nothing(tmp_path):
    def broken():
        yield DATA[:1000]
        raise ConnectionError("reset")

    with pytest.raises(ConnectionError):
        write_file(tmp_path / "a.xml", 7, broken(), len(DATA), SHA)
    assert list(tmp_path.iterdir()) == []


def test_existing_tells_same_from_different(tmp_path):
    target = tmp_path / "a.xml"
    assert existing(target, SHA) == "absent"
    target.write_bytes(DATA)
    assert existing(target, SHA) == "same"
    assert existing(target, SHA.upper()) == "same"
    target.write_bytes(b"other")
    assert existing(target, SHA) == "different"
    (tmp_path / "dir.xml").mkdir()
    assert existing(tmp_path / "dir.xml", SHA) == "different"


def test_stale_parts_are_removed_and_nothing_else(tmp_path):
    (tmp_path / ".billsync-12-abcd1234.part").write_bytes(b"half")
    (tmp_path / "keep.xml").write_bytes(b"x")
    (tmp_path / "billsync-1.part").write_bytes(b"not ours")
    removed = remove_stale_parts([tmp_path, tmp_path / "missing"])
    assert [p.name for p in removed] == [".billsync-12-abcd1234.part"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["billsync-1.part", "keep.xml"]


@pytest.mark.parametrize(
    "error,code",
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission_denied"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk_full"),
        (FileExistsError(errno.EEXIST, "File exists"), "conflict"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), "conflict"),
        (OSError(errno.EIO, "I/O error"), "write_error"),
    ],
)
def test_os_errors_get_a_failure_code(error, code):
    assert failure_code(error) == code


def test_a_read_only_folder_gives_permission_denied(tmp_path):
    import os

    if os.name == "nt" or os.geteuid() == 0:
        pytest.skip("root (or Windows) ignores the folder's mode")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError) as raised:
            write_file(folder / "a.xml", 1, chunks(DATA), len(DATA), SHA)
        assert failure_code(raised.value) == "permission_denied"
    finally:
        folder.chmod(0o700)
