"""Progress of batched commands: a bar redrawn in place on a terminal, plain lines otherwise.

It writes to the command's stderr, so it never mixes with data written to stdout (an export).
"""

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30


class Progress:
    def __init__(self, stream: OutputWrapper, *, label: str, total: int | None, verbosity: int):
        self.stream = stream
        self.label = label
        self.total = total
        self.done = 0
        self.enabled = verbosity >= 1
        self.on_terminal = stream.isatty()

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        if self.on_terminal:
            self.stream.write(f"\r{self._line()}", ending="")
            self.stream.flush()
        else:
            self.stream.write(self._line())

    def finish(self) -> None:
        if self.enabled and self.on_terminal and self.done:
            self.stream.write("")

    def _line(self) -> str:
        if not self.total:
            return f"{self.label}: {self.done:,}"
        share = min(self.done / self.total, 1)
        if self.on_terminal:
            filled = round(share * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            return f"{self.label} [{bar}] {self.done:,}/{self.total:,}"
        return f"{self.label}: {self.done:,}/{self.total:,} ({share:.0%})"
