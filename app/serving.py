"""How uvicorn is run, in one place.

``cqf serve`` and the benchmark suite's bare-framework baseline (``benchmarks/bare.py``) both
start uvicorn through ``run``, so the baseline is measured on exactly the service's server
settings (loop, HTTP parser, no access log, logging left to the app). With ``workers`` > 1
uvicorn needs an import string (each worker process builds its own app); with one worker the
app object is served in this process.
"""

from __future__ import annotations

from typing import Any

import uvicorn


def run(app: Any, *, host: str, port: int, workers: int = 1, factory: bool = False,
        proxy_headers: bool = False, forwarded_allow_ips: str = "") -> None:
    """Proxy headers are off unless the operator names the proxies (CQF_TRUSTED_PROXIES)."""
    if workers > 1 and not isinstance(app, str):
        raise ValueError("several workers need the app as an import string")
    uvicorn.run(app, host=host, port=port, workers=workers if workers > 1 else None,
                factory=factory, log_config=None, access_log=False,
                proxy_headers=proxy_headers, forwarded_allow_ips=forwarded_allow_ips)
