"""Check a request Attune sends against the vendor's OpenAPI document.

Small on purpose: it finds the operation for a method and URL, then walks the request schema
($ref, allOf, properties, additionalProperties, items, type, enum, required). Objects are checked
strictly: a key the schema does not name is reported even where the schema allows extra keys,
unless the schema is a map (additionalProperties given as a schema).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import yaml

SPECS = Path(__file__).resolve().parent / "fixtures" / "specs"
JIRA = "swagger-v3.v3.json"
ZENDESK = "openapi-src.yaml"
JSM = "jsm-servicedeskapi-openapi.EXCERPT.json"
FRESHDESK = "freshdesk-rest-api-openapi.yml"
SCALARS = {"string": str, "boolean": bool, "integer": int, "number": (int, float)}


class _SpecLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loading, plus the YAML 1.1 `=` value tag that Zendesk's document uses as a plain string."""


_SpecLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


@cache
def load(name: str) -> dict:
    text = (SPECS / name).read_text()
    return json.loads(text) if name.endswith(".json") else yaml.load(text, Loader=_SpecLoader)


def _base_path(spec: dict) -> str:
    servers = spec.get("servers") or [{}]
    return urlparse(servers[0].get("url", "")).path.rstrip("/")


def operation(spec: dict, method: str, url: str) -> tuple[str, dict]:
    path = urlparse(url).path
    base = _base_path(spec)
    if base and path.startswith(base):
        path = path[len(base):]
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not an operation of the spec")


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def problems(spec: dict, schema: dict, value: object, where: str = "body") -> list[str]:
    schema = resolve(spec, schema or {})
    if "allOf" in schema:
        return [p for part in schema["allOf"] for p in problems(spec, part, value, where)]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object_problems(spec, schema, value, where)
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        return [p for i, item in enumerate(value) for p in problems(spec, schema.get("items", {}), item,
                                                                    f"{where}[{i}]")]
    expected = SCALARS.get(kind)
    if expected and (not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool))):
        return [f"{where}: expected {kind}, got {value!r}"]
    return []


def _object_problems(spec: dict, schema: dict, value: object, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    found = [f"{where}.{key}: required" for key in schema.get("required", []) if key not in value]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            found += problems(spec, properties[key], item, f"{where}.{key}")
        elif isinstance(extra, dict) and extra:
            found += problems(spec, extra, item, f"{where}.{key}")
        elif properties or extra is False:
            found.append(f"{where}.{key}: not in the schema")
    return found


def assert_conforms(spec_name: str, request) -> None:
    """The `requests` PreparedRequest `request` matches its operation in the named spec."""
    spec = load(spec_name)
    template, op = operation(spec, request.method, request.url)
    params = {p["name"] for p in (resolve(spec, p) for p in op.get("parameters", [])) if p["in"] == "query"}
    unknown = [k for k, _ in parse_qsl(urlparse(request.url).query) if k not in params]
    assert not unknown, f"{request.method} {template}: query parameters not in the spec: {unknown}"
    content = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
    body = json.loads(request.body) if request.body else None
    if body is None:
        return
    assert content, f"{request.method} {template} takes no JSON body"
    found = problems(spec, content.get("schema", {}), body)
    assert not found, f"{request.method} {template}: " + "; ".join(found)
