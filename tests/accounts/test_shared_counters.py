"""Two app-server processes on one database and the shared (database) cache: a wait and a rate
limit earned through one are enforced by the other, and a changed filter option shows in both.

The servers are real processes (wsgiref on two ports) started on a fresh file SQLite database;
nothing is shared between them but the database.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Zhizao-Test-2026"
SETUP = f"""
from zhizao.accounts.models import Membership, User
from zhizao.registry.models import Organization
from zhizao.registry.services.organizations import refresh_derived_fields
from zhizao.registry.services.reference import load_reference_data
from zhizao_core.registry.uscc import make_uscc

load_reference_data()
org = Organization(name="平台运营中心", uscc=make_uscc(region="320214", serial=900001),
                   kind="society", region_id="320214")
refresh_derived_fields(org)
org.save()
user = User.objects.create_user(username="operator", password={PASSWORD!r})
Membership.objects.create(user=user, organization=org, role="operator")
from zhizao.registry.models import IndustrialChain
print(IndustrialChain.objects.order_by("code").values_list("code", flat=True).first())
"""
RENAME = """
import os
from zhizao.common.audit import SYSTEM
from zhizao.registry.models import IndustrialChain
from zhizao.registry.services.chains import update_chain

chain = IndustrialChain.objects.get(code=os.environ["CHAIN"])
data = {"name_zh": "共享缓存验证产业链", "name_en": "Shared cache check chain"}
update_chain(SYSTEM, chain, data=data, leader=chain.leader)
"""
SERVER = """
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from zhizao.wsgi import application


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


make_server("127.0.0.1", int(sys.argv[1]), application, handler_class=Quiet).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    data = tmp_path_factory.mktemp("shared")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "ZHIZAO_REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{data / 'shared.sqlite3'}",
        ZHIZAO_DATA_DIR=str(data),
        ZHIZAO_LOGIN_RATE_PER_IP="7",
        # Long enough that a slow machine cannot let the wait pass between two requests.
        ZHIZAO_LOGIN_FIRST_DELAY_SECONDS="120",
        ZHIZAO_TASK_BACKEND="immediate",
        ZHIZAO_MATCH_EMBEDDER="none",
        ZHIZAO_MATCH_BACKGROUND_EMBEDDING="0",
        # The test plays the proxy: each browser below sends its own client address.
        ZHIZAO_TRUSTED_PROXIES="127.0.0.1",
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="zhizao.settings",
    )
    return env


def manage(env, *args, timeout=300, **extra_env) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**env, **extra_env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def servers(environment):
    manage(environment, "migrate", "-v0", timeout=600)
    chain_code = manage(environment, "shell", "-c", SETUP).strip().splitlines()[-1]
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            deadline = time.monotonic() + 120
            while True:
                assert process.poll() is None, process.stderr.read().decode()[-3000:]
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.3)
        yield {
            "a": f"http://127.0.0.1:{ports[0]}",
            "b": f"http://127.0.0.1:{ports[1]}",
            "env": environment,
            "chain": chain_code,
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


class Browser:
    """Cookies shared across both servers (one site behind a load balancer), from one client
    address (as the trusted proxy reports it)."""

    def __init__(self, address: str):
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, url, data=None, *, json_body=None):
        headers = {"Accept-Language": "en", "X-Forwarded-For": self.address}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (http)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def login(self, base: str) -> int:
        self.request(f"{base}/accounts/login/")
        status, _body = self.request(
            f"{base}/accounts/login/",
            {"username": "operator", "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
        )
        return status


def chain_option(page: str, code: str) -> str:
    match = re.search(rf'<option value="{re.escape(code)}"[^>]*>([^<]*)</option>', page)
    assert match, "the chain filter has no option for the chain"
    return match.group(1)


def test_two_servers_share_filter_options_waits_and_rate_limits(servers):
    a, b, code = servers["a"], servers["b"], servers["chain"]
    browser = Browser("198.51.100.1")

    # -- a changed filter option is seen by both servers, each of which had it cached ----------
    assert browser.login(a) == 200  # redirected to the home page
    pages = [browser.request(f"{base}/registry/") for base in (a, b)]
    assert [status for status, _ in pages] == [200, 200]
    before = {chain_option(page, code) for _, page in pages}
    assert len(before) == 1 and before != {"Shared cache check chain"}

    manage(servers["env"], "shell", "-c", RENAME, CHAIN=code)

    after = [chain_option(browser.request(f"{base}/registry/")[1], code) for base in (a, b)]
    assert after == ["Shared cache check chain", "Shared cache check chain"]

    # -- failures through A make the right password wait through B -----------------------------
    # All of it within one five-minute window of the rate limit.
    to_next_window = 300 - time.time() % 300
    if to_next_window < 60:
        time.sleep(to_next_window + 1)
    api = Browser("203.0.113.7")
    login = {"username": "operator", "password": PASSWORD}
    wrong = [
        api.request(f"{a}/api/token/", json_body={**login, "password": "x"})[0] for _ in range(5)
    ]
    throttled_status, throttled = api.request(f"{b}/api/token/", json_body=login)
    assert wrong == [400] * 5
    assert (throttled_status, json.loads(throttled)["code"]) == (429, "throttled")

    # -- the per-address rate limit (7 per window) counts the attempts of both servers ---------
    seventh, _ = api.request(f"{a}/api/token/", json_body={"username": "n1", "password": "x"})
    eighth, body = api.request(f"{b}/api/token/", json_body={"username": "n2", "password": "x"})
    assert seventh == 400
    assert (eighth, json.loads(body)["code"]) == (429, "rate_limited")

    # -- another address is neither waiting nor limited, on either server ----------------------
    status, body = Browser("198.51.100.2").request(f"{b}/api/token/", json_body=login)
    assert (status, sorted(json.loads(body))) == (200, ["expires", "id", "name", "token"])
