"""Shapes of the API's requests and answers."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class TokenIn(Schema):
    username: str
    password: str
    # Required only of users whose unit requires two-factor sign-in (orgs.access).
    otp: str | None = Field(
        None, max_length=16, description="6-digit code from the authenticator app, if required"
    )


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_at: datetime
    username: str
    full_name: str


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    parent: str | None
    valid_from: date | None
    valid_until: date | None
    successor: str | None
    office_hours: str


class DocumentOut(Schema):
    position: int
    name: str
    form: str
    count: int
    required: bool
    template: str


class ProcedureStepOut(Schema):
    position: int
    name: str
    agency_kind: str
    role: str
    hours: Decimal


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: str
    field_name: str
    level: str
    limit_amount: int
    limit_unit: str
    limit_display: str
    fee_vnd: int
    channels: list[str]


class ProcedureOut(ProcedureSummaryOut):
    version: int
    charge_vnd: int
    fee_note: str
    result: str
    legal_basis: str
    competent_agency_kind: str
    documents: list[DocumentOut]
    steps: list[ProcedureStepOut]


class DueOut(Schema):
    due: datetime
    received: datetime
    effective_start: datetime
    limit: int
    unit: str
    day_rule: str
    org: str | None
    working_hours: float


class NotificationOut(Schema):
    """One message about the dossier: where, which event, how it went (recipient masked)."""

    channel: str = Field(description="sms, email, zalo or app")
    event: str
    status: str = Field(
        description="created, sending, delivered, temporary-failure, permanent-failure, "
        "technical-failure or historical"
    )
    recipient: str
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    error: str
