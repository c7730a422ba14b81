"""The Neo4j server the tests talk to, wherever it comes from.

Three sources, in this order, because CI and most contributors have no Docker engine:

1. an external server named by ``CQF_TEST_NEO4J_URI`` (and ``CQF_TEST_NEO4J_PASSWORD``): what
   ``.ci/run`` starts from ``../shared/neo4j`` and what a contributor points at any Neo4j 5;
   when ``CQF_TEST_NEO4J_STATE`` names that server's ``start.sh`` state directory the tests can
   also freeze it (SIGSTOP of the pid in ``run/neo4j.pid``), stop it and start it again;
2. a testcontainer where a Docker engine answers;
3. neither: the Neo4j tests skip, and the reason is printed.

The fault tests need to freeze and stop the server the same way whatever its source, so each
source is wrapped in one small class with ``freeze``/``thaw`` (and ``stop``/``start`` where the
source can do it).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

URI_VARIABLE = "CQF_TEST_NEO4J_URI"
PASSWORD_VARIABLE = "CQF_TEST_NEO4J_PASSWORD"
USER_VARIABLE = "CQF_TEST_NEO4J_USER"
STATE_VARIABLE = "CQF_TEST_NEO4J_STATE"
SCRIPTS_VARIABLE = "CQF_TEST_NEO4J_SCRIPTS"
CONTAINER_PASSWORD = "cqf-test-password"
CONTAINER_IMAGE = "neo4j:5.26-community"


@dataclass
class Neo4jServer:
    """Where a Neo4j server answers, and the handle to pause or stop it."""

    uri: str
    user: str
    password: str
    source: str  # "external" or "testcontainer", printed in the session header
    _container: Any = None
    _state_dir: Path | None = None
    _scripts_dir: Path | None = None

    def can_stop(self) -> bool:
        return self._container is not None or (
            self._state_dir is not None and self._scripts_dir is not None)

    def can_freeze(self) -> bool:
        return self._container is not None or self._state_dir is not None

    def _pid(self) -> int:
        assert self._state_dir is not None
        return int((self._state_dir / "run" / "neo4j.pid").read_text().strip())

    def freeze(self) -> None:
        """What ``docker pause`` does: the port stays open, nothing answers."""
        if self._container is not None:
            self._container.get_wrapped_container().pause()
        else:
            os.kill(self._pid(), signal.SIGSTOP)

    def thaw(self) -> None:
        if self._container is not None:
            self._container.get_wrapped_container().unpause()
        else:
            os.kill(self._pid(), signal.SIGCONT)

    @contextmanager
    def frozen(self) -> Iterator[None]:
        self.freeze()
        try:
            yield
        finally:
            self.thaw()

    def stop(self) -> None:
        if self._container is not None:
            self._container.get_wrapped_container().stop()
            return
        assert self._scripts_dir is not None and self._state_dir is not None
        subprocess.run(["bash", str(self._scripts_dir / "stop.sh"), str(self._state_dir)],
                       check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if self._container is not None:
            self._container.get_wrapped_container().start()
            return
        assert self._scripts_dir is not None and self._state_dir is not None
        port = self.uri.rsplit(":", 1)[-1]
        subprocess.run(["bash", str(self._scripts_dir / "start.sh"), str(self._state_dir), port,
                        self.password], check=True, capture_output=True, timeout=180)


def external_server() -> Neo4jServer | None:
    uri = os.environ.get(URI_VARIABLE)
    if not uri:
        return None
    state = os.environ.get(STATE_VARIABLE)
    scripts = os.environ.get(SCRIPTS_VARIABLE)
    return Neo4jServer(
        uri=uri, user=os.environ.get(USER_VARIABLE, "neo4j"),
        password=os.environ.get(PASSWORD_VARIABLE, ""), source="external",
        _state_dir=Path(state) if state else None,
        _scripts_dir=Path(scripts) if scripts else None,
    )


def docker_reason() -> str | None:
    """Why no testcontainer can be had here, or None when a Docker engine answers."""
    try:
        import docker

        docker.from_env().ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no usable engine
        return (f"no Neo4j: {URI_VARIABLE} is not set and there is no Docker engine for a "
                f"testcontainer ({type(exc).__name__})")
    return None


@contextmanager
def container_server() -> Iterator[Neo4jServer]:
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer(CONTAINER_IMAGE, password=CONTAINER_PASSWORD) as container:
        yield Neo4jServer(uri=container.get_connection_url(), user="neo4j",
                          password=CONTAINER_PASSWORD, source="testcontainer",
                          _container=container)
