"""Operators manage users and roles; everyone else gets 404 and changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PASSWORD, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership, User
from zhizao.common.models import AuditEntry

NEW_PASSWORD = "Qiyun#2026-new"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def as_operator(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def locked_user(db, factory_org):
    until = timezone.now() + dt.timedelta(minutes=10)
    return make_user(
        "locked",
        role=Role.ENTERPRISE,
        organization=factory_org,
        display_name="钱锁定",
        failed_login_count=5,
        locked_until=until,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def audit_rows():
    return [
        (e.action, e.actor_name, e.acting_role, e.object_id, e.changes, e.context)
        for e in AuditEntry.objects.order_by("id")
    ]


def new_user_data(**overrides):
    return {
        "username": "qian",
        "display_name": "钱启云",
        "email": "Qian@Example.COM",
        "phone": "13800001234",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        **overrides,
    }


# --- who may ---------------------------------------------------------------------------------


OPERATOR_PAGES = ["/accounts/users/", "/accounts/users/new/", "/accounts/users/{pk}/"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "enterprise_user"])
@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_user_management_pages_are_404_for_non_operators(request, client, who, page, locked_user):
    client.force_login(request.getfixturevalue(who))

    response = client.get(page.format(pk=locked_user.pk))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "enterprise_user"])
def test_non_operators_posting_to_user_management_change_nothing(
    request, client, who, locked_user, factory_org
):
    client.force_login(request.getfixturevalue(who))
    users_before = User.objects.count()
    detail = f"/accounts/users/{locked_user.pk}/"

    responses = [
        client.post("/accounts/users/new/", new_user_data()),
        client.post(detail, {"action": "unlock"}),
        client.post(detail, {"action": "user_active", "active": "0"}),
        client.post(
            detail,
            {
                "action": "reset_password",
                "password": NEW_PASSWORD,
                "password_confirm": NEW_PASSWORD,
            },
        ),
        client.post(
            detail,
            {"action": "add_membership", "organization": factory_org.uscc, "role": "operator"},
        ),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert User.objects.count() == users_before
    locked_user.refresh_from_db()
    assert (locked_user.failed_login_count, locked_user.is_active) == (5, True)
    assert locked_user.is_locked()
    assert locked_user.check_password(PASSWORD)
    assert list(locked_user.memberships.values_list("role", flat=True)) == ["enterprise"]
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_user_acting_as_operator_only_in_another_membership_gets_404(
    client, officer, platform_org
):
    # The officer also holds an inactive operator membership: it grants nothing.
    Membership.objects.create(
        user=officer, organization=platform_org, role=Role.OPERATOR, is_active=False
    )
    client.force_login(officer)

    assert client.get("/accounts/users/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/accounts/users/")

    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/accounts/users/")


# --- creating users --------------------------------------------------------------------------


@pytest.mark.django_db
def test_operator_creates_a_user(as_operator, operator):
    response = as_operator.post("/accounts/users/new/", new_user_data())

    user = User.objects.get(username="qian")
    assert (response.status_code, response.url) == (302, f"/accounts/users/{user.pk}/")
    assert (user.display_name, user.email, user.phone, user.is_active) == (
        "钱启云",
        "Qian@example.com",
        "13800001234",
        True,
    )
    assert user.check_password(NEW_PASSWORD)
    assert messages_of(response) == ["User qian created. Now give them an organisation and a role."]
    assert audit_rows() == [
        (
            "create",
            "operator",
            "operator",
            str(user.pk),
            {
                "username": [None, "qian"],
                "display_name": [None, "钱启云"],
                "email": [None, "Qian@example.com"],
                "phone": [None, "13800001234"],
            },
            {},
        )
    ]


@pytest.mark.django_db
def test_creating_a_user_with_a_too_simple_password_names_the_rule(as_operator):
    users_before = User.objects.count()

    response = as_operator.post(
        "/accounts/users/new/",
        new_user_data(password="zhizaozhizao", password_confirm="zhizaozhizao"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "password": [
            "The password must mix at least 3 of: lower-case letters, upper-case letters, "
            "digits and symbols."
        ]
    }
    assert User.objects.count() == users_before
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_creating_a_user_with_a_short_common_password_lists_every_rule(as_operator):
    response = as_operator.post(
        "/accounts/users/new/", new_user_data(password="abcdefghij", password_confirm="abcdefghij")
    )

    assert response.context["form"].errors == {
        "password": [
            "This password is too common.",
            "The password must mix at least 3 of: lower-case letters, upper-case letters, "
            "digits and symbols.",
        ]
    }
    assert not User.objects.filter(username="qian").exists()


@pytest.mark.django_db
def test_creating_a_user_checks_the_confirmation_and_a_taken_name(as_operator, enterprise_user):
    response = as_operator.post(
        "/accounts/users/new/", new_user_data(password_confirm=NEW_PASSWORD + "x")
    )
    assert response.context["form"].errors == {
        "password_confirm": ["The two passwords do not match."]
    }

    response = as_operator.post("/accounts/users/new/", new_user_data(username="Enterprise"))
    assert response.context["form"].errors == {"username": ["This user name is already taken."]}
    assert User.objects.filter(username__iexact="enterprise").count() == 1


# --- the list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_list_searches_and_filters_by_role(as_operator, officer, enterprise_user, locked_user):
    def usernames(**params):
        response = as_operator.get("/accounts/users/", params)
        assert response.status_code == 200
        return [u.username for u in response.context["users"]]

    assert usernames() == ["enterprise", "locked", "officer", "operator"]
    assert usernames(q="钱") == ["locked"]
    assert usernames(q="OFFI") == ["officer"]
    assert usernames(role="enterprise") == ["enterprise", "locked"]
    assert usernames(role="operator", q="ent") == []
    Membership.objects.filter(user=locked_user).update(is_active=False)
    assert usernames(role="enterprise") == ["enterprise"]


@pytest.mark.django_db
def test_user_list_shows_memberships_lock_and_two_factor(as_operator, locked_user):
    User.objects.filter(pk=locked_user.pk).update(totp_enabled=True)
    Membership.objects.create(
        user=locked_user,
        organization=make_organization(name="江南大学", kind="university", industry=None),
        role=Role.EXPERT,
        is_active=False,
    )

    response = as_operator.get("/accounts/users/", {"q": "locked"})

    html = response.content.decode()
    body = html[html.index("<tbody>") + len("<tbody>") : html.index("</tbody>")]
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
    ]
    assert cells == [
        "locked",
        "钱锁定",
        "无锡恒润精密机械有限公司 · Enterprise 江南大学 · Expert inactive",
        "Locked",
        "On",
        "Never",
    ]


@pytest.mark.django_db
def test_user_list_query_count_does_not_grow_with_users(as_operator, factory_org):
    make_user("a1", role=Role.ENTERPRISE, organization=factory_org)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = as_operator.get("/accounts/users/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    one = count_queries()
    make_user("a2", role=Role.ENTERPRISE, organization=factory_org)
    make_user("a3", role=Role.EXPERT, organization=factory_org)
    assert count_queries() == one


# --- the detail page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_operator_unlocks_a_user(as_operator, locked_user):
    until = locked_user.locked_until

    response = as_operator.post(f"/accounts/users/{locked_user.pk}/", {"action": "unlock"})

    assert (response.status_code, response.url) == (302, f"/accounts/users/{locked_user.pk}/")
    locked_user.refresh_from_db()
    assert (locked_user.failed_login_count, locked_user.locked_until) == (0, None)
    assert messages_of(response) == ["The account is unlocked."]
    assert audit_rows() == [
        (
            "state",
            "operator",
            "operator",
            str(locked_user.pk),
            {"failed_login_count": [5, 0], "locked_until": [until.isoformat(), None]},
            {"event": "unlock"},
        )
    ]


@pytest.mark.django_db
def test_operator_resets_a_password_with_the_rules_checked(as_operator, locked_user):
    url = f"/accounts/users/{locked_user.pk}/"
    response = as_operator.post(
        url, {"action": "reset_password", "password": "Short1!", "password_confirm": "Short1!"}
    )
    assert response.context["reset_form"].errors == {
        "password": ["This password is too short. It must contain at least 10 characters."]
    }
    assert AuditEntry.objects.count() == 0

    response = as_operator.post(
        url,
        {"action": "reset_password", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert (response.status_code, response.url) == (302, url)
    locked_user.refresh_from_db()
    assert locked_user.check_password(NEW_PASSWORD)
    assert (locked_user.failed_login_count, locked_user.locked_until) == (0, None)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.context, sorted(entry.changes)) == (
        "update",
        {"event": "password_reset"},
        ["failed_login_count", "locked_until"],
    )


@pytest.mark.django_db
def test_operator_adds_membership_by_credit_code_or_name(as_operator, enterprise_user, factory_org):
    url = f"/accounts/users/{enterprise_user.pk}/"
    provider = make_organization(name="昆山智云工业软件有限公司", kind="provider", region="320583")

    response = as_operator.post(
        url, {"action": "add_membership", "organization": provider.uscc.lower(), "role": "provider"}
    )
    assert (response.status_code, response.url) == (302, url)
    response = as_operator.post(
        url, {"action": "add_membership", "organization": "智云工业", "role": "expert"}
    )
    assert (response.status_code, response.url) == (302, url)

    assert list(
        enterprise_user.memberships.order_by("id").values_list("organization__name", "role")
    ) == [
        ("无锡恒润精密机械有限公司", "enterprise"),
        ("昆山智云工业软件有限公司", "provider"),
        ("昆山智云工业软件有限公司", "expert"),
    ]
    created = [e.changes for e in AuditEntry.objects.order_by("id")]
    assert created[0] == {
        "user": [None, str(enterprise_user.pk)],
        "organization": [None, str(provider.pk)],
        "role": [None, "provider"],
    }


@pytest.mark.django_db
def test_adding_a_membership_to_an_unknown_organisation_says_not_found(
    as_operator, enterprise_user
):
    response = as_operator.post(
        f"/accounts/users/{enterprise_user.pk}/",
        {"action": "add_membership", "organization": "不存在的公司", "role": "expert"},
    )

    assert response.status_code == 200
    assert response.context["membership_form"].errors == {
        "organization": ["Organisation not found."]
    }
    assert enterprise_user.memberships.count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_adding_a_membership_with_an_ambiguous_name_lists_the_candidates(
    as_operator, enterprise_user
):
    a = make_organization(name="常州精工机械有限公司", region="320411")
    b = make_organization(name="无锡精工机械有限公司", region="320214")

    response = as_operator.post(
        f"/accounts/users/{enterprise_user.pk}/",
        {"action": "add_membership", "organization": "精工机械", "role": "expert"},
    )

    first, second = sorted([a, b], key=lambda org: org.name.encode("gbk"))
    assert response.context["membership_form"].errors == {
        "organization": [
            f"Several organisations match: {first.name}（{first.uscc}）；{second.name}（{second.uscc}）. "
            "Enter the unified social credit code."
        ]
    }


@pytest.mark.django_db
def test_adding_an_existing_membership_is_refused(as_operator, enterprise_user, factory_org):
    response = as_operator.post(
        f"/accounts/users/{enterprise_user.pk}/",
        {"action": "add_membership", "organization": factory_org.uscc, "role": "enterprise"},
    )

    assert response.context["membership_form"].errors == {
        "organization": ["This user already has this role in this organisation."]
    }
    assert enterprise_user.memberships.count() == 1


@pytest.mark.django_db
def test_operator_deactivates_and_reactivates_a_membership(as_operator, enterprise_user):
    membership = enterprise_user.memberships.get()
    url = f"/accounts/users/{enterprise_user.pk}/"

    as_operator.post(
        url, {"action": "membership_active", "membership": membership.pk, "active": "0"}
    )
    membership.refresh_from_db()
    assert membership.is_active is False
    as_operator.post(
        url, {"action": "membership_active", "membership": membership.pk, "active": "1"}
    )
    membership.refresh_from_db()
    assert membership.is_active is True

    assert [(e.action, e.object_id, e.changes) for e in AuditEntry.objects.order_by("id")] == [
        ("state", str(membership.pk), {"is_active": [True, False]}),
        ("state", str(membership.pk), {"is_active": [False, True]}),
    ]


@pytest.mark.django_db
def test_membership_of_another_user_cannot_be_changed_through_this_page(
    as_operator, enterprise_user, other_enterprise_user
):
    foreign = other_enterprise_user.memberships.get()

    response = as_operator.post(
        f"/accounts/users/{enterprise_user.pk}/",
        {"action": "membership_active", "membership": foreign.pk, "active": "0"},
    )

    assert response.status_code == 404
    assert Membership.objects.get(pk=foreign.pk).is_active is True


@pytest.mark.django_db
def test_operator_cannot_deactivate_themselves(as_operator, operator):
    url = f"/accounts/users/{operator.pk}/"
    membership = operator.memberships.get()

    first = as_operator.post(url, {"action": "user_active", "active": "0"}, follow=True)
    second = as_operator.post(
        url,
        {"action": "membership_active", "membership": membership.pk, "active": "0"},
        follow=True,
    )

    assert first.redirect_chain == [(url, 302)]
    assert [str(m) for m in first.context["messages"]] == [
        "You cannot deactivate your own account."
    ]
    assert [str(m) for m in second.context["messages"]] == [
        "You cannot deactivate your own membership."
    ]
    operator.refresh_from_db()
    membership.refresh_from_db()
    assert (operator.is_active, membership.is_active) == (True, True)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_deactivated_user_cannot_log_in(as_operator, client, enterprise_user):
    response = as_operator.post(
        f"/accounts/users/{enterprise_user.pk}/", {"action": "user_active", "active": "0"}
    )
    assert messages_of(response) == ["The user is deactivated."]
    assert User.objects.get(pk=enterprise_user.pk).is_active is False

    as_operator.logout()
    response = client.post("/accounts/login/", {"username": "enterprise", "password": PASSWORD})
    assert list(response.context["form"].non_field_errors()) == [
        "The user name or password is not correct."
    ]


@pytest.mark.django_db
def test_operator_turns_off_two_factor_login_for_a_lost_phone(as_operator, enterprise_user):
    User.objects.filter(pk=enterprise_user.pk).update(
        totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXP", totp_last_step=99
    )

    as_operator.post(f"/accounts/users/{enterprise_user.pk}/", {"action": "reset_totp"})

    enterprise_user.refresh_from_db()
    assert (
        enterprise_user.totp_enabled,
        enterprise_user.totp_secret,
        enterprise_user.totp_last_step,
    ) == (False, "", 0)
    assert [(e.action, e.changes, e.context) for e in AuditEntry.objects.all()] == [
        ("update", {"totp_enabled": [True, False]}, {"event": "totp_reset"})
    ]


@pytest.mark.django_db
def test_operator_edits_name_and_contact(as_operator, enterprise_user):
    as_operator.post(
        f"/accounts/users/{enterprise_user.pk}/",
        {"action": "edit", "display_name": "张厂长", "email": "", "phone": "0510-1234"},
    )

    enterprise_user.refresh_from_db()
    assert (enterprise_user.display_name, enterprise_user.phone) == ("张厂长", "0510-1234")
    assert [e.changes for e in AuditEntry.objects.all()] == [
        {"display_name": ["", "张厂长"], "phone": ["", "0510-1234"]}
    ]


@pytest.mark.django_db
def test_user_detail_of_a_missing_user_and_unknown_action_are_404(as_operator, enterprise_user):
    assert as_operator.get("/accounts/users/999999/").status_code == 404
    response = as_operator.post(f"/accounts/users/{enterprise_user.pk}/", {"action": "drop"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_user_detail_shows_memberships(as_operator, locked_user):
    response = as_operator.get(f"/accounts/users/{locked_user.pk}/")

    assert response.status_code == 200
    assert [(m.organization.name, m.role) for m in response.context["memberships"]] == [
        ("无锡恒润精密机械有限公司", "enterprise")
    ]
    assert (response.context["managed"], response.context["is_locked"]) == (locked_user, True)
