"""The demo catalogue's form templates: one blank PDF per named form, downloadable."""

from pathlib import Path
from typing import Any

from django.test import Client

from catalog.models import RequiredDocument
from conftest import World
from demo.forms import attach_demo_forms
from testing.pdf import has, text_of


def test_every_named_form_gets_a_pdf_once(
    world: World, settings: Any, tmp_path: Path, client: Client
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    RequiredDocument.objects.update(template="Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS.1)")
    assert attach_demo_forms() == 1
    assert attach_demo_forms() == 0  # already there
    r = client.get("/thu-tuc/1.001193/mau/1/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = text_of(r.getvalue(), tmp_path, "demo-form", shot=False)
    has(text, "TỜ KHAI ĐĂNG KÝ KHAI SINH", "Độc lập - Tự do - Hạnh phúc", "1.001193")
