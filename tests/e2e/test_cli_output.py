"""What a script relies on from ``cqf``: stdout carries only the command's result (logs go
to stderr), so ``KEY=$(cqf keys create ...)`` captures the key alone, and ``cqf keys list
--json`` gives every id whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_keys_create_prints_the_key_alone_and_list_json_gives_ids_whole(tmp_path: Path) -> None:
    env = {**os.environ, "CQF_DATA_DIR": str(tmp_path / "data"), "CQF_SEED_ON_START": "false",
           "CQF_BACKEND": "embedded"}
    created = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", "keys",
                              "create", "--role", "admin"], capture_output=True, text=True,
                             timeout=300, env=env, check=True)
    key = created.stdout.strip()
    assert key.startswith("cqf_") and "\n" not in key  # the key alone: $(cqf keys create ...)
    listed = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", "keys",
                             "list", "--json"], capture_output=True, text=True, timeout=300,
                            env=env, check=True)
    ids = [k["key_id"] for k in json.loads(listed.stdout)]
    assert len(ids) == 1 and key.startswith(f"cqf_{ids[0]}_")
