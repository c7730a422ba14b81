"""Structured logging: one JSON object per line so operators can grep and ship logs."""

from __future__ import annotations

import logging
import sys
from typing import TextIO, cast

import structlog


def _notification_as_debug(record: logging.LogRecord) -> bool:
    """The Neo4j driver logs the server's notifications (``GqlStatusObject ... 01N42``: a
    label not in the graph yet, ...) as warnings; they are hints for a query's author, so
    they are logged at debug level only."""
    record.levelno, record.levelname = logging.DEBUG, "DEBUG"
    return logging.getLogger().isEnabledFor(logging.DEBUG)


class _Stderr:
    """Whatever ``sys.stderr`` is when a line is written (a test runner swaps it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "INFO", json: bool = True, to_stderr: bool = False) -> None:
    """``to_stderr``: for a command whose stdout is its result (``cqf keys create`` prints
    the key alone); the service logs to stdout."""
    renderer = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    logging.basicConfig(format="%(message)s", level=level.upper())
    notifications = logging.getLogger("neo4j.notifications")
    if _notification_as_debug not in notifications.filters:
        notifications.addFilter(_notification_as_debug)
    structlog.configure(
        logger_factory=structlog.PrintLoggerFactory(
            file=cast(TextIO, _Stderr()) if to_stderr else None),
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            # An exception logged (``log.exception``, ``exc_info=``) is written out: its
            # traceback under "exception", never a bare ``"exc_info": true``.
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
