"""Writing down what an admin did: who (id and name), what, to what, and when.

An entry is added after the action succeeded (it then says what did happen). When it
cannot be written the action stays done and the answer stays a success, since failing it
would tell the admin it did not happen; the log then gets the whole entry at ERROR level,
and is the trail for it (docs/usage.md, "Audit log").
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from chat_api.auth import Principal
from chat_api.history.factory import HistoryDisabled
from chat_api.history.store import HistoryError
from chat_api.usage.factory import UsageStoreHolder
from chat_api.usage.models import AuditEntry

log = logging.getLogger("chat_api.audit")


async def audit(
    usage: UsageStoreHolder, actor: Principal, action: str, target: str, detail: str
) -> None:
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        target=target,
        detail=detail,
    )
    try:
        store = await usage.get()
        await store.add_audit(entry)
    except (HistoryError, HistoryDisabled) as error:
        log.error(
            "audit entry not stored (%s): at=%s actor=%s (%s) action=%s target=%r detail=%r",
            type(error).__name__,
            entry.at.isoformat(),
            entry.actor_id,
            entry.actor_name,
            entry.action,
            entry.target,
            entry.detail,
        )
