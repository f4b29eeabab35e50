"""Every setting the API reads: its name, default and meaning, in README order.

The README's settings table is generated from this list
(`python -m chat_api.settings_catalog --markdown`) and a test keeps the two in step.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class SettingDoc:
    name: str
    default: str
    description: str
    secret: bool = False


# The single list of settings. Order is the order of the README table.
SETTINGS: tuple[SettingDoc, ...] = (
    SettingDoc(
        "AI_PROVIDER",
        "inferred",
        "`azure`, `openai`, `compatible` (Ollama, vLLM, LM Studio...) or `mock`. When unset: "
        "`azure` if `AZURE_OPENAI_ENDPOINT` is set, else `openai` if `OPENAI_API_KEY` is set.",
    ),
    SettingDoc(
        "AZURE_OPENAI_ENDPOINT",
        "",
        "Azure OpenAI resource endpoint, e.g. `https://myres.openai.azure.com/`. "
        "Required for `azure`.",
    ),
    SettingDoc(
        "AZURE_OPENAI_KEY",
        "",
        "Azure OpenAI key. Leave empty to sign in with Entra ID instead (managed identity "
        "or `az login`; needs the role Cognitive Services OpenAI User).",
        secret=True,
    ),
    SettingDoc(
        "AZURE_OPENAI_DEPLOYMENT_NAME",
        "",
        "Name of the model deployment in the Azure OpenAI resource. Required for `azure`.",
    ),
    SettingDoc(
        "OPENAI_API_KEY",
        "",
        "OpenAI API key. Required for `openai`; optional for `compatible`.",
        secret=True,
    ),
    SettingDoc(
        "OPENAI_MODEL_NAME",
        "gpt-5.4-mini",
        "Model for `openai` and `compatible` (e.g. `llama3.2` on Ollama).",
    ),
    SettingDoc(
        "OPENAI_BASE_URL",
        "",
        "Base URL of an OpenAI-compatible server, e.g. `http://localhost:11434/v1`. "
        "Required for `compatible`.",
    ),
    SettingDoc(
        "MOCK_OPENAI_URL",
        "http://127.0.0.1:7077/v1",
        "Base URL of the mock OpenAI server, for `mock`.",
    ),
    SettingDoc(
        "MODEL_REASONING",
        "auto",
        "`true` if the model is a reasoning model (takes `max_completion_tokens`, rejects "
        "`temperature`), `false` if not, `auto` to tell from its name (o-series, gpt-5 "
        "family). Set it when an Azure deployment name hides the model.",
    ),
    SettingDoc(
        "MODEL_CONTEXT_TOKENS",
        "128000",
        "The model's context window in tokens. Older messages are left out of a request to "
        "fit it (the newest turn and the system prompt always stay).",
    ),
    SettingDoc(
        "MODEL_ANSWER_TOKENS",
        "4096",
        "Room kept for the answer inside the context window when a request sets no max_tokens.",
    ),
    SettingDoc(
        "MODEL_CATALOG",
        "",
        "Several models for users to choose from, as a JSON list: "
        '`[{"id": "gpt-5.4-mini", "name": "Fast", "description": "Everyday answers", '
        '"context_tokens": 400000}, {"id": "o4-mini", "name": "Reasoning", "reasoning": true}]`. '
        "`id` is the deployment (Azure) or model name; the first is the default; "
        "`reasoning` is told from the name when not given; `context_tokens` and `answer_tokens` "
        "default to the two settings above. "
        "Empty: the one model of the provider's settings.",
    ),
    SettingDoc(
        "HISTORY_STORE",
        "sqlite",
        "Where conversations are saved: `sqlite` (a local file: local use), `table` (Azure "
        "Table Storage: Azure deployments) or `none` (nothing is saved).",
    ),
    SettingDoc(
        "HISTORY_SQLITE_PATH",
        ".data/history.sqlite3",
        "The SQLite file for `sqlite`, relative to the API's working directory.",
    ),
    SettingDoc(
        "HISTORY_STORAGE_CONNECTION_STRING",
        "",
        "Storage connection string for `table` (Azurite: `UseDevelopmentStorage=true`). "
        "Leave empty to sign in with Entra ID at `HISTORY_TABLES_ENDPOINT`.",
        secret=True,
    ),
    SettingDoc(
        "HISTORY_TABLES_ENDPOINT",
        "",
        "Table endpoint for keyless `table` access, e.g. `https://acct.table.core.windows.net` "
        "(the identity needs the role Storage Table Data Contributor).",
    ),
    SettingDoc(
        "HISTORY_TABLE_NAME", "chathistory", "The table that holds the history for `table`."
    ),
    SettingDoc(
        "ALLOWED_ROLES",
        "invited",
        "Comma-separated SWA roles that may use the API.",
    ),
    SettingDoc(
        "ROLE_INVITED_EMAIL_DOMAINS",
        "",
        "Role function (custom authentication, over 25 users: docs/access.md): "
        "comma-separated email domains whose users get `invited` at sign-in, e.g. "
        "`contoso.com` (exact domain; subdomains are listed separately). Case-insensitive.",
    ),
    SettingDoc(
        "ROLE_INVITED_EMAILS",
        "",
        "Role function: comma-separated email addresses that get `invited` at sign-in. "
        "Case-insensitive.",
    ),
    SettingDoc(
        "ROLE_INVITED_GROUP_IDS",
        "",
        "Role function: comma-separated Entra ID group object ids (GUIDs) whose members get "
        "`invited` at sign-in; the app registration must emit the groups claim.",
    ),
    SettingDoc(
        "ROLE_ADMIN_EMAILS",
        "",
        "Role function: comma-separated email addresses that get `admin` (and `invited`) at "
        "sign-in. Case-insensitive. With all four `ROLE_` settings empty, nobody gets a role.",
    ),
    SettingDoc(
        "CHAT_API_HOSTING",
        "buffered",
        "`buffered` for SWA managed functions (SWA delivers answers whole) or `streaming` "
        "for a linked Function App (tokens stream; also set `PYTHON_ENABLE_INIT_INDEXING=1`).",
    ),
    SettingDoc(
        "UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS",
        "20",
        "How long one attempt may wait for the model's first token before it is retried.",
    ),
    SettingDoc(
        "UPSTREAM_IDLE_TIMEOUT_SECONDS",
        "30",
        "How long a started answer may go silent before it is reported as interrupted.",
    ),
    SettingDoc(
        "UPSTREAM_MAX_RETRIES",
        "2",
        "Retries before the first token after a 429, a 5xx, a connection error or a time-out.",
    ),
    SettingDoc(
        "UPSTREAM_MAX_RETRY_WAIT_SECONDS",
        "10",
        "Longest Retry-After the API waits out itself; a longer one goes back to the user "
        "as a 429 that says when to retry. SWA cuts every request at 45 s.",
    ),
    SettingDoc("MAX_MESSAGES", "500", "Most messages one chat request may carry."),
    SettingDoc(
        "MAX_MESSAGE_CHARS", "100000", "Longest message (and system prompt), in characters."
    ),
    SettingDoc("MAX_REQUEST_BYTES", "4194304", "Largest request body, in bytes."),
    SettingDoc(
        "USAGE_NOTE",
        "",
        "Your organisation's usage note or disclaimer, shown to every user on a new chat and "
        "under the message box (plain text; `\\n` starts a new line; web addresses become "
        "links; at most 2,000 characters).",
    ),
    SettingDoc(
        "PERSONAS_FILE",
        "",
        "Your own persona catalog: a JSON file in the format of the built-in one "
        "(docs/personas.md), deployed with the API; a relative path starts at the API folder "
        "(`webapp/api`). Checked at start-up: a bad entry makes the API refuse requests and "
        "the log names the entry. Empty: the built-in catalog alone.",
    ),
    SettingDoc(
        "PERSONAS_MODE",
        "extend",
        "`extend`: your groups and personas are added to the built-in ones (one with a "
        "built-in id replaces it); `replace`: only yours are offered (needs `PERSONAS_FILE`).",
    ),
    SettingDoc(
        "LIMIT_REQUESTS_PER_MINUTE",
        "0",
        "Most chat requests one user may make in a minute (0: no limit). Enforced across all "
        "instances of the API; an admin can change it per user. Every limit needs a store "
        "(`HISTORY_STORE` `sqlite` or `table`).",
    ),
    SettingDoc(
        "LIMIT_TOKENS_PER_DAY",
        "0",
        "Most tokens (prompt and answer) one user may use in a UTC day (0: no limit).",
    ),
    SettingDoc(
        "LIMIT_TOKENS_PER_MONTH",
        "0",
        "Most tokens one user may use in a UTC calendar month (0: no limit).",
    ),
    SettingDoc(
        "LIMIT_GLOBAL_TOKENS_PER_MINUTE",
        "0",
        "Most tokens all users together may use in a minute (0: no limit). Set it a little "
        "under the deployment's tokens-per-minute quota so one busy user cannot starve the rest.",
    ),
    SettingDoc(
        "MODEL_PRICES",
        "",
        "Prices for the admin's cost estimate, per million tokens, as JSON: "
        '`{"gpt-5.4-mini": {"input": 0.4, "output": 1.6}}` (any currency; models not listed '
        "show no cost).",
    ),
    SettingDoc(
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "",
        "Application Insights: requests, model and storage calls, warnings and exceptions go "
        "there (never message text). Empty: no telemetry (and nothing of it is loaded).",
    ),
    SettingDoc("LOG_LEVEL", "INFO", "Python log level of the API's own loggers."),
)


def settings_table_markdown() -> str:
    """The README's settings table, generated so that it cannot drift from the code."""
    rows = ["| setting | default | what it does |", "|---|---|---|"]
    for doc in SETTINGS:
        default = f"`{doc.default}`" if doc.default else "(empty)"
        secret = " **Secret**: keep it in app settings, never in code." if doc.secret else ""
        rows.append(f"| `{doc.name}` | {default} | {doc.description}{secret} |")
    return "\n".join(rows)


if __name__ == "__main__":
    if sys.argv[1:] == ["--markdown"]:
        print(settings_table_markdown())
    else:
        print("usage: python -m chat_api.settings_catalog --markdown", file=sys.stderr)
        sys.exit(2)
