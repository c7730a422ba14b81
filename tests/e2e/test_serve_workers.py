"""``cqf serve --workers 2``: the parent starts the embedded store once and both workers use
it; each worker caches the read models and the serialised answers of its hot routes (lookups,
equivalence, portability), and a write through one worker is seen through the other once its
cache refreshes (``CQF_MAPPING_CACHE_SECONDS``), including a write that keeps every count the
same (a review decision).

Which worker answers a connection is read from Linux's /proc (the worker process holding
the server side of that TCP connection), so the test talks to each worker on purpose.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.graph.embedded import EmbeddedFalkorDB, free_loopback_port, read_password
from app.graph.falkordb_store import FalkorDBStore
from app.services.access.keys import create_key

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="finds the worker behind a connection through /proc")
REFRESH_SECONDS = 1
PATIENCE = REFRESH_SECONDS + 30  # a bound on waiting, generous for a loaded CI machine
QUESTION = "/api/v1/equivalences?from=HK-HKQF:3&to=AU-AQF&paths=all"


class Worker:
    """A keep-alive connection that a known worker process answers."""

    def __init__(self, pid: int, conn: http.client.HTTPConnection) -> None:
        self.pid = pid
        self.conn = conn

    def call(self, method: str, path: str, body: dict | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data,
                          headers={"Content-Type": "application/json", **(headers or {})})
        response = self.conn.getresponse()
        return response.status, json.loads(response.read() or b"null")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmdline:
                found.append(int(entry.name))
    return found


def _server_socket_inode(server_port: int, client_port: int) -> str | None:
    local, remote = f":{server_port:04X}", f":{client_port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(local) and fields[2].endswith(remote):
                return fields[9]
    return None


def _owner(pids: list[int], inode: str) -> int | None:
    target = f"socket:[{inode}]"
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        try:
            if any(os.readlink(fd_dir / fd) == target for fd in os.listdir(fd_dir)):
                return pid
        except OSError:
            continue
    return None


def _pin_workers(port: int, pids: list[int]) -> dict[int, Worker]:
    """Open connections until each worker holds one (the kernel decides which accepts)."""
    workers: dict[int, Worker] = {}
    spare = []
    for _ in range(200):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/health/live")
        conn.getresponse().read()
        inode = _server_socket_inode(port, conn.sock.getsockname()[1])
        pid = _owner(pids, inode) if inode else None
        if pid is not None and pid not in workers:
            workers[pid] = Worker(pid, conn)
            if len(workers) == len(pids):
                break
        else:
            spare.append(conn)  # kept open, so the next connection may land elsewhere
    for conn in spare:
        conn.close()
    return workers


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Worker], dict]]:
    data_dir = tmp_path_factory.mktemp("workers")
    port = free_loopback_port()
    env = {**os.environ, "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port),
           "CQF_MAPPING_CACHE_SECONDS": str(REFRESH_SECONDS), "CQF_LOG_LEVEL": "WARNING",
           "CQF_RATE_LIMIT_ENABLED": "false"}
    process = subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()",
                                "serve", "--workers", "2"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]
            pids = _children(process.pid)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/health/ready")
                ready = conn.getresponse().status == 200
                conn.close()
            except OSError:
                ready = False
            if ready and len(pids) == 2:
                break
            assert time.monotonic() < deadline, "cqf serve --workers 2 did not get ready"
            time.sleep(0.3)
        record = EmbeddedFalkorDB(data_dir / "falkordb").running()
        assert record is not None, "the parent should own one embedded store"
        store = FalkorDBStore("127.0.0.1", record.port, "cqf",
                              password=read_password(data_dir / "falkordb"))
        admin = {"X-API-Key": create_key(store, "admin")["key"]}
        store.close()
        workers = _pin_workers(port, pids)
        assert len(workers) == 2, "could not reach both workers"
        yield list(workers.values()), admin
        for worker in workers.values():
            worker.conn.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _uses(answer: dict, mapping_id: str) -> bool:
    return any(step["mapping_id"] == mapping_id for item in answer["equivalences"]
               for step in item["path"])


def _eventually(worker: Worker, path: str, mapping_id: str) -> bool:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        status, answer = worker.call("GET", path)
        assert status == 200, answer
        if _uses(answer, mapping_id):
            return True
        time.sleep(0.2)
    return False


def test_the_workers_are_distinct_processes_sharing_one_store(served) -> None:
    (first, second), _ = served
    assert first.pid != second.pid
    for worker in (first, second):
        status, answer = worker.call("GET", "/api/v1/levels/HK-HKQF/3")
        assert status == 200 and answer["code"] == "HK-HKQF:3"


def test_a_write_through_one_worker_is_seen_through_the_other(served) -> None:
    (writer, reader), admin = served
    for worker in (writer, reader):  # both caches filled before the write
        status, answer = worker.call("GET", QUESTION)
        assert status == 200 and answer["equivalences"] is not None

    status, created = writer.call("POST", "/api/v1/mappings", {
        "from_level": "HK-HKQF:3", "to_level": "AU-AQF:4", "match_type": "exactMatch",
        "confidence": 0.9, "method": "expert_panel",
        "source": {"document": "multi-worker test (illustrative)", "year": 2026}}, admin)
    assert status == 201, created
    mapping_id = created["id"]
    assert created["review_status"] == "proposed"
    # A new edge: the reader's cache refreshes on the changed counts.
    assert _eventually(reader, QUESTION + "&include=proposed", mapping_id)
    assert not _uses(reader.call("GET", QUESTION)[1], mapping_id)  # proposed: not counted

    status, reviewed = writer.call("POST", f"/api/v1/mappings/{mapping_id}/review",
                                   {"decision": "accept"}, admin)
    assert status == 200, reviewed
    # The writer dropped its own read models at once.
    assert _uses(writer.call("GET", QUESTION)[1], mapping_id)
    # Same counts, different review status: the reader still sees it (audit trail signature).
    assert _eventually(reader, QUESTION, mapping_id)


def _level_mapping(answer: dict, mapping_id: str) -> dict | None:
    return next((m for m in answer["related"]["mappings"] if m["code"] == mapping_id), None)


def _eventually_level(worker: Worker, path: str, mapping_id: str, review_status: str) -> bool:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        status, answer = worker.call("GET", path)
        assert status == 200, answer
        found = _level_mapping(answer, mapping_id)
        if found is not None and found["attributes"].get("review_status") == review_status:
            return True
        time.sleep(0.2)
    return False


def test_a_kept_lookup_answer_follows_a_write_through_the_other_worker(served) -> None:
    (writer, reader), admin = served
    level = "/api/v1/levels/HK-HKQF/2"
    for worker in (writer, reader):  # both workers keep these answers before the write
        for _ in range(2):
            status, answer = worker.call("GET", level)
            assert status == 200 and answer["code"] == "HK-HKQF:2"

    status, created = writer.call("POST", "/api/v1/mappings", {
        "from_level": "HK-HKQF:2", "to_level": "AU-AQF:3", "match_type": "closeMatch",
        "confidence": 0.8, "method": "expert_panel",
        "source": {"document": "multi-worker lookup test (illustrative)", "year": 2026}}, admin)
    assert status == 201, created
    mapping_id = created["id"]
    # The writer dropped its kept answers at once; the reader sees it within its refresh.
    assert _level_mapping(writer.call("GET", level)[1], mapping_id) is not None
    assert _eventually_level(reader, level, mapping_id, "proposed")

    status, reviewed = writer.call("POST", f"/api/v1/mappings/{mapping_id}/review",
                                   {"decision": "accept"}, admin)
    assert status == 200, reviewed
    assert _eventually_level(reader, level, mapping_id, "accepted")
