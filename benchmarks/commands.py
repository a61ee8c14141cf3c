"""Load a scratch database at scale and time the maintenance commands on it.

    python benchmarks/commands.py --scale 1000000 --database postgres://postgres@127.0.0.1:5432/lp_bench

The database is dropped and created again, so its name must contain "bench". Each command runs in
its own process under GNU time, which reports the wall-clock time and the peak memory (RSS).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="activities to load")
    parser.add_argument(
        "--database",
        default="sqlite:////tmp/learning_platform_bench.sqlite3",
        help="DATABASE_URL of the scratch database (its name must contain 'bench')",
    )
    args = parser.parse_args()
    name = Path(urlsplit(args.database).path).name
    if "bench" not in name:
        parser.error(f"the scratch database's name must contain 'bench' (got {name!r})")
    if not Path(TIME).exists():
        parser.error(f"{TIME} (GNU time) is needed for the memory figures")

    env = {**os.environ, "DATABASE_URL": args.database, "CONN_MAX_AGE": "0"}
    _recreate(args.database)
    _manage(env, "migrate", "--no-input", "-v0")
    export = Path(tempfile.gettempdir()) / f"{name}-activities.json"
    steps = [
        ("seed_demo --scale", ["seed_demo", "--scale", str(args.scale), "-v0"]),
        ("check_integrity", ["check_integrity", "-v0"]),
        ("repair_integrity --dry-run", ["repair_integrity", "--dry-run", "-v0"]),
        # --force: the file a previous run wrote is this run's to replace.
        (
            "export_activities (JSON)",
            ["export_activities", "--output", str(export), "--force", "-v0"],
        ),
        ("close_past_classes --dry-run", ["close_past_classes", "--dry-run", "-v0"]),
    ]
    print(f"database: {args.database}\nscale: {args.scale:,} activities\n")
    print(f"{'command':32} {'seconds':>9} {'peak RSS MB':>12}")
    failed = False
    for label, command in steps:
        seconds, rss_kb, code = _timed(env, command)
        failed |= code != 0
        status = "" if code == 0 else f"  (exit {code})"
        print(f"{label:32} {seconds:9.1f} {rss_kb / 1024:12.0f}{status}", flush=True)
    print(f"\nexport file: {export} ({export.stat().st_size / 2**20:,.0f} MB)")
    return 1 if failed else 0


def _recreate(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(parts.path + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = Path(parts.path).name
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _timed(env: dict, args: list[str]) -> tuple[float, int, int]:
    with tempfile.NamedTemporaryFile("r") as report:
        done = subprocess.run(
            [TIME, "-v", "-o", report.name, sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        text = report.read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
    seconds = 0.0
    for part in clock.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, rss, done.returncode


if __name__ == "__main__":
    sys.exit(main())
