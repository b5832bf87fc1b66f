"""Turns an OpenAPI document into plain rows for the /api/v1/docs page (pure: no Django)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    description: str
    location: str = ""


@dataclass(frozen=True)
class ResponseRow:
    status: str
    description: str
    type: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: tuple[FieldRow, ...]
    body_type: str
    responses: tuple[ResponseRow, ...]


@dataclass(frozen=True)
class SchemaDoc:
    name: str
    description: str
    fields: tuple[FieldRow, ...] = field(default_factory=tuple)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_label(schema: Mapping[str, Any] | None) -> str:
    """A short human label for a JSON schema: `integer`, `array[EmployeeOut]`, `string | null`."""
    if not schema:
        return ""
    if "$ref" in schema:
        return _ref_name(str(schema["$ref"]))
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            return " | ".join(type_label(part) for part in schema[combinator])
    if "enum" in schema:
        return "enum(" + ", ".join(str(v) for v in schema["enum"]) + ")"
    kind = schema.get("type", "")
    if kind == "array":
        return f"array[{type_label(schema.get('items'))}]"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _fields(schema: Mapping[str, Any]) -> tuple[FieldRow, ...]:
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        rows.append(FieldRow(name, type_label(prop), name in required, str(prop.get("description", ""))))
    return tuple(rows)


def _json_schema(content: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if not content:
        return None
    media: Mapping[str, Any] = content.get("application/json") or next(iter(content.values()), {})
    schema: Mapping[str, Any] | None = media.get("schema")
    return schema


def operations(document: Mapping[str, Any]) -> list[Operation]:
    """Every operation of the document, in path order."""
    rows = []
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = tuple(
                FieldRow(
                    str(p.get("name", "")),
                    type_label(p.get("schema")),
                    bool(p.get("required", False)),
                    str(p.get("description", "") or p.get("schema", {}).get("description", "")),
                    str(p.get("in", "")),
                )
                for p in op.get("parameters", [])
            )
            body = _json_schema(op.get("requestBody", {}).get("content"))
            responses = tuple(
                ResponseRow(
                    str(status),
                    str(resp.get("description", "")),
                    type_label(_json_schema(resp.get("content"))),
                )
                for status, resp in sorted(op.get("responses", {}).items())
            )
            rows.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=str(op.get("summary", "")),
                    description=str(op.get("description", "")),
                    anchor=str(op.get("operationId", f"{method}-{path}")),
                    parameters=params,
                    body_type=type_label(body),
                    responses=responses,
                )
            )
    return rows


def schemas(document: Mapping[str, Any]) -> list[SchemaDoc]:
    """Every named data structure with its documented fields."""
    components = document.get("components", {}).get("schemas", {})
    docs = []
    for name, schema in sorted(components.items()):
        description = str(schema.get("description", ""))
        if "enum" in schema:
            values = "取值：" + "、".join(str(v) for v in schema["enum"])
            description = f"{description} {values}".strip()
        docs.append(SchemaDoc(name, description, _fields(schema)))
    return docs
