"""In-app notices, and their emails with full links (docs/decisions/0033). An area says what happened with a
kind it registered (`notice_kind`), the case's reference and the path to look at; never a name or any other
personal data. Each notice counts towards its reader's unread count (`User.unread_notices`), changed only
here, with the notice, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from palermo.accounts import notices as mail
from palermo.accounts.models import Notice, User
from palermo.accounts.notice_kinds import KINDS
from palermo.audit.services import audit_record


@transaction.atomic
def notices_send(
    *, user_ids: Iterable[int], kind: str, reference: str, path: str, email: bool = True
) -> list[Notice]:
    """A notice to each active account among `user_ids`, and (unless `email` is false: the caller emails them
    itself) an email to each, sent by the worker once this commits, with the full link."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a registered notice kind")
    ids = sorted(set(User.objects.filter(pk__in=set(user_ids), is_active=True).values_list("pk", flat=True)))
    if not ids:
        return []
    now = timezone.now()
    notices = Notice.objects.bulk_create(
        [Notice(user_id=pk, kind=kind, reference=reference, path=path, created_at=now) for pk in ids]
    )
    User.objects.filter(pk__in=ids).update(unread_notices=F("unread_notices") + 1)
    audit_record(
        actor=None, action="notice.create", tier=0, object_type="notice", reason=f"{kind}; {len(ids)} readers"
    )
    if email:
        notice_ids = [notice.pk for notice in notices]
        transaction.on_commit(lambda: [mail.send_notice_email.enqueue(pk) for pk in notice_ids])
    return notices


@transaction.atomic
def notice_read(*, user: User, notice: Notice) -> Notice:
    """Mark one of one's own notices read (again is nothing)."""
    if notice.user_id != user.pk:
        raise ValueError("a notice is read by its own reader only")
    if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now()):
        User.objects.filter(pk=user.pk, unread_notices__gt=0).update(unread_notices=F("unread_notices") - 1)
        audit_record(actor=user, action="notice.read", tier=0, object_type="notice", object_id=str(notice.pk))
    notice.refresh_from_db(fields=["read_at"])
    return notice


@transaction.atomic
def notices_read_all(*, user: User) -> int:
    count = Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    User.objects.filter(pk=user.pk).update(unread_notices=0)
    if count:
        audit_record(actor=user, action="notice.read_all", tier=0, object_type="notice", reason=f"{count}")
    return count
