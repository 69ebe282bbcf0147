"""The version in force of a procedure, by code, cached per process for a few seconds.

Every intake (benchmark P1) resolves its procedure code. Publishing a version in this process
is seen at once (signals below); in another process within `lib.ttl.DEFAULT_TTL` seconds, as
if the request had started that much earlier (docs/adr/0010-per-process-lookup-caches.md).
A published version never changes otherwise. Cached rows are shared: never change them.
"""

from django.db.models.signals import post_delete, post_save

from catalog.models import Procedure, ProcedureVersion
from lib.ttl import TtlCache

_published: TtlCache[ProcedureVersion] = TtlCache("published-versions")

for _model in (Procedure, ProcedureVersion):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _published.clear, sender=_model, dispatch_uid=f"published-{_model.__name__}"
        )


def published_version(code: str) -> ProcedureVersion | None:
    """Return the published version of procedure `code` with its procedure, or None."""
    return _published.get(
        code,
        lambda: (
            ProcedureVersion.objects.published()
            .select_related("procedure")
            .filter(procedure__code=code)
            .first()
        ),
    )
