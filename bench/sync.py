"""Benchmark of the Billsync delivery: the real agent (`billsync sync --once`, a subprocess) fetches COUNT
pending files of about 20 KB from a local portal served by gunicorn, then the same files are fetched from a
static file server (`python -m http.server` on the media folder) with httpx in the same way (same thread
count, same verified atomic write). Prints both, our throughput as a fraction of the static one, and the load
average before and after (the machine may be shared).

    .venv/bin/python bench/sync.py [COUNT] [--web-workers N] [--agent-workers N]

Uses DATABASE_URL / REDIS_URL like the portal, or starts the embedded ones of `make run` (.state/). Creates a
throw-away firm and drops it afterwards.
"""

import argparse
import hashlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEDIA = Path(tempfile.mkdtemp(prefix="bench-sync-media-"))
os.environ["MEDIA_ROOT"] = str(MEDIA)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import devstack  # noqa: E402

HANDLES = devstack.servers_for_script()
if HANDLES:  # the embedded database may not be migrated yet (no `make run` so far)
    devstack.manage("migrate_schemas", "--shared", "-v", "0")

import django  # noqa: E402

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("django.request").setLevel(logging.ERROR)


import httpx  # noqa: E402
from django.db import connection  # noqa: E402

from bench.throwaway import throwaway_firm  # noqa: E402
from billsync.delivery import write_file  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from exports.models import ExportBatch, ExportItem, ExportSettings, ItemState, Trigger  # noqa: E402
from sync_api.services import create_sync_key  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def make_items(count: int) -> list[tuple[str, int, str]]:
    """COUNT stored files of ~20 KB and their waiting items; returns (storage name, size, sha256)."""
    dossier = Dossier.objects.create(name="Bench BV", enterprise_number="0202239951", city="Gent")
    ExportSettings.objects.create(dossier=dossier, bob_reference="BENCH")
    batch = ExportBatch.objects.create(dossier=dossier, trigger=Trigger.MANUAL)
    folder = MEDIA / "bench"
    folder.mkdir(parents=True)
    files, items = [], []
    filler = os.urandom(15_000).hex()[:20_000]
    for n in range(count):
        content = f'<?xml version="1.0"?><Invoice><ID>{n}</ID><Note>{filler}</Note></Invoice>'.encode()
        name = f"bench/{n:06d}.xml"
        (MEDIA / name).write_bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        files.append((name, len(content), digest))
        items.append(
            ExportItem(
                batch=batch,
                dossier=dossier,
                kind="purchases",
                file=name,
                size=len(content),
                path=f"BENCH/Demat/Aankopen/{n:06d}.xml",
                sha256=digest,
            )
        )
    ExportItem.objects.bulk_create(items, batch_size=2000)
    return files


def run_agent(url: str, raw_key: str, workers: int, work: Path) -> float:
    env = {**os.environ, "BILLSYNC_CONFIG": str(work / "config.json")}
    root = work / "BOB50DATA"
    root.mkdir()
    billsync = [sys.executable, "-m", "billsync"]
    subprocess.run(
        [*billsync, "configure", "--url", url, "--key", raw_key, "--root", str(root), "--workers", str(workers)],
        env=env,
        cwd=work,
        check=True,
        capture_output=True,
    )
    start = time.perf_counter()
    done = subprocess.run([*billsync, "sync", "--once", "--quiet"], env=env, cwd=work, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"billsync failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def fetch_static(url: str, files, workers: int, work: Path) -> float:
    """The same files from a plain static server with one keep-alive httpx client and the same writes."""
    target = work / "static"
    target.mkdir()
    client = httpx.Client(base_url=url, limits=httpx.Limits(max_connections=workers + 2))

    def fetch(entry):
        name, size, digest = entry
        with client.stream("GET", "/" + name) as response:
            response.raise_for_status()
            write_file(target / name.replace("/", "_"), 0, response.iter_bytes(64 * 1024), size, digest)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fetch, files))
    elapsed = time.perf_counter() - start
    client.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--agent-workers", type=int, default=4)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    processes = []
    try:
        with throwaway_firm() as firm:
            files = make_items(args.count)
            total = sum(size for _name, size, _digest in files)
            _key, raw = create_sync_key(firm, "bench")
            connection.close()
            port = free_port()
            env = {
                **os.environ,
                "DEBUG": "0",
                "SECRET_KEY": "bench-" + "x" * 60,
                "SECURE_SSL_REDIRECT": "0",
                "BEHIND_TLS_PROXY": "0",
                "SYNC_API_RATE": "1000000/min",
                "LOG_LEVEL": "WARNING",
            }
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(args.web_workers),
                        "--worker-class",
                        "gthread",
                        "--threads",
                        "4",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
            static_port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "http.server",
                        str(static_port),
                        "--bind",
                        "127.0.0.1",
                        "--directory",
                        str(MEDIA),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            portal_url, static_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{static_port}"
            wait_for(portal_url + "/api/sync/v1/config")
            wait_for(static_url + "/")

            load_before = os.getloadavg()
            ours = run_agent(portal_url, raw, args.agent_workers, work)
            delivered = ExportItem.objects.filter(state=ItemState.DELIVERED).count()
            static = fetch_static(static_url, files, args.agent_workers, work)
            mb = total / 1_000_000
            print(
                f"files: {args.count} x ~{total // args.count} B = {mb:.1f} MB; gunicorn {args.web_workers} "
                f"gthread workers x 4 threads; agent {args.agent_workers} threads"
            )
            print(
                f"billsync sync --once (portal)   {ours:7.2f} s  {args.count / ours:7.1f} files/s  "
                f"{mb / ours:6.2f} MB/s  delivered {delivered}/{args.count}"
            )
            print(
                f"httpx from http.server (static) {static:7.2f} s  {args.count / static:7.1f} files/s  "
                f"{mb / static:6.2f} MB/s"
            )
            print(f"billsync throughput = {static / ours:.2f} x the static server's")
            print(
                "load average (1, 5, 15 min): before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
                    *load_before, *os.getloadavg()
                )
            )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(MEDIA, ignore_errors=True)
        devstack.stop(HANDLES)


if __name__ == "__main__":
    main()
