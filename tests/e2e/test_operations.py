"""Operating it like a database server: a real ``cqf serve`` on a temp data directory, every
CLI command the README documents run beside it (each must leave the service answering and
its effect visible through the API), then the embedded store SIGKILLed five times under a
light read load (each time back within 10 s, nothing but 503 or the kept answer meanwhile,
nothing acknowledged lost)."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app import runtime as runtime_mod
from app.domain.identity import course_key
from app.domain.vocab import NodeLabel
from app.graph.embedded import PidRecord, free_loopback_port, pid_alive
from app.main import create_app
from app.rdf.iris import Iris
from app.settings import Settings

CLI = [sys.executable, "-c", "from app.cli import main; main()"]
RECOVERY_LIMIT = 10.0
KILLS = 5
MAPPINGS = ("programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
            "PROG-EXU-MSC,OPS-CLI-1,Operations course,develops,OPS-P01,aware,,\n")


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base: str
    data_dir: Path
    env: dict[str, str]

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "falkordb" / "falkordb.pid"

    def cli(self, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*CLI, *args], env=self.env, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == expect, (args, done.returncode, done.stdout, done.stderr)
        return done

    def cli_env(self, extra: dict[str, str], *args: str,
                expect: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*CLI, *args], env={**self.env, **extra}, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == expect, (args, done.returncode, done.stdout, done.stderr)
        return done

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.base + path, timeout=10, **kwargs)  # type: ignore[arg-type]

    def still_serving(self, after: str) -> None:
        assert self.process.poll() is None, f"cqf serve exited after `cqf {after}`"
        ready = self.get("/health/ready")
        assert ready.status_code == 200, f"not ready after `cqf {after}`: {ready.text}"
        read = self.get("/api/v1/frameworks/EQF")
        assert read.status_code == 200, f"a read failed after `cqf {after}`: {read.text}"


def _wait_ready(served: Served, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert served.process.poll() is None, "cqf serve exited during start-up"
        try:
            if served.get("/health/ready").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("cqf serve did not become ready")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("ops-data")
    port = free_loopback_port()
    env = {**os.environ, "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port),
           "CQF_RELEASES_DIR": str(data_dir / "releases"), "CQF_LOG_LEVEL": "WARNING",
           "CQF_LOG_JSON": "true", "CQF_ENV": "development"}
    for name in ("CQF_BACKEND", "CQF_FALKORDB_URL", "CQF_BASE_IRI", "CQF_GRAPH_NAME"):
        env.pop(name, None)
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen([*CLI, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    state = Served(process, f"http://127.0.0.1:{port}", data_dir, env)
    try:
        _wait_ready(state)
        yield state
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_every_documented_cli_command_runs_beside_the_live_service(served: Served,
                                                                   tmp_path: Path) -> None:
    record = PidRecord.read(served.pid_file)
    assert record is not None and record.owner_pid == served.process.pid
    frameworks = served.get("/api/v1/frameworks?limit=500").json()["total"]

    made = served.cli("keys", "create", "--role", "admin", "--label", "ops")
    admin = made.stdout.strip().splitlines()[-1]
    served.still_serving("keys create")
    headers = {"X-API-Key": admin}
    listed = served.get("/api/v1/keys", headers=headers)
    assert listed.status_code == 200
    admin_id = admin.split("_")[1]
    assert admin_id in {k["key_id"] for k in listed.json()["items"]}

    assert admin_id in served.cli("keys", "list").stdout
    served.still_serving("keys list")

    other = served.cli("keys", "create", "--role", "institution:EXU").stdout.strip()
    other_key = other.splitlines()[-1]
    served.cli("keys", "revoke", other_key.split("_")[1])
    served.still_serving("keys revoke")
    refused = served.get("/api/v1/keys", headers={"X-API-Key": other_key})
    assert refused.status_code == 401  # the revocation is seen by the service at once

    upload = tmp_path / "mappings.csv"
    upload.write_text(MAPPINGS, encoding="utf-8")
    served.cli("import", "mappings", str(upload), "--institution", "EXU")
    served.still_serving("import mappings")
    course = served.get("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/OPS-CLI-1")
    assert course.status_code == 200, course.text
    audit = served.get("/api/v1/audit", headers=headers, params={"target_code": "EXU"})
    assert any(e["action"] == "cli_import" for e in audit.json()["items"])

    base = served.cli("base-iri", "show").stdout.strip().splitlines()[-1]
    served.still_serving("base-iri show")
    turtle = served.get("/id/level/EQF/6", headers={"Accept": "text/turtle"}).text
    assert f"<{base}level/EQF/6>" in turtle  # the CLI and the service mint alike

    dump = tmp_path / "cqf.nt"
    served.cli("export", "--format", "ntriples", "--out", str(dump))
    served.still_serving("export")
    course_iri = Iris(base).entity(NodeLabel.COURSE,
                                   course_key("EXU", "PROG-EXU-MSC", "OPS-CLI-1"))
    assert f"<{course_iri}>" in dump.read_text(encoding="utf-8")  # the import, exported

    served.cli("release", "1.0.0")
    served.still_serving("release")
    releases = served.get("/api/v1/releases").json()
    assert releases["latest"] == "1.0.0"
    manifest = served.get("/api/v1/releases/1.0.0").json()
    assert manifest["base_iri"] == base

    served.cli("seed")
    served.still_serving("seed")
    assert served.get("/api/v1/frameworks?limit=500").json()["total"] == frameworks

    status = served.cli("db", "status")
    assert f"pid {served.process.pid}" in status.stdout + status.stderr
    served.still_serving("db status")
    # the service migrated at its start: the CLI beside it finds nothing left to do (issue 23.6)
    assert "nothing to do" in served.cli("db", "migrate").stderr
    served.still_serving("db migrate")

    start = served.cli("db", "start", expect=1)  # a second server on the directory: refused
    assert f"pid {served.process.pid}" in " ".join((start.stdout + start.stderr).split())
    stop = served.cli("db", "stop", expect=1)  # never another process's store
    assert f"pid {served.process.pid}" in stop.stdout + stop.stderr
    served.still_serving("db stop")

    started = time.monotonic()
    second = served.cli("serve", "--port", str(free_loopback_port()), expect=1)
    said = " ".join((second.stdout + second.stderr).split())
    assert str(served.data_dir / "falkordb") in said.replace(" ", "") or "falkordb" in said
    assert f"pid {served.process.pid}" in said
    assert time.monotonic() - started < 30  # refused at once, not after a start-up attempt
    served.still_serving("serve (a second one)")
    assert PidRecord.read(served.pid_file) == record  # the same server all along


def test_a_backup_taken_while_serving_restores_to_the_same_answers(served: Served,
                                                                    tmp_path: Path) -> None:
    admin = served.cli("keys", "create", "--role", "admin").stdout.strip().splitlines()[-1]
    body = {"name": "Backed up", "source_document": "operations test (illustrative)"}
    put = httpx.put(f"{served.base}/api/v1/administrations/ADM-BACKUP", json=body,
                    headers={"X-API-Key": admin}, timeout=10)
    assert put.status_code in (200, 201), put.text  # acknowledged before the backup
    snapshot = tmp_path / "cqf.rdb"
    served.cli("db", "backup", str(snapshot))
    served.still_serving("db backup")
    fresh = tmp_path / "restored"
    served.cli_env({"CQF_DATA_DIR": str(fresh)}, "db", "restore", str(snapshot))
    served.cli_env({"CQF_DATA_DIR": str(fresh)}, "db", "restore", str(snapshot), expect=1)

    settings = Settings(data_dir=fresh, seed_on_start=False, rate_limit_enabled=False)
    runtime = runtime_mod.start(settings)
    try:
        with TestClient(create_app(settings, runtime=runtime)) as restored:
            for path, accept in (("/api/v1/frameworks?limit=500", "application/json"),
                                 ("/api/v1/administrations/ADM-BACKUP", "application/json"),
                                 ("/api/v1/competencies?limit=500", "application/json"),
                                 ("/id/level/EQF/6", "text/turtle")):
                live = served.get(path, headers={"Accept": accept})
                again = restored.get(path, headers={"Accept": accept})
                assert live.status_code == again.status_code == 200, path
                assert again.text == live.text, f"{path} differs after the restore"
            keys = "MATCH (k:ApiKey) RETURN count(k) AS n"
            assert runtime.store.read(keys)[0]["n"] >= 1
    finally:
        runtime.close()


class ReadLoad:
    """A light, bounded read load (one client, ~20 requests/s) recording every status."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.codes: Counter[int] = Counter()
        self.bodies: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.served.base, timeout=10) as client:
            while not self._stop.wait(0.05):
                try:
                    answer = client.get("/api/v1/frameworks/EQF")
                except httpx.HTTPError:
                    self.codes[0] += 1
                    continue
                self.codes[answer.status_code] += 1
                if answer.status_code == 503:
                    self.bodies.append(answer.headers.get("content-type", ""))

    def __enter__(self) -> ReadLoad:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def _wait_recovered(served: Served) -> None:
    """Until ready and reading again (the caller measures; the bound only ends a hang)."""
    deadline = time.monotonic() + RECOVERY_LIMIT + 20
    while time.monotonic() < deadline:
        try:
            if (served.get("/health/ready").status_code == 200
                    and served.get("/api/v1/frameworks/EQF").status_code == 200):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError("the service never recovered")


