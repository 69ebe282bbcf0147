"""Sign a persona of the test world in, through the API or the desk's login page."""

from typing import Any

from django.test import Client

# A valid intake at ward A's desk through the API (POST /api/v1/dossiers).
INTAKE: dict[str, Any] = {
    "procedure": "1.001193",
    "receiving_unit": "30001",
    "channel": "1",
    "applicant": {
        "kind": "person",
        "name": "Nguyễn Văn A",
        "id_number": "087095000123",
        "phone": "0912345678",
    },
    "documents": [{"position": 1}],
}


# A valid desk intake of birth registration at ward A.
INTAKE_FORM = {
    "procedure": "1.001193",
    "channel": "1",
    "applicant_kind": "person",
    "applicant_name": "Nguyễn Văn A",
    "applicant_id_number": "087095000123",
    "applicant_phone": "0912345678",
    "sets_count": "1",
    "documents": ["1"],
}


def bearer(client: Client, username: str) -> dict[str, Any]:
    """Return the headers that carry `username`'s bearer token (personas' password: pw-name)."""
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": "pw-" + username},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": "Bearer " + r.json()["token"]}


def login(client: Client, username: str) -> Client:
    """Sign `username` in at the desk and return the same client."""
    assert client.post("/desk/login/", {"username": username, "password": f"pw-{username}"})
    return client
