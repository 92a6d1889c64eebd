"""Identity's eventsourcing Application: one event store and notification log for the
whole context, its use cases grouped by area in the modules it is composed of."""

from __future__ import annotations

from trellis_identity.application.api_keys import ApiKeyUseCases
from trellis_identity.application.directory import DirectoryUseCases
from trellis_identity.application.internal_tokens import InternalTokenUseCases
from trellis_identity.application.revocation import RevocationUseCases
from trellis_identity.application.sessions import SessionUseCases
from trellis_platform.projection import ProjectsDirectly


class IdentityApplication(DirectoryUseCases, SessionUseCases, ApiKeyUseCases, RevocationUseCases,
                          InternalTokenUseCases, ProjectsDirectly):
    name = "identity"
