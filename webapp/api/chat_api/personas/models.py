"""What a persona is once its file has been validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class PersonaGroup:
    id: str
    name: str


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    group: str  # the id of one of the catalog's groups
    description: str
    # Sent as the conversation's system prompt when a chat starts from this persona.
    system: str
    # A suggestion: reasoning models take no temperature, and the chat leaves it out.
    temperature: float
    starters: tuple[str, ...]


@dataclass(frozen=True)
class PersonaCatalog:
    """Groups in display order, and personas in group order, then file order."""

    groups: tuple[PersonaGroup, ...]
    personas: tuple[Persona, ...]
    _by_id: Mapping[str, Persona] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, so the index is set the way dataclasses set fields themselves.
        object.__setattr__(self, "_by_id", MappingProxyType({p.id: p for p in self.personas}))

    def get(self, persona_id: str) -> Persona | None:
        """The persona with this id, or None: what a chat started from a persona looks up."""
        return self._by_id.get(persona_id)

    def __len__(self) -> int:
        return len(self.personas)
