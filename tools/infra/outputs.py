"""What the portal shows when the deployment is done: the app's address and what to do
next. Never a key: outputs are readable by anyone who can read the deployment."""

from __future__ import annotations

from tools.infra import arm, names, static_web_app
from tools.infra.arm import Expr, Json
from tools.infra.function_app import principal_id


def outputs(advice: tuple[Expr, ...]) -> Json:
    url = arm.concat(arm.lit("https://"), static_web_app.default_hostname())
    deploy_api = arm.if_(
        names.IS_LINKED,
        arm.fmt(
            " The API goes to Function App {0}: in .github/workflows/deploy.yml set "
            "API_HOSTING: linked and FUNCTION_APP_NAME: {0} (docs/delivery.md).",
            names.FUNCTION_APP,
        ),
        arm.lit(""),
    )
    steps = arm.concat(
        arm.fmt(
            "1) Deploy the code: in Static Web App {0} > Overview > Manage deployment token, "
            "copy the token into your fork's GitHub secret AZURE_STATIC_WEB_APPS_API_TOKEN "
            "(docs/delivery.md).",
            names.STATIC_WEB_APP,
        ),
        deploy_api,
        *advice,
        arm.fmt(
            " 2) Invite users: Static Web App {0} > Role management > Invite, role invited "
            "(at most 25 people this way; for more see docs/access.md). 3) Open {1}",
            names.STATIC_WEB_APP,
            url,
        ),
    )
    return {
        "appUrl": {"type": "string", "value": arm.wrap(url)},
        "staticWebAppName": {"type": "string", "value": arm.wrap(names.STATIC_WEB_APP)},
        "apiHosting": {
            "type": "string",
            "value": arm.wrap(
                arm.if_(
                    names.IS_LINKED,
                    arm.fmt("Function App {0}: answers stream", names.FUNCTION_APP),
                    arm.lit("managed functions: answers arrive whole"),
                )
            ),
        },
        "functionAppPrincipalId": {
            "condition": arm.wrap(names.IS_LINKED),
            "type": "string",
            "value": arm.wrap(principal_id()),
        },
        "nextSteps": {"type": "string", "value": arm.wrap(steps)},
    }
