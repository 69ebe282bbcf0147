"""E-mail through a local SMTP server, Zalo ZNS through its peer, the in-app list; rendering."""

from typing import Any

import pytest

from demo.peers.jsonpeer import Inbox
from dossiers.choices import MessageStatus
from dossiers.models import OutboxMessage
from lib.sms import parts
from notify import delivery
from notify.models import Template
from notify.providers.zalo import international
from notify.render import TemplateProblem, check_placeholders, render
from testing.clock import vn
from testing.dossiers import intake
from testing.notify import LivePeer
from testing.world import World

AT = vn(2026, 3, 2, 9)


def _message(w: World, channel: str, **fields: Any) -> OutboxMessage:
    d = intake(w, AT)
    return OutboxMessage.objects.create(
        dossier=d,
        kind="receive",
        channel=channel,
        payload={"code": d.code},
        created_at=AT,
        **fields,
    )


def test_email_goes_through_smtp_with_the_reference_as_message_id(
    world: World, smtp: Inbox
) -> None:
    message = _message(world, "email", recipient="nguoi.dan@example.vn")
    assert delivery.deliver(message.pk, AT) == MessageStatus.DELIVERED
    [got] = smtp.messages.values()
    assert got["message_id"] == f"<{message.reference}@motcua.local>"
    assert got["subject"].startswith("[Một cửa] Hồ sơ ") and "Phường An Bình" in got["text"]
    assert got["to"] == "nguoi.dan@example.vn"


def test_email_refused_is_permanent_and_busy_is_retried(world: World, smtp: Inbox) -> None:
    refused = _message(world, "email", recipient="khong-co@example.vn")
    smtp.next_modes.append("refuse")
    assert delivery.deliver(refused.pk, AT) == MessageStatus.PERMANENT_FAILURE
    busy = _message(world, "email", recipient="ban@example.vn")
    smtp.next_modes.append("busy")
    assert delivery.deliver(busy.pk, AT) == MessageStatus.TEMPORARY_FAILURE


def test_zalo_sends_the_approved_template_and_refreshes_an_expired_token(
    world: World, zns: LivePeer
) -> None:
    message = _message(world, "zalo", recipient="0912345678")
    zns.spoil_next("expire")
    status = delivery.deliver(message.pk, AT)
    message.refresh_from_db()
    assert status == MessageStatus.DELIVERED, message.error
    got = zns.received()["messages"][-1]
    assert got["to"] == "84912345678" and got["tracking_id"] == str(message.reference)
    assert got["template_id"] == "motcua-receive"
    assert got["template_data"]["unit"] == "Phường An Bình"
    message.refresh_from_db()
    assert message.provider_id == got["msg_id"]


def test_in_app_messages_are_delivered_without_a_provider(
    world: World, notify_templates: None
) -> None:
    message = _message(world, "app", recipient="citizen", user=world.citizen)
    assert delivery.deliver(message.pk, AT) == MessageStatus.DELIVERED


def test_a_one_time_code_is_blanked_once_sent(world: World, smtp: Inbox) -> None:
    message = OutboxMessage.objects.create(
        kind="signup_code",
        channel="email",
        recipient="moi@example.vn",
        payload={"code": "123456", "minutes": 10},
        created_at=AT,
    )
    assert delivery.deliver(message.pk, AT) == MessageStatus.DELIVERED
    assert "123456" in next(iter(smtp.messages.values()))["text"]
    message.refresh_from_db()
    assert message.payload == {"code": "", "minutes": 10}


def test_templates_refuse_unknown_placeholders(world: World, notify_templates: None) -> None:
    assert check_placeholders("Hồ sơ {code} hẹn {due}") == ["code", "due"]
    with pytest.raises(TemplateProblem, match="unknown placeholder"):
        check_placeholders("Hồ sơ {ma_ho_so}")
    with pytest.raises(TemplateProblem, match="malformed"):
        check_placeholders("Hồ sơ {code")
    template = Template.objects.get(event="receive", channel="sms")
    template.body = "Hồ sơ {secret}"
    template.save()  # the admin's save: the cached rules are dropped
    d = intake(world, AT)
    message = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert delivery.deliver(message.pk, AT) == MessageStatus.PERMANENT_FAILURE


def test_sms_length_and_diacritics(settings: Any) -> None:
    assert parts("a" * 160) == parts("a" * 160) and parts("a" * 160).parts == 1
    assert parts("a" * 161).parts == 2 and not parts("a" * 161).unicode
    assert parts("ồ" * 70).parts == 1 and parts("ồ" * 70).unicode
    assert parts("ồ" * 71).parts == 2 and parts("ồ" * 135).parts == 3  # 67 a part
    assert parts("{" * 80).units == 160  # the extension table counts twice
    values = {"code": "H82.30001-260302-0001", "unit": "Phường An Bình", "due": "06/03/2026"}
    body = "Hồ sơ {code} đã được tiếp nhận tại {unit}. Hẹn trả kết quả: {due}."
    settings.SMS_STRIP_DIACRITICS = False
    with_marks = render("", body, values, channel="sms")
    settings.SMS_STRIP_DIACRITICS = True
    plain = render("", body, values, channel="sms")
    assert plain.body.startswith("Ho so H82.30001-260302-0001 da duoc tiep nhan tai Phuong An Binh")
    assert with_marks.sms is not None and with_marks.sms.unicode and with_marks.sms.parts == 2
    assert plain.sms is not None and not plain.sms.unicode and plain.sms.parts == 1


def test_international_phone_form() -> None:
    assert international("0912 345 678") == "84912345678"
    assert international("+84912345678") == "84912345678"
