from __future__ import annotations

import re

import pytest

from chat_api.settings import Provider, SettingsError, load_settings
from chat_api.settings_catalog import SETTINGS, settings_table_markdown


def test_mock_provider_needs_nothing_else() -> None:
    settings = load_settings({"AI_PROVIDER": "mock"})
    assert settings.upstream.provider is Provider.MOCK
    assert settings.allowed_roles == frozenset({"invited"})
    assert settings.hosting == "buffered"


def test_azure_uses_the_v1_endpoint_and_a_key() -> None:
    settings = load_settings(
        {
            "AI_PROVIDER": "azure",
            "AZURE_OPENAI_ENDPOINT": "https://myres.openai.azure.com/",
            "AZURE_OPENAI_KEY": "secret",
            "AZURE_OPENAI_DEPLOYMENT_NAME": "chat",
        }
    )
    assert settings.upstream.base_url == "https://myres.openai.azure.com/openai/v1/"
    assert settings.upstream.api_key == "secret"
    assert not settings.upstream.keyless_azure
    assert settings.default_model.id == "chat"


def test_azure_without_a_key_is_keyless() -> None:
    settings = load_settings(
        {
            "AI_PROVIDER": "azure",
            "AZURE_OPENAI_ENDPOINT": "https://myres.openai.azure.com",
            "AZURE_OPENAI_DEPLOYMENT_NAME": "chat",
        }
    )
    assert settings.upstream.keyless_azure
    assert settings.upstream.api_key is None


def test_seed_deployment_without_ai_provider_keeps_working() -> None:
    # The seed's OpenAI template never wrote AI_PROVIDER.
    settings = load_settings({"OPENAI_API_KEY": "sk-test", "OPENAI_MODEL_NAME": "gpt-5.4"})
    assert settings.upstream.provider is Provider.OPENAI
    assert settings.default_model.id == "gpt-5.4"
    azure = load_settings(
        {
            "AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com",
            "AZURE_OPENAI_DEPLOYMENT_NAME": "d",
            "AZURE_OPENAI_KEY": "k",
        }
    )
    assert azure.upstream.provider is Provider.AZURE


def test_every_problem_is_reported_at_once_by_setting_name() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "AI_PROVIDER": "azure",
                "AZURE_OPENAI_ENDPOINT": "not a url",
                "UPSTREAM_MAX_RETRIES": "many",
                "ALLOWED_ROLES": " , ",
            }
        )
    text = " | ".join(caught.value.problems)
    for name in (
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_DEPLOYMENT_NAME",
        "UPSTREAM_MAX_RETRIES",
        "ALLOWED_ROLES",
    ):
        assert name in text


def test_problems_never_echo_secret_values() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "AI_PROVIDER": "openai",
                "OPENAI_API_KEY": "sk-very-secret",
                "OPENAI_BASE_URL": "ftp://nope",
                "MAX_MESSAGES": "0",
            }
        )
    assert "sk-very-secret" not in str(caught.value)


def test_unknown_provider_is_named() -> None:
    with pytest.raises(SettingsError, match="AI_PROVIDER must be one of"):
        load_settings({"AI_PROVIDER": "anthropic"})


def test_compatible_provider_needs_a_base_url_but_no_key() -> None:
    settings = load_settings(
        {
            "AI_PROVIDER": "compatible",
            "OPENAI_BASE_URL": "http://localhost:11434/v1",
            "OPENAI_MODEL_NAME": "llama3.2",
        }
    )
    assert settings.upstream.api_key is None
    assert not settings.default_model.reasoning
    with pytest.raises(SettingsError, match="OPENAI_BASE_URL"):
        load_settings({"AI_PROVIDER": "compatible"})


def test_reasoning_is_inferred_from_the_name_unless_set() -> None:
    env = {
        "AI_PROVIDER": "azure",
        "AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com",
        "AZURE_OPENAI_DEPLOYMENT_NAME": "gpt-5.4-mini",
    }
    assert load_settings(env).default_model.reasoning
    assert not load_settings({**env, "MODEL_REASONING": "false"}).default_model.reasoning
    hidden = {**env, "AZURE_OPENAI_DEPLOYMENT_NAME": "prod-chat", "MODEL_REASONING": "true"}
    assert load_settings(hidden).default_model.reasoning


def test_settings_table_lists_every_setting_in_the_example_file() -> None:
    import json
    from pathlib import Path

    example = json.loads(Path("local.settings.json.example").read_text(encoding="utf-8"))
    names = {doc.name for doc in SETTINGS}
    assert names <= set(example["Values"]), names - set(example["Values"])
    table = settings_table_markdown()
    readme = Path("README.md").read_text(encoding="utf-8")
    assert table in readme, "stale README table: python -m chat_api.settings_catalog --markdown"


def test_the_usage_note_takes_line_breaks_and_has_a_limit() -> None:
    env = {"AI_PROVIDER": "mock"}
    assert load_settings(env).usage_note == ""
    note = load_settings({**env, "USAGE_NOTE": "  Work only.\\nNo customer data.  "}).usage_note
    assert note == "Work only.\nNo customer data."
    with pytest.raises(SettingsError, match="USAGE_NOTE must be at most 2,000 characters"):
        load_settings({**env, "USAGE_NOTE": "x" * 2001})


def test_limits_are_off_unless_set_and_prices_are_checked() -> None:
    env = {"AI_PROVIDER": "mock"}
    usage = load_settings(env).usage
    assert usage.limits.requests_per_minute is None
    assert usage.global_tokens_per_minute is None
    set_env = {
        **env,
        "LIMIT_REQUESTS_PER_MINUTE": "10",
        "LIMIT_TOKENS_PER_DAY": "50000",
        "LIMIT_GLOBAL_TOKENS_PER_MINUTE": "90000",
        "MODEL_PRICES": '{"gpt-5.4-mini": {"input": 0.4, "output": 1.6}}',
    }
    usage = load_settings(set_env).usage
    assert (usage.limits.requests_per_minute, usage.limits.tokens_per_day) == (10, 50000)
    assert usage.limits.tokens_per_month is None
    assert usage.global_tokens_per_minute == 90000
    assert usage.prices["gpt-5.4-mini"].output == 1.6
    for prices, message in [
        ("{", "MODEL_PRICES is not valid JSON"),
        ('{"m": {"input": -1, "output": 1}}', 'MODEL_PRICES["m"] must be'),
        ('{"m": {"input": true, "output": 1}}', 'MODEL_PRICES["m"] must be'),
    ]:
        with pytest.raises(SettingsError, match=re.escape(message)):
            load_settings({**env, "MODEL_PRICES": prices})
    with pytest.raises(SettingsError, match="LIMIT_TOKENS_PER_DAY"):
        load_settings({**env, "LIMIT_TOKENS_PER_DAY": "-5"})