def test_the_store_is_restarted_after_each_of_five_kills_and_loses_nothing(
        served: Served) -> None:
    admin = served.cli("keys", "create", "--role", "admin").stdout.strip().splitlines()[-1]
    headers = {"X-API-Key": admin}
    body = {"name": "Kill test", "source_document": "operations test (illustrative)"}
    times: list[float] = []
    acknowledged: list[str] = []
    with ReadLoad(served) as load:
        for i in range(KILLS):
            code = f"ADM-KILL-{i}"
            put = httpx.put(f"{served.base}/api/v1/administrations/{code}", json=body,
                            headers=headers, timeout=10)
            assert put.status_code in (200, 201), put.text
            acknowledged.append(code)
            record = PidRecord.read(served.pid_file)
            assert record is not None
            os.kill(record.pid, signal.SIGKILL)
            killed_at = time.monotonic()
            while pid_alive(record.pid) and time.monotonic() - killed_at < 5:
                time.sleep(0.01)
            _wait_recovered(served)
            times.append(round(time.monotonic() - killed_at, 3))
            restarted = PidRecord.read(served.pid_file)
            assert restarted is not None and restarted.pid != record.pid
    print(f"\nstore recovery after SIGKILL (s): {times}; median "
          f"{statistics.median(times):.3f}, max {max(times):.3f}")
    (served.data_dir / "recovery-times.json").write_text(json.dumps(times))
    assert max(times) < RECOVERY_LIMIT, times
    assert set(load.codes) <= {200, 503}, f"answers other than 200/503: {load.codes}"
    assert load.codes[200] > 0
    assert all(media.startswith("application/problem+json") for media in load.bodies)
    for code in acknowledged:
        assert served.get(f"/api/v1/administrations/{code}").status_code == 200, code
    metrics = served.get("/metrics").text
    assert "cqf_store_restarts_total 5.0" in metrics


