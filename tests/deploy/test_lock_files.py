"""The lock files in requirements/ must hold every dependency pyproject.toml names, at a version
it allows: installs read only the lock files, so a dependency added without `make lock` would
be missing from every install."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.M)
HASHED_PIN = re.compile(r"^[A-Za-z0-9._-]+==[^\s;\\]+(?: ;[^\\\n]*)? \\\n\s+--hash=sha256:", re.M)
LOCKS = {
    "run.txt": [],
    "serve.txt": ["postgres", "mongodb"],
    "dev.txt": list(PROJECT["optional-dependencies"]),
}


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def declared(extras: list[str]) -> list[Requirement]:
    names = PROJECT["dependencies"] + [
        dependency for extra in extras for dependency in PROJECT["optional-dependencies"][extra]
    ]
    return [Requirement(name) for name in names]


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_file_pins_every_dependency_at_an_allowed_version(lock):
    pinned = pins(lock)

    wrong = []
    for requirement in declared(LOCKS[lock]):
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement} (locked: {version})")

    assert not wrong, f"requirements/{lock} is out of date, run `make lock`: {wrong}"


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_has_a_hash(lock):
    text = (ROOT / "requirements" / lock).read_text()

    assert PIN.findall(text)
    assert len(HASHED_PIN.findall(text)) == len(PIN.findall(text))
