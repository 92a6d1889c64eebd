"""Document uploads pass the gateway's 1 MiB JSON limit; every other path keeps it."""

import pytest

from trellis_gateway.app import UPLOAD_LIMITS
from trellis_platform.body_limit import DEFAULT_MAX_BODY_BYTES, BodySizeLimitMiddleware

limits = BodySizeLimitMiddleware(app=None, max_bytes=DEFAULT_MAX_BODY_BYTES,  # type: ignore[arg-type]
                                 path_limits=UPLOAD_LIMITS)


@pytest.mark.parametrize(
    "path", ["/api/planning/projects/8a1c/documents", "/api/planning/documents/8a1c/versions"]
)
def test_upload_paths_get_the_document_limit_plus_multipart_framing(path: str) -> None:
    assert limits.limit_for(path) > 25 * 1_048_576


@pytest.mark.parametrize(
    "path",
    [
        "/api/planning/projects",
        "/api/planning/projects/8a1c/documents/extra",
        "/api/portal/projects/8a1c/documents",
        "/api/planning/documents/8a1c/versions/1/content",
    ],
)
def test_every_other_path_keeps_the_json_limit(path: str) -> None:
    assert limits.limit_for(path) == DEFAULT_MAX_BODY_BYTES
