"""Settings read from the environment (prefix SPINETRACK_), so one build runs anywhere."""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE = "secret_key"
AUDIT_KEY_FILE = "audit_key"
AUDIT_CHECKPOINT_FILE = "audit_checkpoints.jsonl"


class CdsIssuer(BaseModel):
    """An EHR allowed to call our CDS Hooks service: its JWT issuer, where its public keys are
    (a JWKS URL), and the clinic whose stored records its calls may read (none: prefetch only)."""

    iss: str
    jwks_url: str
    clinic: str | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPINETRACK_", extra="ignore")

    database_url: str | None = None
    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    threads: int = Field(default=8, ge=1)
    """Requests per server process that may be doing database work at once; the rest wait their
    turn without holding a connection."""
    """Server processes. One suits SQLite (it has a single writer anyway); on PostgreSQL one per
    CPU core lets requests use every core rather than one interpreter's."""
    demo_patients: int = 300
    demo_seed: int = 7
    fit_demo_model: bool = False
    """Set by `spinetrack serve --fit-demo-model`: the server fits the demo clinic's outcome model
    in a child process after it starts when the clinic has none (services/risk/model_fitting.py)."""
    secret_key: SecretStr | None = None
    """Signs patient links and keys de-identification; from the environment in production."""
    session_hours: int = 12
    max_body_bytes: int = 2 * 1024 * 1024
    login_failures_before_lockout: int = 5
    lockout_minutes: int = 15
    consultations_per_hour: int = Field(default=10, ge=1)
    """Consultation requests one address may send per hour (the public form)."""
    link_requests_per_minute: int = Field(default=120, ge=1)
    """Requests one address may make per minute to patient-link pages and their API."""
    bulk_export_hours: int = Field(default=24, ge=1)
    """How long a FHIR Bulk Data export job and its NDJSON files are kept after the kick-off;
    then its status and files answer 404 (as after a DELETE) and the files are removed."""
    time_zone: str = "UTC"
    """The IANA time zone (e.g. Europe/Madrid) of a clinic that has not set its own
    (`spinetrack clinics timezone`): it decides which day is "today" for the clinic's follow-up
    windows, reminders and date checks, whatever the server's own zone."""
    smtp_url: SecretStr | None = None
    """Where the outbox sends e-mail: smtp://[user:password@]host[:port], smtp+starttls://…,
    or smtps://… (TLS from the start). Unset: messages stay queued."""
    smtp_from: str = "spinetrack@localhost"
    public_url: str | None = None
    """The address patients reach this server at, for links in e-mails and on screen (default
    http://host:port); never taken from a request's Host header, which its sender chooses."""
    audit_key: SecretStr | None = None
    """Keys the audit chain's and the backups' HMACs; kept outside the database (see
    `resolved_audit_key`). A deployment sets it and keeps a copy with its backups."""
    audit_checkpoint: Path | None = None
    """Where the audit chain's head is appended after each seal (default var_dir/audit_checkpoints
    .jsonl); ship it off the machine (log shipping, a write-once store) for it to prove much."""
    audit_seal_ms: int = Field(default=100, ge=0)
    """How long a server gathers audit entries before sealing them into the chain; 0 seals after
    every commit, on the committing thread (the command line and the tests)."""
    trusted_proxies: str = ""
    """Addresses of reverse proxies whose X-Forwarded-For / -Proto are believed (comma-separated;
    default none: the client is whoever connected)."""
    request_read_seconds: float = Field(default=30.0, gt=0)
    """A connection must deliver each whole request within this long, or it is closed."""
    keep_alive_seconds: int = Field(default=5, ge=1)
    """An idle connection between requests is closed after this long."""
    cds_issuers: list[CdsIssuer] = Field(default_factory=list)
    """EHRs whose CDS Hooks JWTs are accepted (JSON in SPINETRACK_CDS_ISSUERS)."""
    cds_development: bool = False
    """Development only: accept CDS Hooks JWTs without checking their signature."""

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not an IANA time zone name like Europe/Madrid"
            ) from None
        return value

    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def resolved_database_url(self) -> str:
        """The configured database, or the embedded SQLite file under var_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'spinetrack.sqlite3').resolve()}"

    def resolved_audit_key(self) -> bytes:
        """SPINETRACK_AUDIT_KEY, else a key kept in var_dir/audit_key (created 0600 on first use)."""
        if self.audit_key is not None and self.audit_key.get_secret_value():
            return self.audit_key.get_secret_value().encode()
        return _local_key(self.var_dir / AUDIT_KEY_FILE).encode()

    def resolved_audit_checkpoint(self) -> Path:
        return self.audit_checkpoint or self.var_dir / AUDIT_CHECKPOINT_FILE

    def configured_secret_key(self) -> str | None:
        """SPINETRACK_SECRET_KEY, else the local key if one was already made; never creates one
        (a de-identified export refuses without a key rather than inventing one)."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        path = self.var_dir / SECRET_FILE
        return path.read_text().strip() or None if path.exists() else None

    def resolved_secret_key(self) -> str:
        """SPINETRACK_SECRET_KEY, else a local key kept in var_dir (created on first use).

        The local key suits `make run` on one machine; a deployment sets the variable.
        """
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        return _local_key(self.var_dir / SECRET_FILE)


def _local_key(path: Path) -> str:
    """A random key in a file only its owner may read, created on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
