"""Pages of long lists.

`keyset_page` walks a list by its sort key rather than by page numbers: a page starts right
after (or ends right before) the row a link names, so the database reads one index range of a
page's length at any depth, where a page number makes it read and throw away every row before
the page. Its count is capped: knowing that there are "more than 1,000" classes is worth
reading at most 1,001 index entries, not all of them; and a list found that long is taken to
stay that long for a minute, so busy pages do not read those entries on every request.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COUNT_CAP = 1000
# How long a list counted above its cap is believed to be still above it.
CAPPED_COUNT_SECONDS = 60


@dataclass(frozen=True)
class KeysetPage:
    object_list: list
    # Cursors for the links to the page before and the page after; None where there is none.
    before: str | None
    after: str | None
    # Whether this is the first page; the last page is the one without `after`.
    is_first: bool
    count: int
    count_capped: bool

    @property
    def has_other_pages(self) -> bool:
        return not self.is_first or self.after is not None


def keyset_page(
    request: HttpRequest,
    items: QuerySet,
    per_page: int,
    *,
    key: str,
    descending: bool = False,
    cap: int | None = None,
    count: bool = True,
    count_key: str = "",
) -> tuple[KeysetPage, str]:
    """The page of `items` (sorted by the datetime field `key`, which may follow a relation such
    as "virtual_class__starts_at", then the primary key, newest first if `descending`) that the
    request's `after`, `before` or `last` parameter names, and the other query parameters.
    Without `count`, the page does not count the items. `count_key` names the list's items (the
    same key, the same items) where a count above the cap may be remembered.

    A cursor that cannot be read gives the first page.
    """
    cap = COUNT_CAP if cap is None else cap
    gt, lt = ("lt", "gt") if descending else ("gt", "lt")
    ge, le = ("lte", "gte") if descending else ("gte", "lte")
    params = request.GET
    after, before = _cursor(params.get("after")), _cursor(params.get("before"))
    if after:
        value, pk = after
        rows = items.filter(Q(**{f"{key}__{gt}": value}) | Q(**{key: value, f"pk__{gt}": pk}))
        rows = rows.filter(**{f"{key}__{ge}": value})  # an index range the planner can use
        forward, came_from_elsewhere = True, True
    elif before:
        value, pk = before
        rows = items.filter(Q(**{f"{key}__{lt}": value}) | Q(**{key: value, f"pk__{lt}": pk}))
        rows = rows.filter(**{f"{key}__{le}": value})
        forward, came_from_elsewhere = False, True
    elif "last" in params:
        rows, forward, came_from_elsewhere = items, False, False
    else:
        rows, forward, came_from_elsewhere = items, True, False
    order = (key, "pk") if forward != descending else (f"-{key}", "-pk")
    found = list(rows.order_by(*order)[: per_page + 1])
    more = len(found) > per_page
    found = found[:per_page]
    if not forward:
        found.reverse()
    if forward:
        has_before, has_after = came_from_elsewhere, more
    else:
        has_before, has_after = more, came_from_elsewhere
    if not found:
        has_before = has_after = False
    total = _capped_count(items, cap, count_key) if count else 0
    page = KeysetPage(
        object_list=found,
        before=_encode(found[0], key) if has_before else None,
        after=_encode(found[-1], key) if has_after else None,
        is_first=not has_before,
        count=min(total, cap),
        count_capped=total > cap,
    )
    return page, _other_parameters(params, "page", "after", "before", "last")


def _capped_count(items: QuerySet, cap: int, count_key: str) -> int:
    """How many items there are, up to cap + 1 (which means "more than the cap")."""
    remembered = f"keyset-count-above-{cap}:{count_key}"
    if count_key and cache.get(remembered):
        return cap + 1
    total = items.select_related(None).order_by().values("pk")[: cap + 1].count()
    if count_key and total > cap:
        cache.set(remembered, True, CAPPED_COUNT_SECONDS)
    return total


def _encode(row, key: str) -> str:
    moment = row
    for name in key.split("__"):  # a field of the row, or of a row it refers to
        moment = getattr(moment, name)
    return f"{(moment - EPOCH) // timedelta(microseconds=1)}_{row.pk}"


def _cursor(text: str | None) -> tuple[datetime, str] | None:
    if not text:
        return None
    micros, _, pk = text.partition("_")
    try:
        moment = EPOCH + timedelta(microseconds=int(micros))
    except (ValueError, OverflowError):
        return None
    if len(pk) != 24 or any(c not in "0123456789abcdef" for c in pk):
        return None
    return moment, pk


def _other_parameters(params: QueryDict, *names: str) -> str:
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
