"""The API's settings: read once from the environment, validated, typed.

Azure Functions and SWA deliver app settings as environment variables, and so does
`local.settings.json` under `func start`. Every setting is documented in SETTINGS below,
which also feeds the README's settings table (`python -m chat_api.settings --markdown`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from chat_api.model_profiles import ModelProfile, looks_like_reasoning_model


class Provider(StrEnum):
    AZURE = "azure"
    OPENAI = "openai"
    COMPATIBLE = "compatible"
    MOCK = "mock"


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
        "ALLOWED_ROLES",
        "invited",
        "Comma-separated SWA roles that may use the API.",
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
    SettingDoc("LOG_LEVEL", "INFO", "Python log level of the API's own loggers."),
)

_DEFAULTS = {doc.name: doc.default for doc in SETTINGS}


class SettingsError(Exception):
    """One or more settings are missing or wrong. Messages name settings, never values."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class UpstreamSettings:
    provider: Provider
    base_url: str | None
    api_key: str | None
    # Azure without a key: sign in with Entra ID (DefaultAzureCredential).
    keyless_azure: bool


@dataclass(frozen=True)
class Limits:
    max_messages: int
    max_message_chars: int
    max_request_bytes: int


@dataclass(frozen=True)
class RetryPolicy:
    first_token_timeout: float
    idle_timeout: float
    max_retries: int
    max_retry_wait: float


