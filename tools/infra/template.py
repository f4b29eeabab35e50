"""One backend's whole template: the shared parts plus what the backend adds."""

from __future__ import annotations

from chat_api.settings_catalog import SETTINGS
from tools.infra import app_settings, function_app, monitoring, names, static_web_app, storage
from tools.infra.arm import Json
from tools.infra.backends import Backend
from tools.infra.outputs import outputs
from tools.infra.parameters import leading_parameters, trailing_parameters

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
HISTORY_TABLE = next(doc.default for doc in SETTINGS if doc.name == "HISTORY_TABLE_NAME")


def build_template(backend: Backend) -> Json:
    return {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {
            "description": f"Chat on Azure with {backend.title[0].lower()}{backend.title[1:]}.",
            "generator": "Written by `python -m tools.infra.generate`: edit tools/infra, "
            "not this file (docs/deploy.md).",
        },
        "parameters": {
            **leading_parameters(),
            **backend.parameters,
            **trailing_parameters(),
        },
        "variables": {**names.shared_variables(HISTORY_TABLE), **backend.variables},
        "resources": [
            *monitoring.resources(),
            *storage.resources(),
            static_web_app.site(app_settings.all_settings(backend.upstream("managed"), "managed")),
            *backend.resources,
            *function_app.resources(
                app_settings.all_settings(backend.upstream("linked"), "linked")
            ),
            static_web_app.linked_backend(),
        ],
        "outputs": outputs(backend.advice),
    }
