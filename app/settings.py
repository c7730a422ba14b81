"""Service configuration, read once from the environment (prefix ``CQF_``).

One validated class so that a bad combination stops the service at start-up with the name
of the variable to fix, instead of failing on the first request.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.paths import SEED_DATA_DIR


class Backend(StrEnum):
    EMBEDDED = "embedded"
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQF_", env_file=".env", extra="ignore")

    backend: Backend = Field(
        Backend.EMBEDDED,
        description="embedded (FalkorDB child process), falkordb (external server) or neo4j",
    )
    data_dir: Path = Field(Path("data"), description="embedded store's data directory")
    graph_name: str = Field("cqf", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
    falkordb_url: str | None = Field(None, description="redis://host:port of an external FalkorDB")
    neo4j_uri: str | None = Field(None, description="bolt://host:7687 or neo4j://cluster:7687")
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    store_timeout_seconds: float = Field(5.0, gt=0, le=300)
    mapping_cache_seconds: float = Field(
        5.0, ge=0, le=3600, description="how long an API worker reuses the mapping graph")
    seed_on_start: bool = Field(True, description="seed the graph on start when it is empty")
    seed_dir: Path = Field(SEED_DATA_DIR, description="directory of the seed CSV files")
    base_iri: str | None = Field(None, description="base for minted IRIs; default <service>/id/")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _backend_needs_its_address(self) -> Settings:
        if self.backend is Backend.NEO4J:
            if not self.neo4j_uri:
                raise ValueError("CQF_NEO4J_URI must be set when CQF_BACKEND=neo4j")
            if not self.neo4j_uri.startswith(("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://",
                                              "neo4j+s://", "neo4j+ssc://")):
                raise ValueError("CQF_NEO4J_URI must start with bolt:// or neo4j://")
            if self.neo4j_password is None:
                raise ValueError("CQF_NEO4J_PASSWORD must be set when CQF_BACKEND=neo4j")
        if self.backend is Backend.FALKORDB:
            if not self.falkordb_url:
                raise ValueError("CQF_FALKORDB_URL must be set when CQF_BACKEND=falkordb")
            if not self.falkordb_url.startswith(("redis://", "rediss://")):
                raise ValueError("CQF_FALKORDB_URL must start with redis:// or rediss://")
        return self
