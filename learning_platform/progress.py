"""Progress of batched commands: a bar redrawn in place on a terminal, plain lines otherwise.

It writes to the command's stderr, so it never mixes with data written to stdout (an export),
without the red Django gives stderr on a terminal: progress is not an error.
"""

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30


def _plain(text: str) -> str:
    return text


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
        if self.total:
            self.done = min(self.done, self.total)  # the last batch may be short
        if not self.enabled:
            return
        if self.on_terminal:
            self.stream.write(f"\r{self._line()}", ending="", style_func=_plain)
            self.stream.flush()
        else:
            self.stream.write(self._line(), style_func=_plain)

    def finish(self) -> None:
        if self.enabled and self.on_terminal and self.done:
            self.stream.write("", style_func=_plain)  # end the line the bar was redrawn on
        self.enabled = False

    def _line(self) -> str:
        if not self.total:
            return f"{self.label}: {self.done:,}"
        share = min(self.done / self.total, 1)
        if self.on_terminal:
            filled = round(share * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            return f"{self.label} [{bar}] {self.done:,}/{self.total:,}"
        return f"{self.label}: {self.done:,}/{self.total:,} ({share:.0%})"


class TableProgress:
    """One progress bar per table a command walks in turn (the audit: users, then classes)."""

    def __init__(self, stream: OutputWrapper, *, totals: dict[str, int], verbosity: int):
        self.stream, self.totals, self.verbosity = stream, totals, verbosity
        self.current: Progress | None = None

    def __call__(self, table: str, rows: int) -> None:
        if self.current is None or self.current.label != table:
            self.finish()
            self.current = Progress(
                self.stream, label=table, total=self.totals.get(table), verbosity=self.verbosity
            )
        self.current.advance(rows)

    def finish(self) -> None:
        if self.current is not None:
            self.current.finish()
