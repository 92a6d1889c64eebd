"""`make up`'s distributed mode: a client user downloads, through the gateway and the portal,
a document the firm's staff uploaded to planning. One process per role, real Kafka.

The portal API fetches the bytes from planning's API with a service token identity issued
it for the organisation of the request (TRELLIS_PORTAL_CLIENT_SECRET, made by the stack
for this run), and checks them against its own record of the version."""

from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from tests.e2e.download_scenario import (
    SharedDocument,
    assert_the_viewer_downloads_each_version,
    share_a_document,
    sign_up_firm,
)
from tests.e2e.processes import GENEROUS_LIMITS, running_stack
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.stack import ROLES_BY_NAME, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

@pytest.fixture(scope="module")
def stack(test_paths: LocalPaths, module_database_url: str, kafka_bootstrap: str) -> Iterator[Stack]:
    stack = Stack(local_paths(test_paths.root / "stacks" / "downloads"), database_url=module_database_url,
                  kafka_bootstrap=kafka_bootstrap, extra_env=GENEROUS_LIMITS)
    with running_stack(stack):
        yield stack
    assert not stack.portal_secret_file.exists(), "the run's secret goes with it"


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def shared(gateway: httpx.Client) -> SharedDocument:
    return share_a_document(gateway, timeout=60)


def test_a_client_user_downloads_through_the_gateway_what_staff_uploaded(
        gateway: httpx.Client, shared: SharedDocument) -> None:
    assert_the_viewer_downloads_each_version(gateway, shared)


def test_what_was_not_shown_or_not_granted_is_not_found(gateway: httpx.Client,
                                                        shared: SharedDocument) -> None:
    assert gateway.get(shared.download_path(3), headers=shared.viewer).status_code == 404
    unknown = shared.download_path(1, document_id=str(uuid4()))
    assert gateway.get(unknown, headers=shared.viewer).status_code == 404
    assert gateway.get(shared.download_path(1), headers=shared.ungranted).status_code == 404
    _, stranger = sign_up_firm(gateway, "Other Ltd")
    assert gateway.get(shared.download_path(1), headers=stranger).status_code == 404


def test_the_portals_token_is_for_one_organisation_and_its_secret_stays_inside(
        stack: Stack, gateway: httpx.Client, shared: SharedDocument) -> None:
    secret = stack.portal_client_secret()
    identity = f"http://127.0.0.1:{stack.port_of(ROLES_BY_NAME['identity-api'])}"
    planning = f"http://127.0.0.1:{stack.port_of(ROLES_BY_NAME['planning-api'])}"
    content = f"/api/planning/documents/{shared.document_id}/versions/1/content"

    def token_for(organisation_id: str) -> str:
        issued = httpx.post(f"{identity}/api/identity/internal-tokens", json={
            "client": "portal", "secret": secret, "organisation_id": organisation_id})
        assert issued.status_code == 200, issued.text
        return str(issued.json()["access_token"])

    ours = {"Authorization": f"Bearer {token_for(shared.organisation_id)}"}
    assert httpx.get(f"{planning}{content}", headers=ours).content == shared.versions[1]
    assert httpx.get(f"{planning}/api/planning/projects/{shared.project_id}", headers=ours).status_code == 403
    other_organisation, _ = sign_up_firm(gateway, "Third Ltd")
    theirs = {"Authorization": f"Bearer {token_for(other_organisation)}"}
    refused = httpx.get(f"{planning}{content}", headers=theirs)
    assert refused.status_code == 404, "planning checks the document against the token's organisation"

    # The exchange is for services inside: the gateway wants a bearer token for it, and the secret.
    body = {"client": "portal", "secret": "x" * 43, "organisation_id": shared.organisation_id}
    assert gateway.post("/api/identity/internal-tokens", json=body).status_code == 401
    assert gateway.post("/api/identity/internal-tokens", json=body, headers=shared.viewer).status_code == 401
    for log in stack.paths.logs.glob("*.log"):
        assert secret not in log.read_text(errors="replace"), log.name
