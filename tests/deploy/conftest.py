import pytest

from tests.deploy.postgres import PostgresServer


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer().start()
    yield server
    server.stop()
