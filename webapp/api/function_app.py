"""Azure Functions entry point (v2 programming model). Wiring only: see chat_api/hosting.py.

CHAT_API_HOSTING picks `buffered` (SWA managed functions, the default) or `streaming`
(a linked Function App; needs PYTHON_ENABLE_INIT_INDEXING=1).
"""

import os

from chat_api.app import create_app
from chat_api.hosting import build_function_app
from chat_api.settings import hosting_mode

app = build_function_app(create_app(), hosting_mode(os.environ))
