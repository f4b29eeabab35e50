"""The API version of every resource type the templates create, in one place.

Each is the newest stable version the published ARM schemas have (snapshot of August 2026,
see tests/infrastructure/arm_schemas/README.md), and a test holds them to that. Two types
have no schema there; their versions come from Microsoft's template reference instead.
"""

from __future__ import annotations

WEB = "2024-11-01"
STORAGE = "2026-04-01"
COGNITIVE_SERVICES = "2026-05-01"
LOG_ANALYTICS = "2025-07-01"
# Application Insights `components`: 2020-02-02 is still its newest stable version.
APP_INSIGHTS = "2020-02-02"
# No schema is published for these two in the snapshot: the versions are the newest stable
# ones listed at learn.microsoft.com/azure/templates (roleAssignments has had no stable
# version since 2022-04-01).
ROLE_ASSIGNMENTS = "2022-04-01"
DEPLOYMENTS = "2025-04-01"
