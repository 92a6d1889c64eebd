"""The bare baseline: FastAPI endpoints shaped like Trellis's, doing nothing else.

Same server (uvicorn, one process, same options as a service), same request and
response shapes, validated by pydantic the same way; no authentication, middleware,
tracing or database. What a Trellis route costs beyond this is Trellis's own cost.

Run: ``python -m bench.bare_app`` (port from TRELLIS_PORT).
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime

from fastapi import FastAPI, Response, status
from pydantic import BaseModel, ConfigDict, Field

from trellis_platform.runners import serve_http


class CreateProject(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    client_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date


class Project(BaseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    client_id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    version: int


class PortalProject(BaseModel):
    id: uuid.UUID
    client_id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    version: int
    created_at: datetime


ORGANISATION = uuid.UUID(int=1)
app = FastAPI(title="bare baseline")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/bare/projects", status_code=status.HTTP_201_CREATED, response_model=Project)
def create_project(body: CreateProject, response: Response) -> Project:
    project_id = uuid.uuid4()
    response.headers["Location"] = f"/bare/projects/{project_id}"
    return Project(id=project_id, organisation_id=ORGANISATION, client_id=body.client_id, name=body.name,
                   starts_on=body.starts_on, ends_on=body.ends_on, version=2)


@app.get("/bare/projects/{project_id}", response_model=PortalProject)
async def get_project(project_id: uuid.UUID) -> PortalProject:
    return PortalProject(id=project_id, client_id=ORGANISATION, name="Data centre fit-out",
                         starts_on=date(2026, 1, 5), ends_on=date(2026, 12, 18), version=1,
                         created_at=datetime(2026, 1, 5, tzinfo=UTC))


if __name__ == "__main__":
    serve_http(app, host="127.0.0.1", port=int(os.environ.get("TRELLIS_PORT", "8190")))
