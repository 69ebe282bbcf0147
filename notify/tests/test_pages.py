"""Where messages are seen: the desk's bell and list, the dossier page and API, the citizen's
notifications page with its opt-outs."""

from typing import Any

from django.test import Client

from dossiers import actions
from dossiers.choices import MessageStatus
from dossiers.models import OutboxMessage
from notify import delivery
from notify.inbox import text_of
from notify.models import OptOut
from notify.render import fill, values_for
from testing.api import bearer, login
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World

AT = vn(2026, 3, 2, 9)


def test_the_bell_counts_unread_messages_and_the_list_marks_them_read(
    world: World, client: Client, notify_templates: None
) -> None:
    d = intake(world, AT)
    message = OutboxMessage.objects.create(
        dossier=d,
        user=world.desk_a,
        kind="step_due_soon",
        channel="app",
        recipient="desk_a",
        payload={"step": "Thẩm định"},
        created_at=AT,
    )
    login(client, "desk_a")
    assert "data-unread" not in client.get("/desk/notifications/bell/").content.decode()
    delivery.deliver(message.pk, AT)  # the worker delivers the in-app message
    bell = client.get("/desk/notifications/bell/").content.decode()
    assert 'data-unread="1"' in bell
    page = client.get("/desk/notifications/").content.decode()
    assert f"Hồ sơ {d.code} sắp đến hạn bước Thẩm định" in page
    assert 'hx-get="/desk/notifications/bell/"' in page  # the header polls the bell
    client.post("/desk/notifications/")
    assert "data-unread" not in client.get("/desk/notifications/bell/").content.decode()
    # Another user's bell does not count it.
    other = login(Client(), "desk_b")
    assert "data-unread" not in other.get("/desk/notifications/bell/").content.decode()


def test_the_dossier_page_and_the_api_list_its_notifications_masked(
    world: World, client: Client, settings: Any
) -> None:
    settings.NOTIFY_CHANNELS = ["sms", "email"]
    d = intake(world, AT)
    sms = OutboxMessage.objects.get(dossier=d, channel="sms")
    OutboxMessage.objects.filter(pk=sms.pk).update(
        status=MessageStatus.DELIVERED, sent_at=AT, delivered_at=AT
    )
    login(client, "desk_a")
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "*******678" in page and "0912345678" not in page
    # The event and status in words, not their codes.
    assert ">Tiếp nhận hồ sơ<" in page and ">receive<" not in page and "đã đến" in page
    api = Client()
    body = api.get(f"/api/v1/dossiers/{d.code}", **bearer(api, "desk_a")).json()
    [n] = body["notifications"]
    assert n["channel"] == "sms" and n["event"] == "receive" and n["status"] == "delivered"
    assert n["recipient"] == "*******678" and n["delivered_at"] is not None


def test_a_citizen_sees_their_messages_and_opts_out_of_a_channel(
    world: World, client: Client, notify_templates: None
) -> None:
    d = intake(world, AT)
    d.applicant_user = world.citizen
    d.save(update_fields=["applicant_user"])
    OutboxMessage.objects.create(  # to the officer about the same dossier: not the citizen's
        dossier=d,
        user=world.desk_a,
        kind="step_overdue",
        channel="app",
        recipient="desk_a",
        status="delivered",
        created_at=AT,
    )
    client.force_login(world.citizen, backend="accounts.backends.CitizenBackend")
    page = client.get("/tai-khoan/thong-bao/").content.decode()
    assert f"Hồ sơ {d.code} đã được tiếp nhận tại Phường An Bình" in page
    assert "quá hạn" not in page
    assert 'name="on_sms" value="1" checked' in page
    client.post("/tai-khoan/thong-bao/", {"on_email": "1", "on_zalo": "1"})
    assert set(OptOut.objects.filter(user=world.citizen).values_list("channel", flat=True)) == {
        "sms"
    }
    page = client.get("/tai-khoan/thong-bao/").content.decode()
    assert 'name="on_sms" value="1">' in page
    # Nobody else's messages, and the page is for signed-in citizens only.
    assert Client().get("/tai-khoan/thong-bao/").status_code == 302


def test_a_supplement_that_restarts_the_clock_tells_the_new_appointment(
    world: World, db: Any
) -> None:
    d = intake(world, vn(2026, 3, 2, 9))  # 3 working days: due Thursday 5/3 17:00
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    d = actions.request_supplement(
        d,
        actor=world.specialist_a,
        at=vn(2026, 3, 3, 9),
        reason="Thiếu giấy chứng sinh",
        missing_documents=["Giấy chứng sinh"],
    )
    d = actions.supplement(d, actor=world.desk_a, at=vn(2026, 3, 9, 9))
    message = OutboxMessage.objects.filter(dossier=d, kind="supplement").first()
    assert message is not None
    assert "12/03/2026 17:00" in text_of(message)
    assert d.due_at == vn(2026, 3, 12, 17)
    assert "Hẹn trả kết quả: 12/03/2026 17:00" in fill(
        "Hẹn trả kết quả: {due}", values_for(message)
    )
