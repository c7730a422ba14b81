"""How uvicorn is run, in one place.

``cqf serve`` and the benchmark suite's bare-framework baseline (``benchmarks/bare.py``) both
start uvicorn through ``run``, so the baseline is measured on exactly the service's server
settings (loop, HTTP parser, no access log, logging left to the app). With ``workers`` > 1
uvicorn needs an import string (each worker process builds its own app); with one worker the
app object is served in this process.

The HTTP parser is httptools (llhttp), except for a request that proposes a protocol upgrade
the service does not speak: llhttp stops at the end of such a request's headers and hands the
rest of the bytes (its body) to the new protocol, so uvicorn's httptools protocol served it
with an empty body. Java's HttpClient and Apache Jena send ``Upgrade: h2c`` on every http://
POST. ``Http11Protocol`` hands such a connection, from that request on, to uvicorn's h11
protocol, replaying the request's head and the bytes already read: the request is served as
HTTP/1.1 with its body (the upgrade is declined, as RFC 9110 lets a server do).

A request the parser refuses (e.g. a URL over 64 KiB, which httptools cannot split) is
answered 400 as RFC 9457 problem+json, like every other error of the service, not
uvicorn's plain text.
"""

from __future__ import annotations

import json
from typing import Any

import httptools
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.api.problems import MEDIA_TYPE, PROBLEM_BASE


class Http11Protocol(HttpToolsProtocol):
    """httptools for every request; h11 for a connection once it proposes an upgrade other
    than a WebSocket the server accepts (so no body is ever lost)."""

    def _should_upgrade(self) -> bool:
        # Any proposed upgrade stops httptools from starting the request (its body would be
        # lost); data_received then decides who serves it.
        return self._get_upgrade() is not None

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        assert self.parser is not None  # made in __init__
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
        except httptools.HttpParserUpgrade as upgrade:
            if self._get_upgrade() == b"websocket" and self._should_upgrade_to_ws():
                self.handle_websocket_upgrade()
            else:
                offset = upgrade.args[0] if upgrade.args else len(data)
                self._continue_with_h11(data[offset:])

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"type": PROBLEM_BASE + "malformed-request", "title": "Bad request",
                           "status": 400, "detail": "the HTTP request could not be read "
                           "(malformed, or a URL over 64 KiB)"}).encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in
                 self.server_state.default_headers]
        head += [b"content-type: " + MEDIA_TYPE.encode() + b"\r\n",
                 b"content-length: " + str(len(body)).encode() + b"\r\n",
                 b"connection: close\r\n\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    def _continue_with_h11(self, rest: bytes) -> None:
        """Replay this request's head and the bytes after it to an h11 protocol that takes
        the connection over."""
        self.connections.discard(self)
        head = [self.scope["method"].encode(), b" ", self.url, b" HTTP/1.1\r\n"]
        for name, value in self.scope["headers"]:
            head += [name, b": ", value, b"\r\n"]
        head.append(b"\r\n")
        protocol = H11Protocol(config=self.config, server_state=self.server_state,
                               app_state=self.app_state)
        protocol.connection_made(self.transport)
        self.transport.set_protocol(protocol)
        protocol.data_received(b"".join(head) + rest)


def run(app: Any, *, host: str, port: int, workers: int = 1, factory: bool = False,
        proxy_headers: bool = False, forwarded_allow_ips: str = "") -> None:
    """Proxy headers are off unless the operator names the proxies (CQF_TRUSTED_PROXIES)."""
    if workers > 1 and not isinstance(app, str):
        raise ValueError("several workers need the app as an import string")
    uvicorn.run(app, host=host, port=port, workers=workers if workers > 1 else None,
                factory=factory, log_config=None, access_log=False, http=Http11Protocol,
                proxy_headers=proxy_headers, forwarded_allow_ips=forwarded_allow_ips)
