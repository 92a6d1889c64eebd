"""Clients (the companies an organisation delivers to) and their users. A client user
belongs to one client of one organisation, as viewer or approver."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_identity.api.common import PREFIX, PROBLEM_RESPONSES, answering_problems, meta_for
from trellis_identity.api.schemas import (
    ChangeClientRoleRequest,
    ClientList,
    ClientRequest,
    ClientResponse,
    CreateClientUserRequest,
    UserList,
    UserResponse,
)
from trellis_identity.application.identity import IdentityApplication
from trellis_platform.auth.access import ADMINS, MANAGERS, READERS, access
from trellis_platform.auth.caller import ClientRole
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem

CLIENT_ADMINS = access(staff=ADMINS)
CLIENT_READERS = access(staff=READERS, client=ClientRole.VIEWER, permission="identity.clients:read")
CLIENT_USER_READERS = access(staff=MANAGERS, permission="identity.clients:read")


def clients_router(app: IdentityApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["identity: clients"], responses=PROBLEM_RESPONSES)

    @router.post("/clients", status_code=status.HTTP_201_CREATED, response_model=ClientResponse,
                 **guarded(CLIENT_ADMINS))
    def create_client(body: ClientRequest, caller: CurrentCaller, request: Request,
                      response: Response) -> ClientResponse:
        with answering_problems():
            client = app.add_client(organisation_id=caller.organisation_id, name=body.name,
                                    meta=meta_for(request, caller))
        response.headers["Location"] = f"{PREFIX}/clients/{client.client_id}"
        return ClientResponse.of(client)

    @router.get("/clients", response_model=ClientList, **guarded(CLIENT_READERS))
    def list_clients(caller: CurrentCaller) -> ClientList:
        with answering_problems():
            clients = app.clients(caller.organisation_id)
        if caller.is_client:
            clients = [c for c in clients if c.client_id == caller.client_id]
        return ClientList(items=[ClientResponse.of(c) for c in clients])

    @router.get("/clients/{client_id}", response_model=ClientResponse, **guarded(CLIENT_READERS))
    def get_client(client_id: UUID, caller: CurrentCaller) -> ClientResponse:
        if caller.is_client and caller.client_id != client_id:
            raise Problem(404, "Not found", f"No client {client_id} in this organisation.")
        with answering_problems():
            return ClientResponse.of(app.organisation(caller.organisation_id).client(client_id))

    @router.post("/clients/{client_id}/users", status_code=status.HTTP_201_CREATED,
                 response_model=UserResponse, **guarded(CLIENT_ADMINS))
    def add_client_user(client_id: UUID, body: CreateClientUserRequest, caller: CurrentCaller,
                        request: Request, response: Response) -> UserResponse:
        with answering_problems():
            member = app.add_client_user(organisation_id=caller.organisation_id, client_id=client_id,
                                         email=body.email, name=body.name, role=body.role.value,
                                         password=body.password.get_secret_value(),
                                         meta=meta_for(request, caller))
        response.headers["Location"] = f"{PREFIX}/clients/{client_id}/users/{member.user_id}"
        return UserResponse.of(member)

    @router.get("/clients/{client_id}/users", response_model=UserList, **guarded(CLIENT_USER_READERS))
    def list_client_users(client_id: UUID, caller: CurrentCaller) -> UserList:
        with answering_problems():
            members = app.members(caller.organisation_id, client_id=client_id)
        return UserList(items=[UserResponse.of(m) for m in members])

    @router.get("/clients/{client_id}/users/{user_id}", response_model=UserResponse,
                **guarded(CLIENT_USER_READERS))
    def get_client_user(client_id: UUID, user_id: UUID, caller: CurrentCaller) -> UserResponse:
        with answering_problems():
            return UserResponse.of(app.organisation(caller.organisation_id).client_user(client_id, user_id))

    @router.put("/clients/{client_id}/users/{user_id}/role", response_model=UserResponse,
                **guarded(CLIENT_ADMINS))
    def change_client_role(client_id: UUID, user_id: UUID, body: ChangeClientRoleRequest,
                           caller: CurrentCaller, request: Request) -> UserResponse:
        with answering_problems():
            member = app.change_client_role(organisation_id=caller.organisation_id, client_id=client_id,
                                            user_id=user_id, role=body.role.value,
                                            meta=meta_for(request, caller))
        return UserResponse.of(member)

    @router.delete("/clients/{client_id}/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT,
                   **guarded(CLIENT_ADMINS))
    def remove_client_user(client_id: UUID, user_id: UUID, caller: CurrentCaller,
                           request: Request) -> Response:
        """No more logins; every session of theirs revoked at once."""
        with answering_problems():
            app.remove_client_user(organisation_id=caller.organisation_id, client_id=client_id,
                                   user_id=user_id, meta=meta_for(request, caller))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
