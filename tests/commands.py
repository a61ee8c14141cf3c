"""Running management commands in tests, with their output."""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@dataclass
class Output:
    out: str
    err: str


def run(name: str, *args: str) -> Output:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return Output(out.getvalue(), err.getvalue())


def run_failing(name: str, *args: str) -> tuple[Output, str]:
    """Run a command that must fail; its output so far and the error message."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command(name, *args, stdout=out, stderr=err)
    return Output(out.getvalue(), err.getvalue()), str(error.value)
