"""The committed templates and buttons are what the generator writes today."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.infrastructure.scenarios import INFRASTRUCTURE, SCENARIOS, TEMPLATES
from tools.infra import REPO_ROOT, buttons, doc_blocks
from tools.infra.generate import BUTTON_DOCUMENTS, backends, expected_files, main

GENERATED = [*(INFRASTRUCTURE / b.file_name for b in backends()), *BUTTON_DOCUMENTS]


@cache
def _expected() -> dict[Path, str]:
    return expected_files()


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_committed_file_is_what_the_generator_writes(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == _expected()[path], (
        f"{path.relative_to(REPO_ROOT)} is out of date: run python -m tools.infra.generate"
    )


def test_there_is_one_template_per_backend_and_every_one_is_tested() -> None:
    committed = {p.name for p in INFRASTRUCTURE.glob("azuredeploy-*.json")}
    assert committed == {b.file_name for b in backends()} == set(TEMPLATES)
    assert {s.file_name for s in SCENARIOS} == committed


def test_a_button_opens_the_portal_on_the_raw_template_url() -> None:
    raw = buttons.raw_url("azuredeploy-openai.json", "contoso/chat-on-azure", "release")
    assert raw == (
        "https://raw.githubusercontent.com/contoso/chat-on-azure/release/"
        "infrastructure/azuredeploy-openai.json"
    )
    assert buttons.button_url(raw) == (
        "https://portal.azure.com/#create/Microsoft.Template/uri/"
        "https%3A%2F%2Fraw.githubusercontent.com%2Fcontoso%2Fchat-on-azure%2Frelease%2F"
        "infrastructure%2Fazuredeploy-openai.json"
    )


@pytest.mark.parametrize("document", BUTTON_DOCUMENTS, ids=lambda p: p.name)
def test_each_document_has_three_buttons_to_committed_templates(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    links = re.findall(re.escape(buttons.PORTAL_CREATE) + r"([^)\s]+)", text)
    prefix = f"https://raw.githubusercontent.com/{buttons.REPOSITORY}/{buttons.BRANCH}/"
    paths = [unquote(link).removeprefix(prefix) for link in links]
    assert sorted(paths) == sorted(f"infrastructure/{name}" for name in TEMPLATES)
    assert all((REPO_ROOT / path).is_file() for path in paths)


def test_a_fork_can_print_its_own_buttons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--buttons", "contoso/chat-on-azure", "--branch", "prod"]) == 0
    printed = unquote(capsys.readouterr().out)
    for name in TEMPLATES:
        assert f"raw.githubusercontent.com/contoso/chat-on-azure/prod/infrastructure/{name}" in (
            printed
        )
    assert buttons.REPOSITORY not in printed


def test_the_button_block_needs_its_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        doc_blocks.replace_block("# Deploy\nno markers here\n", buttons.BLOCK, "table")
