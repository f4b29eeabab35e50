"""The linked Function App (linked hosting only): Flex Consumption, Python 3.11, a
system-assigned identity, and the storage roles that identity needs.

Flex Consumption rather than the older Consumption plan: it reads its package from a blob
container with the app's identity, so no storage key is needed anywhere; and Microsoft
retires Linux Consumption in September 2028 and gives it no new language versions.
"""

from __future__ import annotations

from collections.abc import Mapping

from tools.infra import arm, names, roles, storage, versions
from tools.infra.arm import Expr, Json

LINKED = arm.wrap(names.IS_LINKED)


def principal_id() -> Expr:
    """The identity's object id, or '' when no Function App is deployed: ARM evaluates
    reference() even inside resources whose condition is false, so it must be guarded."""
    return arm.if_(
        names.IS_LINKED,
        arm.prop(
            arm.reference(names.function_app_id(), versions.WEB, full=True),
            "identity",
            "principalId",
        ),
        arm.lit(""),
    )


def resources(settings: Mapping[str, str]) -> list[Json]:
    container_id = arm.resource_id(
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        names.STORAGE_ACCOUNT,
        arm.lit("default"),
        names.DEPLOYMENT_CONTAINER,
    )
    return [
        {
            "condition": LINKED,
            "type": "Microsoft.Web/serverfarms",
            "apiVersion": versions.WEB,
            "name": arm.wrap(names.FUNCTION_PLAN),
            "location": arm.wrap(arm.param("location")),
            "kind": "functionapp",
            "sku": {"name": "FC1", "tier": "FlexConsumption"},
            "properties": {"reserved": True},
        },
        {
            "condition": LINKED,
            "type": "Microsoft.Web/sites",
            "apiVersion": versions.WEB,
            "name": arm.wrap(names.FUNCTION_APP),
            "location": arm.wrap(arm.param("location")),
            "kind": "functionapp,linux",
            "identity": {"type": "SystemAssigned"},
            "properties": {
                "serverFarmId": arm.wrap(names.function_plan_id()),
                "httpsOnly": True,
                "functionAppConfig": {
                    "deployment": {
                        "storage": {
                            "type": "blobContainer",
                            "value": arm.guard(
                                names.IS_LINKED, arm.wrap(storage.deployment_container_url())
                            ),
                            "authentication": {"type": "SystemAssignedIdentity"},
                        }
                    },
                    "scaleAndConcurrency": {"maximumInstanceCount": 100, "instanceMemoryMB": 2048},
                    # 3.11: what SWA managed functions run too, so both modes run the same code.
                    "runtime": {"name": "python", "version": "3.11"},
                },
                "siteConfig": {
                    "minTlsVersion": "1.2",
                    "scmMinTlsVersion": "1.2",
                    "ftpsState": "Disabled",
                    "http20Enabled": True,
                    "appSettings": [
                        {"name": k, "value": arm.guard(names.IS_LINKED, v)}
                        for k, v in settings.items()
                    ],
                },
            },
            "dependsOn": [
                arm.wrap(names.function_plan_id()),
                arm.wrap(container_id),
                arm.wrap(names.app_insights_id()),
            ],
            "resources": [_basic_auth_off(policy) for policy in ("ftp", "scm")],
        },
        *(_storage_role(role) for role in (roles.TABLE_DATA_CONTRIBUTOR, roles.BLOB_DATA_OWNER)),
    ]


def _basic_auth_off(policy: str) -> Json:
    """No publishing passwords: deployments sign in with Entra ID (docs/deploy.md)."""
    return {
        "condition": LINKED,
        "type": "basicPublishingCredentialsPolicies",
        "apiVersion": versions.WEB,
        "name": policy,
        "properties": {"allow": False},
        "dependsOn": [arm.wrap(names.function_app_id())],
    }


def _storage_role(role: str) -> Json:
    return roles.role_assignment(
        condition=names.IS_LINKED,
        scope=arm.fmt("Microsoft.Storage/storageAccounts/{0}", names.STORAGE_ACCOUNT),
        scope_id=names.storage_account_id(),
        role=role,
        principal_id=principal_id(),
        principal_key=names.function_app_id(),
        depends_on=[names.storage_account_id(), names.function_app_id()],
    )
