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
from collections.abc import Iterable, Iterator
from typing import IO, cast

import pyoxigraph as ox

from app.rdf.handoff import Put, handed_over

QUEUED_BLOCKS = 4
BLOCK_BYTES = 256 * 1024  # handed over in large blocks: each hand-over costs two thread switches


class _BlockSink:
    """The file pyoxigraph writes to: its bytes handed over in blocks of ``BLOCK_BYTES``."""

    def __init__(self, put: Put) -> None:
        self.put = put
        self.buffer = bytearray()

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
    def produce(put: Put) -> None:
        sink = _BlockSink(put)
        # pyoxigraph writes to any object with write(); it only annotates IO[bytes]
        ox.serialize(triples, cast(IO[bytes], sink), fmt, prefixes=prefixes)
        sink.flush()

    decoder = codecs.getincrementaldecoder("utf-8")()
    for block in handed_over(produce, QUEUED_BLOCKS, "rdf-serializer"):
        text = decoder.decode(cast(bytes, block))  # the helper hands over bytes only
        if text:
            yield text
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail
