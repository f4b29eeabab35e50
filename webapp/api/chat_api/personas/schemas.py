"""GET /api/personas as the client receives it (and as openapi.py documents it).

The items are the catalog's own frozen dataclasses: pydantic serialises and documents them
as they are, so the wire shape cannot drift from the model.
"""

from __future__ import annotations

from pydantic import BaseModel

from chat_api.personas.models import Persona, PersonaCatalog, PersonaGroup


class PersonaCatalogOut(BaseModel):
    """The groups in display order, and every persona, grouped in that order."""

    groups: list[PersonaGroup]
    items: list[Persona]


def catalog_out(catalog: PersonaCatalog) -> PersonaCatalogOut:
    return PersonaCatalogOut(groups=list(catalog.groups), items=list(catalog.personas))
