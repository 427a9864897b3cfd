"""Every operation of the OpenAPI schema, fuzzed by schemathesis from the app's own schema
(WSGI, in-process), each example sent as an operator, an enterprise or a provider: no input
may give a server error. Examples are bounded and derandomized, so a run is reproducible."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.factories import make_organization, make_user, session_credentials
from zhizao.accounts.enums import Role

MAX_EXAMPLES = 10
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=["explicit", "generate", "shrink"],
)


@pytest.fixture
def api_schema(db):
    """The schema as the app serves it. The WSGI calls run inside the test's transaction, so
    the end of a request must not close the connection (what Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def provider_user(db):
    org = make_organization(
        name="常州慧眼智能科技有限公司", kind="provider", region="320411", industry="6513"
    )
    return make_user("provider", role=Role.PROVIDER, organization=org)


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    """Hundreds of requests per user: the rate-limit counters are cleared around the run (the
    cache is shared, in the database unless Redis is configured)."""
    cache.clear()
    yield
    cache.clear()


def server_errors(schema, credentials: list) -> list[str]:
    """Each operation with at most ``MAX_EXAMPLES`` valid and invalid inputs, each sent as one
    of ``credentials``; the first (shrunk) input that answers 5xx, per operation."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @HYPOTHESIS
        @given(case=strategy, who=st.sampled_from(credentials))
        def run(case, who):
            role, cookies, headers = who
            response = case.call(cookies=cookies, headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} as {role} -> {response.status_code}\n"
                f"query={case.query!r} body={case.body!r} media={case.media_type!r}"
            )

        try:
            run()
        except AssertionError as error:
            failures.append(str(error))
    return failures


def test_no_operation_answers_a_server_error(api_schema, operator, enterprise_user, provider_user):
    credentials = [
        (user.username, *session_credentials(user))
        for user in (operator, enterprise_user, provider_user)
    ]
    operations = [r.ok() for r in api_schema.get_all_operations()]
    assert len(operations) == 155
    assert server_errors(api_schema, credentials) == []
