"""The tracking book's entry number, taken once, when a dossier is received."""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.actions.errors import Conflict
from dossiers.models import BookCounter, Dossier


def _enter_in_book(dossier: Dossier, at: datetime) -> None:
    """Give the dossier the next entry of its receiving unit's book for the year of receipt.

    Called inside the transaction that receives the dossier; the counter row's lock
    serialises two desks receiving at once, as `_next_code` does for codes. A dossier that
    already has an entry keeps it (a received dossier is entered once).
    """
    if dossier.book_entry is not None:
        return
    volume = timezone.localtime(at).year
    table = BookCounter._meta.db_table
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE unit_id = %s AND volume = %s "  # noqa: S608
                "RETURNING last",
                [dossier.receiving_unit_id, volume],
            )
            row = cursor.fetchone()
        if row is not None:
            dossier.book_volume, dossier.book_entry = volume, row[0]
            return
        try:
            with transaction.atomic():
                BookCounter.objects.create(unit_id=dossier.receiving_unit_id, volume=volume, last=1)
            dossier.book_volume, dossier.book_entry = volume, 1
            return
        except IntegrityError:
            continue  # another desk opened this volume first
    raise Conflict(_("Could not take a tracking book entry; please try again."))
