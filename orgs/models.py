"""Administrative units, the agencies inside them, and the roles staff hold there.

The hierarchy is data: a unit points at its parent and at the unit it merged into, and its
`kind` is only a label. No code branches on a level.
"""

from datetime import date, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.validate import tax_code_problem
from workcal import OfficeHours


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally governed city")
    DISTRICT = "district", _("District")
    DISTRICT_CITY = "district_city", _("Provincial city")
    TOWN = "town", _("Town")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    SPECIAL_ZONE = "special_zone", _("Special zone")


def validate_office_hours(value: str) -> None:
    try:
        OfficeHours.parse(value)
    except ValueError as exc:
        raise ValidationError(
            _("Invalid office hours: %(value)s. A valid example: 07:00-11:30,13:30-17:00"),
            params={"value": value},
        ) from exc


def validate_tax_code(value: str) -> None:
    problem = tax_code_problem(value)
    if problem is not None:
        raise ValidationError(problem.say(gettext))


class UnitQuerySet(models.QuerySet["Unit"]):
    def current_at(self, day: date) -> "UnitQuerySet":
        """Units in force on `day`."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def in_force_between(self, start: date, end: date) -> "UnitQuerySet":
        """Units in force on at least one day of [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start)
        )

    def by_code(self, code: str, on: date | None = None) -> "Unit | None":
        """Return the unit that bore `code` on `on` (the current one when None)."""
        if on is None:
            return self.filter(code=code, valid_until__isnull=True).first()
        return self.filter(code=code).current_at(on).first()

    def by_code_between(self, code: str, start: date, end: date) -> "Unit | None":
        """Return the unit that bore `code` during [start, end]: the one in force on its last
        day, else the latest one in force on some day of it (a reused code, ADR 1)."""
        at_end = self.by_code(code, on=end)
        if at_end is not None:
            return at_end
        candidates = self.filter(code=code).in_force_between(start, end)
        return candidates.order_by(models.F("valid_until").desc(nulls_first=True)).first()


class Unit(models.Model):
    """A province, ward, commune or (historically) district-level unit."""

    # Official codes are reused: a merged ward may keep the code of one of the units merged
    # into it (Decision 19/2025/QĐ-TTg). A code is unique among current units, and
    # `by_code(code, on=day)` resolves it for any date.
    code = models.CharField(_("unit code"), max_length=20, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys "/1/7/": subtree queries (scoping, statistics) are
    # one indexed prefix match instead of a recursive walk.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The new unit after a reorganisation or merger."),
    )
    office_hours = models.CharField(
        _("office hours"),
        max_length=100,
        default="07:00-11:30,13:30-17:00",
        validators=[validate_office_hours],
    )
    intake_cutoff = models.TimeField(
        _("intake cut-off"),
        null=True,
        blank=True,
        default=time(15, 0),
        help_text=_("Paper dossiers received after this time count from the next working day."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The collecting organisation's tax code printed on its fee receipts (Decree 254/2026
    # art. 23.2); blank: the deployment's RECEIPT_TAX_CODE (payments.receipt.tax_code_of).
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=_(
            "The unit's tax code as the collecting organisation on fee receipts; blank uses "
            "the deployment's RECEIPT_TAX_CODE."
        ),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_(
            "Leaders, unit administrators and system administrators of this unit must enter a "
            "code from an authenticator app after their password."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            # API, import and intake resolve a bare code to the unit in force.
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_until__isnull=True), name="unit_code_current"
            ),
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            if self.pk is None:
                # The path holds the primary key, known only after the insert.
                super().save(*args, **kwargs)
                self.path = self.computed_path()
                Unit.objects.filter(pk=self.pk).update(path=self.path)
                return
            old_path = self.path
            self.path = self.computed_path()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
            super().save(*args, **kwargs)
            if old_path != self.path:
                # A moved unit carries its subtree along.
                for child in Unit.objects.filter(parent=self):
                    child.save()

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("The parent unit would create a cycle.")})
                ancestor = ancestor.parent
        if self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot be its own successor.")})

    def computed_path(self) -> str:
        prefix = self.parent.path if self.parent is not None else "/"
        return f"{prefix}{self.pk}/"

    @property
    def hours(self) -> OfficeHours:
        return OfficeHours.parse(self.office_hours)

    def ancestor_ids(self) -> list[int]:
        """Return the primary keys from the root down to this unit's parent."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]


class AgencyKind(models.Model):
    """A kind of agency (one-stop desk, justice office...), named by the workflow steps."""

    code = models.SlugField(_("kind code"), max_length=40, unique=True)
    name = models.CharField(_("kind name"), max_length=200)

    class Meta:
        verbose_name = _("agency kind")
        verbose_name_plural = _("agency kinds")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


ONE_STOP_DESK = "one_stop_desk"


class Agency(models.Model):
    """An office inside a unit: its one-stop desk, a specialist office, its leadership."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agencies"
    )
    kind = models.ForeignKey(AgencyKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    code = models.CharField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("agency name"), max_length=255)
    is_active = models.BooleanField(_("in operation"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["unit__path", "name"]
        constraints = [
            # Workflow steps resolve "the <kind> of unit U" to exactly one active agency.
            models.UniqueConstraint(
                fields=["unit", "kind"],
                condition=Q(is_active=True),
                name="agency_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.unit.name}"


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Desk officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Clerk")
    IOC_VIEWER = "ioc_viewer", _("IOC viewer")
    INSPECTOR = "inspector", _("Inspector")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    SYSADMIN = "sysadmin", _("System administrator")


# Roles that watch or administer a unit see everything below it too; roles that act on
# dossiers act only where they are posted.
SUBTREE_ROLES = frozenset({Role.IOC_VIEWER, Role.INSPECTOR, Role.UNIT_ADMIN, Role.SYSADMIN})
# Roles that sign results or administer a unit: a unit with `require_two_factor` asks them for
# a code after the password (orgs.access.requires_two_factor).
TWO_FACTOR_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN, Role.SYSADMIN})


class StaffRole(models.Model):
    """One role a person holds in one unit, optionally in one agency of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff_roles"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_roles",
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(agency__isnull=True),
                name="staffrole_unique_unit_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="staffrole_unique_in_agency",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency.name if self.agency else self.unit.name
        return f"{self.get_role_display()} — {where}"

    def clean(self) -> None:
        both = self.agency_id is not None and self.unit_id is not None
        if both and self.agency is not None and self.agency.unit_id != self.unit_id:
            raise ValidationError({"agency": _("The agency must belong to the selected unit.")})
