"""What the benchmarks send: realistic project commands for one organisation."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from bench.auth import Issuer, bearer
from bench.http_load import MakeRequest, Request, Response

PROJECT_NAMES = ("Data centre fit-out", "Brand refresh", "ERP rollout", "Clinic extension",
                 "Website relaunch")


@dataclass(frozen=True)
class Tenant:
    organisation_id: uuid.UUID
    manager_token: str
    reader_token: str

    @classmethod
    def new(cls, issuer: Issuer) -> Tenant:
        from trellis_platform.auth.caller import StaffRole

        organisation = uuid.uuid4()
        return cls(organisation, issuer.manager(organisation),
                   issuer.staff(organisation, StaffRole.MEMBER, subject="bench-reader"))


def create_project_body(n: int) -> dict[str, str]:
    return {
        "client_id": str(uuid.uuid4()),
        "name": f"{PROJECT_NAMES[n % len(PROJECT_NAMES)]} {n}",
        "starts_on": "2026-01-05",
        "ends_on": "2026-12-18",
    }


def create_project(tenant: Tenant, path: str = "/api/planning/projects") -> MakeRequest:
    headers = bearer(tenant.manager_token)

    def make(n: int) -> Request:
        return Request.json("POST", path, create_project_body(n), headers)

    return make


def created_id(response: Response) -> uuid.UUID:
    return uuid.UUID(json.loads(response.body)["id"])
