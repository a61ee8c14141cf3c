"""The API against its own served schema, with schemathesis: a scratch SQLite database with the
demo data, the app under gunicorn on a free local port, then one run as the demo learner (with a
token) and one anonymous. Fails on any 5xx or any answer the schema does not describe.

    .venv/bin/python tests/api/schemathesis_run.py [--examples N] [--seed N]
(make test-api-schema). Prints each run's operations, test cases and failures.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10, help="test cases per operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="api-schema-") as scratch:
        env = os.environ | {
            "DATABASE_URL": f"sqlite:///{scratch}/api.sqlite3",
            "DEBUG": "false",
            "SECRET_KEY": "schemathesis-scratch-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            # The runs write far faster than any learner: the limits would answer only 429s.
            "API_WRITE_RATE": "100000/minute",
            "API_TOKEN_RATE": "100000/minute",
            "PYTHONWARNINGS": "ignore:No directory at",  # nothing collected: served from apps
        }
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "seed_demo", "-v0"], cwd=ROOT, env=env, check=True)
        key = subprocess.run(
            [*manage, "shell", "-v0", "-c", MAKE_TOKEN],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]

        port = _free_port()
        # The server's log (every refused request is logged) is shown only if a run fails.
        server_log = Path(scratch) / "server.log"
        log = server_log.open("w")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "learning_platform.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            schema = f"http://127.0.0.1:{port}/api/schema/"
            _wait_for(schema)
            results = [
                _run(
                    "learner",
                    schema,
                    args,
                    scratch,
                    # Revoking would sign the run itself out.
                    ["-H", f"Authorization: Token {key}", "--exclude-operation-id", "token_revoke"],
                ),
                _run("anonymous", schema, args, scratch, []),
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        if any(code for _, code, _ in results):
            print("\n== server log (last 60 lines)")
            print(*server_log.read_text().splitlines()[-60:], sep="\n")
    print("\n== schemathesis totals")
    for name, code, summary in results:
        print(f"{name}: {summary}, exit {code}")
    return max(code for _, code, _ in results)


MAKE_TOKEN = (
    "from api.services import create_token; from learning_platform.demo import DEMO_LEARNER; "
    "from learning_platform.models import User; "
    "print(create_token(user=User.objects.get(username=DEMO_LEARNER.username))[1])"
)


def _run(name: str, schema: str, args, cwd: str, extra: list[str]) -> tuple[str, int, str]:
    print(f"\n== schemathesis, as {name}", flush=True)
    command = [
        str(BIN / "schemathesis"),
        "run",
        schema,
        "--checks",
        CHECKS,
        "--max-examples",
        str(args.examples),
        "--seed",
        str(args.seed),
        "--generation-database",
        "none",
        "--no-color",
        *extra,
    ]
    # In the scratch folder: schemathesis leaves a cache folder behind.
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    print(run.stdout, run.stderr, sep="", flush=True)
    return name, run.returncode, _summary(run.stdout)


def _summary(output: str) -> str:
    """Operations tested and test cases, from schemathesis's own summary."""
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"^\s*(\d+ generated, .*)$", output, re.MULTILINE)
    if not (tested and cases):
        return "no summary (see the output above)"
    return f"{tested[1]} operations, test cases: {cases[1]}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The server did not answer at {url}.")


if __name__ == "__main__":
    sys.exit(main())
