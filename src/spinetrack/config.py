"""Settings read from the environment (prefix SPINETRACK_), so one build runs anywhere."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPINETRACK_", extra="ignore")

    database_url: str | None = None
    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    demo_patients: int = 300
    demo_seed: int = 7

    def resolved_database_url(self) -> str:
        """The configured database, or the embedded SQLite file under var_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'spinetrack.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
