"""`make run`'s embedded mode over real HTTP: an organisation signs up and logs in, a
project it creates is in the portal, and stays; no secret reaches the log."""

from collections.abc import Iterator
from uuid import uuid4

import httpx
import psycopg
import pytest

from tests.e2e.accounts import Account, assert_no_secret_in, exercise_every_secret, sign_up
from tests.e2e.processes import Process, eventually, free_port, wait_until_ready

pytestmark = pytest.mark.e2e


def _started(database_url: str) -> Iterator[tuple[Process, str]]:
    port = free_port()
    process = Process("embedded", "trellis_local.run_embedded",
                      env={"TRELLIS_DATABASE_URL": database_url, "TRELLIS_PORT": str(port),
                           "TRELLIS_LOG_LEVEL": "DEBUG"})
    base = f"http://127.0.0.1:{port}"
    process.log_path.unlink(missing_ok=True)
    process.start()
    wait_until_ready(f"{base}/readyz", process)
    yield process, base
    process.stop()


@pytest.fixture
def embedded(database_url: str) -> Iterator[tuple[Process, str]]:
    """A process of its own: the test restarts it, or reads its whole log."""
    yield from _started(database_url)


@pytest.fixture(scope="module")
def shared_embedded(module_database_url: str) -> Iterator[tuple[Process, str]]:
    """One process for the tests that only send it requests (each signs up its own
    organisation): starting one takes several seconds."""
    yield from _started(module_database_url)


@pytest.fixture(scope="module")
def shared_owner(shared_embedded: tuple[Process, str]) -> Account:
    """Sign-ups are throttled per address: the bad-input cases share one organisation."""
    return sign_up(shared_embedded[1])


def project_body() -> dict[str, str]:
    return {"client_id": str(uuid4()), "name": "Warehouse roof", "starts_on": "2026-03-02",
            "ends_on": "2026-06-26"}


def stored_events(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM planning.planning_events").fetchone()
    assert row is not None
    return int(row[0])


def test_created_project_reaches_the_portal_within_a_second_and_survives_a_restart(
    embedded: tuple[Process, str], database_url: str,
) -> None:
    process, base = embedded
    owner = sign_up(base)
    created = httpx.post(f"{base}/api/planning/projects", json=project_body(), headers=owner.headers)
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    assert created.json()["organisation_id"] == owner.organisation_id, "the tenant comes from the token"
    assert created.headers["location"] == f"/api/planning/projects/{project_id}"
    portal_url = f"{base}/api/portal/projects/{project_id}"

    def visible() -> bool:
        return httpx.get(portal_url, headers=owner.headers).status_code == 200

    assert eventually(visible, timeout=1.0) < 1.0

    process.stop()
    process.start()
    wait_until_ready(f"{base}/readyz", process)
    kept = httpx.get(portal_url, headers=owner.headers)
    assert kept.status_code == 200, "the signing key, and so the token, survive the restart"
    assert kept.json()["name"] == "Warehouse roof"
    assert httpx.get(f"{base}/docs").status_code == 200


def test_without_a_valid_token_nothing_is_answered_or_stored(
    shared_embedded: tuple[Process, str], module_database_url: str,
) -> None:
    _, base = shared_embedded
    database_url = module_database_url
    owner = sign_up(base)
    other = sign_up(base, organisation="Other Ltd")
    created = httpx.post(f"{base}/api/planning/projects", json=project_body(), headers=owner.headers)
    before = stored_events(database_url)
    assert httpx.post(f"{base}/api/planning/projects", json=project_body()).status_code == 401
    assert httpx.post(f"{base}/api/planning/projects", json=project_body(),
                      headers={"Authorization": f"Bearer {owner.access_token}x"}).status_code == 401
    assert httpx.get(f"{base}{created.headers['location']}", headers=other.headers).status_code == 404
    assert stored_events(database_url) == before

    assert httpx.post(f"{base}/api/identity/logout", headers=owner.headers).status_code == 204
    revoked = httpx.get(f"{base}{created.headers['location']}", headers=owner.headers)
    assert revoked.status_code == 401, "a revoked token stops working at once"


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b'{"client_id": "3f1c6a8e-2b7d-4c55-9a0e-5d2f8b1c7e40"}', 422),
        (b'{"client_id": "3f1c6a8e-2b7d-4c55-9a0e-5d2f8b1c7e40", "name": "x", '
         b'"starts_on": "2026-05-01", "ends_on": "2026-04-01"}', 422),
        (b'{"client_id": "3f1c6a8e-2b7d-4c55-9a0e-5d2f8b1c7e40", "name": "x", '
         b'"starts_on": "2026-05-01", "ends_on": "2026-06-01", "budget": 5}', 422),
        (b'{"name": "unterminated', 400),
        (b'{"name": "' + b"x" * 2_000_000 + b'"}', 413),
    ],
    ids=["missing name", "end before start", "unknown field", "malformed JSON", "2 MB body"],
)
def test_bad_input_gets_a_problem_and_stores_nothing(
    shared_embedded: tuple[Process, str], shared_owner: Account, module_database_url: str, content: bytes,
    status: int,
) -> None:
    _, base = shared_embedded
    database_url = module_database_url
    owner = shared_owner
    before = stored_events(database_url)
    response = httpx.post(f"{base}/api/planning/projects", content=content,
                          headers={"content-type": "application/json", **owner.headers})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    assert stored_events(database_url) == before


def test_no_token_password_or_key_reaches_the_log(embedded: tuple[Process, str]) -> None:
    process, base = embedded
    owner: Account = sign_up(base)
    exercise_every_secret(base, owner)
    httpx.post(f"{base}/api/planning/projects", json=project_body(), headers=owner.headers)
    httpx.get(f"{base}/api/portal/projects", headers={"Authorization": f"Bearer {owner.access_token}x"})
    log = process.log_path.read_text(errors="replace")
    assert "logging configured" in log, "the process logs at DEBUG, so there is plenty to look at"
    assert_no_secret_in(log, owner.secrets)
