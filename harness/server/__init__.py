"""`harness serve`: the simulator as a real HTTP server, for a shop in any language.

One concern per module: `runner` (options, socket, uvicorn, signals), `protocol` (connections and
CONNECT tunnels), `certificates` (the local CA and the leaf certificate), `app` (the ASGI app and
its targets), `served` (the simulator being served and its journal), `control` and `addressing`
(the control API, derived from the vocabulary), `state` (`--state FILE`), `openapi` (both
OpenAPI documents).
"""

from harness.server.certificates import CertificateError, ServerCertificates, default_ca_dir
from harness.server.control import ControlError, parse_moment
from harness.server.runner import RunningServer, ServeOptions, ServerStartError, serve, start_in_thread
from harness.server.served import PublicKey
from harness.server.state import StateFileError

__all__ = [
    "CertificateError",
    "ControlError",
    "PublicKey",
    "RunningServer",
    "ServeOptions",
    "ServerCertificates",
    "ServerStartError",
    "StateFileError",
    "default_ca_dir",
    "parse_moment",
    "serve",
    "start_in_thread",
]
