"""Seed the demo province: units, staff, the procedure catalog and announced day swaps."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from catalog.actions import import_records
from catalog.io import read_catalog
from citizens.demo import create_citizens
from demo.forms import attach_demo_forms
from orgs.demo import DEMO_PASSWORD, create_staff, load_units
from orgs.models import AgencyKind
from surveys.demo import seed_demo_campaign
from workdays.models import DayOverride

CATALOG_FILE = "catalog/demo/procedures.json"

# Announced arrangements the holidays package does not hold (DOMAIN.md §3).
ANNOUNCED = [
    (date(2026, 1, 2), False, "Nghỉ Tết Dương lịch 2026 (hoán đổi với thứ Bảy 10/01/2026)"),
    (date(2026, 1, 10), True, "Làm bù cho ngày nghỉ 02/01/2026"),
]


class Command(BaseCommand):
    help = "Create the demo province with its staff and catalog, and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print logins")

    def handle(self, *args: Any, **options: Any) -> None:

        with transaction.atomic():
            units = load_units()
            for day, working, reason in ANNOUNCED:
                DayOverride.objects.update_or_create(
                    day=day,
                    unit=None,
                    defaults={
                        "working": working,
                        "reason": reason,
                        "reference": "Thông báo của Bộ Nội vụ về lịch nghỉ Tết 2026",
                    },
                )
            report = read_catalog(
                (settings.BASE_DIR / CATALOG_FILE).read_bytes(),
                CATALOG_FILE,
                known_agency_kinds=set(AgencyKind.objects.values_list("code", flat=True)),
            )
            if not report.ok:
                for where, message in report.errors:
                    self.stderr.write(f"{where}: {message}")
                raise SystemExit("The demo catalog is invalid.")
            result = import_records(report.records)
            logins = create_staff(timezone.localdate())
            citizens = create_citizens(DEMO_PASSWORD, timezone.now())
            forms = attach_demo_forms()
            seed_demo_campaign(timezone.now())
        self.stdout.write(
            f"Demo: {len(units)} đơn vị hiện hành, {len(report.records)} thủ tục "
            f"({result.created} mới, {forms} mẫu tờ khai), {len(logins)} tài khoản."
        )
        if options["quiet_logins"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD})")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role:<22} {login.where}")
        self.stdout.write("")
        self.stdout.write(
            f"Công dân (đăng nhập tại /tai-khoan/dang-nhap/, mật khẩu chung: {DEMO_PASSWORD})"
        )
        for person in citizens:
            state = "số định danh đã xác nhận" if person.vouched else "chưa xác nhận số định danh"
            self.stdout.write(f"  {person.phone}  {person.full_name:<22} {state}")
        self.stdout.write(
            "  VNeID (nhà cung cấp định danh cục bộ, http://127.0.0.1:8010): bấm "
            "“Đăng nhập bằng VNeID” và chọn một danh tính thử nghiệm."
        )
