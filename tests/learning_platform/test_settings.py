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


MAIL_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, "
    "s.EMAIL_HOST_PASSWORD, s.DEFAULT_FROM_EMAIL, sep='|')"
)


def test_mail_goes_to_the_console_when_no_email_url_is_set(tmp_path):
    result = load_settings(MAIL_SETTINGS, tmp_path, DEBUG="true")

    assert result.returncode == 0, result.stderr
    backend, *_, sender = result.stdout.strip().split("|")
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert sender == "Hablamos <noreply@localhost>"


def test_an_smtp_tls_email_url_configures_smtp_with_starttls(tmp_path):
    result = load_settings(
        MAIL_SETTINGS,
        tmp_path,
        DEBUG="true",
        EMAIL_URL="smtp+tls://mailer:s%40cret@smtp.example.com:587",
        DEFAULT_FROM_EMAIL="School <school@example.com>",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "587",
        "True",
        "mailer",
        "s@cret",
        "School <school@example.com>",
    ]
