"""PostgreSQL for the deployment tests: the server of DATABASE_URL when the suite runs on PostgreSQL, else a
throwaway cluster started like scripts/pg-throwaway.sh (initdb on a free loopback port, fsync off)."""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.reports.sending_servers import free_port


def _newest_postgres_bin() -> Path:
    """PG_BIN, else the newest /usr/lib/postgresql/<version>/bin with initdb (Debian's layout)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _newest_postgres_bin()


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


class PostgresServer:
    def __init__(self):
        self.directory = None
        self.admin_url = ""

    def start(self):
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            self.admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
            return self
        if not (PG_BIN / "initdb").exists():
            pytest.skip(f"no PostgreSQL binaries in {PG_BIN} and DATABASE_URL is not PostgreSQL")
        self.directory = Path(tempfile.mkdtemp(prefix="stadtdigital-deploy-pg-"))
        shutil.chown(self.directory, "postgres") if os.getuid() == 0 else None
        port = free_port()
        data = self.directory / "data"
        subprocess.run(
            [*_as_postgres(), PG_BIN / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *_as_postgres(),
                PG_BIN / "pg_ctl",
                "-D",
                data,
                "-w",
                "-l",
                self.directory / "log",
                "-o",
                options,
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.admin_url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        return self

    def stop(self):
        if self.directory is not None:
            subprocess.run(
                [
                    *_as_postgres(),
                    PG_BIN / "pg_ctl",
                    "-D",
                    self.directory / "data",
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
            )
            shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, prefix: str = "deploy") -> str:
        """A new empty database; its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{name}"))

    def bin(self, name: str) -> str:
        """pg_dump / pg_restore: the cluster's own version, else whatever is on PATH."""
        own = PG_BIN / name
        return str(own) if own.exists() else name