@dataclass(frozen=True)
class Settings:
    upstream: UpstreamSettings
    models: tuple[ModelProfile, ...]
    allowed_roles: frozenset[str]
    hosting: str
    retry: RetryPolicy
    limits: Limits
    log_level: str

    @property
    def default_model(self) -> ModelProfile:
        return self.models[0]


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Read and check every setting; raise SettingsError listing all problems at once."""
    reader = _Reader(environ)
    upstream, model_name = _read_upstream(reader)
    reasoning = reader.choice("MODEL_REASONING", ("auto", "true", "false"))
    model = ModelProfile(
        id=model_name,
        reasoning=(
            looks_like_reasoning_model(model_name) if reasoning == "auto" else reasoning == "true"
        ),
    )
    roles = frozenset(r.strip() for r in reader.text("ALLOWED_ROLES").split(",") if r.strip())
    if not roles:
        reader.problems.append("ALLOWED_ROLES must name at least one role")
    settings = Settings(
        upstream=upstream,
        models=(model,),
        allowed_roles=roles,
        hosting=reader.choice("CHAT_API_HOSTING", ("buffered", "streaming")),
        retry=RetryPolicy(
            first_token_timeout=reader.number("UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS", 0.1, 600),
            idle_timeout=reader.number("UPSTREAM_IDLE_TIMEOUT_SECONDS", 0.1, 600),
            max_retries=int(reader.number("UPSTREAM_MAX_RETRIES", 0, 10, integer=True)),
            max_retry_wait=reader.number("UPSTREAM_MAX_RETRY_WAIT_SECONDS", 0, 40),
        ),
        limits=Limits(
            max_messages=int(reader.number("MAX_MESSAGES", 1, 100_000, integer=True)),
            max_message_chars=int(reader.number("MAX_MESSAGE_CHARS", 1, 10_000_000, integer=True)),
            max_request_bytes=int(
                reader.number("MAX_REQUEST_BYTES", 1024, 100_000_000, integer=True)
            ),
        ),
        log_level=reader.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), upper=True),
    )
    if reader.problems:
        raise SettingsError(reader.problems)
    return settings


def hosting_mode(environ: Mapping[str, str]) -> str:
    """CHAT_API_HOSTING alone, for function_app.py: it must pick a mode even when other
    settings are wrong, so that the app can start and say what to fix."""
    value = environ.get("CHAT_API_HOSTING", "").strip().lower()
    return "streaming" if value == "streaming" else "buffered"


def _read_upstream(reader: _Reader) -> tuple[UpstreamSettings, str]:
    provider = _infer_provider(reader)
    model = reader.text("OPENAI_MODEL_NAME")
    if provider is Provider.AZURE:
        endpoint = reader.url("AZURE_OPENAI_ENDPOINT", required=True)
        key = reader.text("AZURE_OPENAI_KEY") or None
        model = reader.text("AZURE_OPENAI_DEPLOYMENT_NAME")
        if not model:
            reader.problems.append(
                "AZURE_OPENAI_DEPLOYMENT_NAME is required when AI_PROVIDER=azure"
            )
        # One code path for every provider: Azure's v1 API takes the OpenAI client as is.
        base_url = endpoint.rstrip("/") + "/openai/v1/" if endpoint else None
        return UpstreamSettings(provider, base_url, key, keyless_azure=key is None), model
    if provider is Provider.OPENAI:
        openai_key = reader.text("OPENAI_API_KEY")
        if not openai_key:
            reader.problems.append("OPENAI_API_KEY is required when AI_PROVIDER=openai")
        base_url = reader.url("OPENAI_BASE_URL", required=False) or None
        return UpstreamSettings(provider, base_url, openai_key, keyless_azure=False), model
    if provider is Provider.COMPATIBLE:
        base_url = reader.url("OPENAI_BASE_URL", required=True)
        optional_key = reader.text("OPENAI_API_KEY") or None
        return UpstreamSettings(
            provider, base_url or None, optional_key, keyless_azure=False
        ), model
    base_url = reader.url("MOCK_OPENAI_URL", required=True)
    return UpstreamSettings(provider, base_url, "mock", keyless_azure=False), "mock-gpt"


def _infer_provider(reader: _Reader) -> Provider:
    raw = reader.text("AI_PROVIDER").lower()
    if raw:
        try:
            return Provider(raw)
        except ValueError:
            reader.problems.append(
                "AI_PROVIDER must be one of " + ", ".join(p.value for p in Provider)
            )
            return Provider.MOCK
    # Deployments made from the seed's OpenAI template never set AI_PROVIDER; keep them working.
    if reader.text("AZURE_OPENAI_ENDPOINT"):
        return Provider.AZURE
    if reader.text("OPENAI_API_KEY"):
        return Provider.OPENAI
    reader.problems.append(
        "AI_PROVIDER is not set (and neither AZURE_OPENAI_ENDPOINT nor OPENAI_API_KEY is)"
    )
    return Provider.MOCK


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self.problems: list[str] = []

    def text(self, name: str) -> str:
        value = self._environ.get(name)
        if value is None or not value.strip():
            return _DEFAULTS[name] if _DEFAULTS[name] != "inferred" else ""
        return value.strip()

    def choice(self, name: str, allowed: tuple[str, ...], *, upper: bool = False) -> str:
        value = self.text(name)
        value = value.upper() if upper else value.lower()
        if value not in allowed:
            self.problems.append(f"{name} must be one of {', '.join(allowed)}")
            return allowed[0]
        return value

    def number(self, name: str, low: float, high: float, *, integer: bool = False) -> float:
        raw = self.text(name)
        try:
            value = int(raw) if integer else float(raw)
        except ValueError:
            kind = "a whole number" if integer else "a number"
            self.problems.append(f"{name} must be {kind} between {low:g} and {high:g}")
            return float(_DEFAULTS[name])
        if not low <= value <= high:
            self.problems.append(f"{name} must be between {low:g} and {high:g}")
            return float(_DEFAULTS[name])
        return float(value)

    def url(self, name: str, *, required: bool) -> str:
        value = self.text(name)
        if not value:
            if required:
                self.problems.append(f"{name} is required for this AI_PROVIDER")
            return ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problems.append(f"{name} must be an http(s) URL")
            return ""
        return value


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
        print("usage: python -m chat_api.settings --markdown", file=sys.stderr)
        sys.exit(2)
