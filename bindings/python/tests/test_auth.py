"""Both authentication methods (and a bearer token), with their failures."""

from __future__ import annotations

import pytest
from conftest import CLIENT_ID, CLIENT_SECRET, Emulator

import tasklist


def test_oauth_client_credentials(emulator: Emulator) -> None:
    with emulator.oauth_client() as client:
        client.login()
        assert len(client.search_tasks({"pageSize": 5})) == 5


def test_oauth_json_token_format_and_audience(emulator: Emulator) -> None:
    with emulator.oauth_client(token_format="json", audience="tasklist.camunda.io") as client:
        assert client.search_tasks({"pageSize": 1})


def test_oauth_client_secret_basic(emulator: Emulator) -> None:
    with emulator.oauth_client(client_auth="basic") as client:
        client.login()
        assert client.search_tasks({"pageSize": 1})


def test_cookie_login(emulator: Emulator) -> None:
    with emulator.cookie_client("view") as client:
        client.login()
        assert client.search_tasks({"pageSize": 2})


def test_cookie_login_with_csrf(make_emulator) -> None:
    server = make_emulator("--csrf")
    with server.cookie_client("demo") as client:
        task = client.search_tasks({"state": "CREATED", "assigned": False, "pageSize": 1})[0]
        assert client.assign_task(task["id"])["assignee"] == "demo"


def test_bearer_token(emulator: Emulator) -> None:
    with tasklist.Client(emulator.url, bearer_token=emulator.token()) as client:
        assert client.search_tasks({"pageSize": 1})


def test_wrong_client_secret_is_authentication_error(emulator: Emulator) -> None:
    with tasklist.Client(emulator.url, token_url=emulator.token_url, client_id=CLIENT_ID,
                         client_secret="wrong") as client:
        with pytest.raises(tasklist.AuthenticationError) as caught:
            client.search_tasks()
    assert caught.value.code == tasklist.Status.AUTH_FAILED
    assert caught.value.name == "TASKLIST_ERR_AUTH_FAILED"
    assert "wrong" not in str(caught.value)  # secrets never appear in messages


def test_wrong_password_is_authentication_error(emulator: Emulator) -> None:
    with emulator.cookie_client("demo", "not-the-password") as client:
        with pytest.raises(tasklist.AuthenticationError) as caught:
            client.login()
    assert caught.value.code == tasklist.Status.AUTH_FAILED
    assert "not-the-password" not in str(caught.value)


def test_unusable_token_endpoint_is_authentication_error(emulator: Emulator) -> None:
    with tasklist.Client(emulator.url, token_url=emulator.url + "/no-such-token-endpoint",
                         client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                         max_retries=0) as client:
        with pytest.raises(tasklist.AuthenticationError):
            client.login()


def test_a_server_that_is_down_is_a_connection_error_not_an_authentication_error() -> None:
    import socket
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{free.getsockname()[1]}"
    with tasklist.Client(url, token_url=url + "/oauth/token", client_id=CLIENT_ID,
                         client_secret=CLIENT_SECRET, max_retries=0) as client:
        with pytest.raises(tasklist.ConnectionError) as caught:
            client.search_tasks()
    assert caught.value.code == tasklist.Status.CONNECT
    assert "token endpoint" in caught.value.message


def test_invalid_bearer_token_is_unauthorized(emulator: Emulator) -> None:
    with tasklist.Client(emulator.url, bearer_token="not-a-token") as client:
        with pytest.raises(tasklist.UnauthorizedError) as caught:
            client.search_tasks()
    assert caught.value.http_status == 401


def test_from_env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL", "CAMUNDA_AUTH_STRATEGY",
                 "CAMUNDA_OAUTH_TOKEN", "CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAMUNDA_TASKLIST_BASE_URL", emulator.url)
    monkeypatch.setenv("CAMUNDA_COOKIE_AUTH_USERNAME", "demo")
    monkeypatch.setenv("CAMUNDA_COOKIE_AUTH_PASSWORD", "demo")
    with tasklist.Client.from_env(request_timeout=5.0) as client:
        client.login()
        assert client.search_tasks({"pageSize": 1})


def test_from_env_without_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CAMUNDA_TASKLIST_BASE_URL", "CAMUNDA_CLUSTER_ID"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(tasklist.InvalidArgumentError):
        tasklist.Client.from_env()


def test_one_authentication_method_at_a_time(emulator: Emulator) -> None:
    with pytest.raises(TypeError, match="one authentication method"):
        tasklist.Client(emulator.url, username="demo", password="demo", bearer_token="x")
    with pytest.raises(TypeError, match="client_secret"):
        tasklist.Client(emulator.url, token_url=emulator.token_url, client_id=CLIENT_ID)


def test_bad_options_are_invalid_argument_errors() -> None:
    with pytest.raises(tasklist.InvalidArgumentError):
        tasklist.Client("ftp://example.com")
    with pytest.raises(tasklist.InvalidArgumentError):
        tasklist.Client("http://localhost:1", token_url="http://localhost:1/t", client_id="a",
                        client_secret="b", token_format="xml")
    with pytest.raises(tasklist.InvalidArgumentError):
        tasklist.Client("http://localhost:1", token_url="http://localhost:1/t", client_id="a",
                        client_secret="b", client_auth="jwt")
    with pytest.raises(ValueError):  # InvalidArgumentError is a ValueError
        tasklist.Client("http://localhost:1", request_timeout=-1)
