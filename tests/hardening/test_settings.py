"""Production settings: DEBUG only when asked for, HTTPS, the proxy, the cache, and a clean
`check --deploy` with the README's production variables."""

import re

import pytest

from tests.settings_process import ROOT, load_settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-" + "k" * 50,
    "ALLOWED_HOSTS": "school.example.com",
    "HTTPS": "true",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
}


def _setting(tmp_path, expression, **environment):
    result = load_settings(
        f"from django.conf import settings; print(repr({expression}))", tmp_path, **environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _check_deploy(tmp_path, **environment):
    code = (
        "import sys; from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    return load_settings(code, tmp_path, **environment)


def test_the_example_environment_file_does_not_turn_debug_on():
    example = (ROOT / ".env.example").read_text()

    assert not re.search(r"^\s*DEBUG\s*=", example, re.MULTILINE)


def test_debug_is_off_unless_asked_for(tmp_path):
    assert _setting(tmp_path, "settings.DEBUG", SECRET_KEY="s" * 50) == "False"


def test_https_turns_on_redirect_hsts_and_secure_cookies(tmp_path):
    expression = (
        "(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )

    assert (
        _setting(tmp_path, expression, **PRODUCTION) == "(True, 31536000, True, True, True, True)"
    )
    assert (
        _setting(tmp_path, expression, SECRET_KEY="s" * 50)
        == "(False, 0, False, False, False, False)"
    )


@pytest.mark.parametrize(
    ("trusted", "header"),
    [(None, "None"), ("false", "None"), ("true", "('HTTP_X_FORWARDED_PROTO', 'https')")],
)
def test_the_forwarded_scheme_is_believed_only_behind_a_trusted_proxy(tmp_path, trusted, header):
    environment = PRODUCTION | ({"TRUSTED_PROXY": trusted} if trusted else {})

    assert _setting(tmp_path, "settings.SECURE_PROXY_SSL_HEADER", **environment) == header


def test_a_client_claiming_https_is_not_believed_without_a_proxy(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = None

    assert rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure() is False


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({}, "'django.core.cache.backends.locmem.LocMemCache'"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/5"},
            "'django.core.cache.backends.redis.RedisCache'",
        ),
        (
            {"CACHE_URL": "redis://127.0.0.1:6379/5"},
            "'django.core.cache.backends.redis.RedisCache'",
        ),
    ],
)
def test_redis_is_the_cache_when_named(tmp_path, environment, backend):
    assert (
        _setting(tmp_path, "settings.CACHES['default']['BACKEND']", DEBUG="true", **environment)
        == backend
    )


def test_the_deploy_check_is_clean_with_the_production_variables(tmp_path):
    result = _check_deploy(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_the_deploy_check_warns_about_each_missing_production_setting(tmp_path):
    environment = {k: v for k, v in PRODUCTION.items() if k not in ("HTTPS", "REDIS_URL")}

    result = _check_deploy(tmp_path, **environment)

    assert result.returncode != 0
    for check in ("W004", "W008", "W012", "W016", "learning_platform.W001"):
        assert check in result.stderr


@pytest.mark.parametrize("rate", ["abc", "5", "0/15m", "5/15x"])
def test_a_malformed_throttling_rate_stops_the_settings_from_loading(tmp_path, rate):
    result = load_settings("", tmp_path, DEBUG="true", LOGIN_FAILURES_PER_ACCOUNT=rate)

    assert result.returncode != 0
    assert "is not a rate" in result.stderr
