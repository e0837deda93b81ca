"""One way to count queries in a test, and to see them when a count is wrong.

- A fixed number: pytest-django's ``django_assert_num_queries(n)`` / ``django_assert_max_num_queries(n)``
  fixtures (they list the queries on failure).
- A number that must not grow with the data ("as many queries for 60 cases as for 5"): capture both with
  ``Queries()`` and compare with ``assert_same_queries(few, many)``, which lists both runs on failure::

      with Queries() as few:
          client.get(url)
      add_more_records()
      with Queries() as many:
          client.get(url)
      assert_same_queries(few, many)

  or, for "as many queries for 30 cases as for 3", ``assert_constant_queries(request, add)``.

``Queries`` is Django's ``CaptureQueriesContext`` on the default database: ``len(q)`` is the count and
``q.sql`` the statements, for tests that check what was (not) read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Queries(CaptureQueriesContext):
    def __init__(self) -> None:
        super().__init__(connection)

    @property
    def sql(self) -> list[str]:
        return [query["sql"] for query in self.captured_queries]

    def listing(self) -> str:
        return "\n".join(f"  {number}. {sql}" for number, sql in enumerate(self.sql, start=1))


def assert_same_queries(few: Queries, many: Queries) -> None:
    """The second run made exactly as many queries as the first; if not, both are listed."""
    assert len(many) == len(few), (
        f"{len(few)} queries, then {len(many)} with more data:\n"
        f"first run:\n{few.listing()}\nsecond run:\n{many.listing()}"
    )


def assert_constant_queries(
    request: Callable[[], Any], add: Callable[[int], Any], *, few: int = 3, many: int = 30
) -> Any:
    """The read `request()` costs as many queries with `many` cases as with `few` (`add(n)` adds n cases);
    the first call, before counting, warms the session's caches. Returns the last call's answer."""
    add(few)
    request()
    with Queries() as first:
        request()
    add(many - few)
    with Queries() as second:
        answer = request()
    assert_same_queries(first, second)
    return answer
