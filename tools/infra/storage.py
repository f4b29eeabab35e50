"""The storage account: chat history in Table Storage, and, with linked hosting, the
Function App's own blobs (its package and the host's leases)."""

from __future__ import annotations

from tools.infra import arm, names, versions
from tools.infra.arm import Expr, Json


def resources() -> list[Json]:
    account_id = names.storage_account_id()
    return [
        {
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": versions.STORAGE,
            "name": arm.wrap(names.STORAGE_ACCOUNT),
            "location": arm.wrap(arm.param("location")),
            "kind": "StorageV2",
            "sku": {"name": "Standard_LRS"},
            "properties": {
                "minimumTlsVersion": "TLS1_2",
                "supportsHttpsTrafficOnly": True,
                "allowBlobPublicAccess": False,
                "allowCrossTenantReplication": False,
                # Managed functions have no identity, so they need the account key (in a
                # connection string). A linked Function App signs in with its identity,
                # and then nothing needs the keys: they are switched off.
                "allowSharedKeyAccess": arm.wrap(names.IS_MANAGED),
                "defaultToOAuthAuthentication": arm.wrap(names.IS_LINKED),
            },
        },
        {
            "type": "Microsoft.Storage/storageAccounts/tableServices",
            "apiVersion": versions.STORAGE,
            "name": arm.wrap(arm.fmt("{0}/default", names.STORAGE_ACCOUNT)),
            "dependsOn": [arm.wrap(account_id)],
        },
        {
            "type": "Microsoft.Storage/storageAccounts/tableServices/tables",
            "apiVersion": versions.STORAGE,
            "name": arm.wrap(
                arm.fmt("{0}/default/{1}", names.STORAGE_ACCOUNT, names.HISTORY_TABLE)
            ),
            "dependsOn": [
                arm.wrap(
                    arm.resource_id(
                        "Microsoft.Storage/storageAccounts/tableServices",
                        names.STORAGE_ACCOUNT,
                        arm.lit("default"),
                    )
                )
            ],
        },
        {
            "condition": arm.wrap(names.IS_LINKED),
            "type": "Microsoft.Storage/storageAccounts/blobServices",
            "apiVersion": versions.STORAGE,
            "name": arm.wrap(arm.fmt("{0}/default", names.STORAGE_ACCOUNT)),
            "dependsOn": [arm.wrap(account_id)],
            "resources": [
                {
                    "condition": arm.wrap(names.IS_LINKED),
                    "type": "containers",
                    "apiVersion": versions.STORAGE,
                    "name": arm.wrap(names.DEPLOYMENT_CONTAINER),
                    "properties": {"publicAccess": "None"},
                    "dependsOn": [
                        arm.wrap(
                            arm.resource_id(
                                "Microsoft.Storage/storageAccounts/blobServices",
                                names.STORAGE_ACCOUNT,
                                arm.lit("default"),
                            )
                        )
                    ],
                }
            ],
        },
    ]


def _endpoints() -> Expr:
    return arm.prop(arm.reference(names.storage_account_id(), versions.STORAGE), "primaryEndpoints")


def tables_endpoint() -> Expr:
    return arm.prop(_endpoints(), "table")


def deployment_container_url() -> Expr:
    return arm.concat(arm.prop(_endpoints(), "blob"), names.DEPLOYMENT_CONTAINER)


def connection_string() -> Expr:
    """The account-key connection string: a secret, for managed functions only."""
    key = arm.prop(arm.list_keys(names.storage_account_id(), versions.STORAGE), "keys[0].value")
    return arm.fmt(
        "DefaultEndpointsProtocol=https;AccountName={0};AccountKey={1};EndpointSuffix={2}",
        names.STORAGE_ACCOUNT,
        key,
        arm.prop(arm.call("environment"), "suffixes", "storage"),
    )
