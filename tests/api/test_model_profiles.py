from __future__ import annotations

import pytest

from chat_api.model_profiles import ModelProfile, Sampling, looks_like_reasoning_model


@pytest.mark.parametrize("name", ["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5.4-mini", "GPT-5.2"])
def test_reasoning_names(name: str) -> None:
    assert looks_like_reasoning_model(name)


@pytest.mark.parametrize("name", ["gpt-4o", "gpt-4.1-mini", "llama3.2", "mock-gpt", "my-o1-copy"])
def test_non_reasoning_names(name: str) -> None:
    assert not looks_like_reasoning_model(name)


def test_reasoning_models_get_max_completion_tokens_and_no_temperature() -> None:
    sampling = ModelProfile("gpt-5.4-mini", reasoning=True).sampling(temperature=0.2, max_tokens=50)
    assert sampling == Sampling(max_completion_tokens=50)


def test_other_models_get_temperature_and_max_tokens() -> None:
    sampling = ModelProfile("llama3.2", reasoning=False).sampling(temperature=0.2, max_tokens=50)
    assert sampling == Sampling(temperature=0.2, max_tokens=50)
