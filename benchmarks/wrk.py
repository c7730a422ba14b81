"""Throughput from wrk (Debian's ``wrk``), a load generator in its own process written in C:
it takes far less of the shared cores than a Python client would, so what is measured is the
server. One thread, ``connections`` keep-alive connections, a fixed duration; a generated Lua
script rotates through the operation's requests (paths and JSON bodies) and prints the
summary as one JSON line.

When wrk is not installed, ``available()`` says why and the suite falls back to its httpx
client processes (and says so in the report).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n@@{"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> str | None:
    """None when wrk can be used, else the reason it cannot."""
    return None if shutil.which("wrk") else "wrk is not installed (apt-get install wrk)"


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def script(calls: list[tuple[str, str, dict[str, Any] | None]]) -> str:
    """A Lua script answering each ``request()`` with the next of ``calls`` (method, path,
    JSON body), pre-formatted once in ``init``."""
    lines = ["local reqs = {}", "local i = 0", "init = function(args)"]
    for method, path, body in calls:
        if body is None:
            lines.append(f"  reqs[#reqs + 1] = wrk.format({_lua_string(method)}, "
                         f"{_lua_string(path)})")
        else:
            lines.append(f"  reqs[#reqs + 1] = wrk.format({_lua_string(method)}, "
                         f"{_lua_string(path)}, {{['Content-Type'] = 'application/json'}}, "
                         f"{_lua_string(json.dumps(body))})")
    lines += ["end", "request = function()", "  i = i + 1",
              "  return reqs[(i % #reqs) + 1]", "end", SCRIPT_DONE]
    return "\n".join(lines)


def run(base: str, calls: list[tuple[str, str, dict[str, Any] | None]], *, seconds: float,
        connections: int = 16, threads: int = 1) -> WrkResult:
    whole_seconds = max(1, math.ceil(seconds))  # wrk reads whole seconds only ("2.5s" fails)
    with tempfile.TemporaryDirectory(prefix="cqf-wrk-") as tmp:
        lua = Path(tmp) / "calls.lua"
        lua.write_text(script(calls), encoding="utf-8")
        out = subprocess.run(  # noqa: S603 - fixed arguments
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{whole_seconds}s",
             "--timeout", "30s", "-s", str(lua), base],
            capture_output=True, text=True, check=True, timeout=whole_seconds + 120)
    line = next(x for x in out.stdout.splitlines() if x.startswith("@@"))
    data = json.loads(line[2:])
    return WrkResult(data["requests"], data["duration_us"] / 1e6,
                     data["socket_errors"] + data["status_errors"],
                     round(data["p50_us"] / 1000, 2), round(data["p95_us"] / 1000, 2),
                     round(data["p99_us"] / 1000, 2))
