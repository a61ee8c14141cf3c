"""Slow clients against the served stack: 50 sockets send their request headers a byte a second
while ordinary requests must still be answered in under a second each.

    python deploy/slow_clients.py [--sockets 50] [--duration 12] [--database URL]

Starts nginx and gunicorn (deploy/serve.py) on a free loopback port, on a scratch SQLite file
unless --database names one. With --direct, also shows what the same sockets do to gunicorn
served without nginx. Exits non-zero when an ordinary request fails or takes a second or more.
Every connection goes to 127.0.0.1 and the run stops by itself.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from serve import DEPLOY, PYTHON, ROOT, Stack, free_port

LIMIT = 1.0  # seconds an ordinary request may take
PATHS = ["/healthz", "/", "/classes/", "/login/", "/static/favicon.svg"]


class SlowClients:
    """Sockets that open a request and send its headers one byte a second, reopening when the
    server gives up on them."""

    def __init__(self, host: str, port: int, count: int):
        self.address = (host, port)
        self.count = count
        self.stop = threading.Event()
        self.open = 0
        self.peak = 0
        self.reopened = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._hold, daemon=True) for _ in range(count)]

    def __enter__(self) -> SlowClients:
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + 10
        while self.open < self.count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=5)

    def _hold(self) -> None:
        first = True
        while not self.stop.is_set():
            try:
                with socket.create_connection(self.address, timeout=5) as sock:
                    with self.lock:
                        self.open += 1
                        self.peak = max(self.peak, self.open)
                        self.reopened += not first
                    first = False
                    try:
                        sock.sendall(b"GET /classes/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        while not self.stop.wait(1):
                            sock.sendall(b"X")  # a header that never ends
                    finally:
                        with self.lock:
                            self.open -= 1
            except OSError:
                self.stop.wait(0.2)


def ordinary_requests(base: str, duration: float) -> tuple[list[float], list[str]]:
    """Requests one after another for `duration` seconds: each one's time, and the failures."""
    timings, failures = [], []
    deadline = time.monotonic() + duration
    i = 0
    while time.monotonic() < deadline:
        path = PATHS[i % len(PATHS)]
        i += 1
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=LIMIT * 5) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = f"no answer ({error})"
        elapsed = time.monotonic() - started
        timings.append(elapsed)
        if status != 200:
            failures.append(f"{path}: {status}")
        elif elapsed >= LIMIT:
            failures.append(f"{path}: {elapsed:.2f} s")
        time.sleep(0.05)
    return timings, failures


def report(label: str, timings: list[float], failures: list[str], slow: SlowClients) -> None:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[int(len(ms) * 0.95) - 1] if len(ms) >= 20 else ms[-1]
    print(
        f"{label}: {slow.count} slow-header sockets ({slow.peak} open at once, "
        f"{slow.open} at the end, "
        f"{slow.reopened} reopened after the server closed them); {len(ms)} ordinary requests: "
        f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms, "
        f"{len(failures)} failed or slower than {LIMIT:.0f} s"
    )
    for failure in failures[:10]:
        print(f"  {failure}")


def direct_gunicorn(env: dict, sockets: int, duration: float) -> None:
    """The same sockets against gunicorn alone (2 sync workers): for comparison only."""
    port = free_port("127.0.0.1")
    process = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "learning_platform.wsgi",
            "--config", str(DEPLOY / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--workers", "2",
        ],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(3)
        with SlowClients("127.0.0.1", port, sockets) as slow:
            timings, failures = ordinary_requests(f"http://127.0.0.1:{port}", duration)
            report("gunicorn alone (for comparison)", timings, failures, slow)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=50)
    parser.add_argument("--duration", type=float, default=12, help="seconds of measuring")
    parser.add_argument("--database", help="DATABASE_URL (default: a scratch SQLite file)")
    parser.add_argument("--direct", action="store_true", help="also measure gunicorn alone")
    args = parser.parse_args(argv)
    if not 1 <= args.sockets <= 500 or not 1 <= args.duration <= 120:
        parser.error("--sockets must be 1 to 500 and --duration 1 to 120 seconds")

    with tempfile.TemporaryDirectory(prefix="slow-clients-") as scratch:
        database = args.database or f"sqlite:///{Path(scratch) / 'db.sqlite3'}"
        env = {"DATABASE_URL": database, "SECRET_KEY": secrets.token_urlsafe(50)}
        with Stack(workers=2, env=env, quiet=True) as stack:
            print(f"nginx on {stack.url}, gunicorn with 2 sync workers behind it")
            with SlowClients(stack.host, stack.port, args.sockets) as slow:
                timings, failures = ordinary_requests(stack.url, args.duration)
                report("nginx + gunicorn", timings, failures, slow)
            ok = not failures and slow.peak == args.sockets
            if args.direct:
                direct_gunicorn(stack.env, args.sockets, args.duration)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
