"""A new Azure OpenAI resource and its model deployment."""

from __future__ import annotations

from tools.infra import arm, names, roles, versions
from tools.infra.arm import Expr, Json
from tools.infra.function_app import principal_id

ACCOUNT = arm.var("openAIAccountName")
DEPLOYMENT = arm.var("modelDeploymentName")
ALLOWED_IPS = arm.param("openAIAllowedIpRanges")


def variables() -> dict[str, str]:
    return {
        "openAIAccountName": arm.wrap(arm.fmt("{0}-openai-{1}", names.APP_NAME, names.SUFFIX)),
        # Named after the model, so that MODEL_REASONING=auto can tell a reasoning model.
        "modelDeploymentName": arm.wrap(arm.param("modelName")),
    }


def account_id() -> Expr:
    return arm.resource_id("Microsoft.CognitiveServices/accounts", ACCOUNT)


def resources() -> list[Json]:
    ip_rule = arm.call("createObject", arm.lit("value"), arm.call("lambdaVariables", arm.lit("ip")))
    return [
        {
            "type": "Microsoft.CognitiveServices/accounts",
            "apiVersion": versions.COGNITIVE_SERVICES,
            "name": arm.wrap(ACCOUNT),
            "location": arm.wrap(arm.param("openAILocation")),
            "kind": "OpenAI",
            "sku": {"name": "S0"},
            "properties": {
                # Entra ID sign-in needs the resource's own subdomain.
                "customSubDomainName": arm.wrap(ACCOUNT),
                "publicNetworkAccess": "Enabled",
                "networkAcls": {
                    "defaultAction": arm.wrap(
                        arm.if_(arm.empty(ALLOWED_IPS), arm.lit("Allow"), arm.lit("Deny"))
                    ),
                    "ipRules": arm.wrap(
                        arm.call("map", ALLOWED_IPS, arm.call("lambda", arm.lit("ip"), ip_rule))
                    ),
                },
                # With linked hosting the API signs in with its identity: keys are switched
                # off, so a leaked one is worth nothing.
                "disableLocalAuth": arm.wrap(names.IS_LINKED),
            },
        },
        {
            "type": "Microsoft.CognitiveServices/accounts/deployments",
            "apiVersion": versions.COGNITIVE_SERVICES,
            "name": arm.wrap(arm.fmt("{0}/{1}", ACCOUNT, DEPLOYMENT)),
            "sku": {
                "name": arm.wrap(arm.param("modelDeploymentSku")),
                "capacity": arm.wrap(arm.param("modelCapacity")),
            },
            "properties": {
                "model": {
                    "format": "OpenAI",
                    "name": arm.wrap(arm.param("modelName")),
                    "version": arm.wrap(arm.param("modelVersion")),
                },
                # Stay on the chosen version until it retires, then move on rather than stop.
                "versionUpgradeOption": "OnceCurrentVersionExpired",
            },
            "dependsOn": [arm.wrap(account_id())],
        },
    ]


def role_for_function_app() -> Json:
    return roles.role_assignment(
        condition=names.IS_LINKED,
        scope=arm.fmt("Microsoft.CognitiveServices/accounts/{0}", ACCOUNT),
        scope_id=account_id(),
        role=roles.OPENAI_USER,
        principal_id=principal_id(),
        principal_key=names.function_app_id(),
        depends_on=[account_id(), names.function_app_id()],
    )


def endpoint() -> Expr:
    return arm.prop(arm.reference(account_id(), versions.COGNITIVE_SERVICES), "endpoint")


def key() -> Expr:
    """A secret, for managed functions only."""
    return arm.prop(arm.list_keys(account_id(), versions.COGNITIVE_SERVICES), "key1")
