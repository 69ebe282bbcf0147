"""The Vietnamese wording seeded for each event (editable afterwards in the admin).

One text per event serves SMS, Zalo (its values fill the approved ZNS template), e-mail and the
in-app list; e-mail adds a subject. Kept short: with diacritics an SMS part holds 70 characters
(67 when concatenated), so most of these take two or three parts.
"""

from typing import Any

SUBJECT = "[Một cửa] Hồ sơ {code}"
# {lookup}: the digits-only number the automated hotline asks for (hotline/, ADR 26).
RECEIVED = (
    "Hồ sơ {code} đã được tiếp nhận tại {unit}. Hẹn trả kết quả: {due}. "
    "Số tra cứu qua tổng đài: {lookup}."
)

TEXTS: dict[str, tuple[str, str]] = {
    # event: (email subject, text)
    "submit": (
        SUBJECT,
        "Hồ sơ {code} ({procedure}) đã được nộp trực tuyến, chờ tiếp nhận. "
        "Số tra cứu qua tổng đài: {lookup}.",
    ),
    "receive": (SUBJECT, RECEIVED),
    "received": (SUBJECT, RECEIVED),
    "accept": (
        SUBJECT,
        "Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả: {due}. "
        "Số tra cứu qua tổng đài: {lookup}.",
    ),
    "request_supplement": (SUBJECT, "Hồ sơ {code} cần bổ sung: {reason}"),
    "supplement_requested": (SUBJECT, "Hồ sơ {code} cần bổ sung: {reason}"),
    "supplement": (
        SUBJECT,
        "Hồ sơ {code} đã nhận đủ phần bổ sung và được giải quyết tiếp. Hẹn trả kết quả: {due}.",
    ),
    "refuse": (SUBJECT, "Hồ sơ {code} bị từ chối: {reason}"),
    "refused": (SUBJECT, "Hồ sơ {code} bị từ chối: {reason}"),
    "result_ready": (SUBJECT, "Hồ sơ {code} đã có kết quả, mời ông/bà đến nhận tại {unit}."),
    "return_result": (SUBJECT, "Hồ sơ {code} đã được trả kết quả. Cảm ơn ông/bà."),
    "stop": (SUBJECT, "Hồ sơ {code} đã dừng xử lý: {reason}"),
    "apologize": (SUBJECT, "Xin lỗi ông/bà: hồ sơ {code} trễ hẹn, hẹn lại {due}. {reason}"),
    "reappointed": (SUBJECT, "Hồ sơ {code} được hẹn lại ngày trả kết quả: {due}."),
    "payment_due": (SUBJECT, "Hồ sơ {code}: mời ông/bà nộp phí, lệ phí {amount} đồng."),
    "payment_received": (SUBJECT, "Hồ sơ {code}: đã nhận phí, lệ phí {amount} đồng."),
    "step_due_soon": (SUBJECT, "Hồ sơ {code} sắp đến hạn bước {step}: {due}."),
    "step_overdue": (SUBJECT, "Hồ sơ {code} đã quá hạn bước {step} ({due})."),
    # Field reports (fieldreports.warnings): {reason} names the report, its category and deadline.
    "field_report_due_soon": (
        "[Một cửa] Phản ánh hiện trường",
        "Phản ánh hiện trường sắp đến hạn xử lý: {reason}.",
    ),
    "field_report_overdue": (
        "[Một cửa] Phản ánh hiện trường",
        "Phản ánh hiện trường đã quá hạn xử lý: {reason}.",
    ),
    "digest": ("[Một cửa] Tổng hợp hằng ngày", "Có {count} hồ sơ cần chú ý hôm nay."),
    "transfer": (
        SUBJECT,
        "Hồ sơ {code} được chuyển đến {to_unit_name} giải quyết, hẹn trả kết quả: {due}. {reason}",
    ),
    "transferred_in": (
        SUBJECT,
        "Hồ sơ {code} tiếp nhận tại {unit} được chuyển đến đơn vị giải quyết: {reason}",
    ),
    "close_unanswered": (SUBJECT, "Hồ sơ {code} đã dừng giải quyết: {reason}"),
    "signup_code": (
        "[Một cửa] Mã xác nhận",
        "Mã xác nhận của ông/bà là {otp} (hiệu lực {minutes} phút).",
    ),
    "reset_code": (
        "[Một cửa] Mã đặt lại mật khẩu",
        "Mã đặt lại mật khẩu là {otp} (hiệu lực {minutes} phút).",
    ),
    "signup_account_exists": (
        "[Một cửa] Tài khoản đã có",
        "Số liên lạc này đã có tài khoản. Hãy đăng nhập hoặc đặt lại mật khẩu.",
    ),
    "id_vouched": (
        "[Một cửa] Số định danh",
        "Số định danh của ông/bà đã được xác nhận tại {unit}.",
    ),
}
CHANNELS = ("sms", "email", "zalo", "app")


def seed(template_model: Any) -> int:
    """Create the missing (event, channel) templates; return how many were added."""
    added = 0
    for event, (subject, body) in TEXTS.items():
        for channel in CHANNELS:
            _, created = template_model.objects.get_or_create(
                event=event,
                channel=channel,
                defaults={
                    "subject": subject if channel == "email" else "",
                    "body": body,
                    "zns_template_id": f"motcua-{event}" if channel == "zalo" else "",
                },
            )
            added += created
    return added
