"""Vietnam's wall clock for tests: every instant a test names is Asia/Ho_Chi_Minh time."""

from datetime import datetime
from zoneinfo import ZoneInfo

TZ_NAME = "Asia/Ho_Chi_Minh"
VN = ZoneInfo(TZ_NAME)


def vn(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """Return an aware instant read on a clock in Vietnam (UTC+7)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VN)
