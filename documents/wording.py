"""How the papers write dates, instants and issuers (Decree 30/2020/NĐ-CP on official writing)."""

from datetime import date, datetime

from django.utils import timezone

from orgs.models import Unit

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"


def vn_date(value: date | datetime) -> str:
    """Write a date as official papers do: "ngày 05 tháng 01 năm 2026", "ngày 15 tháng 4 năm 2026".

    Decree 30/2020 (Appendix I, II.5): days below 10 and months 1 and 2 take a leading zero,
    other months none.
    """
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def vn_instant(value: datetime | None) -> str:
    """Write an instant as the forms do: "17 giờ 00 phút, ngày 05 tháng 01 năm 2026"."""
    if value is None:
        return "…"
    at = timezone.localtime(value)
    return f"{at:%H} giờ {at:%M} phút, {vn_date(at)}"


def committee(unit: Unit) -> str:
    """The People's Committee of a unit, as an issuer's parent line: "UBND PHƯỜNG AN BÌNH"."""
    return f"UBND {unit.name.upper()}"


def place_name(unit: Unit) -> str:
    """The place written before the date: the unit's own name ("Phường An Bình")."""
    return unit.name
