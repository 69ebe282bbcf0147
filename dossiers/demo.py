"""Generate a year of demo history by driving the real actions with past instants.

Arrivals follow a weekday rhythm with month-end peaks and the lull after Tết; each dossier
walks its workflow with step durations drawn as fractions of their allotments, a few
supplements, refusals, withdrawals and a very small share of overruns (about 0.05% late, as
in the seed city). Nothing is inserted directly: every row comes from `dossiers.actions`.

Given a `scan` (one file admitted by the gate, demo/scans.py), online filings carry it for
every required document (the citizen uploaded them), DESK_SCANNED of the desk and post
dossiers are scanned at receipt, and RESULT_SCANNED of the results approved at the desk get a
scan of the paper result: the digitisation figures are then neither zero nor perfect.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.access import decision_position, workflow_steps
from dossiers.models import AttachmentPurpose, Channel, Dossier, ReturnMethod, Status, StepKind
from orgs.models import ONE_STOP_DESK, Role, StaffRole, Unit
from uploads.models import StoredFile
from workcal import WorkCalendar
from workdays.calendars import calendar_for

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
]
MIDDLE_M = ["Văn", "Minh", "Hữu", "Đức", "Quốc", "Thanh", "Công"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Bích"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]


@dataclass
class Staff:
    """Who plays each role where, for choosing the actor of each simulated action."""

    by_key: dict[tuple[int, str, str], User]  # (unit id, agency kind, role) -> user

    @classmethod
    def load(cls) -> "Staff":
        found: dict[tuple[int, str, str], User] = {}
        for sr in StaffRole.objects.select_related("user", "agency__kind"):
            kind = sr.agency.kind.code if sr.agency else "*"
            found.setdefault((sr.unit_id, kind, sr.role), sr.user)
        return cls(found)

    def get(self, unit_id: int, kind: str, role: str) -> User:
        """Return the holder of `role` in that agency, or unit-wide."""
        return self.by_key.get((unit_id, kind, role)) or self.by_key[(unit_id, "*", role)]


def _citizen_id(rng: random.Random) -> str:
    year = rng.randint(1950, 2006)
    female = rng.random() < 0.5
    century = (year // 100 - 19) * 2 + (1 if female else 0)
    province = rng.choice(["087", "082", "089", "079"])
    return f"{province}{century}{year % 100:02d}{rng.randint(0, 999999):06d}"


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"


def _arrivals_factor(day: date, tet: set[date]) -> float:
    factor = [1.15, 1.0, 1.0, 0.95, 1.1, 0.3, 0.0][day.weekday()]
    if day.day >= 25:
        factor *= 1.3  # month-end peak
    if any(0 < (day - t).days <= 10 for t in tet):
        factor *= 0.45  # the lull after Tết
    return factor


def _at_office(cal: WorkCalendar, day: date, rng: random.Random) -> datetime:
    hour = rng.choice([7, 8, 8, 9, 9, 10, 10, 13, 14, 14, 15, 16])
    local = datetime.combine(day, time(hour, rng.randint(0, 59)), tzinfo=cal.tz)
    return cal.next_working_start(local)


# Shares of desk/post dossiers scanned at receipt and of their results scanned (demo only).
DESK_SCANNED = 0.7
RESULT_SCANNED = 0.5


def generate(
    *,
    end: datetime,
    days: int = 365,
    per_unit_day: float = 6.0,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    scan: StoredFile | None = None,
    before_return: "Callable[[Dossier, User, datetime], None] | None" = None,
) -> int:
    """Create the history up to `end`; return the number of dossiers filed.

    With `scan`, attach it as described above (the same file to many dossiers).
    `before_return(dossier, desk, at)` is called before each result is returned (the demo
    pays the fees there: a result is not returned unpaid)."""
    rng = random.Random(seed)
    staff = Staff.load()
    citizen, _ = User.objects.get_or_create(
        username="congdan", defaults={"full_name": "Nguyễn Văn Công Dân"}
    )
    today = end.date()
    units = list(
        Unit.objects.current_at(today).filter(agencies__kind__code=ONE_STOP_DESK).distinct()
    )
    versions = list(
        ProcedureVersion.objects.published()
        .select_related("procedure")
        .prefetch_related("documents")
    )
    commune_versions = [v for v in versions if v.level == "commune"]
    province_versions = [v for v in versions if v.level == "province"]
    tet = {date(2026, 2, 17), date(2025, 1, 29), date(2027, 2, 6)}
    start_day = today - timedelta(days=days)
    plan: list[tuple[datetime, Unit, ProcedureVersion]] = []
    for unit in units:
        cal = calendar_for(unit)
        pool = province_versions if unit.parent_id is None else commune_versions
        rate = per_unit_day * (1.5 if unit.parent_id is None else 1.0)
        for offset in range(days):
            day = start_day + timedelta(days=offset)
            if not cal.is_working_day(day):
                continue
            n = int(rng.gauss(rate * _arrivals_factor(day, tet), 1.5) + 0.5)
            for _i in range(max(n, 0)):
                plan.append((_at_office(cal, day, rng), unit, rng.choice(pool)))
    plan.sort(key=lambda item: item[0])
    plan = [p for p in plan if p[0] < end]
    for i, (at, unit, version) in enumerate(plan, start=1):
        _simulate(rng, staff, citizen, unit, version, at, end, scan, before_return)
        if progress:
            progress(i, len(plan))
    return len(plan)


def _channel(rng: random.Random, version: ProcedureVersion) -> str:
    options = []
    if version.allows_desk:
        options += [Channel.DESK] * 6
    if version.allows_post:
        options += [Channel.POST]
    if version.allows_online_full or version.allows_online_partial:
        options += [Channel.ONLINE] * 4
    return str(rng.choice(options))


def _simulate(
    rng: random.Random,
    staff: Staff,
    citizen: User,
    unit: Unit,
    version: ProcedureVersion,
    at: datetime,
    end: datetime,
    scan: StoredFile | None = None,
    before_return: "Callable[[Dossier, User, datetime], None] | None" = None,
) -> None:
    cal = calendar_for(unit)
    channel = _channel(rng, version)
    desk = staff.get(unit.pk, ONE_STOP_DESK, Role.DESK_OFFICER)
    phone = f"09{rng.randint(10000000, 99999999)}"
    applicant = actions.Applicant("person", _name(rng), _citizen_id(rng), phone=phone)
    documents = [
        actions.ReceivedDocument(d.position) for d in version.documents.all() if d.required
    ]
    online = channel == Channel.ONLINE
    if online:
        # Citizens file at any hour, evenings and weekends included.
        at = at - timedelta(hours=rng.choice([0, 0, 3, 14, 40]))
    d = actions.file_dossier(
        actor=citizen if online else desk,
        version=version,
        receiving_unit=unit,
        channel=channel,
        applicant=applicant,
        documents=documents,
        at=at,
    )
    # Drawn only with a scan, so that histories without one stay what they were.
    if scan is not None and (online or rng.random() < DESK_SCANNED):
        _attach(d, scan, [doc.position for doc in documents], citizen if online else desk, at)
    t = at
    if online:
        t = cal.add(cal.next_working_start(t), timedelta(minutes=rng.randint(10, 360)))
        if t >= end:
            return
        roll = rng.random()
        if roll < 0.01:
            actions.refuse(d, actor=desk, at=t, reason="Hồ sơ không thuộc thẩm quyền giải quyết")
            return
        d = actions.accept(d, actor=desk, at=t)
    supplemented = False
    withdraw_at = rng.random() < 0.004
    overrun = rng.random() < 0.0006
    decider = decision_position(d)
    steps = workflow_steps(d)
    while d.status == Status.IN_PROGRESS:
        step = d.current_step
        assert step is not None
        fraction = rng.uniform(0.15, 0.85)
        # Offices plan against the appointment: squeeze the remaining steps into the time
        # left (a same-day procedure received at 14:00 has three hours, not eight).
        budget = sum(float(s.hours) for s in steps[step.position - 1 :])
        assert d.due_at is not None
        available = cal.between(max(t, step.started_at), d.due_at).total_seconds() / 3600
        fraction *= min(1.0, max(available, 0.0) / budget) if budget else 1.0
        if overrun and step.role == Role.SPECIALIST:
            fraction = rng.uniform(3.0, 5.0)
            overrun = False
        t = cal.add(
            max(t, step.started_at),
            timedelta(hours=float(step.allotted_hours * Decimal(str(fraction)))),
        )
        if t >= end:
            return
        actor = staff.get(step.agency.unit_id, step.agency.kind.code, step.role)
        if withdraw_at and step.position == 2:
            actions.stop(d, actor=desk, at=t, reason="Người nộp đề nghị rút hồ sơ")
            return
        if not supplemented and step.role == Role.SPECIALIST and rng.random() < 0.03:
            supplemented = True
            d = actions.request_supplement(
                d,
                actor=actor,
                at=t,
                reason="Hồ sơ chưa đầy đủ",
                missing_documents=["Bản sao giấy tờ chứng minh nơi cư trú"],
            )
            t = cal.add(t, timedelta(hours=rng.uniform(4, 40)))
            if t >= end:
                return
            d = actions.supplement(d, actor=desk, at=t)
            continue
        if step.position == decider:
            if rng.random() < 0.01:
                d = actions.refuse_result(
                    d, actor=actor, at=t, reason="Không đủ điều kiện theo quy định"
                )
            else:
                d = actions.approve(d, actor=actor, at=t)
                if scan is not None and not online and rng.random() < RESULT_SCANNED:
                    _attach(d, scan, [None], desk, t, AttachmentPurpose.RESULT)
        else:
            d = actions.forward(d, actor=actor, at=t, **_step_content(d, staff, t))
    if d.status == Status.RESULT_READY:
        t = cal.add(t, timedelta(hours=rng.uniform(0.5, 16)))
        if t < end:
            if before_return is not None:
                before_return(d, desk, t)
            method = ReturnMethod.ONLINE if online else ReturnMethod.DESK
            actions.return_result(
                d, actor=desk, at=t, return_method=method, collector_name=d.applicant_name
            )


def _step_content(d: Dossier, staff: Staff, t: datetime) -> dict[str, Any]:
    """What forwarding from the dossier's current step records: the specialist the leader
    assigns, the specialist's opinion, the number the clerk gives the result."""
    step = d.current_step
    assert step is not None
    if step.kind == StepKind.ASSIGN:
        ws = workflow_steps(d)[step.position]
        return {"assignee": staff.get(d.competent_unit_id, ws.agency_kind.code, ws.role)}
    if step.kind == StepKind.APPRAISE:
        return {"comment": "Hồ sơ đầy đủ, hợp lệ; đề nghị giải quyết theo quy định."}
    if step.kind == StepKind.ISSUE:
        return {
            "result_number": str(d.pk),
            "result_symbol": "GXN-UBND",
            "result_date": timezone.localdate(t),
        }
    return {}


def _attach(
    d: Dossier,
    scan: StoredFile,
    positions: list[int | None],
    by: User,
    at: datetime,
    purpose: str = AttachmentPurpose.INTAKE,
) -> None:
    for position in positions:
        actions.attach_file(d, scan, document=position, purpose=purpose, by=by, at=at)
