"""Public identifiers: 24-character lowercase hex strings in MongoDB ObjectId form.

The application generates them (not the database), so records keep the same ids on SQLite,
PostgreSQL and MongoDB, and can be moved between them.
"""

from bson import ObjectId
from django.db import models


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
