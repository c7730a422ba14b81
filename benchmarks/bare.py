"""The bare-framework baseline: a minimal FastAPI app, started by the suite on the service's
own uvicorn settings (``app.serving.run``), so every HTTP figure can be read against what the
framework and server alone can do on this machine in the same run.

Two routes, both returning ``{"status": "ok"}``: ``/`` a plain ``def`` (FastAPI runs it in
the thread pool: the five-line app of issue 15, the baseline its targets are read against)
and ``/async`` an ``async def`` (no thread hop: the framework's ceiling).

``python -m benchmarks.bare --port P [--workers N]``
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI

from app.serving import run

app = FastAPI()


@app.get("/")
def ok() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/async")
async def ok_async() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    run("benchmarks.bare:app" if args.workers > 1 else app, host="127.0.0.1", port=args.port,
        workers=args.workers)


if __name__ == "__main__":
    main()
