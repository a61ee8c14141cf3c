"""The production stack on one machine: migrate, collectstatic, gunicorn on a unix socket, nginx
on a port in front of it (deploy/nginx-site.conf, deploy/gunicorn.conf.py).

    python deploy/serve.py [--host 127.0.0.1] [--port 8000] [--workers 2]   # make serve
    python deploy/serve.py nginx-site --listen 80 --server-name school.example.com \\
        --socket /run/learning_platform/gunicorn.sock --static-root /srv/.../staticfiles

Runs as root or not: as root, nginx's workers run as www-data (nobody without it) and reach the
socket through its folder's group. The settings come from the environment and .env as usual,
with DEBUG=false and TRUSTED_PROXY=true (nginx sets X-Forwarded-Proto). The soak and slow-client
tests start the same stack through Stack.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
PYTHON = sys.executable
STATIC_ROOT = ROOT / "staticfiles"

MAIN_CONF = """\
# Written by deploy/serve.py for one run; the server block is deploy/nginx-site.conf.
{user}
worker_processes auto;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
daemon off;

events {{
    worker_connections 1024;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    gzip on;
    gzip_types text/css application/javascript image/svg+xml;
    access_log {run_dir}/nginx-access.log;
    client_body_temp_path {run_dir}/client_body;
    proxy_temp_path {run_dir}/proxy;
    fastcgi_temp_path {run_dir}/fastcgi;
    uwsgi_temp_path {run_dir}/uwsgi;
    scgi_temp_path {run_dir}/scgi;
    include {run_dir}/site.conf;
}}
"""


def render_site(*, listen: str, socket_path: str, static_root: str, server_name: str = "_") -> str:
    text = (DEPLOY / "nginx-site.conf").read_text()
    for name, value in {
        "LISTEN": listen,
        "SOCKET": socket_path,
        "STATIC_ROOT": static_root.rstrip("/"),
        "SERVER_NAME": server_name,
    }.items():
        text = text.replace(f"@{name}@", value)
    return text


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _secret_key_configured() -> bool:
    if os.environ.get("SECRET_KEY"):
        return True
    env_file = Path(os.environ.get("ENV_FILE", ROOT / ".env"))
    if not env_file.is_file():
        return False
    return any(
        line.strip().startswith("SECRET_KEY=") and line.strip() != "SECRET_KEY="
        for line in env_file.read_text().splitlines()
    )


def worker_user() -> tuple[str, str]:
    """The user and group nginx's workers run as when it is started as root."""
    for name in ("www-data", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return name, grp.getgrgid(entry.pw_gid).gr_name
    raise SystemExit("Running as root needs a www-data or nobody user for nginx's workers.")


class Stack:
    """nginx on host:port in front of gunicorn on a unix socket, started and stopped together."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        workers: int = 2,
        env: dict[str, str] | None = None,
        quiet: bool = False,
    ):
        self.host = host
        self.port = port or free_port(host)
        self.workers = workers
        self.quiet = quiet
        self.run_dir = Path(tempfile.mkdtemp(prefix="learning_platform-"))
        self.socket_path = self.run_dir / "gunicorn.sock"
        # Static files are collected into the run's folder, which nginx's workers can read
        # wherever the checkout lives (a folder made by mktemp is its owner's alone).
        self.static_root = self.run_dir / "static"
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "TRUSTED_PROXY": "true",
            # collectstatic's folder is served by nginx; whitenoise looks only there too.
            "WHITENOISE_USE_FINDERS": "false",
            "STATIC_ROOT": str(self.static_root),
            **(env or {}),
        }
        self.env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
        if not _secret_key_configured() and "SECRET_KEY" not in (env or {}):
            print("SECRET_KEY is not set: using a random one (sessions end with this run).")
            self.env["SECRET_KEY"] = secrets.token_urlsafe(50)
        self.gunicorn: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def manage(self, *args: str) -> None:
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
            stdout=subprocess.DEVNULL if self.quiet else None,
        )  # fmt: skip

    def start(self) -> Stack:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        if not shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin"):
            raise SystemExit("nginx is not installed (Debian: apt-get install nginx).")
        self.manage("migrate", "--no-input", "-v0" if self.quiet else "-v1")
        self.manage("collectstatic", "--no-input", "-v0")
        user_line, group_args = "", []
        if os.geteuid() == 0:
            # nginx's workers drop to this user; gunicorn gives the socket (mode 770) its group.
            user, group = worker_user()
            user_line, group_args = f"user {user} {group};", ["--group", group]
            os.chown(self.run_dir, 0, grp.getgrnam(group).gr_gid)
            self.run_dir.chmod(0o750)
        self.gunicorn = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "learning_platform.wsgi",
                "--config", str(DEPLOY / "gunicorn.conf.py"),
                "--bind", f"unix:{self.socket_path}",
                "--workers", str(self.workers),
                *group_args,
            ],
            cwd=ROOT,
            env=self.env,
            stderr=open(self.run_dir / "gunicorn.log", "ab"),  # noqa: SIM115 (the child owns it)
        )  # fmt: skip
        self._wait(lambda: self.socket_path.exists(), "gunicorn's socket", self.gunicorn)
        site = render_site(
            listen=f"{self.host}:{self.port}",
            socket_path=str(self.socket_path),
            static_root=str(self.static_root),
        )
        (self.run_dir / "site.conf").write_text(site)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(MAIN_CONF.format(user=user_line, run_dir=self.run_dir))
        self.nginx = subprocess.Popen(
            ["nginx", "-p", str(self.run_dir), "-c", str(conf), "-e", "stderr"],
            env={**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"},
        )
        self._wait(self._healthy, f"{self.url}/healthz", self.nginx)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def _wait(self, ready, what: str, process: subprocess.Popen, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if process.poll() is not None:
                raise SystemExit(f"Could not start: {what} never came up.\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise SystemExit(f"Timed out waiting for {what}.\n{self.log_tail()}")
            time.sleep(0.1)

    def log_tail(self, lines: int = 30) -> str:
        log = self.run_dir / "gunicorn.log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of its master."""
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        # nginx first (SIGQUIT: finish what it serves), then gunicorn (SIGTERM: graceful).
        for process, sig in ((self.nginx, signal.SIGQUIT), (self.gunicorn, signal.SIGTERM)):
            if process is None or process.poll() is not None:
                continue
            process.send_signal(sig)
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    # SIGTERM (systemd, timeout) stops the stack like Ctrl-C, also while it is starting.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    stack = Stack(host=args.host, port=args.port, workers=args.workers)
    try:
        stack.start()
    except KeyboardInterrupt:
        stack.stop()
        return 1
    print(f"Serving on {stack.url}/ (nginx, gunicorn with {args.workers} workers). Ctrl-C stops.")
    try:
        while True:
            if stack.gunicorn.poll() is not None or stack.nginx.poll() is not None:
                print("gunicorn or nginx stopped on its own.\n" + stack.log_tail(), file=sys.stderr)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


def nginx_site(args: argparse.Namespace) -> int:
    print(
        render_site(
            listen=args.listen,
            socket_path=args.socket,
            static_root=args.static_root,
            server_name=args.server_name,
        ),
        end="",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", 8000)), help="0: any free port"
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    site = commands.add_parser("nginx-site", help="print the nginx server block for a deployment")
    site.add_argument("--listen", default="80")
    site.add_argument("--server-name", default="_")
    site.add_argument("--socket", default="/run/learning_platform/gunicorn.sock")
    site.add_argument("--static-root", default=str(STATIC_ROOT))
    args = parser.parse_args(argv)
    return nginx_site(args) if args.command == "nginx-site" else serve(args)


if __name__ == "__main__":
    sys.exit(main())
