"""Versioned releases: a dump set (Turtle, N-Triples, JSON-LD, SSSOM TSV), its SHA-256 sums,
a VoID/DCAT description and a ``release.json`` manifest, under ``<releases dir>/<version>/``.

A release is one graph state: every file (each dump, the SSSOM mappings, the VoID counts,
the checksums) is written from one snapshot of the graph (``GraphStore.snapshot``), so
writes that run meanwhile are either in all of them or in none. On both stores the snapshot
holds a write gate, so no write commits while the release reads (writes wait, up to the
store timeout: see ``app.graph.falkordb_write_gate`` and ``app.graph.neo4j_store``).
Tested under load: tests/integration/test_releases.py.

A release is written into a hidden temporary directory and renamed into place at the end, so
a failed or interrupted release leaves nothing that looks like one (a killed one's directory
is removed by the next release). Releases are immutable:
files are served only by the names their own manifest lists.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app.domain.errors import Conflict, DomainError, FieldProblem, InvalidInput, NotFound
from app.domain.text import N_
from app.graph.cypher.linked_data.releases import MAPPING_COUNTS
from app.graph.embedded import pid_alive
from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.rdf.ontology import ontology_graph
from app.rdf.void import describe
from app.services.linked_data.export import Scope, export, sssom

VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
MANIFEST, SUMS, VOID_FILE = "release.json", "SHA256SUMS", "void.ttl"
LICENCE = "https://www.apache.org/licenses/LICENSE-2.0"
PUBLISHER = "CQF Graph project"
# format key -> (file name pattern, media type)
DUMPS: dict[str, tuple[str, str]] = {
    "turtle": ("cqf-{v}.ttl", "text/turtle"),
    "ntriples": ("cqf-{v}.nt", "application/n-triples"),
    "jsonld": ("cqf-{v}.jsonld", "application/ld+json"),
    "sssom": ("cqf-{v}-mappings.sssom.tsv", "text/tab-separated-values"),
}
MEDIA_OF_EXTRA = {MANIFEST: "application/json", SUMS: "text/plain", VOID_FILE: "text/turtle"}
OnProgress = Callable[[str, int], None]  # (what is being written, graph rows read)


@dataclass
class MappingsDropped(DomainError):
    """Mappings between some framework pair would be fewer than in the previous release."""

    previous: str
    drops: list[tuple[str, str, int, int]]  # (from, to, before, now)

    def __str__(self) -> str:
        pairs = "; ".join(f"{a} -> {b}: {before} -> {now}" for a, b, before, now in self.drops)
        return (f"mapping counts dropped against release {self.previous} ({pairs}); "
                "pass --allow-drop if this is intended")


def version_key(version: str) -> tuple[int, ...]:
    parts = tuple(int(p) for p in version.split("."))
    return parts + (0,) * (3 - len(parts))


def check_version(version: str) -> None:
    if not VERSION.match(version):
        raise InvalidInput([FieldProblem(
            "version", N_("expected MAJOR.MINOR or MAJOR.MINOR.PATCH"), version)],
            N_("invalid release version"))


def list_releases(releases_dir: Path) -> list[dict[str, Any]]:
    """Every complete release's manifest, oldest version first."""
    if not releases_dir.is_dir():
        return []
    found = []
    for path in releases_dir.iterdir():
        if VERSION.match(path.name) and (path / MANIFEST).is_file():
            found.append(json.loads((path / MANIFEST).read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: version_key(m["version"]))


def latest(releases_dir: Path) -> dict[str, Any] | None:
    releases = list_releases(releases_dir)
    return releases[-1] if releases else None


def manifest(releases_dir: Path, version: str) -> dict[str, Any]:
    path = releases_dir / version / MANIFEST
    if not VERSION.match(version) or not path.is_file():
        raise NotFound("Release", version)
    return json.loads(path.read_text(encoding="utf-8"))


def release_file(releases_dir: Path, version: str, name: str) -> tuple[Path, str]:
    """``(path, media type)`` of a file the release's own manifest lists; NotFound otherwise
    (so no name from the client ever becomes a path by itself)."""
    listed = {f["name"]: f["media_type"] for f in manifest(releases_dir, version)["files"]}
    listed.update({MANIFEST: MEDIA_OF_EXTRA[MANIFEST], SUMS: MEDIA_OF_EXTRA[SUMS]})
    if name not in listed:
        raise NotFound("release file", f"{version}/{name}")
    return releases_dir / version / name, listed[name]


def mapping_counts(store: GraphStore) -> dict[tuple[str, str], int]:
    return {(str(r["from_framework"]), str(r["to_framework"])): int(r["total"])
            for r in store.read(MAPPING_COUNTS)}


def _drops(previous: dict[str, Any], now: dict[tuple[str, str], int]
           ) -> list[tuple[str, str, int, int]]:
    before = {(c["from_framework"], c["to_framework"]): c["total"]
              for c in previous.get("mapping_counts", [])}
    return [(a, b, n, now.get((a, b), 0)) for (a, b), n in sorted(before.items())
            if now.get((a, b), 0) < n]


def _write(path: Path, chunks: Iterable[str], count_lines: bool = False) -> dict[str, Any]:
    digest, size, lines = hashlib.sha256(), 0, 0
    with path.open("wb") as handle:
        for chunk in chunks:
            data = chunk.encode("utf-8")
            digest.update(data)
            handle.write(data)
            size += len(data)
            if count_lines:
                lines += chunk.count("\n")
    return {"name": path.name, "bytes": size, "sha256": digest.hexdigest(), "lines": lines}


def download_base(base_iri: str, version: str) -> str:
    root = base_iri[:-3] if base_iri.endswith("/id/") else base_iri
    return f"{root}api/v1/releases/{version}/files/"


def _check_new(releases_dir: Path, version: str) -> dict[str, Any] | None:
    check_version(version)
    if (releases_dir / version).exists():
        raise Conflict(N_("release %(version)s already exists; releases are never overwritten"),
                       params={"version": version})
    previous = latest(releases_dir)
    if previous and version_key(version) <= version_key(previous["version"]):
        raise Conflict(N_("release %(version)s is not newer than the latest release "
                          "%(latest)s"), params={"version": version, "latest": previous["version"]})
    return previous


def make_release(store: GraphStore, releases_dir: Path, version: str, base_iri: str,
                 allow_drop: bool = False, on_progress: OnProgress | None = None,
                 today: date | None = None) -> dict[str, Any]:
    """Write release ``version``; returns its manifest. Raises InvalidInput (bad version),
    Conflict (exists, or not newer than the latest) or MappingsDropped."""
    previous = _check_new(releases_dir, version)
    _sweep_leftovers(releases_dir)
    tmp = releases_dir / f".{version}.tmp-{os.getpid()}"
    try:
        with store.snapshot() as view:
            counts = mapping_counts(view)
            if previous and not allow_drop and (drops := _drops(previous, counts)):
                raise MappingsDropped(previous["version"], drops)
            releases_dir.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            info = _write_release(view, tmp, version, base_iri, counts, previous,
                                  on_progress, today or datetime.now(UTC).date())
        # renamed once the snapshot has ended whole (on Neo4j its end checks that writes were
        # held off throughout, see GraphStore.snapshot)
        tmp.rename(releases_dir / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return info


def _sweep_leftovers(releases_dir: Path) -> None:
    """The temporary directories of releases whose process died mid-release (killed, it
    could not remove its own); a running release's is left alone."""
    for leftover in releases_dir.glob(".*.tmp-*"):
        pid = leftover.name.rsplit("-", 1)[1]
        if leftover.is_dir() and pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _write_release(store: GraphStore, tmp: Path, version: str, base_iri: str,
                   counts: dict[tuple[str, str], int], previous: dict[str, Any] | None,
                   on_progress: OnProgress | None, issued: date) -> dict[str, Any]:
    files, triples = [], 0
    for fmt, (pattern, media) in DUMPS.items():
        name = pattern.format(v=version)
        if on_progress:
            on_progress(f"writing {name}", 0)
        chunks = (sssom(store, base_iri, version=version) if fmt == "sssom" else
                  export(store, Iris(base_iri), fmt, Scope.ALL, on_page=on_progress))
        written = _write(tmp / name, chunks, count_lines=fmt == "ntriples")
        if fmt == "ntriples":
            triples = written["lines"]
        files.append({"name": name, "format": fmt, "media_type": media,
                      **{k: written[k] for k in ("bytes", "sha256")}})
    info: dict[str, Any] = {
        "version": version, "issued": issued.isoformat(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "previous": previous["version"] if previous else None,
        "base_iri": base_iri, "licence": LICENCE, "publisher": PUBLISHER,
        "triples": triples, "ontology_triples": len(ontology_graph()),
        "mapping_counts": [{"from_framework": a, "to_framework": b, "total": n}
                           for (a, b), n in sorted(counts.items())],
    }
    void = describe(info, f"{base_iri}release/{version}",
                    download_base(base_iri, version), files)
    written = _write(tmp / VOID_FILE, [void.serialize(format="turtle")])
    files.append({"name": VOID_FILE, "format": "void", "media_type": "text/turtle",
                  "bytes": written["bytes"], "sha256": written["sha256"]})
    (tmp / SUMS).write_text("".join(f"{f['sha256']}  {f['name']}\n" for f in files),
                            encoding="utf-8")
    info["files"] = files
    (tmp / MANIFEST).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    if on_progress:
        on_progress("done", 0)
    return info
