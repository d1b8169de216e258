"""TLS and proxy keyword arguments, and describe()/describe_config().

Real TLS, mutual TLS and proxy traffic are tested in Rust (tests/tls.rs, tests/proxy.rs);
here only that the keywords reach the library, are validated, and are described without
their secrets.
"""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
from pathlib import Path
from typing import Dict, Tuple

import pytest
from conftest import CLIENT_ID, CLIENT_SECRET, Emulator

import tasklist
from tasklist import _options as options_module

PROXY_PASSWORD = "pr0xy-pa55word"
PASSWORD = "c00kie-pa55word"


@pytest.fixture(scope="session")
def pem_files(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """A self-signed certificate and its unencrypted key, made with openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    directory = tmp_path_factory.mktemp("pem")
    cert, key = directory / "client.crt", directory / "client.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=tasklist-test", "-keyout", str(key),
         "-out", str(cert)],
        check=True, capture_output=True,
    )
    return {"cert": cert, "key": key}


def pem_text(pem_files: Dict[str, Path]) -> Tuple[str, str]:
    return pem_files["cert"].read_text(), pem_files["key"].read_text()


def key_body(key_pem: str) -> str:
    """The base64 lines of a PEM key, which must never show up anywhere."""
    return "".join(line for line in key_pem.splitlines() if not line.startswith("-----"))


# -- describe -----------------------------------------------------------------------------


def test_describe_shows_sources_and_redacts_the_client_secret(emulator: Emulator) -> None:
    with emulator.oauth_client(max_retries=1) as client:
        described = client.describe()
        text = json.dumps(described)
        assert CLIENT_SECRET not in text
        assert described["client_secret"] == {"value": "***", "source": "set"}
        assert described["base_url"] == {"value": emulator.url, "source": "set"}
        assert described["auth"]["value"] == "oauth"
        assert described["client_id"] == {"value": CLIENT_ID, "source": "set"}
        assert described["max_retries"] == {"value": 1, "source": "set"}
        assert described["audience"]["source"] == "default"
        assert described["proxy"] == {"value": None, "source": "default"}
        # The client still works after describe() and describe() is repeatable.
        assert client.search_tasks({"pageSize": 1})
        assert client.describe() == described


def test_describe_redacts_the_password_and_the_proxy_password() -> None:
    described = tasklist.describe_config(
        "http://tasklist.example:8080", username="demo", password=PASSWORD,
        proxy=f"http://proxyuser:{PROXY_PASSWORD}@proxy.example:3128", proxy_from_env=False,
    )
    text = json.dumps(described)
    assert PASSWORD not in text and PROXY_PASSWORD not in text
    assert described["password"] == {"value": "***", "source": "set"}
    assert described["username"] == {"value": "demo", "source": "set"}
    assert described["proxy"]["value"] == "http://***@proxy.example:3128"
    assert described["proxy_from_env"] == {"value": False, "source": "set"}


def test_basic_auth_and_a_default_tenant_are_options_like_the_others() -> None:
    described = tasklist.describe_config(
        "http://cluster.example:8080", basic_auth=("demo", PASSWORD), tenant_id="team-a")
    assert PASSWORD not in json.dumps(described)
    assert described["auth"]["value"] == "basic"
    assert described["username"] == {"value": "demo", "source": "set"}
    assert described["password"] == {"value": "***", "source": "set"}
    assert described["tenant_id"] == {"value": "team-a", "source": "set"}
    with pytest.raises(TypeError, match="basic_auth must be a pair"):
        tasklist.describe_config("http://cluster.example:8080", basic_auth="demo:demo")
    with pytest.raises(TypeError, match="choose one authentication method"):
        tasklist.describe_config("http://cluster.example:8080", basic_auth=("a", "b"),
                                 username="demo", password="demo")
    with pytest.raises(tasklist.InvalidArgumentError, match="tenant id"):
        tasklist.describe_config("http://cluster.example:8080", tenant_id="not a tenant")


def test_describe_redacts_the_bearer_token(emulator: Emulator) -> None:
    token = emulator.token()
    with tasklist.Client(emulator.url, bearer_token=token) as client:
        described = client.describe()
    text = json.dumps(described)
    assert token not in text and token[-20:] not in text
    assert described["bearer_token"] == {"value": "***", "source": "set"}


def test_describe_config_names_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CAMUNDA_TASKLIST_BASE_URL", "CAMUNDA_OAUTH_URL", "CAMUNDA_CLIENT_ID",
                 "CAMUNDA_CLIENT_SECRET", "TASKLIST_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAMUNDA_TASKLIST_BASE_URL", "http://from-env.example:8082")
    monkeypatch.setenv("CAMUNDA_OAUTH_URL", "http://from-env.example/token")
    monkeypatch.setenv("CAMUNDA_CLIENT_ID", "env-client")
    monkeypatch.setenv("CAMUNDA_CLIENT_SECRET", "env-secret-value")
    described = tasklist.describe_config(from_env=True, max_retries=4)
    assert "env-secret-value" not in json.dumps(described)
    assert described["base_url"] == {"value": "http://from-env.example:8082",
                                     "source": "CAMUNDA_TASKLIST_BASE_URL"}
    assert described["client_secret"] == {"value": "***", "source": "CAMUNDA_CLIENT_SECRET"}
    assert described["max_retries"] == {"value": 4, "source": "set"}  # keywords win


def test_describe_after_close_raises(emulator: Emulator) -> None:
    client = emulator.oauth_client()
    client.close()
    with pytest.raises(ValueError, match="closed"):
        client.describe()


def test_describe_config_takes_exactly_the_constructor_keywords() -> None:
    parameters = inspect.signature(tasklist.Client).parameters
    assert set(options_module.SETTINGS) == {name for name in parameters if not name.startswith("_")}
    with pytest.raises(TypeError, match="no_such_option"):
        tasklist.describe_config(no_such_option=1)


# -- CA, client certificate and proxy keywords ---------------------------------------------


def test_ca_pem_and_client_certificate_text_are_described_without_the_key(
        emulator: Emulator, pem_files: Dict[str, Path]) -> None:
    cert, key = pem_text(pem_files)
    # The emulator speaks plain http, so the TLS settings are accepted but unused.
    with emulator.oauth_client(ca_pem=cert, client_certificate=(cert, key)) as client:
        assert client.search_tasks({"pageSize": 1})
        described = client.describe()
    text = json.dumps(described)
    assert key_body(key) not in text and "PRIVATE KEY" not in text
    assert described["ca_pem"] == {"value": "1 PEM certificate(s)", "source": "set"}
    assert described["client_certificate"] == {"value": "PEM text", "source": "set"}
    assert described["client_key"] == {"value": "***", "source": "set"}


def test_client_certificate_files_are_described_by_path(pem_files: Dict[str, Path]) -> None:
    described = tasklist.describe_config(
        "https://tasklist.example",
        client_certificate_files=(pem_files["cert"], str(pem_files["key"])))
    assert described["client_certificate"]["value"] == str(pem_files["cert"])
    assert described["client_key"]["value"] == str(pem_files["key"])  # a path is no secret


def test_missing_client_certificate_file_fails_when_the_client_is_built(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(tasklist.InvalidArgumentError):
        tasklist.Client("https://tasklist.example", client_certificate_files=(missing, missing))


@pytest.mark.parametrize("proxy", [
    "not a url", "ftp://proxy.example:21", "http://", "http://proxy example:3128",
])
def test_invalid_proxy_url_is_refused(proxy: str) -> None:
    with pytest.raises(tasklist.InvalidArgumentError) as caught:
        tasklist.Client("http://tasklist.example", proxy=proxy)
    assert caught.value.code == tasklist.Status.INVALID_ARGUMENT


def test_valid_proxy_settings_are_accepted(emulator: Emulator) -> None:
    for proxy in ("http://proxy.example:3128", "socks5://127.0.0.1:1080", ""):
        with emulator.oauth_client(proxy=proxy, proxy_from_env=True) as client:
            assert client.describe()["proxy_from_env"]["value"] is True


def test_proxy_password_is_not_in_the_error_message() -> None:
    with pytest.raises(tasklist.InvalidArgumentError) as caught:
        tasklist.Client("http://tasklist.example", proxy=f"ftp://u:{PROXY_PASSWORD}@proxy.example")
    assert PROXY_PASSWORD not in str(caught.value)


def test_garbage_pem_is_refused(pem_files: Dict[str, Path]) -> None:
    cert, key = pem_text(pem_files)
    garbage = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"
    for kwargs in ({"client_certificate": ("garbage", key)},
                   {"client_certificate": (cert, "garbage")},
                   {"client_certificate": (garbage, key)},
                   {"client_certificate": (cert, cert)},  # no key in the key text
                   {"ca_pem": "garbage"},
                   {"ca_pem": garbage}):
        with pytest.raises(tasklist.InvalidArgumentError):
            tasklist.Client("http://tasklist.example", **kwargs)


def test_certificate_keyword_shapes_are_checked(pem_files: Dict[str, Path]) -> None:
    cert, key = pem_text(pem_files)
    with pytest.raises(TypeError, match="pair"):
        tasklist.Client("http://tasklist.example", client_certificate=cert)
    with pytest.raises(TypeError, match="pair"):
        tasklist.Client("http://tasklist.example", client_certificate=(cert,))
    with pytest.raises(TypeError, match="not both"):
        tasklist.Client("http://tasklist.example", client_certificate=(cert, key),
                        client_certificate_files=(pem_files["cert"], pem_files["key"]))
    with pytest.raises(TypeError):
        tasklist.Client("http://tasklist.example", ca_pem=cert.encode())


# -- the library judges every option, with its own message --------------------------------


@pytest.mark.parametrize("keywords, message", [
    ({"base_url": "ftp://x"}, "base_url: the base URL must start with http:// or https://"),
    ({"request_timeout": -1}, "request_timeout_ms: expected a whole number of milliseconds, got -1000"),
    ({"connect_timeout": 0}, "connect_timeout_ms: the connect timeout must be above 0 ms"),
    ({"max_retries": -1}, "max_retries: expected a whole number of 0 or more, got -1"),
    ({"token_format": "xml"}, "token_format: the token format must be 'form' or 'json'"),
    ({"client_auth": "jwt"}, "client_auth: the OAuth client authentication must be 'post' or 'basic'"),
    ({"password": "pw"}, 'password: belongs to "auth": "cookie" or "basic", but the authentication is "none"'),
    ({"login_path": "login"}, "login_path: the login path must start with '/'"),
    ({"max_response_bytes": 0}, "max_response_bytes: the response size limit must be above 0"),
])
def test_invalid_options_carry_the_library_message(keywords: Dict[str, object], message: str) -> None:
    keywords = {"base_url": "http://tasklist.example", **keywords}
    with pytest.raises(tasklist.InvalidArgumentError) as caught:
        tasklist.describe_config(**keywords)  # type: ignore[arg-type]
    assert caught.value.code == tasklist.Status.INVALID_ARGUMENT
    assert caught.value.message.startswith(message), caught.value.message
    # The same from the constructor, and never the old "<setter> failed with ..." text.
    with pytest.raises(tasklist.InvalidArgumentError) as caught:
        tasklist.Client(**keywords)  # type: ignore[arg-type]
    assert caught.value.message.startswith(message)
    assert "failed with" not in str(caught.value)


def test_keywords_override_single_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMUNDA_TASKLIST_BASE_URL", "http://from-env.example:8082")
    monkeypatch.setenv("CAMUNDA_OAUTH_URL", "http://from-env.example/token")
    monkeypatch.setenv("CAMUNDA_CLIENT_ID", "env-client")
    monkeypatch.setenv("CAMUNDA_CLIENT_SECRET", "env-secret-value")
    described = tasklist.describe_config(from_env=True, audience="custom-audience",
                                         request_timeout=2.5)
    assert described["audience"] == {"value": "custom-audience", "source": "set"}
    assert described["client_id"] == {"value": "env-client", "source": "CAMUNDA_CLIENT_ID"}
    assert described["request_timeout_ms"] == {"value": 2500, "source": "set"}


def test_certificate_text_keyword_needs_pem_text(pem_files: Dict[str, Path]) -> None:
    _, key = pem_text(pem_files)
    # Without a PEM marker the library would take the text for a file path.
    with pytest.raises(tasklist.InvalidArgumentError, match="no PEM text"):
        tasklist.describe_config("https://tasklist.example",
                                 client_certificate=(str(pem_files["cert"]), key))


def test_python_m_tasklist_shows_the_library_and_the_environment_without_secrets() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, CAMUNDA_REST_ADDRESS="http://cluster.example:8080/v2",
               CAMUNDA_CLIENT_ID="my-client", CAMUNDA_CLIENT_SECRET=PASSWORD,
               PYTHONPATH=str(Path(tasklist.__file__).parents[1]))
    shown = subprocess.run([sys.executable, "-m", "tasklist"], env=env, capture_output=True,
                           text=True, timeout=60, check=True).stdout
    assert f"libtasklist {tasklist.library_version()} at " in shown
    assert "http://cluster.example:8080" in shown and "CAMUNDA_REST_ADDRESS" in shown
    assert PASSWORD not in shown and "***" in shown
