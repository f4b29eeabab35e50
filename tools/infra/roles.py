"""Built-in Azure roles the API's managed identity needs, and granting them."""

from __future__ import annotations

from tools.infra import arm, versions
from tools.infra.arm import Expr, Json

# Built-in role definition ids (the same in every tenant).
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"  # Cognitive Services OpenAI User
TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"  # Storage Table Data Contributor
# The Functions host keeps its leases in blobs, and Flex Consumption reads the app package
# from a blob container with the app's identity: Microsoft's Flex samples grant this role.
BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"  # Storage Blob Data Owner


def role_assignment(
    *,
    scope: Expr,
    scope_id: Expr,
    role: str,
    principal_id: Expr,
    principal_key: Expr,
    condition: Expr | None = None,
    depends_on: list[Expr] | None = None,
) -> Json:
    """Grant `role` on the resource `scope` (the relative `Provider/type/name` form ARM
    wants for an extension resource) to a service principal.

    The name must be known before deployment, so it is derived from ids, never from the
    principal id itself (a runtime value): `principal_key` stands in for it.
    """
    resource: Json = {
        "type": "Microsoft.Authorization/roleAssignments",
        "apiVersion": versions.ROLE_ASSIGNMENTS,
        "name": arm.wrap(arm.call("guid", scope_id, principal_key, arm.lit(role))),
        "scope": arm.wrap(scope),
        "properties": {
            "roleDefinitionId": arm.wrap(arm.role_definition_id(role)),
            "principalId": arm.wrap(principal_id),
            # Saying so spares ARM a directory lookup that fails while a new identity is
            # still replicating.
            "principalType": "ServicePrincipal",
        },
    }
    if condition is not None:
        resource = {"condition": arm.wrap(condition), **resource}
    if depends_on:
        resource["dependsOn"] = [arm.wrap(d) for d in depends_on]
    return resource
