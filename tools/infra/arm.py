"""ARM template expressions, built by functions so that quoting is never done by hand.

An `Expr` is an expression body such as `parameters('appName')`; `wrap` turns it into the
`"[...]"` string a template holds.
"""

from __future__ import annotations

from typing import Any

Expr = str
Json = dict[str, Any]


def lit(text: str) -> Expr:
    """A string literal: ARM doubles a single quote inside one."""
    return "'" + text.replace("'", "''") + "'"


def call(function: str, *args: Expr) -> Expr:
    return f"{function}({', '.join(args)})"


def wrap(expr: Expr) -> str:
    return f"[{expr}]"


def param(name: str) -> Expr:
    return call("parameters", lit(name))


def var(name: str) -> Expr:
    return call("variables", lit(name))


def if_(condition: Expr, then: Expr, otherwise: Expr) -> Expr:
    return call("if", condition, then, otherwise)


def equals(left: Expr, right: Expr) -> Expr:
    return call("equals", left, right)


def not_(value: Expr) -> Expr:
    return call("not", value)


def and_(*values: Expr) -> Expr:
    return call("and", *values)


def concat(*values: Expr) -> Expr:
    return call("concat", *values)


def fmt(template: str, *args: Expr) -> Expr:
    return call("format", lit(template), *args)


def empty(value: Expr) -> Expr:
    return call("empty", value)


def resource_id(resource_type: str, *names: Expr) -> Expr:
    return call("resourceId", lit(resource_type), *names)


def role_definition_id(role_guid: str) -> Expr:
    return call(
        "subscriptionResourceId", lit("Microsoft.Authorization/roleDefinitions"), lit(role_guid)
    )


def reference(resource: Expr, api_version: str, *, full: bool = False) -> Expr:
    args = [resource, lit(api_version)] + ([lit("Full")] if full else [])
    return call("reference", *args)


def list_keys(resource: Expr, api_version: str) -> Expr:
    return call("listKeys", resource, lit(api_version))


def prop(expr: Expr, *path: str) -> Expr:
    """Property access: `reference(...).endpoint`."""
    return ".".join((expr, *path))


RUNTIME_FUNCTIONS = ("reference(", "listKeys(")


def guard(condition: Expr, value: str) -> str:
    """`value`, or '' when `condition` is false, for a template value that calls a runtime
    function. ARM evaluates such calls even in a resource whose condition is false, and fails
    when they reach a resource that is not deployed or lets no keys be listed."""
    if not (value.startswith("[") and any(f in value for f in RUNTIME_FUNCTIONS)):
        return value
    return wrap(if_(condition, value[1:-1], lit("")))
