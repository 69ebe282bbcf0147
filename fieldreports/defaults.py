"""The categories a province starts with (DOMAIN §11), editable in the admin afterwards."""

from typing import Any

# code: (name, group, agency kind code, deadline in working hours, description)
CATEGORIES: dict[str, tuple[str, str, str, int, str]] = {
    "roads": (
        "Giao thông, đường sá",
        "Hạ tầng",
        "economic",
        24,
        "Ổ gà, hư hỏng mặt đường, vỉa hè, biển báo, đèn tín hiệu giao thông.",
    ),
    "lighting": (
        "Chiếu sáng công cộng",
        "Hạ tầng",
        "economic",
        16,
        "Đèn đường không sáng, cột đèn nghiêng đổ, dây điện chiếu sáng hở.",
    ),
    "environment": (
        "Môi trường, rác thải",
        "Môi trường",
        "economic",
        24,
        "Rác thải tồn đọng, xả thải, ô nhiễm, ngập nước, cống thoát nước.",
    ),
    "urban-order": (
        "Trật tự đô thị",
        "Trật tự",
        "economic",
        40,
        "Lấn chiếm vỉa hè, lòng đường, xây dựng không phép, quảng cáo sai quy định.",
    ),
    "public-order": (
        "An ninh trật tự",
        "Trật tự",
        "",
        8,
        "Gây rối, tụ tập, tiếng ồn, các việc cần lực lượng công an xã, phường xử lý.",
    ),
}


def seed(category_model: Any) -> int:
    """Create the missing default categories; return how many were added."""
    added = 0
    for order, (code, (name, group, kind, hours, description)) in enumerate(CATEGORIES.items()):
        _, created = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "agency_kind": kind,
                "deadline_hours": hours,
                "description": description,
                "order": order,
            },
        )
        added += created
    return added
