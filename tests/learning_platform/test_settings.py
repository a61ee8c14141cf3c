"""Production mode refuses to start without a real secret; development needs nothing set."""

from tests.settings_process import load_settings


def _load_settings(tmp_path, **environment):
    return load_settings(
        "from django.conf import settings; print(settings.DEBUG)", tmp_path, **environment
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _load_settings(tmp_path, DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_mode_starts_with_a_secret_key(tmp_path):
    result = _load_settings(tmp_path, DEBUG="false", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
