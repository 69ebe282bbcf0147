"""The shapes a tile of the operations centre's wall is made of (ADR 29).

Pure data: a provider in any domain app (stats, field reports...) builds `Tile`s from a
`WallScope`; `ioc.wall` calls the providers listed in `settings.WALL_TILES` and renders
them. Nothing here knows a model, so every app may import it whatever its layer.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One number on a tile: its label, value (None: nothing to compute yet) and unit."""

    label: str
    value: int | Decimal | None
    unit: str = ""  # "%" for a rate, "" for a count
    href: str = ""  # the list behind the number, if any
    alert: bool = False  # drawn as a warning (e.g. overdue dossiers)


@dataclass(frozen=True)
class Tile:
    """A group of figures under one title, with an optional note (a definition, a source)."""

    key: str
    title: str
    figures: list[Figure]
    note: str = ""


@dataclass
class WallScope:
    """What every provider is asked about: a unit with everything below it, at an instant.

    `memo` lets providers of one app share a query within one snapshot (e.g. the month's
    report read once for the intake and the on-time tiles).
    """

    unit: Any  # orgs.models.Unit
    unit_ids: list[int]  # the unit and its subtree
    at: datetime
    today: date
    memo: dict[str, Any] = field(default_factory=dict)
