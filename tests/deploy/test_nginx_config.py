import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin")


def load_serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "deploy" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve = load_serve()


def site(**overrides) -> str:
    values = {
        "listen": "127.0.0.1:8080",
        "socket_path": "/run/learning_platform/gunicorn.sock",
        "static_root": "/srv/learning_platform/staticfiles/",
    }
    return serve.render_site(**{**values, **overrides})


def test_the_site_has_no_placeholder_left():
    text = site()

    assert not re.search(r"@[A-Z_]+@", text)
    assert "listen 127.0.0.1:8080;" in text
    assert "server unix:/run/learning_platform/gunicorn.sock" in text
    assert "alias /srv/learning_platform/staticfiles/;" in text


def test_nginx_sets_x_forwarded_proto_itself():
    # Whatever the client sent is replaced: Django trusts the header only behind this proxy.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site()


def test_nginx_limits_slow_and_large_requests():
    text = site()

    assert "client_header_timeout 10s;" in text
    assert "client_max_body_size 1m;" in text
    assert "proxy_request_buffering on;" in text


@pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"),
    reason="nginx is not installed (apt-get install nginx)",
)
def test_nginx_accepts_the_configuration(tmp_path):
    (tmp_path / "site.conf").write_text(site(static_root=str(tmp_path)))
    conf = tmp_path / "nginx.conf"
    user = "user {} {};".format(*serve.worker_user()) if os.geteuid() == 0 else ""
    conf.write_text(serve.MAIN_CONF.format(user=user, run_dir=tmp_path))

    checked = subprocess.run(
        [NGINX or "nginx", "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
    )

    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
