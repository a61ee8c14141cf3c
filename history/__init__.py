"""The append-only record of what happened: every rule that changes something calls `record`."""


def record(**kwargs):
    """Append one entry to the log (and the messages it calls for); see history.services.record."""
    from history.services import record as _record

    return _record(**kwargs)


def record_each(**kwargs):
    """One entry per class for the same action; see history.services.record_each."""
    from history.services import record_each as _record_each

    return _record_each(**kwargs)
