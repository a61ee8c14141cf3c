"""The systemd units and the README's production recipe: every housekeeping command has a timer,
and the cron lines list the same commands."""

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
README = (ROOT / "README.md").read_text()


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNITS / name)
    return parser


def commands(service: str) -> list[str]:
    lines = (UNITS / service).read_text().splitlines()
    return [re.search(r"manage\.py (\w+)", line)[1] for line in lines if "manage.py" in line]


@pytest.mark.parametrize(
    ("timer", "schedule", "expected"),
    [
        ("learning-platform-housekeeping", "hourly", ["close_past_classes", "clearsessions"]),
        ("learning-platform-notifications", "minutely", ["send_notifications"]),
    ],
)
def test_each_timer_starts_its_service_on_schedule(timer, schedule, expected):
    assert unit(f"{timer}.timer")["Timer"]["OnCalendar"] == schedule
    assert unit(f"{timer}.timer")["Install"]["WantedBy"] == "timers.target"
    assert unit(f"{timer}.service")["Service"]["Type"] == "oneshot"
    assert commands(f"{timer}.service") == expected


def test_the_recipe_enables_every_timer():
    enable = re.search(r"systemctl enable --now ((?:[^\n]*\\\n)*[^\n]+)", README)[1]

    for timer in sorted(UNITS.glob("*.timer")):
        assert timer.name in enable


def test_the_cron_lines_send_notifications_every_minute_beside_close_past_classes():
    cron = re.compile(r"^\s*[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+ .*manage\.py (\w+)", re.M)
    lines = [(match[0], match[1]) for match in cron.finditer(README)]
    closing = [line for line, command in lines if command == "close_past_classes"]
    sending = [line for line, command in lines if command == "send_notifications"]

    assert len(closing) == 2  # the commands' section and the production recipe
    assert len(sending) == len(closing)
    assert all(line.strip().startswith("* * * * *") for line in sending)
