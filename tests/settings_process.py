"""Loading the settings in a fresh interpreter, where only the environment given counts."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_settings(code: str, tmp_path: Path, **environment) -> subprocess.CompletedProcess:
    """Run `code` after django.setup() with no .env file and no DEBUG or SECRET_KEY inherited:
    `environment` is what the settings see."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "learning_platform.settings",
        "ENV_FILE": str(tmp_path / "no.env"),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
