from rest_framework.pagination import CursorPagination


class _Cursor(CursorPagination):
    """Deep pages cost what the first one does: the cursor is a position in an index, never an
    offset, and no page counts the whole list."""

    page_size = 20
    page_size_query_param = "pageSize"
    max_page_size = 100


class ActivityCursor(_Cursor):
    ordering = ("-created_at", "-pk")  # the (user, -created_at) indexes


class ClassCursor(_Cursor):
    ordering = ("starts_at", "pk")  # the (status, starts_at) index
