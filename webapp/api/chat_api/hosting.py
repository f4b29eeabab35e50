"""Serve the one Starlette app from Azure Functions, buffered or streaming.

- `buffered`: SWA managed functions. `AsgiFunctionApp` is the official adapter; it
  collects the whole response, which SWA would buffer anyway.
- `streaming`: a linked Function App with HTTP streams. The streams extension hands each
  function its own FastAPI/Starlette `Request` (a real ASGI scope and receive channel) and
  sends whatever Response the function returns by calling it as an ASGI app. So one
  catch-all function returns a Response that runs our app on that same scope: every
  route, and its streaming, work unchanged. The extension cannot be mixed with
  `AsgiFunctionApp`, hence the two modes (docs/architecture.md).

The uvicorn host (local and tests) serves the app directly.
"""

# No `from __future__ import annotations` here: the Functions worker reads the function's
# annotations as real classes to recognise the streams extension's Request/Response.
from typing import TYPE_CHECKING, Any

import azure.functions as func

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

_OUTER_ROUTING_KEYS = frozenset({"app", "router", "route", "endpoint", "path_params"})
HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def build_function_app(
    asgi_app: "ASGIApp", hosting: str
) -> func.FunctionApp | func.AsgiFunctionApp:
    if hosting == "streaming":
        return _streaming_function_app(asgi_app)
    # Authorisation is the app's own (the SWA principal), not a Functions key.
    return func.AsgiFunctionApp(app=asgi_app, http_auth_level=func.AuthLevel.ANONYMOUS)


def _streaming_function_app(asgi_app: "ASGIApp") -> func.FunctionApp:
    # Imported here: it pulls in FastAPI (~250 ms), which buffered mode never needs.
    from azurefunctions.extensions.http.fastapi import Request, StreamingResponse
    from starlette.responses import StreamingResponse as StarletteStreamingResponse

    class ForwardToApp(StarletteStreamingResponse):
        """A Response that, when sent, lets our ASGI app answer the original request.

        A StreamingResponse (the type the function declares) so that any check the worker
        makes on the returned object holds; its own content is never used.
        """

        def __init__(self) -> None:
            super().__init__(iter(()))

        async def __call__(self, scope: "Scope", receive: "Receive", send: "Send") -> None:
            # Drop the extension's own routing keys so our router starts afresh.
            fresh = {k: v for k, v in scope.items() if k not in _OUTER_ROUTING_KEYS}
            await asgi_app(fresh, receive, send)

    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

    @app.route(route="{*path}", methods=HTTP_METHODS)
    async def api(req: Request) -> StreamingResponse:
        forward: Any = ForwardToApp()
        return forward

    return app
