"""The chat API: one Starlette app served by uvicorn, by SWA managed functions and by a
streaming Function App alike (see `function_app.py` and `hosting.py`)."""
