"""The gateway process's settings, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from trellis_gateway.routes import upstreams_from_env

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class InvalidSetting(ValueError):
    pass


@dataclass(frozen=True)
class GatewaySettings:
    host: str
    port: int
    upstreams: dict[str, str]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GatewaySettings:
        env = os.environ if environ is None else environ
        raw_port = env.get("TRELLIS_GATEWAY_PORT", str(DEFAULT_PORT))
        try:
            port = int(raw_port)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise InvalidSetting(f"TRELLIS_GATEWAY_PORT={raw_port!r} is not a TCP port")
        host = env.get("TRELLIS_GATEWAY_HOST", DEFAULT_HOST)
        return cls(host=host, port=port, upstreams=upstreams_from_env(env))
