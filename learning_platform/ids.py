"""Public identifiers: 24-character lowercase hex strings in MongoDB ObjectId form.

The application generates them (not the database), so records keep the same ids on SQLite,
PostgreSQL and MongoDB, and can be moved between them.
"""

from bson import ObjectId
from django.db import models


def is_object_id(text: str) -> bool:
    """Whether `text` is an id in the form this project gives: 24 lowercase hex characters."""
    return len(text) == 24 and all(char in "0123456789abcdef" for char in text)


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
