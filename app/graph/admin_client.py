"""The few server commands the embedded store's lifecycle needs (ping, persistence info,
snapshots, shutdown), typed: redis-py annotates them with untyped ``**kwargs``, so the rest of
the graph layer talks to this protocol instead and stays fully typed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, cast

import redis
from redis.exceptions import BusyLoadingError, ResponseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

__all__ = ["AdminClient", "BusyLoadingError", "RedisConnectionError", "RedisTimeoutError",
           "ResponseError", "admin_client"]


class AdminClient(Protocol):
    def ping(self) -> bool: ...
    def info(self, section: str) -> dict[str, Any]: ...
    def lastsave(self) -> datetime: ...
    def bgsave(self) -> object: ...
    def bgrewriteaof(self) -> object: ...
    def config_set(self, name: str, value: str) -> object: ...
    def shutdown(self) -> None: ...
    def close(self) -> None: ...


def admin_client(port: int, timeout: float, password: str | None) -> AdminClient:
    """A client of the server on this machine's loopback ``port``."""
    return cast(AdminClient, redis.Redis(host="127.0.0.1", port=port, socket_timeout=timeout,
                                         password=password))
