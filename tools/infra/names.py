"""Names of the resources every template creates, as template variables, and their ids.

Names end in a suffix derived from the resource group and the app name, so that deploying
again with the same parameters updates the same resources instead of creating new ones.
"""

from __future__ import annotations

from tools.infra import arm
from tools.infra.arm import Expr

APP_NAME = arm.param("appName")
SUFFIX = arm.var("suffix")
IS_LINKED = arm.var("isLinked")
IS_MANAGED = arm.not_(IS_LINKED)

STATIC_WEB_APP = arm.var("staticWebAppName")
STORAGE_ACCOUNT = arm.var("storageAccountName")
HISTORY_TABLE = arm.var("historyTableName")
DEPLOYMENT_CONTAINER = arm.var("deploymentContainerName")
LOG_ANALYTICS = arm.var("logAnalyticsName")
APP_INSIGHTS = arm.var("appInsightsName")
FUNCTION_PLAN = arm.var("functionPlanName")
FUNCTION_APP = arm.var("functionAppName")


def shared_variables(history_table_name: str) -> dict[str, str]:
    dashed = arm.fmt("{0}-{1}", APP_NAME, SUFFIX)
    return {
        "suffix": arm.wrap(
            arm.call("uniqueString", arm.prop(arm.call("resourceGroup"), "id"), APP_NAME)
        ),
        "isLinked": arm.wrap(arm.equals(arm.param("apiHosting"), arm.lit("linked"))),
        # Linked backends exist only on the Standard plan: choosing `linked` chooses it.
        "staticWebAppSku": arm.wrap(
            arm.if_(IS_LINKED, arm.lit("Standard"), arm.param("staticWebAppSku"))
        ),
        "staticWebAppName": arm.wrap(dashed),
        # Storage account names: 3-24 lower-case letters and digits, unique in Azure.
        "storageAccountName": arm.wrap(
            arm.fmt(
                "{0}st{1}",
                arm.call(
                    "take",
                    arm.call("toLower", arm.call("replace", APP_NAME, arm.lit("-"), arm.lit(""))),
                    "9",
                ),
                SUFFIX,
            )
        ),
        "historyTableName": history_table_name,
        "deploymentContainerName": "app-package",
        "logAnalyticsName": arm.wrap(arm.fmt("{0}-logs-{1}", APP_NAME, SUFFIX)),
        "appInsightsName": arm.wrap(arm.fmt("{0}-insights-{1}", APP_NAME, SUFFIX)),
        "functionPlanName": arm.wrap(arm.fmt("{0}-plan-{1}", APP_NAME, SUFFIX)),
        "functionAppName": arm.wrap(arm.fmt("{0}-api-{1}", APP_NAME, SUFFIX)),
    }


def static_web_app_id() -> Expr:
    return arm.resource_id("Microsoft.Web/staticSites", STATIC_WEB_APP)


def storage_account_id() -> Expr:
    return arm.resource_id("Microsoft.Storage/storageAccounts", STORAGE_ACCOUNT)


def app_insights_id() -> Expr:
    return arm.resource_id("Microsoft.Insights/components", APP_INSIGHTS)


def log_analytics_id() -> Expr:
    return arm.resource_id("Microsoft.OperationalInsights/workspaces", LOG_ANALYTICS)


def function_plan_id() -> Expr:
    return arm.resource_id("Microsoft.Web/serverfarms", FUNCTION_PLAN)


def function_app_id() -> Expr:
    return arm.resource_id("Microsoft.Web/sites", FUNCTION_APP)
