"""Write the three templates and the button tables, or check that they are current.

python -m tools.infra.generate            # write infrastructure/*.json, README, docs
python -m tools.infra.generate --check    # exit 1 if anything written is out of date
python -m tools.infra.generate --buttons OWNER/NAME [--branch B]   # a fork's buttons
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.infra import REPO_ROOT, buttons, doc_blocks
from tools.infra.backends import BACKENDS, Backend
from tools.infra.template import build_template

INFRASTRUCTURE = REPO_ROOT / "infrastructure"
README = REPO_ROOT / "README.md"
DEPLOY_DOC = REPO_ROOT / "docs" / "deploy.md"
BUTTON_DOCUMENTS = (README, DEPLOY_DOC)


def backends() -> list[Backend]:
    return [make() for make in BACKENDS]


def render(template: object) -> str:
    return json.dumps(template, indent=2, ensure_ascii=False) + "\n"


def expected_files() -> dict[Path, str]:
    """Every file the generator owns, or owns a block of, with its expected content."""
    templates = [(b, build_template(b)) for b in backends()]
    files = {INFRASTRUCTURE / b.file_name: render(t) for b, t in templates}
    documents = {d: d.read_text(encoding="utf-8") for d in BUTTON_DOCUMENTS}
    table = buttons.buttons_table([b for b, _ in templates])
    for document, text in documents.items():
        documents[document] = doc_blocks.replace_block(text, buttons.BLOCK, table)
    documents[DEPLOY_DOC] = doc_blocks.replace_block(
        documents[DEPLOY_DOC], "deploy-parameters", doc_blocks.parameters_tables(templates)
    )
    return {**files, **documents}


def stale_files() -> list[Path]:
    return [
        path
        for path, content in expected_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--buttons", metavar="OWNER/NAME", help="print a fork's buttons")
    parser.add_argument("--branch", default=buttons.BRANCH, help="with --buttons")
    args = parser.parse_args(argv)
    if args.buttons:
        print(buttons.buttons_table(backends(), args.buttons, args.branch))
        return 0
    stale = stale_files()
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(REPO_ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path, content in expected_files().items():
        if path in stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
