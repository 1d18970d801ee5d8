"""Which target paths the agent writes: Windows and POSIX readings both checked."""

from pathlib import Path, PureWindowsPath

import pytest

from billsync.paths import UnsafePath, check_path, is_inside, target_path

SAFE = [
    "REF/Demat/Aankopen/20261103-000123-INV-0042-Bakkerij Peeters.xml",
    "REF/Demat/Verkopen/20261103-000124-2026-0007-Klant NV.xml",
    "REF/CODA/20261130-000007-BE71096123456769-2026-231.cod",
    "Bakkerij Peeters/Demat/Aankopen/a.xml",
    "café/ü.xml",
    "CONSOLE/COM10.xml",  # only the exact device names are reserved
]

UNSAFE = [
    "",
    "/etc/passwd",
    "../outside.xml",
    "REF/../../outside.xml",
    "REF/./a.xml",
    "REF//a.xml",
    "REF/",
    "C:/BOB50DATA/a.xml",
    "C:a.xml",
    "c:/a.xml",
    "//server/share/a.xml",
    r"\\server\share\a.xml",
    r"REF\Demat\a.xml",
    r"..\a.xml",
    "REF/CON",
    "REF/con.xml",
    "REF/Nul.txt",
    "REF/COM1.xml",
    "REF/LPT9",
    "REF/AUX .xml",
    "REF/a<b.xml",
    "REF/a>b.xml",
    "REF/a:b.xml",
    'REF/a"b.xml',
    "REF/a|b.xml",
    "REF/a?.xml",
    "REF/a*.xml",
    "REF/a\x00.xml",
    "REF/a\n.xml",
    "REF/trailing.",
    "REF/trailing ",
    " REF/a.xml",
    "x" * 700,
    "REF/" + "y" * 300,
]


@pytest.mark.parametrize("path", SAFE)
def test_it_accepts_safe_relative_paths(path):
    assert check_path(path) == tuple(path.split("/"))
    assert PureWindowsPath(*check_path(path)).parts == tuple(path.split("/"))


@pytest.mark.parametrize("path", UNSAFE)
def test_it_refuses_unsafe_paths(path):
    with pytest.raises(UnsafePath):
        check_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "REF/Demat/Aankopen/Supplier \u202egpj.exe",  # displays as "…exe.jpg"
        "REF/Demat/Aankopen/a\u200bb.xml",  # zero-width space
        "REF/Demat/Aankopen/\ufeffa.xml",  # byte order mark
        *(f"REF/Demat/Aankopen/a{chr(c)}b.xml" for c in range(0x2066, 0x206A)),  # bidi isolates
        "REF/Demat/Aankopen/Cafe\u0301.xml",  # decomposed é: not NFC
    ],
)
def test_it_refuses_invisible_and_unnormalised_names(path):
    with pytest.raises(UnsafePath):
        check_path(path)


def test_it_accepts_visible_unicode_in_nfc():
    assert check_path("REF/Demat/Aankopen/Café Ærø Łódź.xml")[-1] == "Café Ærø Łódź.xml"


@pytest.mark.parametrize("path", [None, 42, b"REF/a.xml"])
def test_it_refuses_what_is_not_text(path):
    with pytest.raises(UnsafePath):
        check_path(path)


def test_a_windows_root_joins_segments_not_the_raw_path():
    root = PureWindowsPath(r"C:\BOB50DATA")
    joined = root.joinpath(*check_path("REF/Demat/Aankopen/a.xml"))
    assert str(joined) == r"C:\BOB50DATA\REF\Demat\Aankopen\a.xml"
    assert joined.is_relative_to(root)


def test_target_path_and_symlinked_folders(tmp_path):
    root = tmp_path / "root"
    (root / "REF").mkdir(parents=True)
    assert target_path(root, "REF/a.xml") == root / "REF" / "a.xml"
    assert is_inside(root, root / "REF")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "LINK").symlink_to(outside, target_is_directory=True)
    assert not is_inside(root, root / "LINK")
    assert not is_inside(root, Path(tmp_path))
