"""The three model backends, one template each: what each adds to the shared parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chat_api.settings_catalog import SETTINGS
from tools.infra import arm, names, openai_account, roles, versions
from tools.infra.app_settings import Hosting
from tools.infra.arm import Expr, Json
from tools.infra.function_app import principal_id
from tools.infra.parameters import parameter

# A chat model Azure still sells to new customers (gpt-4o and gpt-4.1 retire in 2026).
DEFAULT_MODEL = next(doc.default for doc in SETTINGS if doc.name == "OPENAI_MODEL_NAME")
DEFAULT_MODEL_VERSION = "2026-03-17"


@dataclass(frozen=True)
class Backend:
    slug: str  # the template is infrastructure/azuredeploy-<slug>.json
    title: str
    needs: str  # what the admin must have at hand, for the button table
    parameters: Json
    upstream: Callable[[Hosting], dict[str, str]]
    variables: dict[str, str] = field(default_factory=dict)
    resources: tuple[Json, ...] = ()
    # Sentences for the nextSteps output, each an expression that is '' when it does not apply.
    advice: tuple[Expr, ...] = ()

    @property
    def file_name(self) -> str:
        return f"azuredeploy-{self.slug}.json"


def new_azure_openai() -> Backend:
    def upstream(hosting: Hosting) -> dict[str, str]:
        settings = {
            "AI_PROVIDER": "azure",
            "AZURE_OPENAI_ENDPOINT": arm.wrap(openai_account.endpoint()),
            "AZURE_OPENAI_DEPLOYMENT_NAME": arm.wrap(openai_account.DEPLOYMENT),
        }
        if hosting == "managed":
            settings["AZURE_OPENAI_KEY"] = arm.wrap(openai_account.key())
        return settings

    return Backend(
        slug="new-azure-openai",
        title="A new Azure OpenAI resource",
        needs="Quota for the model in your subscription and region",
        parameters={
            "modelName": parameter(
                "string",
                "The chat model to deploy, e.g. gpt-5.4-mini, gpt-5.4-nano or gpt-5.4 (check "
                "that your region offers it: learn.microsoft.com/azure/ai-foundry/openai/"
                "concepts/models).",
                default=DEFAULT_MODEL,
            ),
            "modelVersion": parameter(
                "string",
                "The model version (e.g. 2026-03-17 for gpt-5.4-mini).",
                default=DEFAULT_MODEL_VERSION,
            ),
            "modelDeploymentSku": parameter(
                "string",
                "How the deployment is served. GlobalStandard: Azure routes requests to any "
                "region (highest quota). DataZoneStandard: within the EU or US data zone. "
                "Standard: only in the resource's region.",
                default="GlobalStandard",
                allowed=["GlobalStandard", "DataZoneStandard", "Standard"],
            ),
            "modelCapacity": parameter(
                "int",
                "Rate limit of the deployment, in thousands of tokens per minute (within your "
                "subscription's quota for the model).",
                default=50,
                minValue=1,
                maxValue=10000,
            ),
            "openAILocation": parameter(
                "string",
                "Region of the Azure OpenAI resource; the model must be offered there.",
                default=arm.wrap(arm.param("location")),
            ),
            "openAIAllowedIpRanges": parameter(
                "array",
                'Optional: the only addresses (IPv4 or CIDR, e.g. ["203.0.113.0/24"]) that '
                "may call the Azure OpenAI resource. Empty: no restriction. Include your API's "
                "outbound addresses, or it is locked out too (docs/deploy.md#restrict-ip-ranges).",
                default=[],
            ),
        },
        upstream=upstream,
        variables=openai_account.variables(),
        resources=(*openai_account.resources(), openai_account.role_for_function_app()),
    )


def existing_azure_openai() -> Backend:
    key = arm.param("azureOpenAIKey")
    resource = arm.param("azureOpenAIResourceId")
    grants_role = arm.var("grantsOpenAIRole")

    def upstream(hosting: Hosting) -> dict[str, str]:
        settings = {
            "AI_PROVIDER": "azure",
            "AZURE_OPENAI_ENDPOINT": arm.wrap(arm.param("azureOpenAIEndpoint")),
            "AZURE_OPENAI_DEPLOYMENT_NAME": arm.wrap(arm.param("azureOpenAIDeploymentName")),
        }
        if hosting == "managed":
            settings["AZURE_OPENAI_KEY"] = arm.wrap(key)
        return settings

    return Backend(
        slug="existing-azure-openai",
        title="An existing Azure OpenAI resource",
        needs="Its endpoint and deployment name; a key (managed hosting) or the right to "
        "grant it a role (linked hosting)",
        parameters={
            "azureOpenAIEndpoint": parameter(
                "string",
                "Endpoint of the Azure OpenAI resource, e.g. https://myresource.openai.azure.com/ "
                "(portal: the resource > Keys and Endpoint).",
            ),
            "azureOpenAIDeploymentName": parameter(
                "string", "Name of the model deployment in that resource to chat with."
            ),
            "azureOpenAIKey": parameter(
                "securestring",
                "Managed hosting: a key of the resource (managed functions cannot sign in with "
                "an identity). Linked hosting: leave empty; the Function App signs in with its "
                "managed identity and no key is stored.",
                default="",
            ),
            "azureOpenAIResourceId": parameter(
                "string",
                "Linked hosting, optional: the resource's id (/subscriptions/.../providers/"
                "Microsoft.CognitiveServices/accounts/NAME; portal: the resource > JSON View). "
                "Given, the template grants the Function App the role Cognitive Services OpenAI "
                "User on it (you need the right to assign roles there). Empty: grant it yourself "
                "afterwards (docs/deploy.md).",
                default="",
            ),
        },
        upstream=upstream,
        variables={
            "grantsOpenAIRole": arm.wrap(arm.and_(names.IS_LINKED, arm.not_(arm.empty(resource)))),
            # Outputs may say whether a key was given, never touch the key itself.
            "keyMissing": arm.wrap(arm.and_(names.IS_MANAGED, arm.empty(key))),
        },
        resources=(_role_on_existing_resource(resource, grants_role),),
        advice=(
            arm.if_(
                arm.var("keyMissing"),
                arm.lit(
                    " Warning: no key was given, and managed functions cannot sign in without "
                    "one: set AZURE_OPENAI_KEY in the Static Web App's environment variables."
                ),
                arm.lit(""),
            ),
            arm.if_(
                arm.and_(names.IS_LINKED, arm.empty(resource)),
                arm.fmt(
                    " Then grant the role Cognitive Services OpenAI User on your Azure OpenAI "
                    "resource to the Function App's identity {0} "
                    "(docs/deploy.md#an-existing-azure-openai-resource).",
                    principal_id(),
                ),
                arm.lit(""),
            ),
        ),
    )


def _role_on_existing_resource(resource: Expr, condition: Expr) -> Json:
    """The role on a resource that may live in another resource group or subscription,
    granted by a nested deployment there.

    Every expression here is guarded by `condition`: ARM evaluates a resource's properties
    even when its condition is false, and splitting an empty id would fail.
    """

    def part(index: int, otherwise: Expr) -> Expr:
        return arm.if_(
            condition, f"{arm.call('split', resource, arm.lit('/'))}[{index}]", otherwise
        )

    inner_principal = arm.param("principalId")
    inner_account = arm.param("accountName")
    return {
        "condition": arm.wrap(condition),
        "type": "Microsoft.Resources/deployments",
        "apiVersion": versions.DEPLOYMENTS,
        "name": arm.wrap(arm.fmt("{0}-openai-role", names.FUNCTION_APP)),
        "subscriptionId": arm.wrap(part(2, arm.prop(arm.call("subscription"), "subscriptionId"))),
        "resourceGroup": arm.wrap(part(4, arm.prop(arm.call("resourceGroup"), "name"))),
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": "inner"},
            "parameters": {
                "principalId": {"value": arm.wrap(principal_id())},
                "accountName": {"value": arm.wrap(part(8, arm.lit("")))},
            },
            "template": {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {
                    "principalId": {"type": "string"},
                    "accountName": {"type": "string"},
                },
                "resources": [
                    roles.role_assignment(
                        scope=arm.fmt("Microsoft.CognitiveServices/accounts/{0}", inner_account),
                        scope_id=arm.resource_id(
                            "Microsoft.CognitiveServices/accounts", inner_account
                        ),
                        role=roles.OPENAI_USER,
                        principal_id=inner_principal,
                        principal_key=inner_principal,
                    )
                ],
            },
        },
        "dependsOn": [arm.wrap(names.function_app_id())],
    }


def openai_api() -> Backend:
    provider = arm.param("aiProvider")
    key = arm.param("openAIApiKey")
    base_url = arm.param("openAIBaseUrl")

    def upstream(hosting: Hosting) -> dict[str, str]:
        # OpenAI has no managed identity to offer: the key is stored in both modes.
        return {
            "AI_PROVIDER": arm.wrap(provider),
            "OPENAI_API_KEY": arm.wrap(key),
            "OPENAI_MODEL_NAME": arm.wrap(arm.param("openAIModelName")),
            "OPENAI_BASE_URL": arm.wrap(base_url),
        }

    return Backend(
        slug="openai",
        # Outputs may say whether a key was given, never touch the key itself.
        variables={
            "keyMissing": arm.wrap(
                arm.and_(arm.equals(provider, arm.lit("openai")), arm.empty(key))
            )
        },
        title="OpenAI's API, or any OpenAI-compatible server",
        needs="An OpenAI API key, or the server's URL (and key, if it wants one)",
        parameters={
            "aiProvider": parameter(
                "string",
                "openai: OpenAI's own API. compatible: any server that speaks OpenAI's API "
                "(vLLM, Ollama, LM Studio, a gateway), at the base URL below.",
                default="openai",
                allowed=["openai", "compatible"],
            ),
            "openAIApiKey": parameter(
                "securestring",
                "API key (platform.openai.com > API keys). Optional for a compatible server "
                "that needs none.",
                default="",
            ),
            "openAIModelName": parameter(
                "string",
                "The model to chat with, e.g. gpt-5.4-mini, or llama3.2 on Ollama.",
                default=DEFAULT_MODEL,
            ),
            "openAIBaseUrl": parameter(
                "string",
                "compatible: the server's base URL, e.g. https://llm.example.com/v1 (it must be "
                "reachable from Azure). openai: leave empty.",
                default="",
            ),
        },
        upstream=upstream,
        advice=(
            arm.if_(
                arm.var("keyMissing"),
                arm.lit(" Warning: no API key was given: set OPENAI_API_KEY (docs/deploy.md)."),
                arm.lit(""),
            ),
            arm.if_(
                arm.and_(arm.equals(provider, arm.lit("compatible")), arm.empty(base_url)),
                arm.lit(" Warning: no base URL was given: set OPENAI_BASE_URL (docs/deploy.md)."),
                arm.lit(""),
            ),
        ),
    )


BACKENDS: tuple[Callable[[], Backend], ...] = (new_azure_openai, existing_azure_openai, openai_api)
