"""Production mode refuses to start without a real secret; development needs nothing set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(tmp_path, **environment):
    """Load the settings in a fresh interpreter, with no .env file: only `environment` counts."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "learning_platform.settings",
        "ENV_FILE": str(tmp_path / "no.env"),
        **environment,
    }
    code = "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _load_settings(tmp_path, DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_mode_starts_with_a_secret_key(tmp_path):
    result = _load_settings(tmp_path, DEBUG="false", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
