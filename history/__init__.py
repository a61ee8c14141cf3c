"""The append-only record of what happened: every rule that changes something calls `record`."""


def record(**kwargs):
    """Append one entry to the log (and the messages it calls for); see history.services.record."""
    from history.services import record as _record

    return _record(**kwargs)


def new_entry(**kwargs):
    """An entry for `record`'s arguments, not yet saved; see history.services.new_entry."""
    from history.services import new_entry as _new_entry

    return _new_entry(**kwargs)


def recorded(entry):
    """Call once an entry from `new_entry` is inserted; see history.services.recorded."""
    from history.services import recorded as _recorded

    return _recorded(entry)


def record_each(**kwargs):
    """One entry per class for the same action; see history.services.record_each."""
    from history.services import record_each as _record_each

    return _record_each(**kwargs)
