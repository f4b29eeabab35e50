"""Template parameters: what the admin fills in on the portal's form, in form order.

Descriptions are what the portal shows beside each field, so they say what to choose and
what it costs, not how the template uses the value.
"""

from __future__ import annotations

from typing import Any

from tools.infra import arm
from tools.infra.arm import Json

# Static Web Apps can be created in these regions only (the content itself is served
# worldwide; the region is where its managed functions run).
STATIC_WEB_APP_REGIONS = ("westus2", "centralus", "eastus2", "westeurope", "eastasia")


def parameter(
    kind: str,
    description: str,
    *,
    default: Any = None,
    allowed: list[Any] | None = None,
    **constraints: int,
) -> Json:
    definition: Json = {"type": kind}
    if default is not None:
        definition["defaultValue"] = default
    if allowed is not None:
        definition["allowedValues"] = allowed
    definition.update(constraints)
    definition["metadata"] = {"description": description}
    return definition


def leading_parameters() -> Json:
    """The parameters every template starts with."""
    return {
        "appName": parameter(
            "string",
            "Short name for the app (letters, digits and hyphens). Every resource is named "
            "after it, with a suffix that keeps the names unique.",
            default="chat",
            minLength=2,
            maxLength=16,
        ),
        "location": parameter(
            "string",
            "Region for the storage, monitoring and (with linked hosting) the Function App. "
            "Defaults to the resource group's region.",
            default=arm.wrap(arm.prop(arm.call("resourceGroup"), "location")),
        ),
        "staticWebAppLocation": parameter(
            "string",
            "Region of the Static Web App (it is only offered in these). Pick the one nearest "
            "your users; the pages are served worldwide either way.",
            default="westeurope",
            allowed=list(STATIC_WEB_APP_REGIONS),
        ),
        "staticWebAppSku": parameter(
            "string",
            "Static Web App plan. Free: no cost, answers arrive whole. Standard (about 9 USD "
            "a month): needed for linked hosting, custom sign-in and IP restrictions. "
            "Linked hosting always uses Standard, whatever is chosen here.",
            default="Free",
            allowed=["Free", "Standard"],
        ),
        "apiHosting": parameter(
            "string",
            "managed: the API runs in the Static Web App's own functions; answers arrive "
            "whole, and model and storage keys are kept in its app settings. linked: the API "
            "runs in its own Function App (Flex Consumption, pay per use) linked to a "
            "Standard Static Web App; answers stream token by token, and a managed identity "
            "reaches Azure OpenAI and Storage without keys.",
            default="managed",
            allowed=["managed", "linked"],
        ),
    }


def trailing_parameters() -> Json:
    """The parameters every template ends with."""
    return {
        "modelReasoning": parameter(
            "string",
            "Whether the model is a reasoning model (o-series, gpt-5 family), which takes "
            "different request parameters. auto tells from the model or deployment name; "
            "choose true or false when a deployment name hides the model.",
            default="auto",
            allowed=["auto", "true", "false"],
        ),
    }
