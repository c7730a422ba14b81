"""pyoxigraph's serializers (Rust) fed a stream of triples, read back as text chunks.

``pyoxigraph.serialize`` pulls triples from an iterator and pushes bytes into a file-like
object (8 KiB at a time). The export is a generator (streamed HTTP answers, CLI progress,
release hashing), so the serializer runs on a helper thread whose sink gathers 256 KiB
blocks onto a small bounded queue: memory stays at a page of rows plus a few blocks whatever
the graph's size (with 8 KiB blocks the hand-overs between the threads cost as much as the
serializer itself). The triples (and so the store reads) are consumed on that thread while
this one only waits on the queue; an error there is raised here. Closing the generator early
(a client that went away) stops the helper at its next write.
"""

from __future__ import annotations

import codecs
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import IO, cast

import pyoxigraph as ox

QUEUED_BLOCKS = 4
BLOCK_BYTES = 256 * 1024  # handed over in large blocks: each hand-over costs two thread switches
_DONE = object()


class _Stopped(Exception):
    """Raised inside the serializer's sink once the reader has gone."""


class _QueueSink:
    def __init__(self, blocks: queue.Queue[object], stop: threading.Event) -> None:
        self.blocks = blocks
        self.stop = stop
        self.buffer = bytearray()

    def put(self, item: object) -> None:
        while not self.stop.is_set():
            try:
                self.blocks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
        raise _Stopped

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= BLOCK_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.put(bytes(self.buffer))
            self.buffer.clear()


def serialized(triples: Iterable[ox.Triple], fmt: ox.RdfFormat,
               prefixes: dict[str, str] | None = None) -> Iterator[str]:
    """The serialization of ``triples`` in ``fmt``, as UTF-8 text chunks."""
    blocks: queue.Queue[object] = queue.Queue(maxsize=QUEUED_BLOCKS)
    stop = threading.Event()
    sink = _QueueSink(blocks, stop)

    def produce() -> None:
        try:
            # pyoxigraph writes to any object with write(); it only annotates IO[bytes]
            ox.serialize(triples, cast(IO[bytes], sink), fmt, prefixes=prefixes)
            sink.flush()
            sink.put(_DONE)
        except _Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            try:
                sink.put(exc)
            except _Stopped:
                pass

    helper = threading.Thread(target=produce, name="rdf-serializer", daemon=True)
    helper.start()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while True:
            item = blocks.get()
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            text = decoder.decode(cast(bytes, item))  # the producer puts bytes, _DONE or errors
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail
    finally:
        stop.set()
        helper.join(timeout=5)
