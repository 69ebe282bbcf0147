"""A GeoReport v2 client written from the specification (wiki.open311.org/GeoReport_v2), not
from our code: it knows the paths, the two formats and the shapes the standard gives, and
reads JSON and XML into the same Python lists so every test runs on both."""

from typing import Any
from xml.etree import ElementTree as ET

from django.test import Client

BASE = "/georeport/v2"
# The fields a service request has in the standard (GET requests).
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}


def _element(e: ET.Element) -> Any:
    children = list(e)
    if not children:
        return e.text or ""
    return {c.tag: _element(c) for c in children}


class Open311:
    def __init__(self, client: Client, fmt: str = "json") -> None:
        self.client = client
        self.fmt = fmt
        self.last: Any = None

    def _read(self, response: Any, root: str, item: str) -> list[dict[str, Any]]:
        self.last = response
        if self.fmt == "json":
            assert response["Content-Type"].startswith("application/json")
            data = response.json()
            assert isinstance(data, list)
            return data
        assert response["Content-Type"].startswith("text/xml")
        top = ET.fromstring(response.content)  # noqa: S314 - our own answer
        if response.status_code >= 400:
            root, item = "errors", "error"
        assert top.tag == root, top.tag
        rows = []
        for element in top:
            assert element.tag == item
            rows.append({c.tag: _element(c) for c in element})
        return rows

    def services(self) -> list[dict[str, Any]]:
        return self._read(self.client.get(f"{BASE}/services.{self.fmt}"), "services", "service")

    def post(self, **fields: Any) -> list[dict[str, Any]]:
        response = self.client.post(f"{BASE}/requests.{self.fmt}", fields)
        return self._read(response, "service_requests", "request")

    def requests(self, **params: str) -> list[dict[str, Any]]:
        response = self.client.get(f"{BASE}/requests.{self.fmt}", params)
        return self._read(response, "service_requests", "request")

    def request(self, request_id: str) -> list[dict[str, Any]]:
        response = self.client.get(f"{BASE}/requests/{request_id}.{self.fmt}")
        return self._read(response, "service_requests", "request")
