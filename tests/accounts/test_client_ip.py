"""The client address behind trusted reverse proxies: one function, used by the rate limits and
the audit log alike."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from tests.factories import PASSWORD
from zhizao.accounts.selectors import client_ip
from zhizao.common.models import AuditEntry


def ip_of(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.ZHIZAO_TRUSTED_PROXIES = []

    assert ip_of("203.0.113.7", "198.51.100.1") == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # The proxy appends the address it saw; the client's own entries on the left are lies.
        ("10.0.0.2", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two trusted proxies in a row: the right-most untrusted address.
        ("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.3", "203.0.113.7"),
        # A request from a peer that is not a proxy: its header means nothing.
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),
        # A trusted proxy that sent no header: the proxy is the client.
        ("10.0.0.2", None, "10.0.0.2"),
        # A malformed hop ends the walk at the last address a trusted proxy vouched for.
        ("10.0.0.2", "203.0.113.7, nonsense", "10.0.0.2"),
        # Ports and IPv6 brackets are removed; IPv4-mapped IPv6 reads as IPv4.
        ("10.0.0.2", "203.0.113.7:51234", "203.0.113.7"),
        ("10.0.0.2", "[2001:db8::5]:443", "2001:db8::5"),
        ("::ffff:10.0.0.2", "203.0.113.7", "203.0.113.7"),
        # The exact proxy address in the list works like a range.
        ("192.0.2.10", "203.0.113.8", "203.0.113.8"),
    ],
)
def test_behind_trusted_proxies_the_rightmost_untrusted_address_is_the_client(
    settings, remote, forwarded, expected
):
    settings.ZHIZAO_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]

    assert ip_of(remote, forwarded) == expected


def test_a_missing_or_malformed_remote_address_is_none(settings):
    settings.ZHIZAO_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert (ip_of(""), ip_of("garbage", "203.0.113.7")) == (None, None)


@pytest.mark.django_db
def test_rate_limit_and_audit_use_the_forwarded_client(client, settings, operator):
    settings.ZHIZAO_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.ZHIZAO_LOGIN_RATE_PER_IP = 1
    cache.clear()
    login = "/accounts/login/"

    first = client.post(
        login, {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    second = client.post(
        login, {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    # A forged left-hand entry does not make a new client; another real client is not limited.
    forged = client.post(
        login,
        {"username": "x", "password": "y"},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    other = client.post(
        login,
        {"username": "operator", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )

    assert [r.status_code for r in (first, second, forged, other)] == [200, 429, 429, 302]
    assert list(AuditEntry.objects.order_by("id").values_list("ip_address", "action")) == [
        ("203.0.113.7", "login_failed"),
        ("203.0.113.7", "login_failed"),
        ("198.51.100.4", "login"),
    ]
    cache.clear()
