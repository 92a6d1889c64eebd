"""The industry templates every organisation starts with, by key."""

from __future__ import annotations

from trellis_planning.domain.template import TemplateDefinition, check_definition
from trellis_planning.domain.templates.construction import CONSTRUCTION
from trellis_planning.domain.templates.creative_agency import CREATIVE_AGENCY
from trellis_planning.domain.templates.it_delivery import IT_DELIVERY

BUILT_IN_TEMPLATES: dict[str, TemplateDefinition] = {
    t.key: check_definition(t) for t in (CONSTRUCTION, CREATIVE_AGENCY, IT_DELIVERY)
}
