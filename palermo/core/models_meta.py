"""What many models declare in their `Meta` the same way, whichever area keeps them.

- `one_open`: at most one open row per key (one guardian per case, one placement per case, one key set in use
  per partner...): a partial unique constraint on the rows whose closing field (`ended_at`, `revoked_at`,
  `undone_at`...) is still empty. A closed row stays, as history; a new one may be opened beside it.

The constraints are those the models declared before, field for field and by name: no migration follows.
"""

from __future__ import annotations

from django.db import models


def one_open(*fields: str, closed_by: str, name: str) -> models.UniqueConstraint:
    """At most one row per `fields` whose `closed_by` is empty (`closed_by="ended_at"`, `"revoked_at"`...)."""
    return models.UniqueConstraint(
        fields=list(fields), condition=models.Q(**{f"{closed_by}__isnull": True}), name=name
    )
