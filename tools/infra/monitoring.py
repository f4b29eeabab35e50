"""Application Insights, on a Log Analytics workspace, for the API's logs and traces."""

from __future__ import annotations

from tools.infra import arm, names, versions
from tools.infra.arm import Expr, Json

LOCATION = arm.wrap(arm.param("location"))


def resources() -> list[Json]:
    return [
        {
            "type": "Microsoft.OperationalInsights/workspaces",
            "apiVersion": versions.LOG_ANALYTICS,
            "name": arm.wrap(names.LOG_ANALYTICS),
            "location": LOCATION,
            "properties": {"sku": {"name": "PerGB2018"}, "retentionInDays": 30},
        },
        {
            "type": "Microsoft.Insights/components",
            "apiVersion": versions.APP_INSIGHTS,
            "name": arm.wrap(names.APP_INSIGHTS),
            "location": LOCATION,
            "kind": "web",
            "properties": {
                "Application_Type": "web",
                "WorkspaceResourceId": arm.wrap(names.log_analytics_id()),
            },
            "dependsOn": [arm.wrap(names.log_analytics_id())],
        },
    ]


def connection_string() -> Expr:
    """Not a secret: it lets a client send telemetry, not read it."""
    return arm.prop(
        arm.reference(names.app_insights_id(), versions.APP_INSIGHTS), "ConnectionString"
    )
