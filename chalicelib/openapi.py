"""OpenAPI 3.1 document built from the route declarations (chalicelib/routing.py) and the pydantic
models they name: the one source of shapes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.domain import ADMIN_TARGETS, HOLDING, TRANSITIONS, Status
from chalicelib.routing import Operation, Shape

REF = "#/components/schemas/{model}"


def _parameters(op: Operation, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params = [
        {"name": name[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
        for name in op.document_path.split("/")
        if name.startswith("{")
    ]
    if op.query is not None:
        props = schemas[op.query.__name__]["properties"]
        params += [{"name": name, "in": "query", "required": False, "schema": s} for name, s in props.items()]
    params += [{"name": h, "in": "header", "required": False, "schema": {"type": "string"}} for h in op.headers]
    return params


def _models(shape: Shape) -> tuple[type[BaseModel], ...]:
    return () if shape is None else shape if isinstance(shape, tuple) else (shape,)


def _response(status: int, shape: Shape) -> dict[str, Any]:
    refs = [{"$ref": REF.format(model=model.__name__)} for model in _models(shape)]
    if not refs:
        return {"description": str(status)}
    schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
    return {"description": str(status), "content": {"application/json": {"schema": schema}}}


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    wanted: set[tuple[type[BaseModel], Literal["validation", "serialization"]]] = set()
    for op in operations:
        wanted |= {(model, "serialization") for shape in op.responses.values() for model in _models(shape)}
        wanted |= {(model, "validation") for model in (op.query, op.body) if model is not None}
    _, defs = models_json_schema(sorted(wanted, key=lambda pair: pair[0].__name__), by_alias=True, ref_template=REF)
    schemas = defs.get("$defs", {})
    if "Status" in schemas:
        schemas["Status"].update(status_machine())
    paths: dict[str, Any] = {}
    for op in operations:
        path = op.document_path
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": f"{op.method}{path.replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": _parameters(op, schemas),
            "responses": {str(code): _response(code, model) for code, model in op.responses.items()},
        }
        if op.body is not None:
            schema_ref = {"$ref": REF.format(model=op.body.__name__)}
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema_ref}}}
        if op.secured:
            entry["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Expert Session Booking API", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def status_machine() -> dict[str, Any]:
    """The status machine as OpenAPI extensions on the Status schema, so the SPA reads it rather than
    keeping a copy: the transitions, what an admin may set, and which statuses hold their slot."""
    return {
        "x-transitions": {status.value: sorted(t.value for t in TRANSITIONS[status]) for status in Status},
        "x-admin-targets": sorted(status.value for status in ADMIN_TARGETS),
        "x-holding": sorted(status.value for status in HOLDING),
    }


def document_json(operations: Sequence[Operation]) -> str:
    return json.dumps(document(operations))
