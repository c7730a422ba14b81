"""gzip for large answers held whole in memory, when the client accepts it.

At the ESCO size the CASE package of the competency framework is 18 MB of JSON and a career
path or the CQF table about 0.7 MB: sent as they are, they cost the client (an HR office on a
slow line) and the service's one event loop far more than the answer itself, which is kept
(``app.api.answers``, ``app.services.careers``). Such an answer is compressed once and the
result kept beside it, bounded by bytes, so the next client gets the same bytes without
compressing again. It is found by its ``ETag`` but used only for the very same body (the
same kept object, or equal bytes: a comparison costs a few milliseconds at 18 MB): the
``ETag`` of an answer resting on the graph names the graph state as this process last read
it, and a body computed from read models that already saw another worker's write may differ
under the same ``ETag``.

- Only 200 answers of at least ``MIN_BYTES`` held in memory; streamed exports and files are
  sent as they are.
- Every such answer carries ``Vary: Accept-Encoding``, compressed or not, so a cache never
  hands the gzip form to a client that did not ask for it.
- zlib level 1 on a worker thread (zlib releases the GIL): JSON still shrinks about tenfold,
  at a fraction of the default level's time.
- A strong ``ETag`` becomes weak on the compressed form (it names the content, not the
  bytes); the weak comparison of ``If-None-Match`` matches either form.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict

from fastapi import Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

MIN_BYTES = 32 * 1024
KEPT_BYTES = 64 * 1024 * 1024


class CompressedBodies:
    """The gzip form of recent answers beside the answer itself, by ``(ETag, Content-Type)``;
    least recently used out once they hold more than ``limit`` bytes (both forms counted)."""

    def __init__(self, limit: int = KEPT_BYTES) -> None:
        self.limit = limit
        self.compressions = 0  # bodies compressed (not found kept): what a test can count
        self._held = 0
        self._lock = threading.Lock()
        self._bodies: OrderedDict[tuple[str, str], tuple[bytes, bytes]] = OrderedDict()

    def get(self, key: tuple[str, str], body: bytes) -> bytes | None:
        """The gzip form of ``body`` when it is the one kept under ``key``."""
        with self._lock:
            found = self._bodies.get(key)
            if found is None:
                return None
            self._bodies.move_to_end(key)
        plain, packed = found
        return packed if plain is body or plain == body else None

    def keep(self, key: tuple[str, str], body: bytes, packed: bytes) -> None:
        size = len(body) + len(packed)
        with self._lock:
            self.compressions += 1
            old = self._bodies.pop(key, None)
            if old is not None:
                self._held -= len(old[0]) + len(old[1])
            if size > self.limit:
                return
            self._bodies[key] = (body, packed)
            self._held += size
            while self._held > self.limit:
                _, (plain, dropped) = self._bodies.popitem(last=False)
                self._held -= len(plain) + len(dropped)


def accepts_gzip(header: str | None) -> bool:
    """RFC 9110 12.5.3: ``gzip`` (or ``x-gzip``, or ``*``) listed with a q above 0."""
    for entry in (header or "").split(","):
        coding, _, params = entry.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        name, _, value = params.strip().partition("=")
        if name.strip().lower() != "q":
            return True
        try:
            return float(value) > 0
        except ValueError:
            return False
    return False


def _gzip(body: bytes) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    return packer.compress(body) + packer.flush()


def _vary_on_encoding(response: Response) -> None:
    vary = response.headers.get("vary")
    if vary is None:
        response.headers["vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        response.headers["vary"] = f"{vary}, Accept-Encoding"


async def compressed(request: Request, response: Response, kept: CompressedBodies) -> Response:
    """``response``, in gzip when it is large, held in memory and the client accepts it."""
    if response.status_code != 200 or isinstance(response, StreamingResponse | FileResponse) \
            or "content-encoding" in response.headers:
        return response
    body = bytes(response.body)
    if len(body) < MIN_BYTES:
        return response
    _vary_on_encoding(response)
    if not accepts_gzip(request.headers.get("accept-encoding")):
        return response
    etag = response.headers.get("etag")
    key = (etag, response.headers.get("content-type", "")) if etag else None
    packed = kept.get(key, body) if key else None
    if packed is None:
        packed = await run_in_threadpool(_gzip, body)
        if key:
            kept.keep(key, body, packed)
    response.body = packed
    response.headers["content-encoding"] = "gzip"
    response.headers["content-length"] = str(len(packed))
    if etag and not etag.startswith("W/"):
        response.headers["etag"] = "W/" + etag
    return response
