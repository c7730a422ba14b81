"""Back up the embedded store while it serves, and restore a backup into a fresh directory.

Backup: ``BGSAVE`` forks the server, and the child writes a point-in-time snapshot (every
write acknowledged before the command is in it) while the parent keeps serving; the
snapshot (``dump.rdb`` in the data directory) is then copied out. Restore: the server with
the append-only file on ignores an RDB file, so a temporary server loads the snapshot with
it off, then turns it on (Redis rewrites the append-only file from memory) and shuts down,
leaving a normal data directory for ``cqf serve``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from app.graph.admin_client import BusyLoadingError, RedisConnectionError, admin_client
from app.graph.embedded import APPEND_DIR, EmbeddedFalkorDB, free_loopback_port, read_password

SNAPSHOT = "dump.rdb"


def _wait(condition: Callable[[], object], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def backup(port: int, data_dir: Path, out: Path, timeout: float = 300) -> int:
    """Snapshot the server on ``port`` (serving ``data_dir``) into ``out``; returns bytes."""
    client = admin_client(port, 10, read_password(data_dir.resolve()))
    try:
        before = client.lastsave()
        _wait(lambda: not client.info("persistence")["rdb_bgsave_in_progress"],
              "a running snapshot to end", timeout)
        client.bgsave()
        _wait(lambda: (not client.info("persistence")["rdb_bgsave_in_progress"]
                       and client.lastsave() != before) or
              client.info("persistence")["rdb_last_bgsave_status"] != "ok",
              "the snapshot", timeout)
        if client.info("persistence")["rdb_last_bgsave_status"] != "ok":
            raise RuntimeError("the store could not write its snapshot (see falkordb.log)")
    finally:
        client.close()
    snapshot = data_dir / SNAPSHOT
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    shutil.copyfile(snapshot, tmp)
    tmp.replace(out)
    snapshot.unlink(missing_ok=True)
    return out.stat().st_size


def restore(snapshot: Path, data_dir: Path, timeout: float = 300) -> None:
    """Make ``data_dir`` (new or empty) an embedded data directory holding ``snapshot``."""
    server = EmbeddedFalkorDB(data_dir)
    if server.data_dir.exists() and any(server.data_dir.iterdir()):
        raise FileExistsError(f"{server.data_dir} is not empty; restore into a fresh directory")
    if not server.try_acquire():  # nobody may start a server here meanwhile
        raise RuntimeError(f"{server.data_dir} is in use")
    try:
        shutil.copyfile(snapshot, server.data_dir / SNAPSHOT)
        port = free_loopback_port()
        command = server.command(port)
        command[command.index("--appendonly") + 1] = "no"
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,  # noqa: S603
                                   stderr=subprocess.DEVNULL)
        client = admin_client(port, 10, server.password)
        try:
            def loaded() -> bool:
                try:
                    return not client.info("persistence")["loading"]
                except (RedisConnectionError, BusyLoadingError):
                    return False

            _wait(loaded, "the snapshot to load", timeout)
            client.config_set("appendonly", "yes")  # rewrites the append-only file
            _wait(lambda: (client.info("persistence")["aof_enabled"] == 1
                           and not client.info("persistence")["aof_rewrite_in_progress"]
                           and not client.info("persistence")["aof_rewrite_scheduled"]),
                  "the append-only file", timeout)
            client.shutdown()
        except RedisConnectionError:
            pass  # the shutdown closed the connection
        finally:
            client.close()
            process.wait(timeout=timeout)
        if not (server.data_dir / APPEND_DIR).is_dir():
            raise RuntimeError("the restore wrote no append-only file (see falkordb.log)")
        (server.data_dir / SNAPSHOT).unlink(missing_ok=True)
    finally:
        server.release()
