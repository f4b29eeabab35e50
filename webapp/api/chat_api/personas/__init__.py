"""The persona catalog: ready-made assistants (a system prompt, a temperature, starter
prompts) grouped by the work they help with. The built-in catalog is personas.json here;
an admin extends or replaces it with PERSONAS_FILE and PERSONAS_MODE (docs/personas.md).

The route lives in chat_api.personas.routes, which is not imported here: app_state imports
this package, and the route imports app_state.
"""

from chat_api.personas.errors import PersonaCatalogError
from chat_api.personas.loading import load_catalog
from chat_api.personas.models import Persona, PersonaCatalog, PersonaGroup

__all__ = ["Persona", "PersonaCatalog", "PersonaCatalogError", "PersonaGroup", "load_catalog"]
