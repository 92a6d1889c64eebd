"""Staff users, the organisation, and "me". Owners and admins manage users; only an
owner makes or unmakes owners; everyone can see themselves."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_identity.api.common import (
    PREFIX,
    PROBLEM_RESPONSES,
    answering_problems,
    is_admin,
    is_owner,
    meta_for,
)
from trellis_identity.api.schemas import (
    ApiKeyResponse,
    ChangePasswordRequest,
    ChangeRolesRequest,
    CreateStaffUserRequest,
    MeResponse,
    OrganisationResponse,
    SessionsRevoked,
    UserList,
    UserResponse,
)
from trellis_identity.application.errors import LoginFailed
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.domain.organisation import STAFF
from trellis_platform.auth.access import ADMINS, ALL_STAFF, SIGNED_IN, access
from trellis_platform.auth.caller import Caller, ClientRole
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem

USER_READERS = access(staff=ADMINS, permission="identity.users:read")
USER_ADMINS = access(staff=ADMINS)


def _self_or_admin(caller: Caller, user_id: UUID) -> None:
    if caller.subject != str(user_id) and not is_admin(caller):
        # Another person's account is none of this caller's business: as if it did not exist.
        raise Problem(404, "Not found", f"No user {user_id} you can see.")


def _subject_id(caller: Caller) -> UUID:
    try:
        return UUID(caller.subject)
    except ValueError:
        raise Problem(404, "Not found", "This caller has no account here.") from None


def users_router(app: IdentityApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["identity: users"], responses=PROBLEM_RESPONSES)

    @router.get("/organisation", response_model=OrganisationResponse,
                **guarded(access(staff=ALL_STAFF, client=ClientRole.VIEWER,
                                 permission="identity.organisation:read")))
    def get_organisation(caller: CurrentCaller) -> OrganisationResponse:
        with answering_problems():
            organisation = app.organisation(caller.organisation_id)
        return OrganisationResponse(id=organisation.id, name=organisation.name)

    @router.get("/me", response_model=MeResponse, **guarded(SIGNED_IN))
    def me(caller: CurrentCaller) -> MeResponse:
        answer = MeResponse(kind=caller.kind, subject=caller.subject, organisation_id=caller.organisation_id)
        with answering_problems():
            organisation = app.organisation(caller.organisation_id)
            if caller.kind == "service":
                answer.api_key = ApiKeyResponse.of(organisation.api_key(_subject_id(caller)))
            else:
                answer.user = UserResponse.of(organisation.member(_subject_id(caller)))
        return answer

    @router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT, **guarded(SIGNED_IN))
    def change_my_password(body: ChangePasswordRequest, caller: CurrentCaller, request: Request) -> Response:
        """Also ends every other session of yours."""
        if caller.kind == "service":
            raise Problem(403, "Forbidden", "An API key has no password.")
        try:
            with answering_problems():
                app.change_password(organisation_id=caller.organisation_id, user_id=_subject_id(caller),
                                    current_password=body.current_password.get_secret_value(),
                                    new_password=body.new_password.get_secret_value(),
                                    keep_session=caller.session_id, meta=meta_for(request, caller))
        except LoginFailed:
            raise Problem(401, "Wrong password", "The current password is wrong.") from None
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserResponse,
                 **guarded(USER_ADMINS))
    def create_staff_user(body: CreateStaffUserRequest, caller: CurrentCaller, request: Request,
                          response: Response) -> UserResponse:
        with answering_problems():
            member = app.add_staff_user(organisation_id=caller.organisation_id, email=body.email,
                                        name=body.name, roles=[r.value for r in body.roles],
                                        password=body.password.get_secret_value(), by_owner=is_owner(caller),
                                        meta=meta_for(request, caller))
        response.headers["Location"] = f"{PREFIX}/users/{member.user_id}"
        return UserResponse.of(member)

    @router.get("/users", response_model=UserList, **guarded(USER_READERS))
    def list_users(caller: CurrentCaller, kind: Literal["staff", "client"] | None = None) -> UserList:
        with answering_problems():
            members = app.members(caller.organisation_id, kind=kind)
        return UserList(items=[UserResponse.of(m) for m in members])

    @router.get("/users/{user_id}", response_model=UserResponse, **guarded(SIGNED_IN))
    def get_user(user_id: UUID, caller: CurrentCaller) -> UserResponse:
        if not (caller.kind == "service" and "identity.users:read" in caller.permissions):
            _self_or_admin(caller, user_id)
        with answering_problems():
            return UserResponse.of(app.organisation(caller.organisation_id).member(user_id))

    @router.put("/users/{user_id}/roles", response_model=UserResponse, **guarded(USER_ADMINS))
    def change_roles(user_id: UUID, body: ChangeRolesRequest, caller: CurrentCaller,
                     request: Request) -> UserResponse:
        """Takes effect in the user's tokens at their next refresh (at most 15 minutes)."""
        with answering_problems():
            member = app.change_staff_roles(organisation_id=caller.organisation_id, user_id=user_id,
                                            roles=[r.value for r in body.roles], by_owner=is_owner(caller),
                                            meta=meta_for(request, caller))
        return UserResponse.of(member)

    @router.post("/users/{user_id}/deactivate", response_model=UserResponse, **guarded(USER_ADMINS))
    def deactivate(user_id: UUID, caller: CurrentCaller, request: Request) -> UserResponse:
        """No more logins; every session and its tokens revoked at once."""
        with answering_problems():
            member = app.organisation(caller.organisation_id).member(user_id)
            if member.kind != STAFF:
                raise Problem(404, "Not found",
                              f"No staff user {user_id}; remove client users at their client.")
            member = app.deactivate_staff_user(organisation_id=caller.organisation_id, user_id=user_id,
                                               by_owner=is_owner(caller), meta=meta_for(request, caller))
        return UserResponse.of(member)

    @router.post("/users/{user_id}/sessions/revoke", response_model=SessionsRevoked, **guarded(SIGNED_IN))
    def revoke_sessions(user_id: UUID, caller: CurrentCaller, request: Request) -> SessionsRevoked:
        """Every session of the user ends, and every access token issued under them."""
        _self_or_admin(caller, user_id)
        with answering_problems():
            count = app.revoke_all_sessions(organisation_id=caller.organisation_id, user_id=user_id,
                                            meta=meta_for(request, caller))
        return SessionsRevoked(revoked=count)

    return router
