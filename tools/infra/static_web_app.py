"""The Static Web App, its app settings (managed hosting) or its linked backend."""

from __future__ import annotations

from collections.abc import Mapping

from tools.infra import arm, names, versions
from tools.infra.arm import Expr, Json


def site(settings: Mapping[str, str]) -> Json:
    """`settings`: what managed functions read as environment variables."""
    sku = arm.wrap(arm.var("staticWebAppSku"))
    return {
        "type": "Microsoft.Web/staticSites",
        "apiVersion": versions.WEB,
        "name": arm.wrap(names.STATIC_WEB_APP),
        "location": arm.wrap(arm.param("staticWebAppLocation")),
        "sku": {"name": sku, "tier": sku},
        "properties": {
            # The code arrives from CI with the deployment token (docs/deploy.md), not from
            # a repository link made here, which would need a GitHub token as a parameter.
            "stagingEnvironmentPolicy": "Enabled",
            "allowConfigFileUpdates": True,
        },
        # Child resources are nested where the published schema can only tell them apart
        # by their short literal names (`appsettings` here).
        "resources": [
            {
                "condition": arm.wrap(names.IS_MANAGED),
                "type": "config",
                "apiVersion": versions.WEB,
                "name": "appsettings",
                "properties": {k: arm.guard(names.IS_MANAGED, v) for k, v in settings.items()},
                "dependsOn": [arm.wrap(names.static_web_app_id())],
            }
        ],
    }


def linked_backend() -> Json:
    """Sends /api/* to the Function App. Linking also gives the Function App an identity
    provider that lets only this Static Web App call it (docs/deploy.md)."""
    return {
        "condition": arm.wrap(names.IS_LINKED),
        "type": "Microsoft.Web/staticSites/linkedBackends",
        "apiVersion": versions.WEB,
        "name": arm.wrap(arm.fmt("{0}/backend", names.STATIC_WEB_APP)),
        "properties": {
            "backendResourceId": arm.wrap(names.function_app_id()),
            "region": arm.wrap(arm.param("location")),
        },
        "dependsOn": [
            arm.wrap(names.static_web_app_id()),
            arm.wrap(names.function_app_id()),
        ],
    }


def default_hostname() -> Expr:
    return arm.prop(arm.reference(names.static_web_app_id(), versions.WEB), "defaultHostname")
