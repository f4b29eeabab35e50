"""The persona catalog: the shipped file, every validation rule, and the admin's file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from chat_api.app import create_app
from chat_api.personas import PersonaCatalog, PersonaCatalogError, load_catalog
from chat_api.settings import API_DIR, PersonaSettings, SettingsError, load_settings
from tests.support.principals import INVITED

BUILT_IN = PersonaSettings(file=None, mode="extend")


def _persona(persona_id: str = "writer", group: str = "team", **fields: Any) -> dict[str, Any]:
    return {
        "id": persona_id,
        "name": persona_id.replace("-", " ").title(),
        "group": group,
        "description": f"Helps with {persona_id}.",
        "system": f"You are a careful {persona_id}. Answer briefly.",
        "temperature": 0.3,
        "starters": [f"Help me as a {persona_id}.", "What can you do?"],
        **fields,
    }


def _catalog(
    *personas: dict[str, Any], groups: tuple[tuple[str, str], ...] = (("team", "Team"),)
) -> dict[str, Any]:
    return {
        "groups": [{"id": group_id, "name": name} for group_id, name in groups],
        "personas": list(personas) or [_persona()],
    }


def _write(tmp_path: Path, document: Any, name: str = "mine.json") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return path


def _replace_with(path: Path) -> PersonaCatalog:
    return load_catalog(PersonaSettings(file=path, mode="replace"))


def _extend_with(path: Path) -> PersonaCatalog:
    return load_catalog(PersonaSettings(file=path, mode="extend"))


def _problems_of(path: Path) -> list[str]:
    with pytest.raises(PersonaCatalogError) as caught:
        _replace_with(path)
    return caught.value.problems


# The shipped catalog -------------------------------------------------------------------------


def test_the_shipped_catalog_is_valid_and_has_at_least_60_personas() -> None:
    catalog = load_catalog(BUILT_IN)
    assert len(catalog) >= 60
    ids = [p.id for p in catalog.personas]
    assert len(set(ids)) == len(ids)
    assert all(2 <= len(p.starters) <= 3 for p in catalog.personas)
    assert all(0 <= p.temperature <= 2 for p in catalog.personas)


def test_every_shipped_group_is_used_and_the_core_groups_are_there() -> None:
    catalog = load_catalog(BUILT_IN)
    group_ids = [g.id for g in catalog.groups]
    for core in ("writing", "engineering", "data", "business", "learning", "creative"):
        assert core in group_ids
    for group_id in group_ids:
        assert sum(p.group == group_id for p in catalog.personas) >= 3, group_id


def test_the_shipped_catalog_repeats_no_name_prompt_or_starter() -> None:
    catalog = load_catalog(BUILT_IN)
    for texts in (
        [p.name for p in catalog.personas],
        [p.description for p in catalog.personas],
        [p.system for p in catalog.personas],
        [s for p in catalog.personas for s in p.starters],
    ):
        assert len(set(texts)) == len(texts)


def test_shipped_personas_suit_their_task_in_temperature() -> None:
    catalog = load_catalog(BUILT_IN)
    by_group: dict[str, list[float]] = {}
    for persona in catalog.personas:
        by_group.setdefault(persona.group, []).append(persona.temperature)
    # Code and numbers want repeatable answers; creative work wants variety.
    assert max(by_group["engineering"]) <= 0.4
    assert max(by_group["data"]) <= 0.3
    assert min(by_group["creative"]) >= 0.8


def test_personas_come_grouped_in_display_order() -> None:
    catalog = load_catalog(BUILT_IN)
    position = {g.id: i for i, g in enumerate(catalog.groups)}
    positions = [position[p.group] for p in catalog.personas]
    assert positions == sorted(positions)


def test_get_finds_a_persona_by_id() -> None:
    catalog = load_catalog(BUILT_IN)
    reviewer = catalog.get("code-reviewer")
    assert reviewer is not None
    assert reviewer.group == "engineering"
    assert reviewer.temperature <= 0.3
    assert catalog.get("no-such-persona") is None


# Validation: each rule names the file and the entry ---------------------------------------


@pytest.mark.parametrize(
    ("bad_persona", "message"),
    [
        (
            _persona(temperature=2.5),
            'persona 2 ("bad"): temperature must be between 0 and 2',
        ),
        (_persona(temperature=-0.1), 'persona 2 ("bad"): temperature must be between 0 and 2'),
        (_persona(temperature="0.5"), 'persona 2 ("bad"): temperature must be a number'),
        (_persona(temperature=True), 'persona 2 ("bad"): temperature must be a number'),
        (_persona(group="nope"), 'persona 2 ("bad"): group "nope" is not one of the groups: team'),
        (_persona(name="   "), 'persona 2 ("bad"): name must not be empty'),
        (_persona(description=None), 'persona 2 ("bad"): description is missing'),
        (_persona(system=42), 'persona 2 ("bad"): system must be a string'),
        (_persona(name="Two\nlines"), 'persona 2 ("bad"): name must be one line'),
        (_persona(starters=["Only one"]), "starters must be a list of 2 or 3 prompts (it holds 1)"),
        (
            _persona(starters=["a", "b", "c", "d"]),
            'persona 2 ("bad"): starters must be a list of 2 or 3 prompts (it holds 4)',
        ),
        (_persona(starters="Go"), 'persona 2 ("bad"): starters must be a list of 2 or 3 prompts'),
        (_persona(starters=["Go", ""]), 'persona 2 ("bad"): starter 2 must be a non-empty string'),
        (_persona(starters=["Go", "Go"]), 'persona 2 ("bad"): starter 2 repeats starter 1'),
        (
            _persona(system="x" * 8_001),
            'persona 2 ("bad"): system must be at most 8,000 characters (it has 8,001)',
        ),
        (
            _persona(description="x" * 201),
            'persona 2 ("bad"): description must be at most 200 characters',
        ),
        (
            _persona(starters=["Go", "x" * 401]),
            'persona 2 ("bad"): starter 2 must be at most 400 characters',
        ),
        (
            _persona(temprature=0.2),
            'persona 2 ("bad"): unknown field "temprature" (the fields are id, name, group,',
        ),
    ],
)
def test_a_bad_persona_is_named_with_what_is_wrong(
    tmp_path: Path, bad_persona: dict[str, Any], message: str
) -> None:
    bad_persona["id"] = "bad"
    path = _write(tmp_path, _catalog(_persona("good"), bad_persona))
    problems = _problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: ")
    assert message in problems[0]


@pytest.mark.parametrize(
    ("bad_id", "message"),
    [
        ("Code Reviewer", 'persona 2 ("Code Reviewer"): id must be lowercase letters and digits'),
        ("trailing-", 'persona 2 ("trailing-"): id must be lowercase letters and digits'),
        ("x" * 41, "id must be at most 40 characters"),
        ("", "persona 2: id must not be empty"),
    ],
)
def test_an_id_must_be_a_short_slug(tmp_path: Path, bad_id: str, message: str) -> None:
    path = _write(tmp_path, _catalog(_persona("good"), _persona(bad_id)))
    assert message in _problems_of(path)[0]


def test_a_persona_without_an_id_is_named_by_its_position(tmp_path: Path) -> None:
    nameless = _persona()
    del nameless["id"]
    path = _write(tmp_path, _catalog(_persona("first"), nameless))
    assert _problems_of(path) == [f"{path}: persona 2: id is missing"]


def test_a_duplicate_persona_id_names_both_entries(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_persona("writer"), _persona("other"), _persona("writer")))
    assert _problems_of(path) == [
        f'{path}: persona 3 ("writer"): id "writer" is already used by persona 1'
    ]


def test_a_duplicate_group_id_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(groups=(("team", "Team"), ("team", "Again"))))
    assert _problems_of(path) == [f'{path}: group 2 ("team"): id "team" is already used by group 1']


def test_a_group_without_personas_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(groups=(("team", "Team"), ("empty", "Empty"))))
    assert _problems_of(path) == [f'{path}: group "empty" has no personas']


def test_a_group_needs_an_id_and_a_name(tmp_path: Path) -> None:
    document = _catalog()
    document["groups"].append({"id": "x", "label": "X"})
    problems = _problems_of(_write(tmp_path, document))
    assert any('group 2 ("x"): unknown field "label"' in p for p in problems)
    assert any('group 2 ("x"): name is missing' in p for p in problems)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _catalog(_persona("one", temperature=3), _persona("two"), _persona("three", group="x")),
    )
    problems = _problems_of(path)
    assert len(problems) == 2
    assert 'persona 1 ("one"): temperature' in problems[0]
    assert 'persona 3 ("three"): group "x"' in problems[1]


def test_a_file_wrong_throughout_lists_twenty_problems_then_counts_the_rest(
    tmp_path: Path,
) -> None:
    personas = [_persona(f"p{i}", temperature=9) for i in range(30)]
    problems = _problems_of(_write(tmp_path, _catalog(*personas)))
    assert len(problems) == 21
    assert problems[-1] == "and 10 more problems"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"groups": [],\n  "personas": [\n    {"id": "x",}\n  ]\n}', "is not valid JSON (line 3,"),
        ("", "is not valid JSON (line 1, column 1"),
        ("[]", 'must be a JSON object with "groups" and "personas"'),
        ('{"groups": [], "personas": []}', '"personas" must list at least one persona'),
        ('{"groups": []}', '"personas" must be a list'),
        ('{"groups": [], "personas": [1]}', "persona 1: must be an object"),
        ('{"groups": {}, "personas": [1]}', '"groups" must be a list'),
        ('{"groups": [], "personas": [], "extra": 1}', 'unknown field "extra"'),
    ],
)
def test_a_malformed_file_says_where(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    problems = _problems_of(path)
    assert any(p.startswith(f"{path}: ") and message in p for p in problems), problems


def test_a_catalog_has_at_most_50_groups_and_500_personas(tmp_path: Path) -> None:
    groups = tuple((f"g{i}", f"Group {i}") for i in range(51))
    personas = [_persona(f"p{i}", group=f"g{i % 51}") for i in range(501)]
    problems = _problems_of(_write(tmp_path, _catalog(*personas, groups=groups)))
    assert f"{tmp_path / 'mine.json'}: has 51 groups; at most 50 are allowed" in problems
    assert f"{tmp_path / 'mine.json'}: has 501 personas; at most 500 are allowed" in problems


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"groups": [], "personas": ["café"]}'.encode("latin-1"))
    assert "is not UTF-8 text" in _problems_of(path)[0]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes(json.dumps(_catalog()).encode("utf-8-sig"))
    assert _replace_with(path).get("writer") is not None


def test_a_missing_file_a_folder_and_a_huge_file_are_named(tmp_path: Path) -> None:
    assert _problems_of(tmp_path / "absent.json") == [
        f"{tmp_path / 'absent.json'}: there is no such file"
    ]
    assert _problems_of(tmp_path) == [f"{tmp_path}: is a folder, not a file"]
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * 2_000_001)
    assert "a catalog may be at most 2,000,000" in _problems_of(huge)[0]


def test_the_built_in_file_is_named_like_the_example_in_the_docs(tmp_path: Path) -> None:
    from chat_api.personas.catalog_file import parse_catalog_file

    raw = json.dumps(_catalog(_persona("accountant", temperature=2.1))).encode()
    with pytest.raises(PersonaCatalogError) as caught:
        parse_catalog_file("personas.json", raw)
    assert caught.value.problems == [
        'personas.json: persona 1 ("accountant"): temperature must be between 0 and 2'
    ]


# The admin's file: extend and replace -----------------------------------------------------


def test_extend_adds_groups_and_personas_after_the_built_in_ones(tmp_path: Path) -> None:
    built_in = load_catalog(BUILT_IN)
    path = _write(
        tmp_path,
        _catalog(
            _persona("claims-handler", group="insurance"),
            _persona("our-style-editor", group="writing"),
            groups=(("insurance", "Insurance"),),
        ),
    )
    catalog = _extend_with(path)
    assert [g.id for g in catalog.groups] == [*(g.id for g in built_in.groups), "insurance"]
    assert len(catalog) == len(built_in) + 2
    assert catalog.personas[-1].id == "claims-handler"
    writing = [p.id for p in catalog.personas if p.group == "writing"]
    assert writing[-1] == "our-style-editor"


def test_extend_replaces_a_built_in_persona_and_group_with_the_same_id(tmp_path: Path) -> None:
    built_in = load_catalog(BUILT_IN)
    ours = _persona("code-reviewer", group="engineering", system="Review against our guide.")
    path = _write(tmp_path, _catalog(ours, groups=(("engineering", "Development"),)))
    catalog = _extend_with(path)
    assert len(catalog) == len(built_in)
    reviewer = catalog.get("code-reviewer")
    assert reviewer is not None and reviewer.system == "Review against our guide."
    assert [p.id for p in catalog.personas] == [p.id for p in built_in.personas]
    engineering = next(g for g in catalog.groups if g.id == "engineering")
    assert engineering.name == "Development"
    assert [g.id for g in catalog.groups] == [g.id for g in built_in.groups]


def test_replace_offers_only_the_admins_personas(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_persona("one"), _persona("two")))
    catalog = _replace_with(path)
    assert [p.id for p in catalog.personas] == ["one", "two"]
    assert [g.id for g in catalog.groups] == ["team"]
    assert catalog.get("code-reviewer") is None


def test_replace_does_not_inherit_the_built_in_groups(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_persona("mine", group="writing")))
    assert 'group "writing" is not one of the groups: team' in _problems_of(path)[0]


def test_extend_checks_the_admins_file_like_any_other(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_persona("mine", temperature=5, group="writing")))
    with pytest.raises(PersonaCatalogError) as caught:
        _extend_with(path)
    assert caught.value.problems == [
        f'{path}: persona 1 ("mine"): temperature must be between 0 and 2'
    ]


def test_the_user_facing_summary_names_the_setting_never_the_path(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_persona(temperature=5)), name="secret-share.json")
    with pytest.raises(PersonaCatalogError) as caught:
        _replace_with(path)
    assert caught.value.setting == "PERSONAS_FILE"
    assert "PERSONAS_FILE" in caught.value.summary
    assert "secret-share" not in caught.value.summary
    assert "persona" in caught.value.summary


# The two settings -------------------------------------------------------------------------


def test_by_default_the_built_in_catalog_alone_is_used() -> None:
    settings = load_settings({"AI_PROVIDER": "mock"})
    assert settings.personas == PersonaSettings(file=None, mode="extend")


def test_a_relative_personas_file_starts_at_the_api_folder(tmp_path: Path) -> None:
    relative = load_settings({"AI_PROVIDER": "mock", "PERSONAS_FILE": "config/personas.json"})
    assert relative.personas.file == API_DIR / "config" / "personas.json"
    assert (API_DIR / "function_app.py").exists()
    absolute = load_settings({"AI_PROVIDER": "mock", "PERSONAS_FILE": str(tmp_path / "p.json")})
    assert absolute.personas.file == tmp_path / "p.json"


def test_personas_mode_is_checked() -> None:
    with pytest.raises(SettingsError, match="PERSONAS_MODE must be one of extend, replace"):
        load_settings({"AI_PROVIDER": "mock", "PERSONAS_MODE": "merge"})
    with pytest.raises(SettingsError, match="PERSONAS_MODE=replace needs PERSONAS_FILE"):
        load_settings({"AI_PROVIDER": "mock", "PERSONAS_MODE": "replace"})
    replace = load_settings(
        {"AI_PROVIDER": "mock", "PERSONAS_MODE": "Replace", "PERSONAS_FILE": "p.json"}
    )
    assert replace.personas.mode == "replace"


def test_the_app_holds_the_catalog_for_other_routes(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_persona("ours")))
    app = create_app(environ={"AI_PROVIDER": "mock", "PERSONAS_FILE": str(path)})
    assert app.state.chat.personas.get("ours") is not None
    assert app.state.chat.personas.get("code-reviewer") is not None


def test_a_bad_catalog_is_logged_by_entry_and_refused_like_a_bad_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path, _catalog(_persona("accountant", temperature=7)))
    with caplog.at_level("ERROR", logger="chat_api"):
        app = create_app(environ={"AI_PROVIDER": "mock", "PERSONAS_FILE": str(path)})
    assert f'{path}: persona 1 ("accountant"): temperature must be between 0 and 2' in caplog.text
    with TestClient(app) as client:
        response = client.get("/api/me", headers=INVITED)
    assert response.status_code == 500
    problem = response.json()
    assert problem["type"].endswith(":configuration-error")
    assert "PERSONAS_FILE" in problem["detail"]
    assert str(tmp_path) not in response.text
