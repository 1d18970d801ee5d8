"""Reading a bundle (several files in one answer) and grouping a page's items into bundles."""

import hashlib
import json

import pytest

from billsync.agent import BUNDLE_BYTES, BUNDLE_FILES, bundles
from billsync.delivery import BundleReader, TransferError, write_file


def bundle(*files) -> bytes:
    out = b""
    for item_id, data in files:
        if isinstance(data, str):
            out += json.dumps({"id": item_id, "error": data}).encode() + b"\n"
        else:
            out += json.dumps({"id": item_id, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}).encode()
            out += b"\n" + data
    return out


def pieces(data: bytes, size: int):
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("piece", [1, 7, 100, 1 << 20])
def test_files_and_refusals_come_out_whatever_the_network_chunks(tmp_path, piece):
    files = [(1, b"<Invoice>one</Invoice>"), (2, "leased"), (3, b""), (4, b"x" * 70_000)]
    reader = BundleReader(pieces(bundle(*files), piece))
    seen = []
    while (head := reader.header()) is not None:
        if "error" in head:
            seen.append((head["id"], head["error"]))
            continue
        target = tmp_path / f"{head['id']}.xml"
        write_file(target, head["id"], reader.body(), head["size"], head["sha256"])
        seen.append((head["id"], target.read_bytes()))
    assert seen == files


def test_a_file_not_read_is_skipped():
    reader = BundleReader(pieces(bundle((1, b"a" * 1000), (2, b"b" * 10)), 64))
    assert reader.header()["id"] == 1
    assert b"".join(reader.body()) and reader.header()["id"] == 2
    reader = BundleReader([bundle((1, b"a" * 1000), (2, b"b" * 10))])
    assert reader.header()["id"] == 1 and reader.header()["id"] == 2 and b"".join(reader.body()) == b"b" * 10
    assert reader.header() is None


@pytest.mark.parametrize("data", [bundle((1, b"abc"))[:-1], bundle((1, b"abc"))[:5], b"not json\n", b"x" * 70_000])
def test_a_broken_bundle_is_a_transfer_error(data):
    reader = BundleReader([data])
    with pytest.raises(TransferError):
        while reader.header() is not None:
            b"".join(reader.body())


def test_a_wrong_file_in_a_bundle_is_not_placed(tmp_path):
    reader = BundleReader([bundle((1, b"abc"))])
    head = reader.header()
    with pytest.raises(TransferError):
        write_file(tmp_path / "a.xml", 1, reader.body(), head["size"], hashlib.sha256(b"abd").hexdigest())
    assert list(tmp_path.iterdir()) == []


def test_items_are_grouped_by_count_and_size_in_order():
    small = [{"id": n, "size": 1000} for n in range(BUNDLE_FILES + 3)]
    big = {"id": 99, "size": BUNDLE_BYTES + 1}
    groups = bundles(small[:2] + [big] + small[2:])
    assert [len(group) for group in groups] == [2, 1, BUNDLE_FILES, 1]
    assert groups[1] == [big]
    assert [item["id"] for group in groups for item in group] == [0, 1, 99, *range(2, BUNDLE_FILES + 3)]
