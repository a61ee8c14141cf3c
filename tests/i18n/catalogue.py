"""A reader for the project's .po catalogue, enough for the tests (no dependency needed)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """As gettext's compiled catalogue names it: context and message joined by \\x04."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path) -> list[Entry]:
    """The catalogue's live entries (the header and obsolete `#~` entries left out)."""
    entries, entry, target = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry.msgid:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, quoted = line.partition(" ")
            target = keyword
            if keyword.startswith("msgstr["):
                entry.msgstr[int(keyword[7:-1])] = ""
            _append(entry, target, ast.literal_eval(quoted))
    return entries


def _append(entry: Entry, target: str, text: str) -> None:
    if target == "msgstr":
        entry.msgstr[0] = entry.msgstr.get(0, "") + text
    elif target.startswith("msgstr["):
        index = int(target[7:-1])
        entry.msgstr[index] += text
    elif target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif target == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        entry.msgid += text
