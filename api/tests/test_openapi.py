"""The OpenAPI document describes what each endpoint answers, one schema per name."""

import enum
import typing
from collections import defaultdict
from typing import Any

from django.test import Client
from pydantic import BaseModel

from api.v1 import api


def _named_types(annotation: Any, found: dict[str, set[type]]) -> None:
    """Collect every model and enum reachable from a type annotation, by name."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found[annotation.__name__]:
            return
        found[annotation.__name__].add(annotation)
        for f in annotation.model_fields.values():
            _named_types(f.annotation, found)
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found[annotation.__name__].add(annotation)
    for arg in typing.get_args(annotation):
        _named_types(arg, found)


def _api_types() -> dict[str, set[type]]:
    found: dict[str, set[type]] = defaultdict(set)
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for op in view.operations:
                # Ninja wraps each operation's parameters and answers in models of its own
                # (BodyParams, NinjaResponseSchema...); what they hold is ours.
                for wrapper in [*op.models, *op.response_models.values()]:
                    if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                        for f in wrapper.model_fields.values():
                            _named_types(f.annotation, found)
    return found


def test_no_two_api_types_share_a_schema_name() -> None:
    found = _api_types()
    assert "ProcedureOut" in found and "DossierDetail" in found  # the walk reaches them
    collisions = {
        name: sorted(f"{t.__module__}.{t.__qualname__}" for t in types)
        for name, types in found.items()
        if len(types) > 1
    }
    assert collisions == {}


def _resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/components/schemas/"), ref
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_procedure_detail_schema_describes_procedure_steps(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    answer = spec["paths"]["/api/v1/procedures/{code}"]["get"]["responses"]["200"]
    procedure = _resolve(spec, answer["content"]["application/json"]["schema"]["$ref"])
    step = _resolve(spec, procedure["properties"]["steps"]["items"]["$ref"])
    assert set(step["properties"]) == {"position", "name", "agency_kind", "role", "hours"}

    dossier = _resolve(spec, "#/components/schemas/DossierDetail")
    dossier_step = _resolve(spec, dossier["properties"]["steps"]["items"]["$ref"])
    assert {"agency", "started_at", "due_at", "finished_at"} <= set(dossier_step["properties"])
