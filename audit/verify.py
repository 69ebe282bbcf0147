"""Find tampering with the audit trail: each finding names the dossier and what is wrong.

1. Every dossier's keyed chain is recomputed (an edited or recomputed chain fails: the
   tamperer has no key), and the last event's state digest is compared with the applicant
   fields and step rows as they stand (dossiers.replay.audit_problems).
2. The newest checkpoint whose signature holds is compared with the dossier rows: a dossier
   gone since, fewer events or another head than it had then (rolled back), or a chain that no
   longer passes through the checkpointed head. A newer checkpoint that fails its signature is
   a finding too.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from audit.checkpoints import Checkpoint, read_latest
from dossiers.models import Dossier, DossierEvent
from dossiers.replay import audit_problems

CHUNK = 500


@dataclass
class Findings:
    problems: list[tuple[str, str]] = field(default_factory=list)
    checked: int = 0
    checkpoint: Checkpoint | None = None


def chains(progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[str, str]]:
    """Every dossier's chain and state-digest findings."""
    qs = Dossier.objects.order_by("pk")
    total = qs.count()
    for i, d in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        events = list(d.events.order_by("seq"))
        for problem in audit_problems(d, events):
            yield d.code, problem
        if progress is not None:
            progress(i, total)


def against(checkpoint: Checkpoint) -> list[tuple[str, str]]:
    """Compare the dossier rows with a checkpoint's heads."""
    name = checkpoint.path.name
    now = {
        code: (n, head)
        for code, n, head in Dossier.objects.values_list(
            "code", "event_count", "last_event_hash"
        ).iterator(chunk_size=5000)
    }
    problems: list[tuple[str, str]] = []
    grown: dict[str, tuple[int, str]] = {}
    for code, (n, head) in sorted(checkpoint.heads.items()):
        if code not in now:
            problems.append((code, f"deleted: present in checkpoint {name}, gone now"))
            continue
        n_now, head_now = now[code]
        if n_now < n:
            problems.append((code, f"rolled back: {n_now} events now, {n} at checkpoint {name}"))
        elif n_now == n and head_now != head:
            problems.append((code, f"chain head differs from checkpoint {name}"))
        elif n_now > n:
            grown[code] = (n, head)
    problems.extend(_rewritten(grown, name))
    if len(now) < checkpoint.dossier_count:
        problems.append(
            (
                "*",
                f"{len(now)} dossiers now, {checkpoint.dossier_count} at checkpoint {name}",
            )
        )
    return problems


def _rewritten(grown: dict[str, tuple[int, str]], name: str) -> Iterator[tuple[str, str]]:
    """Dossiers with events since the checkpoint: their chain must pass through its head."""
    codes = list(grown)
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        seen = {
            (code, seq): mac
            for code, seq, mac in DossierEvent.objects.filter(dossier__code__in=chunk).values_list(
                "dossier__code", "seq", "hash"
            )
        }
        for code in chunk:
            n, head = grown[code]
            if seen.get((code, n)) != head:
                yield code, f"event #{n} is not the head recorded in checkpoint {name}"


def verify_all(progress: Callable[[int, int], None] | None = None) -> Findings:
    """Run every check; return the findings (empty problems: nothing found)."""
    findings = Findings()
    findings.problems.extend(chains(progress))
    findings.checked = Dossier.objects.count()
    reading = read_latest()
    findings.problems.extend(("checkpoint", f) for f in reading.failures)
    findings.checkpoint = reading.latest
    if reading.latest is not None:
        findings.problems.extend(against(reading.latest))
    return findings
