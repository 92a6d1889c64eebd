"""API keys for systems, scoped to the organisation and to named permissions. Only staff
owners and admins manage them (a key cannot make keys)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_identity.api.common import NO_STORE, PREFIX, PROBLEM_RESPONSES, answering_problems, meta_for
from trellis_identity.api.schemas import (
    ApiKeyList,
    ApiKeyResponse,
    CreateApiKeyRequest,
    CreatedApiKeyResponse,
)
from trellis_identity.application.identity import IdentityApplication
from trellis_platform.auth.access import ADMINS, access
from trellis_platform.auth.guards import CurrentCaller, guarded

KEY_ADMINS = access(staff=ADMINS)


def api_keys_router(app: IdentityApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["identity: API keys"], responses=PROBLEM_RESPONSES)

    @router.post("/api-keys", status_code=status.HTTP_201_CREATED, response_model=CreatedApiKeyResponse,
                 **guarded(KEY_ADMINS))
    def create_api_key(body: CreateApiKeyRequest, caller: CurrentCaller, request: Request,
                       response: Response) -> CreatedApiKeyResponse:
        """The secret is in this answer only; keep it. Exchange it at /service-tokens."""
        with answering_problems():
            created = app.create_api_key(organisation_id=caller.organisation_id, name=body.name,
                                         permissions=body.permissions, meta=meta_for(request, caller))
        response.headers.update(NO_STORE)
        response.headers["Location"] = f"{PREFIX}/api-keys/{created.entry.key_id}"
        return CreatedApiKeyResponse(**ApiKeyResponse.of(created.entry).model_dump(), secret=created.secret)

    @router.get("/api-keys", response_model=ApiKeyList, **guarded(KEY_ADMINS))
    def list_api_keys(caller: CurrentCaller) -> ApiKeyList:
        with answering_problems():
            return ApiKeyList(items=[ApiKeyResponse.of(k) for k in app.api_keys(caller.organisation_id)])

    @router.delete("/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT, **guarded(KEY_ADMINS))
    def revoke_api_key(key_id: UUID, caller: CurrentCaller, request: Request) -> Response:
        """The key stops working, and so does every service token exchanged for it."""
        with answering_problems():
            app.revoke_api_key(organisation_id=caller.organisation_id, key_id=key_id,
                               meta=meta_for(request, caller))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
