"""Evaluate a template for given parameters, as ARM would, with Azure itself faked.

What Azure would answer at deployment time (`reference()`, `listKeys()`) comes from
plausible stand-ins. Keys and secure parameters carry SECRET in their values so that a
test can see where secrets end up.

Strict where ARM is treacherous: ARM evaluates `reference()` and `listKeys()` even in a
resource whose condition is false, and then fails if the target is not deployed or lets
no keys be listed (an Azure OpenAI resource with local auth off). So here a runtime
function whose target is not deployed is an error wherever it stands, a `listKeys()` in a
resource that is not deployed is one unless `if()` skips it, and so is a runtime function
at an API version other than its target's.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.infrastructure.arm_expressions import (
    Call,
    Index,
    Literal,
    Node,
    Property,
    parse_template_string,
)

SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa"
RESOURCE_GROUP = "rg-chat"
LOCATION = "westeurope"
SECRET = "SECRET"
PRINCIPAL_ID = "11111111-2222-3333-4444-555555555555"
APP_INSIGHTS_CONNECTION = (
    "InstrumentationKey=00000000-0000-0000-0000-000000000001;"
    "IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/"
)


class EvaluationError(Exception):
    pass


@dataclass
class DeployedResource:
    type: str
    name: str
    api_version: str
    active: bool
    id: str
    definition: dict[str, Any]
    # The evaluated resource, filled in once every name and condition is known.
    value: dict[str, Any] = field(default_factory=dict)
    nested: Deployment | None = None


def resource_id(resource_type: str, *names: str) -> str:
    namespace, *types = resource_type.split("/")
    if len(types) != len(names):
        raise EvaluationError(f"resourceId({resource_type!r}) takes {len(types)} names")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}"
        f"/providers/{namespace}/{path}"
    )


class Deployment:
    def __init__(self, template: Mapping[str, Any], parameters: Mapping[str, Any]) -> None:
        self.template = template
        self._given = dict(parameters)
        if unknown := self._given.keys() - template.get("parameters", {}).keys():
            raise EvaluationError(f"the template has no parameters {sorted(unknown)}")
        self._parameters: dict[str, Any] = {}
        self._variables: dict[str, Any] = {}
        self._lambda_scopes: list[dict[str, Any]] = []
        self._inside_undeployed = False
        self.resources: list[DeployedResource] = []
        for definition in template.get("resources", []):
            self.resources.extend(self._locate(definition, parent=None))
        for resource in self.resources:
            self._evaluate_resource(resource)
        self.outputs = {
            name: self.evaluate(output["value"])
            for name, output in template.get("outputs", {}).items()
            if self.evaluate(output.get("condition", True))
        }

    # Lookups the tests use.

    def parameter(self, name: str) -> Any:
        if name not in self._parameters:
            definitions = self.template.get("parameters", {})
            if name not in definitions:
                raise EvaluationError(f"parameters({name!r}) is not declared")
            definition = definitions[name]
            if name in self._given:
                value = self._given[name]
            elif "defaultValue" in definition:
                value = self.evaluate(definition["defaultValue"])
            else:
                raise EvaluationError(f"parameter {name!r} has no default and was not given")
            allowed = definition.get("allowedValues")
            if allowed is not None and value not in allowed:
                raise EvaluationError(f"{name}={value!r} is not one of {allowed}")
            self._parameters[name] = value
        return self._parameters[name]

    def variable(self, name: str) -> Any:
        if name not in self._variables:
            variables = self.template.get("variables", {})
            if name not in variables:
                raise EvaluationError(f"variables({name!r}) is not declared")
            self._variables[name] = self.evaluate(variables[name])
        return self._variables[name]

    def deployed(self, resource_type: str) -> list[DeployedResource]:
        return [r for r in self.resources if r.active and r.type.lower() == resource_type.lower()]

    def one(self, resource_type: str) -> DeployedResource:
        found = self.deployed(resource_type)
        if len(found) != 1:
            raise AssertionError(f"{len(found)} deployed resources of type {resource_type}")
        return found[0]

    # Evaluation.

    def evaluate(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._node(parse_template_string(value))
        if isinstance(value, list):
            return [self.evaluate(item) for item in value]
        if isinstance(value, dict):
            return {key: self.evaluate(item) for key, item in value.items()}
        return value

    def _locate(
        self, definition: Mapping[str, Any], parent: DeployedResource | None
    ) -> list[DeployedResource]:
        """The resource and its nested children, with the children's full types and names."""
        own = {key: value for key, value in definition.items() if key != "resources"}
        resource_type, name = own["type"], self.evaluate(own["name"])
        if parent is not None:
            resource_type, name = f"{parent.type}/{resource_type}", f"{parent.name}/{name}"
        active = self._truth(self.evaluate(own.get("condition", True)))
        resource = DeployedResource(
            type=resource_type,
            name=name,
            api_version=own["apiVersion"],
            active=active and (parent is None or parent.active),
            id=resource_id(resource_type, *name.split("/")),
            definition=own,
        )
        children = definition.get("resources", [])
        return [resource, *(r for child in children for r in self._locate(child, resource))]

    def _evaluate_resource(self, resource: DeployedResource) -> None:
        nested_template = None
        definition = dict(resource.definition)
        if resource.type == "Microsoft.Resources/deployments":
            properties = dict(definition["properties"])
            nested_template = properties.pop("template")
            definition["properties"] = properties
        self._inside_undeployed = not resource.active
        try:
            resource.value = self.evaluate(definition)
        finally:
            self._inside_undeployed = False
        if nested_template is not None and resource.active:
            arguments = resource.value["properties"].get("parameters", {})
            resource.nested = Deployment(
                nested_template, {name: arg["value"] for name, arg in arguments.items()}
            )

    def _target(self, function: str, target_id: str, api_version: str) -> DeployedResource:
        if self._inside_undeployed and function.startswith("list"):
            raise EvaluationError(
                f"{function}() in a resource that is not deployed: guard it with if()"
            )
        for resource in self.resources:
            if resource.id.lower() == target_id.lower():
                if not resource.active:
                    raise EvaluationError(f"{function}() of {target_id}, which is not deployed")
                if resource.api_version != api_version:
                    raise EvaluationError(
                        f"{function}() of {resource.type} at {api_version}, "
                        f"deployed at {resource.api_version}"
                    )
                return resource
        raise EvaluationError(f"{function}() of {target_id}, which this template does not make")

    def _node(self, node: Node) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Property):
            target = self._node(node.target)
            if not isinstance(target, dict):
                raise EvaluationError(f"no property {node.name!r} on {target!r}")
            # ARM reads property names case-insensitively.
            for key, value in target.items():
                if key.lower() == node.name.lower():
                    return value
            raise EvaluationError(f"no property {node.name!r} among {sorted(target)}")
        if isinstance(node, Index):
            target, index = self._node(node.target), self._node(node.index)
            try:
                return target[index]
            except (IndexError, KeyError, TypeError) as error:
                raise EvaluationError(f"cannot index {target!r} with {index!r}") from error
        return self._call(node)

    def _call(self, node: Call) -> Any:
        name = node.name
        # Special forms: their arguments are evaluated only as needed.
        if name == "if":
            condition, then, otherwise = node.args
            return self._node(then if self._truth(self._node(condition)) else otherwise)
        if name == "lambda":
            *variable_names, body = node.args
            names = [self._node(n) for n in variable_names]
            return _Lambda(names, body)
        args = [self._node(arg) for arg in node.args]
        function = self._functions().get(name)
        if function is None:
            raise EvaluationError(f"the fake ARM does not know {name}()")
        return function(*args)

    @staticmethod
    def _truth(value: Any) -> bool:
        if not isinstance(value, bool):
            raise EvaluationError(f"a condition evaluated to {value!r}, not a boolean")
        return value

    def _functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "parameters": self.parameter,
            "variables": self.variable,
            "equals": lambda a, b: a == b,
            "not": lambda a: not self._truth(a),
            "and": lambda *a: all(self._truth(x) for x in a),
            "or": lambda *a: any(self._truth(x) for x in a),
            "empty": lambda a: a is None or len(a) == 0,
            "length": len,
            "concat": _concat,
            "format": _format,
            "toLower": lambda s: s.lower(),
            "replace": lambda s, old, new: s.replace(old, new),
            "take": lambda value, count: value[:count],
            "split": lambda s, delimiter: s.split(delimiter),
            "last": lambda value: value[-1],
            "createObject": lambda *pairs: dict(zip(pairs[::2], pairs[1::2], strict=True)),
            "map": self._map,
            "lambdaVariables": self._lambda_variable,
            "uniqueString": lambda *a: hashlib.sha256("|".join(a).encode()).hexdigest()[:13],
            "guid": lambda *a: str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(a))),
            "resourceGroup": lambda: {
                "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}",
                "name": RESOURCE_GROUP,
                "location": LOCATION,
            },
            "subscription": lambda: {
                "id": f"/subscriptions/{SUBSCRIPTION}",
                "subscriptionId": SUBSCRIPTION,
            },
            "environment": lambda: {"suffixes": {"storage": "core.windows.net"}},
            "resourceId": resource_id,
            "subscriptionResourceId": lambda resource_type, *names: (
                f"/subscriptions/{SUBSCRIPTION}/providers/{resource_type}/" + "/".join(names)
            ),
            "reference": self._reference,
            "listKeys": self._list_keys,
        }

    def _map(self, items: list[Any], function: _Lambda) -> list[Any]:
        results = []
        for item in items:
            self._lambda_scopes.append({function.names[0]: item})
            try:
                results.append(self._node(function.body))
            finally:
                self._lambda_scopes.pop()
        return results

    def _lambda_variable(self, name: str) -> Any:
        for scope in reversed(self._lambda_scopes):
            if name in scope:
                return scope[name]
        raise EvaluationError(f"lambdaVariables({name!r}) outside its lambda")

    def _reference(self, target_id: str, api_version: str, full: str = "") -> Any:
        resource = self._target("reference", target_id, api_version)
        name = resource.name.split("/")[-1]
        properties = _runtime_properties(resource.type, name)
        if full == "Full":
            return {"identity": {"principalId": PRINCIPAL_ID}, "properties": properties}
        return properties

    def _list_keys(self, target_id: str, api_version: str) -> Any:
        resource = self._target("listKeys", target_id, api_version)
        if resource.type.lower() == "microsoft.storage/storageaccounts":
            return {"keys": [{"value": f"{SECRET}-storage-key-1"}]}
        return {"key1": f"{SECRET}-{resource.name}-key-1", "key2": f"{SECRET}-key-2"}


