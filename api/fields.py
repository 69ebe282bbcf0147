"""lib.validate's rules as pydantic types for the API schemas: one rule, Vietnamese messages."""

from collections.abc import Callable
from typing import Annotated

from django.utils.translation import gettext
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from lib import validate
from lib.validate import Invalid


def _rule(check: Callable[[str], Invalid | None]) -> AfterValidator:
    def run(value: str) -> str:
        problem = check(value)
        if problem is not None:
            # PydanticCustomError keeps the message as is (no "Value error, " prefix).
            raise PydanticCustomError("invalid_input", problem.say(gettext))
        return value

    return AfterValidator(run)


def _text(max_length: int, *, multiline: bool = False) -> AfterValidator:
    return _rule(lambda v: validate.text_problem(v, max_length=max_length, multiline=multiline))


def _then(max_length: int, check: Callable[[str], Invalid | None]) -> AfterValidator:
    """Apply the text rule (the documented maxLength), then `check` to a non-blank value."""

    def both(value: str) -> Invalid | None:
        problem = validate.text_problem(value, max_length=max_length)
        if problem is None and value.strip():
            problem = check(value.strip())
        return problem

    return _rule(both)


def _schema(max_length: int, **extra: object) -> WithJsonSchema:
    # The length is enforced by the rule (Vietnamese message); the schema documents it.
    return WithJsonSchema({"type": "string", "maxLength": max_length, **extra})


# Free text of an action (reason, documents to add), as long as the desk form allows.
Reason = Annotated[str, _text(2000, multiline=True), _schema(2000)]
Comment = Annotated[str, _text(1000, multiline=True), _schema(1000)]
Line = Annotated[str, _text(500), _schema(500)]


Name = Annotated[
    str,
    _rule(lambda v: validate.name_problem(v, max_length=validate.NAME_MAX)),
    _schema(validate.NAME_MAX),
]
IdNumber = Annotated[
    str, _text(validate.ID_NUMBER_MAX), _schema(validate.ID_NUMBER_MAX, pattern="^[0-9-]*$")
]
Address = Annotated[str, _text(validate.ADDRESS_MAX), _schema(validate.ADDRESS_MAX)]
Phone = Annotated[
    str, _then(validate.PHONE_MAX, validate.phone_problem), _schema(validate.PHONE_MAX)
]
Email = Annotated[
    str, _then(validate.EMAIL_MAX, validate.email_problem), _schema(validate.EMAIL_MAX)
]
