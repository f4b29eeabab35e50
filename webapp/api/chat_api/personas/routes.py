"""GET /api/personas: the catalog, for the persona picker on a new chat."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat_api.app_state import caller
from chat_api.personas.schemas import catalog_out

# The catalog changes only with a deploy or an app-settings change (both restart the API);
# five minutes spares the picker a request per new chat. Private: only signed-in users get it.
CACHE_CONTROL = "private, max-age=300"


async def list_personas(request: Request) -> Response:
    state, _ = caller(request)
    return JSONResponse(
        catalog_out(state.personas).model_dump(mode="json"),
        headers={"Cache-Control": CACHE_CONTROL},
    )
