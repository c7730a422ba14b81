"""Content negotiation: RDF formats, their media types, and ``Accept`` parsing with q-values.

Pure (no FastAPI): ``choose(accept, offered)`` returns the offered media type the client
prefers, or None when nothing offered is acceptable (the caller answers 406).
"""

from __future__ import annotations

from dataclasses import dataclass

# format key -> (media type, file extension, rdflib serializer name)
RDF_FORMATS: dict[str, tuple[str, str, str]] = {
    "turtle": ("text/turtle", "ttl", "turtle"),
    "ntriples": ("application/n-triples", "nt", "nt"),
    "jsonld": ("application/ld+json", "jsonld", "json-ld"),
    "rdfxml": ("application/rdf+xml", "rdf", "xml"),
}
FORMAT_OF_MEDIA: dict[str, str] = {media: key for key, (media, _, _) in RDF_FORMATS.items()}
HTML, JSON = "text/html", "application/json"


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: int  # parameters besides q: a more specific range wins a tie

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (self.type != "*", self.subtype != "*", self.params)


def _q(value: str) -> float:
    try:
        q = float(value)
    except ValueError:
        return 0.0
    return q if 0.0 <= q <= 1.0 else 0.0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; an absent or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        if not kind or not sub:
            continue
        q, params = 1.0, 0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                q = _q(value.strip())
            else:
                params += 1
        ranges.append(MediaRange(kind, sub, q, params))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q of the most specific range matching ``media_type`` (0 when none does)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type with the highest q (ties: the server's order)."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media_type in offered:
        q = quality(ranges, media_type)
        if q > best_q:
            best, best_q = media_type, q
    return best
