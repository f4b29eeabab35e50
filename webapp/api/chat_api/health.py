"""GET /api/health: is this instance configured, and can it reach its store?

For probes (App Service health check, an uptime monitor), which carry no SWA principal: so
it needs no role, and says nothing a stranger could use: no endpoint, no key, no user data.
It never calls the model (that costs money per probe); it names the configured provider.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api.app_state import AppState
from chat_api.history.factory import HistoryDisabled
from chat_api.history.store import HistoryError

log = logging.getLogger("chat_api.health")

# A user id no SWA principal has (SWA's are hex): reading its empty list touches the store.
_PROBE_USER = "health-probe"
_NO_STORE = {"Cache-Control": "no-store"}


async def health(request: Request) -> Response:
    state = request.app.state.chat
    if not isinstance(state, AppState):
        # What is wrong is in the log; a probe only needs to know that it is.
        return JSONResponse({"status": "misconfigured"}, status_code=503, headers=_NO_STORE)
    settings = state.settings
    reachable: bool | None = None
    if state.history.enabled:
        try:
            store = await state.history.get()
            await store.list_conversations(_PROBE_USER, limit=1)
            reachable = True
        except (HistoryError, HistoryDisabled, OSError) as error:
            log.warning("health: history store not reachable: %s", type(error).__name__)
            reachable = False
    healthy = reachable is not False
    body = {
        "status": "ok" if healthy else "degraded",
        "provider": settings.upstream.provider.value,
        "models": [model.id for model in settings.models],
        "store": {"kind": settings.history.store, "reachable": reachable},
    }
    return JSONResponse(body, status_code=200 if healthy else 503, headers=_NO_STORE)
