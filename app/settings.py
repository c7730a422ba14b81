"""Service configuration, read once from the environment (prefix ``CQF_``).

One validated class so that a bad combination stops the service at start-up with the name
of the variable to fix, instead of failing on the first request.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.paths import SEED_DATA_DIR


class Backend(StrEnum):
    EMBEDDED = "embedded"
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


# Values that must never guard a production deployment (compose and test defaults included).
WEAK_SECRETS = frozenset({"", "neo4j", "password", "secret", "changeme", "change-me",
                          "change-me-please", "cqf-test-password", "admin", "test"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQF_", env_file=".env", extra="ignore")

    backend: Backend = Field(
        default=Backend.EMBEDDED,
        description="embedded (FalkorDB child process), falkordb (external server) or neo4j",
    )
    data_dir: Path = Field(default=Path("data"), description="embedded store's data directory")
    graph_name: str = Field(default="cqf", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
    falkordb_url: str | None = Field(
        default=None, description="redis://host:port of an external FalkorDB")
    neo4j_uri: str | None = Field(default=None, description="bolt://host:7687 or neo4j://cluster:7687")
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    store_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    # Neo4j: how long a store that stops answering may hold a request before its 503 (a
    # statement unanswered after a third of it is checked by one shared liveness probe).
    store_liveness_seconds: float = Field(default=1.2, gt=0, le=60)
    mapping_cache_seconds: float = Field(
        default=5.0, ge=0, le=3600, description="how long an API worker reuses the mapping graph")
    keep_answers: bool = Field(
        default=True, description="keep answers per question and graph state; false: every "
                                  "answer computed afresh (read models still cached), to "
                                  "measure cold answers")
    seed_on_start: bool = Field(
        default=True, description="seed the graph on start when it is empty")
    seed_dir: Path = Field(default=SEED_DATA_DIR, description="directory of the seed CSV files")
    base_iri: str | None = Field(
        default=None, description="base for minted IRIs; unset: fixed in the graph at first start "
                          "from host and port (change it with `cqf base-iri set`)")
    releases_dir: Path = Field(default=Path("data/releases"),
                               description="where `cqf release` writes versioned dump sets")
    sparql_timeout_seconds: float = Field(default=10.0, gt=0, le=600,
                                          description="longest a /sparql query may run")
    sparql_max_results: int = Field(default=10000, ge=1, le=1_000_000,
                                    description="most rows (or triples) /sparql answers")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="addresses whose X-Forwarded-For/-Proto are honoured (uvicorn's "
                    "forwarded-allow-ips); empty = none. Identifiers never come from headers")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool = True
    # --- security hygiene (see app/api/middleware/) ----------------------------------------
    env: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development or production; production refuses default or missing secrets")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="origins allowed by CORS (JSON list or comma-separated); empty = none")
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="largest request body on write routes (bytes)")
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="largest body of a bulk upload (bytes)")
    rate_limit_enabled: bool = Field(
        default=True, description="rate limits on the routes that declare a cost class")
    rate_limit_writes_per_minute: float = Field(
        default=300, gt=0, description="write requests per API key and per client address")
    rate_limit_queries_per_minute: float = Field(
        default=1200, gt=0,
        description="equivalence, portability and export requests per key/address")
    rate_limit_storage_url: str | None = Field(
        default=None,
        description="redis:// URL where API workers share their rate limits (default: "
                    "the store's Redis for CQF_BACKEND=falkordb, else process memory)")
    rate_limit_burst: int = Field(
        default=60, ge=1, description="requests allowed at once in a bucket")
    metrics_enabled: bool = Field(default=True, description="serve Prometheus metrics at /metrics")

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [o.strip() for o in value.split(",") if o.strip()]
        return value

    @model_validator(mode="after")
    def _production_has_real_secrets(self) -> Settings:
        if self.env is not Environment.PRODUCTION:
            return self
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if not isinstance(value, SecretStr):
                continue
            secret = value.get_secret_value()
            default = info.default.get_secret_value() if isinstance(info.default,
                                                                    SecretStr) else None
            if secret.strip().lower() in WEAK_SECRETS or secret == default:
                raise ValueError(f"CQF_{name.upper()} has a default or weak value; "
                                 "set a real secret when CQF_ENV=production")
        if "*" in self.cors_origins:
            raise ValueError("CQF_CORS_ORIGINS may not be * when CQF_ENV=production")
        return self

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
