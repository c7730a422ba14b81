"""The API keeps its OpenAPI contract: schemathesis with every check, against `cqf serve`.

Every operation, reads and writes, with an admin key on every request (so write routes get
past auth), then every operation that needs a key again without one (as the public calls it;
the other answers do not depend on a key); through all four phases (examples,
coverage, fuzzing, stateful), positive and negative data, every check schemathesis has: no
5xx; every status, media type, header and body as the document declares it; schema-valid
requests accepted and schema-invalid ones refused; no undocumented method answered and
``Allow`` listing exactly the documented ones; missing credentials refused; deleted resources
gone. The run is the one in the README, so a failure here reproduces with ``st replay``.

Per-operation exceptions (only requests that name, in a well-formed code, what the graph does
not hold) are in ``tests/e2e/schemathesis.toml``, each with its reason. Bounded for CI:
``CQF_FUZZ_EXAMPLES`` examples per operation (default 5), deterministic generation so a
failure reproduces; raise it locally for a deeper run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.api.openapi import TITLES
from app.graph.embedded import free_loopback_port

CLI = [sys.executable, "-c", "from app.cli import main; main()"]
ST = [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()"]
CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = int(os.environ.get("CQF_FUZZ_EXAMPLES", "5"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A seeded ``cqf serve`` of this module's own (rate limits off: the fuzzer is one client
    sending thousands of requests on purpose) and an admin key for it."""
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    port = free_loopback_port()
    env = {**os.environ, "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port),
           "CQF_RELEASES_DIR": str(data_dir / "releases"), "CQF_LOG_LEVEL": "WARNING",
           "CQF_ENV": "development", "CQF_RATE_LIMIT_ENABLED": "false"}
    for name in ("CQF_BACKEND", "CQF_FALKORDB_URL", "CQF_BASE_IRI", "CQF_GRAPH_NAME"):
        env.pop(name, None)
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen([*CLI, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, (data_dir / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError("cqf serve did not become ready")
        made = subprocess.run([*CLI, "keys", "create", "--role", "admin", "--label", "fuzz"],
                              env=env, capture_output=True, text=True, check=True)
        yield base, made.stdout.strip().splitlines()[-1]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.parametrize("keyed", [True, False], ids=["admin-key", "no-key"])
def test_every_check_of_schemathesis_passes_on_every_operation(
        served: tuple[str, str], tmp_path: Path, keyed: bool) -> None:
    """Run as an admin (every route reached) and as an anonymous client over the routes that
    need a key (each refused 401 as documented, whatever the request). One schemathesis
    worker: with two, CPython 3.11.7's ``ast`` (parsing Hypothesis's filter lambdas on both
    threads at once) raised "AST constructor recursion depth mismatch" in one CI run."""
    base, key = served
    selection = (["-H", f"X-API-Key: {key}"] if keyed else
                 ["--include-by", f'/responses/401/description == "{TITLES["401"]}"'])
    command = [*ST, "--config-file", str(CONFIG), "--no-color", "run", f"{base}/openapi.json",
               "--checks", "all", "--mode", "all", "--max-examples", str(EXAMPLES),
               "--generation-deterministic", "--workers", "1", "--request-timeout", "60",
               *selection]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    report = run.stdout + run.stderr
    summary = report[report.rfind("SUMMARY"):]
    assert run.returncode == 0, report[-20_000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", summary)
    tested = re.search(r"Tested: (\d+)", summary)
    assert selected and tested, summary
    if keyed:
        assert int(tested[1]) == int(selected[1]) == int(selected[2]) > 80, summary
    else:  # every operation that declares the key's 401 (writes, keys, audit), none other
        document = httpx.get(f"{base}/openapi.json", timeout=30).json()
        keyed_operations = sum("401" in operation["responses"]
                               for operations in document["paths"].values()
                               for operation in operations.values())
        assert int(tested[1]) == int(selected[1]) == keyed_operations > 10, summary
    assert "Failures:" not in summary and "Errors:" not in summary, summary
