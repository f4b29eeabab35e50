"""staticwebapp.config.json and the custom-authentication option, read as SWA reads them:
valid against the schema the SWA CLI ships, and holding the access rules of issue 5.
tests/e2e/test_swa_emulator.py proves the same file through the emulator (redirects,
served headers); these checks need no server and cover what a request cannot show."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
import yaml

from chat_api.app import ROUTES

ROOT = Path(__file__).resolve().parents[2]
CONFIG_PATH = ROOT / "staticwebapp.config.json"
CUSTOM_AUTH_PATH = ROOT / "staticwebapp.custom-auth.json"
SCHEMA_PATH = ROOT / "node_modules/@azure/static-web-apps-cli/schema/staticwebapp.config.json"
MAX_CONFIG_BYTES = 20 * 1024  # SWA's limit for the file
# Who may see what without the `invited` role: the sign-in and not-authorised pages and
# what they load: Vite's folder of built files, and single static files (icons, manifest).
PUBLIC_PAGES = {"/login.html", "/unauthorized.html"}
# The admin page (issue 7) is the one address for a role beyond `invited`.
ADMIN_PAGES = {"/admin", "/admin.html"}
BUILT_ASSETS = "/assets/*"
STATIC_FILE_SUFFIXES = {".svg", ".png", ".ico", ".webmanifest"}
# App settings Azure keeps for itself, and those the Azure SDKs read as their own identity
# (a client id here would make DefaultAzureCredential sign in as the app registration).
RESERVED_SETTING_PREFIXES = ("FUNCTIONS_", "WEBSITE_", "AZUREWEB")
SDK_SETTINGS = {"AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID"}


def read_json(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return read_json(CONFIG_PATH)


@pytest.fixture(scope="module")
def custom_auth() -> dict[str, Any]:
    return read_json(CUSTOM_AUTH_PATH)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    if not SCHEMA_PATH.exists():
        pytest.fail("SWA CLI schema missing: npm ci --ignore-scripts (scripts/test installs it)")
    schema = read_json(SCHEMA_PATH)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def schema_errors(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def first_matching_rule(config: dict[str, Any], path: str) -> dict[str, Any]:
    """The route rule SWA applies to `path`: the first that matches; a trailing `*` is the
    only wildcard routes may use. SWA's own /.auth/ routes are only matched by rules that
    name them (so `/*` does not lock the sign-in itself away; the emulator tests show it)."""
    wanted = path.lower()
    for rule in config["routes"]:
        pattern: str = rule["route"].lower()
        if wanted.startswith("/.auth/") and not pattern.startswith("/.auth/"):
            continue
        if wanted.startswith(pattern[:-1]) if pattern.endswith("*") else wanted == pattern:
            return dict(rule)
    return {}


def test_the_config_points_at_the_schema_it_is_checked_against(config: dict[str, Any]) -> None:
    assert (ROOT / config["$schema"]).resolve() == SCHEMA_PATH.resolve()


def test_the_config_is_valid_for_swa(
    config: dict[str, Any], validator: jsonschema.protocols.Validator
) -> None:
    assert schema_errors(validator, config) == []
    assert len(CONFIG_PATH.read_bytes()) < MAX_CONFIG_BYTES


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c["platform"].update(apiRuntime="python:3.13"), "platform/apiRuntime"),
        (lambda c: c["routes"][0].update(allowedRole=["invited"]), "routes/0"),
        (lambda c: c["navigationFallback"].pop("rewrite"), "navigationFallback"),
    ],
    ids=["unsupported-python", "misspelt-key", "fallback-without-target"],
)
def test_the_schema_refuses_a_broken_config(
    config: dict[str, Any], validator: jsonschema.protocols.Validator, change: Any, where: str
) -> None:
    broken = copy.deepcopy(config)
    change(broken)
    errors = schema_errors(validator, broken)
    assert errors and any(error.startswith(where) for error in errors), errors


def test_the_custom_auth_option_is_a_valid_auth_block(
    config: dict[str, Any], custom_auth: dict[str, Any], validator: jsonschema.protocols.Validator
) -> None:
    assert set(custom_auth) == {"auth"}, "the option adds the auth block and changes nothing else"
    merged = {**config, **custom_auth}
    assert schema_errors(validator, merged) == []
    assert len(json.dumps(merged, indent=2).encode()) < MAX_CONFIG_BYTES


def test_custom_auth_asks_the_registered_role_function(custom_auth: dict[str, Any]) -> None:
    roles_source = custom_auth["auth"]["rolesSource"]
    registered = [route for route in ROUTES if route.path == roles_source]
    assert registered, f"{roles_source} is not a route of the API"
    assert "POST" in (registered[0].methods or set()), "SWA posts the sign-in to it"


def test_custom_auth_lets_in_one_entra_tenant_only(custom_auth: dict[str, Any]) -> None:
    # The allow-lists trust email and user-name claims; only the organisation's own tenant
    # controls those, so `common` and `organizations` would let any tenant claim them.
    provider = custom_auth["auth"]["identityProviders"]["azureActiveDirectory"]
    issuer = provider["registration"]["openIdIssuer"]
    match = re.fullmatch(r"https://login\.microsoftonline\.com/([^/]+)/v2\.0", issuer)
    assert match is not None, issuer
    assert match.group(1).lower() not in {"common", "organizations", "consumers"}
    assert "email" in " ".join(provider["login"]["loginParameters"]).split()


def test_custom_auth_settings_do_not_collide_with_azure(custom_auth: dict[str, Any]) -> None:
    registration = custom_auth["auth"]["identityProviders"]["azureActiveDirectory"]["registration"]
    for key in ("clientIdSettingName", "clientSecretSettingName"):
        name = registration[key]
        assert not name.upper().startswith(RESERVED_SETTING_PREFIXES), name
        assert name.upper() not in SDK_SETTINGS, name


def test_only_the_sign_in_pages_and_their_assets_are_public(config: dict[str, Any]) -> None:
    for rule in config["routes"]:
        roles = rule.get("allowedRoles")
        if roles is None:
            continue
        if "anonymous" in roles:
            route = rule["route"]
            static_file = "*" not in route and PurePosixPath(route).suffix in STATIC_FILE_SUFFIXES
            assert route in PUBLIC_PAGES or route == BUILT_ASSETS or static_file, rule
        elif rule["route"] in ADMIN_PAGES:
            assert roles == ["admin"], rule
        else:
            assert roles == ["invited"], rule


@pytest.mark.parametrize(
    ("path", "roles"),
    [
        ("/", ["invited"]),
        ("/index.html", ["invited"]),
        ("/c/2f6c1a", ["invited"]),
        ("/api/chat", ["invited"]),
        ("/api/conversations/2f6c1a/export", ["invited"]),
        # SWA calls the role function itself; from outside it is one more /api route.
        ("/api/GetRoles", ["invited"]),
        ("/login.html", ["anonymous"]),
        ("/unauthorized.html", ["anonymous"]),
        ("/assets/index-3f2a.js", ["anonymous"]),
        ("/favicon.svg", ["anonymous"]),
        ("/admin", ["admin"]),
        ("/admin.html", ["admin"]),
        ("/ADMIN", ["admin"]),
        # SWA lets any invited user reach the admin API; the API checks `admin` itself.
        ("/api/admin/usage", ["invited"]),
    ],
)
def test_who_may_open_each_address(config: dict[str, Any], path: str, roles: list[str]) -> None:
    assert first_matching_rule(config, path).get("allowedRoles") == roles


def test_sign_in_with_microsoft_and_sign_out_stay_open(config: dict[str, Any]) -> None:
    for path in ("/.auth/login/aad", "/.auth/logout", "/.auth/me"):
        assert first_matching_rule(config, path) == {}, path
    for provider in ("github", "x", "twitter"):
        assert first_matching_rule(config, f"/.auth/login/{provider}")["statusCode"] == 404
    assert first_matching_rule(config, "/login")["rewrite"] == "/login.html"


def test_the_uninvited_see_the_not_authorised_page(config: dict[str, Any]) -> None:
    overrides = config["responseOverrides"]
    assert overrides["401"] == {"redirect": "/login.html", "statusCode": 302}
    assert overrides["403"] == {"rewrite": "/unauthorized.html", "statusCode": 403}


def test_the_admin_address_is_the_admin_page_and_not_the_chat(config: dict[str, Any]) -> None:
    assert first_matching_rule(config, "/admin")["rewrite"] == "/admin.html"
    # The chat's fallback must never answer for it with index.html.
    assert set(config["navigationFallback"]["exclude"]) >= ADMIN_PAGES


def test_app_addresses_fall_back_to_the_spa_but_api_and_auth_do_not(
    config: dict[str, Any],
) -> None:
    fallback = config["navigationFallback"]
    assert fallback["rewrite"] == "/index.html"
    assert {"/api/*", "/.auth/*", "/assets/*"} <= set(fallback["exclude"])


def test_headers_beyond_what_the_emulator_test_checks(config: dict[str, Any]) -> None:
    headers = config["globalHeaders"]
    csp = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert csp["script-src"] == ["'self'"], "no inline or eval'd script, no other origin"
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    max_age = re.search(r"max-age=(\d+)", headers["Strict-Transport-Security"])
    assert max_age and int(max_age.group(1)) >= 31_536_000, "HSTS for at least a year"
    denied = {
        feature for feature, allow in _features(headers["Permissions-Policy"]) if allow == "()"
    }
    assert {"camera", "microphone", "geolocation"} <= denied
    assert headers["Referrer-Policy"] in {"no-referrer", "same-origin", "strict-origin"}


def test_the_api_runtime_is_the_python_ci_tests_with(config: dict[str, Any]) -> None:
    assert config["platform"]["apiRuntime"] == "python:3.11"
    workflow = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    python = [
        step["with"]["python-version"]
        for step in workflow["jobs"]["test"]["steps"]
        if str(step.get("uses", "")).startswith("actions/setup-python")
    ]
    assert python == ["3.11"]


def _features(policy: str) -> list[tuple[str, str]]:
    return [
        (name.strip(), allow.strip())
        for name, _, allow in (item.partition("=") for item in policy.split(","))
    ]
