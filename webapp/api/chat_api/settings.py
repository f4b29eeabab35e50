"""The API's settings: read once from the environment, validated, typed.

Azure Functions and SWA deliver app settings as environment variables, and so does
`local.settings.json` under `func start`. What each setting means is in
settings_catalog.py, which also generates the README's table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeGuard
from urllib.parse import urlsplit

from chat_api.model_catalog import parse_model_catalog
from chat_api.model_profiles import ModelProfile, looks_like_reasoning_model
from chat_api.role_rules import RoleRules, read_role_rules
from chat_api.settings_catalog import SETTINGS
from chat_api.usage.models import UserLimits


class Provider(StrEnum):
    AZURE = "azure"
    OPENAI = "openai"
    COMPATIBLE = "compatible"
    MOCK = "mock"


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
class HistorySettings:
    store: str  # sqlite, table or none
    sqlite_path: str
    connection_string: str | None
    tables_endpoint: str | None
    table_name: str


@dataclass(frozen=True)
class PersonaSettings:
    # None: the built-in catalog alone. Loaded and checked by chat_api.personas at start-up.
    file: Path | None
    mode: str  # extend or replace


@dataclass(frozen=True)
class Settings:
    upstream: UpstreamSettings
    models: tuple[ModelProfile, ...]
    allowed_roles: frozenset[str]
    hosting: str
    retry: RetryPolicy
    limits: Limits
    history: HistorySettings
    # Shown to every user (the seed's usage page); empty: none.
    usage_note: str
    # Limits and prices (chat_api/usage).
    usage: UsageSettings
    personas: PersonaSettings
    log_level: str
    # Only the role function reads these (SWA custom authentication: docs/access.md).
    role_rules: RoleRules

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
        context_tokens=int(reader.number("MODEL_CONTEXT_TOKENS", 1024, 10_000_000, integer=True)),
        answer_tokens=int(reader.number("MODEL_ANSWER_TOKENS", 1, 1_000_000, integer=True)),
    )
    catalog = reader.text("MODEL_CATALOG")
    models = parse_model_catalog(catalog, model, reader.problems) if catalog else (model,)
    roles = frozenset(r.strip() for r in reader.text("ALLOWED_ROLES").split(",") if r.strip())
    if not roles:
        reader.problems.append("ALLOWED_ROLES must name at least one role")
    settings = Settings(
        upstream=upstream,
        models=models,
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
        history=_read_history(reader),
        role_rules=read_role_rules(reader.text, reader.problems),
        usage_note=_read_usage_note(reader),
        usage=_read_usage(reader),
        personas=_read_personas(reader),
        log_level=reader.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), upper=True),
    )
    _check_limits_have_a_store(settings, reader.problems)
    if reader.problems:
        raise SettingsError(reader.problems)
    return settings


@dataclass(frozen=True)
class ModelPrice:
    """Per million tokens, in whatever currency the admin wrote them."""

    input: float
    output: float


@dataclass(frozen=True)
class UsageSettings:
    limits: UserLimits
    global_tokens_per_minute: int | None
    prices: Mapping[str, ModelPrice]


def _read_usage(reader: _Reader) -> UsageSettings:
    def limit(name: str) -> int | None:
        value = int(reader.number(name, 0, 1_000_000_000_000, integer=True))
        return value or None

    return UsageSettings(
        limits=UserLimits(
            requests_per_minute=limit("LIMIT_REQUESTS_PER_MINUTE"),
            tokens_per_day=limit("LIMIT_TOKENS_PER_DAY"),
            tokens_per_month=limit("LIMIT_TOKENS_PER_MONTH"),
        ),
        global_tokens_per_minute=limit("LIMIT_GLOBAL_TOKENS_PER_MINUTE"),
        prices=_read_prices(reader),
    )


def _check_limits_have_a_store(settings: Settings, problems: list[str]) -> None:
    # Counts in process memory would hold per instance, not per deployment: several Function
    # instances would each allow the whole limit. Refuse rather than pretend (docs/usage.md).
    usage = settings.usage
    limits = {
        "LIMIT_REQUESTS_PER_MINUTE": usage.limits.requests_per_minute,
        "LIMIT_TOKENS_PER_DAY": usage.limits.tokens_per_day,
        "LIMIT_TOKENS_PER_MONTH": usage.limits.tokens_per_month,
        "LIMIT_GLOBAL_TOKENS_PER_MINUTE": usage.global_tokens_per_minute,
    }
    named = [name for name, limit in limits.items() if limit is not None]
    if named and settings.history.store == "none":
        verb = "needs" if len(named) == 1 else "need"
        problems.append(f"{', '.join(named)} {verb} HISTORY_STORE=sqlite or table to count usage")


def _read_prices(reader: _Reader) -> Mapping[str, ModelPrice]:
    raw = reader.text("MODEL_PRICES")
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        reader.problems.append("MODEL_PRICES is not valid JSON")
        return {}
    prices: dict[str, ModelPrice] = {}
    if not isinstance(data, dict):
        reader.problems.append("MODEL_PRICES must be a JSON object of models")
        return {}
    for model, price in data.items():
        amounts = price if isinstance(price, dict) else {}
        spend, answer = amounts.get("input"), amounts.get("output")
        if not (_is_amount(spend) and _is_amount(answer)):
            reader.problems.append(
                f'MODEL_PRICES["{model}"] must be {{"input": number, "output": number}} (≥ 0)'
            )
            continue
        prices[model] = ModelPrice(input=float(spend), output=float(answer))
    return prices


def _is_amount(value: object) -> TypeGuard[int | float]:
    # JSON true is an int to Python; it is not a price.
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


USAGE_NOTE_MAX_CHARS = 2_000


def _read_usage_note(reader: _Reader) -> str:
    # App settings are one line in the portal: `\n` is how an admin writes a line break.
    note = reader.text("USAGE_NOTE").replace("\\n", "\n").strip()
    if len(note) > USAGE_NOTE_MAX_CHARS:
        reader.problems.append(f"USAGE_NOTE must be at most {USAGE_NOTE_MAX_CHARS:,} characters")
    return note


# Where function_app.py is: the Functions host runs there, so a relative PERSONAS_FILE means
# the same file under func start, in Azure (/home/site/wwwroot) and under uvicorn.
API_DIR = Path(__file__).resolve().parents[1]


def _read_personas(reader: _Reader) -> PersonaSettings:
    raw = reader.text("PERSONAS_FILE")
    mode = reader.choice("PERSONAS_MODE", ("extend", "replace"))
    if mode == "replace" and not raw:
        reader.problems.append("PERSONAS_MODE=replace needs PERSONAS_FILE")
    return PersonaSettings(file=API_DIR / raw if raw else None, mode=mode)


def _read_history(reader: _Reader) -> HistorySettings:
    store = reader.choice("HISTORY_STORE", ("sqlite", "table", "none"))
    connection_string = reader.text("HISTORY_STORAGE_CONNECTION_STRING") or None
    endpoint = reader.url("HISTORY_TABLES_ENDPOINT", required=False) or None
    if store == "table" and not (connection_string or endpoint):
        reader.problems.append(
            "HISTORY_STORE=table needs HISTORY_STORAGE_CONNECTION_STRING or HISTORY_TABLES_ENDPOINT"
        )
    table_name = reader.text("HISTORY_TABLE_NAME")
    if not table_name.isalnum() or not table_name[:1].isalpha() or not 3 <= len(table_name) <= 63:
        reader.problems.append(
            "HISTORY_TABLE_NAME must be 3-63 letters and digits, starting with a letter"
        )
    return HistorySettings(
        store=store,
        sqlite_path=reader.text("HISTORY_SQLITE_PATH"),
        connection_string=connection_string,
        tables_endpoint=endpoint,
        table_name=table_name,
    )


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
        if not model and not reader.text("MODEL_CATALOG"):
            reader.problems.append(
                "AZURE_OPENAI_DEPLOYMENT_NAME (or MODEL_CATALOG) is required when AI_PROVIDER=azure"
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
