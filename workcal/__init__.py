"""Working-time arithmetic for legal time limits: working days, office hours, due dates.

Pure Python; imports nothing of the project and no Django.
"""

from workcal.calendar import HolidayProvider, OutOfRange, Punctuality, WorkCalendar, zone
from workcal.hours import DEFAULT_HOURS, OfficeHours
from workcal.limits import MAX_DAYS, MAX_HOURS, DayRule, Limit, LimitUnit, PauseMode
from workcal.sources import DayOverride, HolidaySet, HolidaySource, vn_holidays

__all__ = [
    "DEFAULT_HOURS",
    "MAX_DAYS",
    "MAX_HOURS",
    "DayOverride",
    "DayRule",
    "HolidayProvider",
    "HolidaySet",
    "HolidaySource",
    "Limit",
    "LimitUnit",
    "OfficeHours",
    "OutOfRange",
    "PauseMode",
    "Punctuality",
    "WorkCalendar",
    "vn_holidays",
    "zone",
]
