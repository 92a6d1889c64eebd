"""``python -m trellis_gateway``: the API gateway on TRELLIS_GATEWAY_HOST:TRELLIS_GATEWAY_PORT."""

from __future__ import annotations

import sys

import uvicorn

from trellis_gateway.app import create_gateway_app
from trellis_gateway.revocation import RevocationClient
from trellis_gateway.routes import UpstreamConfigError
from trellis_gateway.server import server_config
from trellis_gateway.settings import GatewaySettings, InvalidSetting
from trellis_platform.logs import configure_logging
from trellis_platform.telemetry import configure_telemetry


def main() -> None:
    try:
        settings = GatewaySettings.from_env()
    except (UpstreamConfigError, InvalidSetting) as err:
        sys.exit(f"trellis_gateway: {err}")
    configure_logging("trellis_gateway")
    tracer_provider = configure_telemetry("trellis-gateway")
    try:
        verifier = settings.auth.verifier()
    except RuntimeError as err:
        sys.exit(f"trellis_gateway: {err}")
    status_url = settings.auth.token_status_url
    revocation = (RevocationClient(status_url, cache_seconds=settings.auth.revocation_cache_seconds)
                  if status_url else None)
    app = create_gateway_app(settings.upstreams, verifier=verifier, revocation=revocation,
                             limits=settings.limits, cors_origins=settings.cors_origins,
                             tracer_provider=tracer_provider)
    uvicorn.Server(server_config(app, host=settings.host, port=settings.port)).run()


if __name__ == "__main__":
    main()