def test_migrate_reports_codes_that_differ_only_in_case(served: Served) -> None:
    """A graph written before codes were unique in any case may hold two frameworks one
    letter case apart: ``cqf db migrate`` names them and how to resolve them (exit 1), and
    passes again once they are resolved."""
    from app.graph.embedded import read_password
    from app.graph.falkordb_store import FalkorDBStore

    record = PidRecord.read(served.pid_file)
    assert record is not None
    store = FalkorDBStore("127.0.0.1", record.port, "cqf",
                          password=read_password(served.data_dir / "falkordb"))
    try:  # as an old version wrote them: no folded code
        store.write("CREATE (:Framework {code: 'DUP-NQF'}), (:Framework {code: 'dup-nqf'})")
        reported = " ".join(served.cli("db", "migrate", expect=1).stderr.split())
        assert "Framework codes DUP-NQF, dup-nqf differ only in letter case" in reported
        assert "delete" in reported and "cqf db migrate" in reported
        store.write("MATCH (f:Framework {code: 'dup-nqf'}) DELETE f")
        served.cli("db", "migrate")
        assert store.read("MATCH (f:Framework {code: 'DUP-NQF'}) RETURN f.code_key AS key") \
            == [{"key": "dup-nqf"}]
    finally:
        store.write("MATCH (f:Framework) WHERE toLower(f.code) = 'dup-nqf' DELETE f")
        store.close()
    served.still_serving("db migrate")