def _runtime_properties(resource_type: str, name: str) -> dict[str, Any]:
    """What Azure would report about a resource once it is deployed."""
    known: dict[str, dict[str, Any]] = {
        "microsoft.storage/storageaccounts": {
            "primaryEndpoints": {
                "blob": f"https://{name}.blob.core.windows.net/",
                "table": f"https://{name}.table.core.windows.net/",
            }
        },
        "microsoft.cognitiveservices/accounts": {"endpoint": f"https://{name}.openai.azure.com/"},
        "microsoft.insights/components": {"ConnectionString": APP_INSIGHTS_CONNECTION},
        "microsoft.web/staticsites": {"defaultHostname": "nice-sea-0a1b2c3d4.azurestaticapps.net"},
        "microsoft.web/sites": {"defaultHostName": f"{name}.azurewebsites.net"},
    }
    return known.get(resource_type.lower(), {})


@dataclass(frozen=True)
class _Lambda:
    names: list[str]
    body: Node


def _concat(*values: Any) -> Any:
    if values and all(isinstance(v, list) for v in values):
        return [item for v in values for item in v]
    if any(isinstance(v, (bool, list, dict)) for v in values):
        raise EvaluationError(f"concat() of {values!r}")
    return "".join(str(v) for v in values)


def _format(template: str, *args: Any) -> str:
    def argument(match: re.Match[str]) -> str:
        value = args[int(match.group(1))]
        if isinstance(value, (bool, list, dict)):
            raise EvaluationError(f"format() of {value!r}")
        return str(value)

    return re.sub(r"\{(\d+)\}", argument, template)
