"""Public identifiers: 24-character lowercase hex strings in MongoDB ObjectId form.

The application generates them (not the database), so records keep the same ids on SQLite,
PostgreSQL and MongoDB, and can be moved between them.
"""

import re

from bson import ObjectId
from django.core.exceptions import ValidationError
from django.db import models

OBJECT_ID = re.compile(r"[0-9a-f]{24}")


class InvalidObjectId(ValidationError, ValueError):
    """A string that cannot be a record id. A ValidationError, so forms and the admin show it
    as a bad choice; a ValueError, so Django's lookups that expect one treat it as such."""

    def __init__(self, value):
        super().__init__("“%(value)s” is not a valid id.", code="invalid", params={"value": value})


def is_object_id(value) -> bool:
    """Whether `value` is an id in the form this project gives: 24 lowercase hex characters."""
    return isinstance(value, str) and OBJECT_ID.fullmatch(value) is not None


def new_object_id() -> str:
    return str(ObjectId())


class ObjectIdField(models.CharField):
    """A primary key holding a generated ObjectId string."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("default", new_object_id)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # Every lookup goes through here (get_prep_value), for this key and the foreign keys
        # that point at it: a malformed id is refused before the database sees it (PostgreSQL
        # fails on a NUL byte, for one).
        if value is None or isinstance(value, ObjectId):
            return None if value is None else str(value)
        value = super().to_python(value)
        if not is_object_id(value):
            raise InvalidObjectId(value[:40])
        return value


@ObjectIdField.register_lookup
class ObjectIdIn(models.lookups.In):
    """`pk__in=[...]`: a malformed id in the list matches nothing, as an unknown one would.
    Lists like the admin's selected rows or an autocomplete's chosen values come from the
    client; one bad entry must not cost the whole page."""

    def get_prep_lookup(self):
        if isinstance(self.rhs, list | tuple | set | frozenset):
            self.rhs = [
                value for value in self.rhs if not isinstance(value, str) or is_object_id(value)
            ]
        return super().get_prep_lookup()
