"""The route × role security table: every named URL of the site (the Django admin aside) has one
row saying which roles may use each of its methods, and every other role is refused — checked
on one small world (``world.py``) where the ten roles can be told apart.

What is checked, per row:

- **Refused roles, every listed method** (GET and writes alike):
  pages answer **404** to a member; anonymous visitors get the login redirect
  (``302`` to ``/accounts/login/?next=<path>``); a logged-in user without a membership gets
  ``302`` to ``/accounts/choose/?next=<path>`` (``ActingMembershipMiddleware``).
  API operations answer **404** to a member — object routes and role-gated operations alike:
  the code answers every refusal with 404 (``require``/``access_*``), so missing, forbidden
  and "not for your role" look the same — ``401`` to anonymous callers (token
  authentication comes first and asks for credentials) and ``403`` to a user without a
  membership (``ActsInMembership``). A row may name another exact status for a role where
  the code answers otherwise on purpose (``refused=``), with the reason in a comment.
- **Nothing changed**: around all refused requests of a route, a fingerprint of every row of
  every model of the zhizao apps (Region and Industry, the big reference tables, aside) and
  the audit-log count must be identical.
- **Refused before validation**: writes carry a realistic body; where a row gives
  ``valid=(role, status)``, that role is first sent the same body in a savepoint that is
  rolled back, and must get that status — so the refused roles were sent a body that works.
- **Allowed roles, GET**: one exact status each (200 unless the row says otherwise with
  ``ok=``), so a row cannot silently allow everything.
- **Coverage**: the table holds exactly the resolver's named routes.

Adding a route: add ONE row below, in its app's block, e.g. ::

    page("registry:thing_detail", {"pk": "org_a"}, GET=MEMBERS),
    page("registry:thing_edit", {"pk": "org_a"}, GET=A_OP, POST=write(A_OP, body, ("ent_a", 302))),
    api("api-thing", {"pk": "org_a"}, GET=MEMBERS, PATCH=write(A_OP, {"name": "x"})),

``kw`` maps URL kwargs to world objects: ``"org_a"`` is ``world.org_a.pk``,
``"item.key"`` an attribute path, ``"=csv"`` a literal. Role sets are below; the world's
objects are listed in ``world.py``. If the object the route needs does not exist yet, add it
to ``build_world`` through its service."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.db import connection, transaction
from django.urls import URLResolver, get_resolver, reverse

from tests.policies.test_editor import CASE_FORM, WUXI_ROWS, editor_form
from tests.security.world import ROLES, expert_csv, import_csv, pdf, wuxi_rule
from zhizao.common.models import AuditEntry

ALL = frozenset(ROLES)
USERS = ALL - {"anon"}
MEMBERS = USERS - {"nobody"}
OP = frozenset({"operator"})
STAFF = frozenset({"officer", "operator"})
A = frozenset({"ent_a"})
A_OP = frozenset({"ent_a", "operator"})
A_STAFF = frozenset({"ent_a", "officer", "operator"})
ENT = frozenset({"ent_a", "ent_b"})
PROV = frozenset({"provider"})
SUP = frozenset({"provider", "bank"})
PROV_STAFF = frozenset({"provider", "officer", "operator"})
PARTIES = frozenset({"ent_a", "provider"})  # the two sides of the world's introductions
PARTIES_OP = PARTIES | OP
SOC = frozenset({"society"})
CALL_OFFICES = frozenset({"officer", "operator", "society"})  # may open calls for their body
A_SOC_STAFF = frozenset({"ent_a", "society", "officer", "operator"})

WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


@dataclass(frozen=True)
class Write:
    roles: frozenset[str]
    body: Any = None  # dict, or callable(world) -> dict (called per request: fresh uploads)
    # (role, status[, writes]): the same body, sent as that role (in a savepoint rolled back at
    # once), gets that status and — unless writes is False — leaves an audit entry: it works
    valid: tuple | None = None


def write(roles, body=None, valid=None) -> Write:
    return Write(frozenset(roles), body, valid)


@dataclass(frozen=True)
class Row:
    name: str
    kw: dict = field(default_factory=dict)
    api: bool = False
    methods: dict = field(default_factory=dict)  # method -> frozenset (GET) or Write
    ok: dict = field(default_factory=dict)  # role -> GET status when not 200
    refused: dict = field(default_factory=dict)  # role -> status (or (status, location))
    query: str = ""

    def allowed(self, method) -> frozenset[str]:
        spec = self.methods[method]
        return spec.roles if isinstance(spec, Write) else frozenset(spec)


def page(name, kw=None, *, ok=None, refused=None, query="", **methods) -> Row:
    return Row(name, kw or {}, False, methods, ok or {}, refused or {}, query)


def api(name, kw=None, *, ok=None, refused=None, query="", **methods) -> Row:
    return Row(name, kw or {}, True, methods, ok or {}, refused or {}, query)


# --- bodies ---------------------------------------------------------------------------------


def org_form(w, **extra):
    org = w.org_a
    return {
        "name": org.name,
        "uscc": org.uscc,
        "kind": org.kind,
        "region": org.region_id,
        "industry": org.industry_id or "",
        "employees": "460",
        "products_text": "数控车床",
        **extra,
    }


def new_org_form(w):
    from zhizao_core.registry.uscc import make_uscc

    return org_form(
        w, name="无锡安全表新建有限公司", uscc=make_uscc(region="320214", serial=977002)
    )


def demand_form(w):
    return {
        "title": "车间能耗监测",
        "description": "空压机能耗分项计量",
        "category": "energy_management",
        "province": "320000",
        "city": "320200",
        "district": "320214",
        "budget_band": "open",
        "timeline": "open",
    }


def offering_form(w):
    return {
        "kind": "solution",
        "title": "能耗监测平台",
        "description": "分项计量与能效分析。",
        "categories": ["energy_management"],
    }


def challenge_form(w):
    return {
        "title": "焊缝缺陷在线检测",
        "description": "0.2 mm 级焊缝缺陷",
        "category": "machine_vision",
        "budget_yuan": "1000000",
        "deadline": "2099-12-31",
    }


def event_form(w):
    return {
        "title": "安全表新会议",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-02",
        "meeting_day_start": "09:00",
        "meeting_day_end": "17:00",
        "slot_minutes": "20",
        "tables": "10",
    }


def event_edit_form(w):
    return {
        "title": "安全表智能制造大会（改）",
        "starts_on": w.event.starts_on.isoformat(),
        "ends_on": w.event.ends_on.isoformat(),
        "venue": "南京国际博览中心",
        "meeting_days": w.event.starts_on.isoformat(),
        "meeting_day_start": "14:00",
        "meeting_day_end": "15:00",
        "slot_minutes": "20",
        "tables": "10",
    }


def need_form(w):
    return {
        "title": "展会采购：能耗监测",
        "description": "空压机能耗分项计量",
        "category": "energy_management",
        "region": "320214",
    }


def policy_form(w):
    return {
        "title": "江苏省技术改造奖补政策",
        "doc_number": "苏工信规〔2026〕1号",
        "issuing_unit": "江苏省工业和信息化厅",
        "level": "provincial",
        "region": "320000",
        "valid_from": "2026-03-01",
        "valid_to": "2027-12-31",
        "budget_yuan": "200000000",
        "summary": "技改奖补。",
    }


def project_form(w):
    return {
        "name": "焊装车间数字化改造",
        "kind": "digital_transformation",
        "status": "in_progress",
        "region": "320214",
        "start_date": "2026-03-01",
        "completion_date": "2026-12-31",
        "equipment_yuan": "6000000",
        "intelligent_equipment_yuan": "4000000",
        "software_yuan": "1500000",
        "services_yuan": "500000",
        "other_yuan": "",
        "description": "",
    }


def loan_form(w):
    return {
        "lender": w.bank_org.pk,
        "lender_name": "",
        "amount_yuan": "5000000",
        "annual_rate": "0.0345",
        "start_date": "2026-01-10",
        "end_date": "2029-01-09",
        "interest_paid_yuan": "",
    }


def loan_json(w):
    return {
        "lender_name": "江苏安全银行",
        "amount_yuan": "3000000",
        "annual_rate": "0.03",
        "start_date": "2026-01-10",
        "end_date": "2028-01-09",
    }


def call_settings_form(w):
    return {
        "title": "安全表十大科技进展征集（修订）",
        "year": "2026",
        "publicity_working_days": "5",
        "reviewers_per_application": "3",
        "conflict_years": "3",
        "max_experts_per_organisation": "1",
        "max_named_exclusions": "3",
        "requires_nomination": "on",
    }


# --- the table ------------------------------------------------------------------------------
# Objects named in ``kw``: see world.py. Comments say why a row is not the obvious one.

TABLE = [
    # --- site ---
    page("home", GET=MEMBERS | {"anon"}),  # a visitor gets the landing page
    page("health", GET=ALL),
    page("set_language", POST=write(ALL)),
    page("javascript-catalog", GET=ALL),
    page("notifications", GET=MEMBERS),
    page("notifications_read", POST=write(MEMBERS, {"id": ""})),
    page("audit_log", GET=OP),
    page("styleguide", GET=MEMBERS),
    # the narrowing pickers' fragments: reference data, for the forms of every member
    page("region_options", GET=MEMBERS, query="parent=320000"),
    page("industry_options", GET=MEMBERS, query="parent=C"),
    # --- accounts: logging in works without a membership (the login page sends a logged-in
    # user on: 302); the operators' user management is for operators ---
    page(
        "accounts:login",
        GET=ALL,
        POST=write(ALL),
        ok={r: 302 for r in USERS},
    ),
    page("accounts:login_totp", GET=ALL, POST=write(ALL), ok={r: 302 for r in ALL}),
    page("accounts:logout", POST=write(ALL)),
    page("accounts:choose_membership", GET=USERS),
    page("accounts:switch_membership", POST=write(USERS)),
    page("accounts:security", GET=USERS, POST=write(USERS)),
    page("accounts:user_list", GET=OP),
    page(
        "accounts:user_new",
        GET=OP,
        POST=write(
            OP,
            {
                "username": "sec-new",
                "display_name": "新用户",
                "password": "Zhizao-Test-2026-x",
                "password_confirm": "Zhizao-Test-2026-x",
            },
            ("operator", 302),
        ),
    ),
    page(
        "accounts:user_detail",
        {"pk": "user_a"},
        GET=OP,
        POST=write(
            OP,
            {"action": "edit", "display_name": "甲企业张工", "email": "", "phone": ""},
            ("operator", 302),
        ),
    ),
    # --- registry ---
    page("registry:organization_list", GET=MEMBERS),
    page("registry:organization_export", {"fmt": "=csv"}, GET=STAFF),
    page(
        "registry:organization_new",
        GET=OP,
        POST=write(OP, new_org_form, ("operator", 302)),
    ),
    page("registry:organization_search", GET=MEMBERS, query="q=91"),
    page("registry:organization_detail", {"pk": "org_a"}, GET=MEMBERS),
    page(
        "registry:organization_edit",
        {"pk": "org_a"},
        GET=A_OP,
        POST=write(A_OP, org_form, ("ent_a", 302)),
    ),
    page(
        "registry:organization_archive",
        {"pk": "org_a"},
        POST=write(OP, {"action": "archive"}, ("operator", 302)),
    ),
    page(
        "registry:contact_new",
        {"pk": "org_a"},
        GET=A_OP,
        POST=write(A_OP, {"name": "王工", "phone": "13900001111"}, ("ent_a", 302)),
    ),
    page(
        "registry:contact_edit",
        {"pk": "org_a", "contact_id": "contact_a"},
        GET=A_OP,
        POST=write(A_OP, {"name": "李工", "phone": "13912345679"}, ("ent_a", 302)),
    ),
    page("registry:name_change_list", GET=OP),
    page(
        "registry:name_change_decide",
        {"pk": "name_change"},
        POST=write(OP, {"action": "reject", "reason": "材料不全"}, ("operator", 302)),
    ),
    page("registry:chain_list", GET=MEMBERS),
    page("registry:chain_detail", {"code": "chain.code"}, GET=MEMBERS),
    page(
        "registry:chain_edit",
        {"code": "chain.code"},
        GET=OP,
        POST=write(
            OP,
            lambda w: {
                "name_zh": w.chain.name_zh,
                "name_en": w.chain.name_en,
                "weak_link_threshold": 2,
                "leader": "",
            },
            ("operator", 302),
        ),
    ),
    page(
        "registry:chain_node_add",
        {"code": "chain.code"},
        POST=write(
            OP,
            {"new-name_zh": "安全表新增环节", "new-name_en": "", "new-position": "midstream"},
            ("operator", 302),
        ),
    ),
    page(
        "registry:chain_node_edit",
        {"code": "chain.code", "node_id": "chain_node"},
        POST=write(
            OP,
            lambda w: {
                "action": "rename",
                f"node-{w.chain_node.pk}-name_zh": "安全表改名环节",
                f"node-{w.chain_node.pk}-position": w.chain_node.position,
            },
            ("operator", 302),
        ),
    ),
    page("registry:import_list", GET=OP),
    page(
        "registry:import_new",
        GET=OP,
        POST=write(OP, lambda w: {"file": import_csv()}, ("operator", 302)),
    ),
    page("registry:import_template", {"fmt": "=csv"}, GET=MEMBERS),
    page(
        "registry:import_detail",
        {"pk": "batch"},
        GET=OP,
        POST=write(OP, {"action": "cancel"}, ("operator", 302)),
    ),
    page("registry:import_errors", {"pk": "batch"}, GET=OP),
    api(
        "api-organizations",
        GET=MEMBERS,
        POST=write(
            OP,
            lambda w: {
                "name": "无锡安全表接口有限公司",
                "uscc": new_org_form(w)["uscc"],
                "kind": "manufacturer",
                "region": "320214",
                "industry": "3421",
            },
            ("operator", 201),
        ),
    ),
    api(
        "api-organization",
        {"pk": "org_a"},
        GET=MEMBERS,
        PATCH=write(A_OP, {"employees": 500}, ("ent_a", 200)),
    ),
    api("api-organization-contacts", {"pk": "org_a"}, GET=MEMBERS),
    api("api-organization-history", {"pk": "org_a"}, GET=A_STAFF),
    api("api-chains", GET=MEMBERS),
    api("api-chain", {"code": "chain.code"}, GET=MEMBERS),
    api("api-imports", POST=write(OP, lambda w: {"file": import_csv()}, ("operator", 201))),
    api("api-import", {"pk": "batch"}, GET=OP),
    api("api-import-commit", {"pk": "batch"}, POST=write(OP, {}, ("operator", 200))),
    # --- accounts API, schema and docs (public), token (public) ---
    api("api-schema", GET=ALL),
    api("api-docs", GET=ALL),
    api("api-token", POST=write(ALL)),
    api("api-me", GET=USERS),
    # Tokens belong to the user, not to a membership: a user without one manages their own
    # (and gets 404 for another's token, as every member does).
    api("api-tokens", GET=USERS, POST=write(USERS, {"name": "脚本"}, ("ent_a", 201))),
    api(
        "api-token-detail",
        {"pk": "token_a"},
        DELETE=write(A, None, ("ent_a", 204)),
        refused={"nobody": 404},
    ),
    api(
        "api-token-rotate",
        {"pk": "token_a"},
        POST=write(A, {}, ("ent_a", 201)),
        refused={"nobody": 404},
    ),
    # --- diagnosis: self_a is A's draft self-assessment; onsite the provider's draft on-site
    # diagnosis of A (A does not see it until it is submitted) ---
    page("diagnosis:home", GET=MEMBERS, ok={"officer": 302}),
    page(
        "diagnosis:start",
        POST=write(ENT, lambda w: {"model": w.model.pk, "enterprise_type": "discrete"}),
    ),
    page("diagnosis:assessment", {"pk": "self_a"}, GET=A_OP),
    page(
        "diagnosis:answer",
        {"pk": "self_a"},
        POST=write(A, lambda w: {"requirement": w.requirement, "value": "0.5"}),
    ),
    page(
        "diagnosis:enterprise_type", {"pk": "self_a"}, POST=write(A, {"enterprise_type": "process"})
    ),
    page("diagnosis:mark_rest", {"pk": "self_a"}, POST=write(A, {"section": ""})),
    page(
        "diagnosis:assign_section", {"pk": "self_a"}, POST=write(A, {"domain": "", "assignee": ""})
    ),
    page(
        "diagnosis:evidence_upload",
        {"pk": "self_a"},
        POST=write(A, lambda w: {"requirement": w.requirement, "file": pdf()}),
    ),
    page("diagnosis:submit", {"pk": "self_a"}, POST=write(A)),
    page("diagnosis:report", {"pk": "self_a"}, GET=A_OP),
    page("diagnosis:report_pdf", {"pk": "self_a"}, GET=A_OP),
    page("diagnosis:set_target", {"pk": "self_a"}, POST=write(A, {"target_level": "3"})),
    page("diagnosis:evidence_download", {"pk": "evidence"}, GET=A_OP),
    page("diagnosis:evidence_delete", {"pk": "evidence"}, POST=write(A)),
    page("diagnosis:campaign_list", GET=PROV_STAFF),
    page("diagnosis:campaign_new", GET=OP, POST=write(OP)),
    page("diagnosis:campaign_detail", {"pk": "campaign"}, GET=PROV_STAFF),
    page(
        "diagnosis:campaign_provider_add",
        {"pk": "campaign"},
        POST=write(
            OP, lambda w: {"provider": w.provider_org.uscc, "quota": 2, "regions": "320000"}
        ),
    ),
    page("diagnosis:campaign_allocate", {"pk": "campaign"}, POST=write(OP)),
    page("diagnosis:campaign_state", {"pk": "campaign"}, POST=write(OP, {"state": "closed"})),
    page("diagnosis:campaign_export", {"pk": "campaign"}, GET=STAFF),
    page("diagnosis:target_move", {"pk": "target"}, POST=write(OP, {"provider": ""})),
    page(
        "diagnosis:target_visit", {"pk": "target"}, POST=write(PROV, {"visited_at": "2026-11-20"})
    ),
    page("diagnosis:target_start", {"pk": "target"}, POST=write(PROV)),
    page("diagnosis:statistics", GET=STAFF),
    api("api-diagnosis-models", GET=MEMBERS),
    api("api-diagnosis-model", {"key": "model.key"}, GET=MEMBERS),
    api("api-diagnosis-assessments", GET=MEMBERS, POST=write(ENT, {"enterprise_type": "discrete"})),
    api("api-diagnosis-assessment", {"pk": "onsite"}, GET=frozenset({"provider", "operator"})),
    api(
        "api-diagnosis-answers",
        {"pk": "onsite"},
        PATCH=write(PROV, lambda w: {"answers": {w.requirement: 1}}),
    ),
    api("api-diagnosis-submit", {"pk": "onsite"}, POST=write(PROV)),
    api("api-diagnosis-report", {"pk": "self_a"}, GET=A_OP),
    api("api-diagnosis-campaigns", GET=MEMBERS),
    api("api-diagnosis-campaign", {"pk": "campaign"}, GET=PROV_STAFF),
    api("api-diagnosis-allocate", {"pk": "campaign"}, POST=write(OP)),
    # --- matchmaking: demand/demand_mes are A's published demands, demand_draft A's draft;
    # offering/offering_mes/offering_spare the provider's published offerings, offering_draft
    # its draft, bank_offering the bank's; intro_requested (A asked the provider),
    # intro_suggested (the platform suggested A × the bank), intro_accepted, intro_met,
    # intro_deal (with evidence and consents); challenge_draft, challenge (open, the
    # provider applied) ---
    page(
        "matchmaking:home",
        GET=MEMBERS - {"expert", "society"},
        ok={r: 302 for r in MEMBERS - {"expert", "society"}},
    ),
    page("matchmaking:demand_list", GET=ENT | STAFF | SUP),
    page("matchmaking:demand_new", GET=ENT, POST=write(ENT, demand_form, ("ent_a", 302))),
    page("matchmaking:demand_category_suggest", GET=ENT, query="title=AOI"),
    page("matchmaking:project_financing", {"pk": "project"}, POST=write(A, {}, ("ent_a", 302))),
    page("matchmaking:demand_detail", {"pk": "demand"}, GET=A_STAFF | SUP),
    page(
        "matchmaking:demand_edit",
        {"pk": "demand"},
        GET=A,
        POST=write(A, demand_form, ("ent_a", 302)),
    ),
    page(
        "matchmaking:demand_state",
        {"pk": "demand"},
        POST=write(A, {"state": "closed"}, ("ent_a", 302)),
    ),
    page(
        "matchmaking:demand_request",
        {"pk": "demand", "offering_pk": "bank_offering"},
        POST=write(A, {"message": "请联系"}, ("ent_a", 302)),
    ),
    page(
        "matchmaking:demand_suggest",
        {"pk": "demand"},
        POST=write(OP, lambda w: {"offering": w.offering_spare.pk}, ("operator", 302)),
    ),
    page("matchmaking:offering_list", GET=MEMBERS),
    page("matchmaking:offering_new", GET=SUP, POST=write(SUP, offering_form, ("provider", 302))),
    page("matchmaking:offering_detail", {"pk": "offering_draft"}, GET=PROV_STAFF),
    page(
        "matchmaking:offering_edit",
        {"pk": "offering"},
        GET=PROV,
        POST=write(PROV, offering_form, ("provider", 302)),
    ),
    page(
        "matchmaking:offering_state",
        {"pk": "offering_draft"},
        POST=write(PROV, {"state": "published"}, ("provider", 302)),
    ),
    page(
        "matchmaking:case_add",
        {"pk": "offering"},
        POST=write(
            PROV,
            {"title": "家电面板检测", "result": "节省 12 人", "year": "2023"},
            ("provider", 302),
        ),
    ),
    page(
        "matchmaking:offering_request",
        {"pk": "offering_spare", "demand_pk": "demand"},
        POST=write(PROV, {"message": "可提供"}, ("provider", 302)),
    ),
    page("matchmaking:case_delete", {"pk": "case"}, POST=write(PROV, {}, ("provider", 302))),
    # officers read the funnel, not the introductions themselves
    page("matchmaking:introduction_list", GET=ENT | SUP | OP),
    page("matchmaking:introduction_detail", {"pk": "intro_requested"}, GET=PARTIES_OP),
    page(
        "matchmaking:introduction_request",
        {"pk": "intro_suggested"},
        POST=write({"ent_a", "bank"}, {"message": "请联系"}, ("ent_a", 302)),
    ),
    page(
        "matchmaking:introduction_accept",
        {"pk": "intro_requested"},
        POST=write(PARTIES, {"share_contact": ""}, ("provider", 302)),
    ),
    page(
        "matchmaking:introduction_decline",
        {"pk": "intro_requested"},
        POST=write(PARTIES, {"reason": "不合适"}, ("provider", 302)),
    ),
    page(
        "matchmaking:introduction_meet",
        {"pk": "intro_accepted"},
        POST=write(PARTIES, {"note": "现场"}, ("ent_a", 302)),
    ),
    page(
        "matchmaking:introduction_deal",
        {"pk": "intro_met"},
        POST=write(
            PARTIES, lambda w: {"value_yuan": "500000", "evidence": pdf("合同.pdf")}, ("ent_a", 302)
        ),
    ),
    page("matchmaking:deal_evidence", {"pk": "intro_deal"}, GET=PARTIES_OP),
    page(
        "matchmaking:introduction_close",
        {"pk": "intro_accepted"},
        POST=write(PARTIES_OP, {"reason": "项目取消"}, ("operator", 302)),
    ),
    page(
        "matchmaking:introduction_consent",
        {"pk": "intro_accepted"},
        POST=write(PARTIES, lambda w: {"contact": w.contact_a.pk, "agree": "on"}, ("ent_a", 302)),
    ),
    page(
        "matchmaking:consent_withdraw",
        {"pk": "consent_a"},
        POST=write(A, {}, ("ent_a", 302)),
    ),
    page("matchmaking:funnel", GET=STAFF),
    page("matchmaking:gaps", GET=STAFF),
    page("matchmaking:gaps_refresh", POST=write(OP, {}, ("operator", 302))),
    page(
        "matchmaking:suggestion_settings",
        GET=ENT | SUP,
        POST=write(ENT | SUP, {"enabled": "0"}, ("ent_a", 302)),
    ),
    # --- calls (world_calls.py): the bureau (officer) hosts; the society nominates; A applies ---
    page("calls:call_list", GET=MEMBERS),
    page(
        "calls:call_new",
        GET=CALL_OFFICES,
        POST=write(
            CALL_OFFICES, {"title": "新征集", "year": "2026", "template": ""}, ("officer", 302)
        ),
    ),
    page("calls:call_detail", {"pk": "call"}, GET=MEMBERS),
    page(
        "calls:call_settings",
        {"pk": "call"},
        POST=write(STAFF, call_settings_form, ("officer", 302)),
    ),
    page("calls:call_state", {"pk": "call"}, POST=write(STAFF, {"to": "closed"}, ("officer", 302))),
    page(
        "calls:field_save",
        {"pk": "call"},
        POST=write(
            STAFF,
            {"code": "contact", "label": "联系人", "type": "text", "max_length": "80"},
            ("officer", 302),
        ),
    ),
    page(
        "calls:stages_save",
        {"pk": "call"},
        POST=write(
            STAFF,
            {
                "apply_on": "1",
                "apply_opens": "2020-01-01T00:00",
                "apply_closes": "2099-01-01T00:00",
            },
            ("officer", 302),
        ),
    ),
    page(
        "calls:eligibility_save",
        {"pk": "call"},
        POST=write(
            STAFF,
            {
                "elig-combine": "all",
                "elig-regions": "320000",
                "cond-TOTAL_FORMS": "1",
                "cond-INITIAL_FORMS": "0",
            },
            ("officer", 302),
        ),
    ),
    page(
        "calls:quota_save",
        {"pk": "call"},
        POST=write(
            STAFF,
            lambda w: {
                "nominator": w.users["society"].memberships.get().organization_id,
                "quota": "3",
            },
            ("officer", 302),
        ),
    ),
    page(
        "calls:rubric_save",
        {"pk": "call"},
        POST=write(
            STAFF,
            {
                "code": ["a", "b"],
                "name": ["创新", "效益"],
                "weight": ["0.6", "0.4"],
                "max_score": ["100", "100"],
                "ranked": ["1", "1"],
                "comment_required": ["0", "1"],
            },
            ("officer", 302),
        ),
    ),
    page(
        "calls:rubric_bands",
        {"pk": "call"},
        GET=STAFF,
        POST=write(
            STAFF,
            lambda w: {
                "criterion": w.call.criteria.order_by("order", "id").first().pk,
                "min": ["90", "75"],
                "max": ["100", "89"],
                "descriptor": ["国际领先", "国内领先"],
            },
            ("officer", 302),
        ),
    ),
    page(
        "calls:application_new",
        {"pk": "call"},
        # anyone who may apply for an organisation: enterprises, providers, societies
        POST=write(
            frozenset({"ent_a", "ent_b", "provider", "society"}),
            lambda w: {
                "title": "乙的项目",
                "category": w.call.categories.get(code="equipment").pk,
                "nominator": w.users["society"].memberships.get().organization_id,
            },
            ("ent_b", 302),
        ),
    ),
    page("calls:nominations", {"pk": "call"}, GET=SOC),
    page(
        "calls:nominations_rank", {"pk": "call"}, POST=write(SOC, {"order": []}, ("society", 302))
    ),
    page("calls:formal_review", {"pk": "call"}, GET=STAFF),
    page(
        "calls:publicity",
        {"pk": "pcall"},
        GET=ALL,
        # any member files a signed objection
        POST=write(
            MEMBERS,
            lambda w: {
                "application": w.objection.application_id,
                "name": "王五",
                "body": "材料不实",
            },
            ("ent_a", 302),
        ),
    ),
    page("calls:publicity_close", {"pk": "pcall"}, POST=write(STAFF, {})),
    page("calls:catalogue_publish", {"pk": "pcall"}, POST=write(STAFF, {})),
    page("calls:application_detail", {"pk": "call_app"}, GET=A_SOC_STAFF),
    page(
        "calls:application_answer",
        {"pk": "draft_app"},
        POST=write(A, {"code": "contact", "value": "李工 0510-1"}, ("ent_a", 302)),
    ),
    page(
        "calls:application_upload",
        {"pk": "draft_app"},
        POST=write(A, lambda w: {"code": "evidence", "file": pdf()}, ("ent_a", 302)),
    ),
    page("calls:application_file", {"pk": "call_app", "code": "=evidence"}, GET=A_SOC_STAFF),
    page(
        "calls:application_exclusions",
        {"pk": "draft_app"},
        GET=A,
        POST=write(A, {"kind_0": "expert", "name_0": "王五", "reason_0": "合作者"}, ("ent_a", 302)),
    ),
    page(
        "calls:application_action",
        {"pk": "draft_app"},
        POST=write(A, {"action": "withdraw"}, ("ent_a", 302)),
    ),
    page(
        "calls:nominate",
        {"pk": "call_app"},
        POST=write(SOC, {"action": "nominate"}, ("society", 302)),
    ),
    page("calls:formal_action", {"pk": "call_app"}, POST=write(STAFF, {"action": "checklist"})),
    page(
        "calls:objection_detail",
        {"pk": "objection"},
        GET=STAFF,
        POST=write(STAFF, {"answer": "已核实，维持原结果"}, ("officer", 302)),
    ),
    page(
        "calls:identities",
        GET=OP,
        POST=write(
            OP,
            # the world verified every member: withdrawing one is a real change
            {"username": "sec-ent-b", "action": "revoke"},
            ("operator", 302),
        ),
    ),
    page("calls:catalogue_list", GET=ALL),
    page("calls:catalogue_detail", {"pk": "catalogue"}, GET=ALL),
    page("calls:catalogue_export", {"pk": "catalogue", "fmt": "=csv"}, GET=ALL),
    page(
        "calls:calendar",
        GET=OP,
        POST=write(
            OP, {"date": "2026-12-31", "kind": "holiday", "name": "测试"}, ("operator", 302)
        ),
    ),
    api(
        "api-calls",
        GET=MEMBERS,
        POST=write(CALL_OFFICES, {"title": "API 征集", "year": 2026}, ("officer", 201)),
    ),
    api("api-call", {"pk": "call"}, GET=MEMBERS),
    api(
        "api-call-applications",
        {"pk": "call"},
        GET=MEMBERS,
        POST=write(
            frozenset({"ent_a", "ent_b", "provider", "society"}),
            lambda w: {
                "title": "乙的 API 项目",
                "category": w.call.categories.get(code="equipment").pk,
                "nominator": w.users["society"].memberships.get().organization_id,
            },
            ("ent_b", 201),
        ),
    ),
    api("api-call-publicity", {"pk": "pcall"}, GET=MEMBERS),
    api(
        "api-call-objections",
        {"pk": "pcall"},
        GET=STAFF,
        POST=write(
            MEMBERS,
            lambda w: {"application": w.objection.application_id, "name": "王五", "body": "不实"},
            ("ent_a", 201),
        ),
    ),
    # a draft is seen by its applicant (and operators) only
    api(
        "api-call-application",
        {"pk": "draft_app"},
        GET=frozenset({"ent_a", "operator"}),
        PATCH=write(A, {"answers": {"contact": "李工"}}, ("ent_a", 200)),
    ),
    api(
        "api-call-application-action",
        {"pk": "draft_app"},
        POST=write(A, {"action": "withdraw"}, ("ent_a", 200)),
    ),
    api(
        "api-call-nomination",
        {"pk": "call_app"},
        POST=write(SOC, {"action": "nominate"}, ("society", 200)),
    ),
    api(
        "api-call-exclusions",
        {"pk": "draft_app"},
        GET=A,
        POST=write(A, {"kind": "expert", "name": "王五", "reason": "合作者"}, ("ent_a", 201)),
    ),
    api(
        "api-call-exclusion",
        {"pk": "draft_app", "number": "=1"},
        DELETE=write(A, None, ("ent_a", 200)),
    ),
    api(
        "api-call-formal",
        {"pk": "call_app"},
        GET=STAFF,
        POST=write(STAFF, {"action": "checklist", "checklist": {"seal": True}}),
    ),
    api(
        "api-call-objection",
        {"pk": "objection"},
        GET=STAFF,
        POST=write(STAFF, {"answer": "已核实"}, ("officer", 200)),
    ),
    api("api-call-catalogues", GET=MEMBERS),
    api("api-call-catalogue-entries", {"pk": "catalogue"}, GET=MEMBERS),
    page("matchmaking:challenge_list", GET=MEMBERS),
    page("matchmaking:challenge_new", GET=OP, POST=write(OP, challenge_form, ("operator", 302))),
    page("matchmaking:challenge_detail", {"pk": "challenge_draft"}, GET=STAFF),
    page(
        "matchmaking:challenge_edit",
        {"pk": "challenge_draft"},
        GET=OP,
        POST=write(OP, challenge_form, ("operator", 302)),
    ),
    page(
        "matchmaking:challenge_state",
        {"pk": "challenge_draft"},
        POST=write(OP, {"state": "open"}, ("operator", 302)),
    ),
    page(
        "matchmaking:challenge_apply",
        {"pk": "challenge"},
        POST=write(SUP, {"proposal": "授信方案"}, ("bank", 302)),
    ),
    page(
        "matchmaking:application_review",
        {"pk": "application"},
        POST=write(OP, {"state": "shortlisted", "score": "88"}, ("operator", 302)),
    ),
    page(
        "matchmaking:application_file",
        {"pk": "application"},
        GET=frozenset({"provider", "operator"}),
    ),
    page("matchmaking:challenge_public_list", GET=ALL),
    page("matchmaking:challenge_public", {"pk": "challenge"}, GET=ALL),
    api("api-match-offerings", GET=MEMBERS, POST=write(SUP, offering_form, ("provider", 201))),
    api(
        "api-match-offering",
        {"pk": "offering_draft"},
        GET=PROV_STAFF,
        PATCH=write(PROV, {"title": "边缘网关 V2"}, ("provider", 200)),
    ),
    api(
        "api-match-offering-cases",
        {"pk": "offering"},
        POST=write(PROV, {"title": "家电面板检测", "year": 2023}, ("provider", 201)),
    ),
    api("api-match-offering-demands", {"pk": "offering"}, GET=PROV),
    api(
        "api-match-demands",
        GET=MEMBERS,
        POST=write(
            ENT,
            {
                "title": "能耗监测",
                "description": "分项计量",
                "category": "energy_management",
                "region": "320214",
            },
            ("ent_a", 201),
        ),
    ),
    api(
        "api-match-demand",
        {"pk": "demand_draft"},
        GET=A_STAFF,
        PATCH=write(A, {"title": "仓储自动化改造"}, ("ent_a", 200)),
    ),
    api("api-match-demand-matches", {"pk": "demand"}, GET=A_STAFF),
    # the bank, officers and operators see the demand and the offering but are neither side:
    # the service refuses them with its own message (400 not_a_party), nothing written
    api(
        "api-match-introductions",
        GET=MEMBERS,
        POST=write(
            PARTIES,
            lambda w: {"demand": w.demand.pk, "offering": w.offering_spare.pk},
            ("ent_a", 201),
        ),
        refused={"bank": 400, "officer": 400, "operator": 400},
    ),
    api("api-match-introduction", {"pk": "intro_requested"}, GET=PARTIES_OP),
    api(
        "api-match-introduction-consent",
        {"pk": "intro_accepted"},
        POST=write(PARTIES, lambda w: {"contact": w.contact_a.pk}, ("ent_a", 201)),
    ),
    api(
        "api-match-introduction-action",
        {"pk": "intro_requested", "action": "=accept"},
        POST=write(PARTIES, {}, ("provider", 200)),
    ),
    api("api-match-challenges", GET=MEMBERS, POST=write(OP, challenge_form, ("operator", 201))),
    api("api-match-challenge", {"pk": "challenge_draft"}, GET=STAFF),
    api(
        "api-match-challenge-state",
        {"pk": "challenge_draft"},
        POST=write(OP, {"state": "open"}, ("operator", 200)),
    ),
    api(
        "api-match-challenge-applications",
        {"pk": "challenge"},
        GET=MEMBERS,
        POST=write(SUP, {"proposal": "授信方案"}, ("bank", 201)),
    ),
    api(
        "api-match-application-review",
        {"pk": "application"},
        POST=write(OP, {"state": "shortlisted"}, ("operator", 200)),
    ),
    api("api-match-funnel", GET=STAFF),
    # --- events: event (published, hosted by the platform: the operator organises), session,
    # booth (the provider's), meeting (A → provider, published), need (A's procurement need);
    # A and the provider are registered ---
    page("events:public_list", GET=ALL),
    page("events:public_event", {"pk": "event"}, GET=ALL),
    page("events:public_speakers", {"pk": "event"}, GET=ALL),
    page("events:public_halls", {"pk": "event"}, GET=ALL),
    page("events:public_exhibitors", {"pk": "event"}, GET=ALL),
    page("events:public_booth", {"pk": "booth"}, GET=ALL),
    page("events:public_session", {"pk": "session"}, GET=ALL),
    page("events:event_list", GET=MEMBERS),
    page("events:event_new", GET=MEMBERS, POST=write(MEMBERS, event_form, ("ent_b", 302))),
    page("events:event_detail", {"pk": "event"}, GET=MEMBERS),
    page(
        "events:register", {"pk": "event"}, POST=write(MEMBERS, {"kind": "visitor"}, ("ent_b", 302))
    ),
    page(
        "events:agenda",
        {"pk": "event"},
        GET=PARTIES,
        POST=write(PARTIES, lambda w: {"session": w.session.pk}, ("ent_a", 302)),
    ),
    page("events:agenda_ics", {"pk": "event"}, GET=PARTIES),
    page("events:badge", {"pk": "event"}, GET=PARTIES),
    page("events:meetings", {"pk": "event"}, GET=PARTIES),
    page(
        "events:meeting_request",
        {"pk": "event"},
        POST=write(PARTIES, lambda w: {"recipient": w.registration_p.pk, "reason": "再谈"}),
    ),
    page(
        "events:availability",
        {"pk": "event"},
        POST=write(PARTIES, {"slot": ["20261126-1400"]}, ("ent_a", 302)),
    ),
    page(
        "events:procurement",
        {"pk": "event"},
        GET=PARTIES,
        POST=write(PARTIES, need_form, ("ent_a", 302)),
    ),
    page("events:meeting_detail", {"pk": "meeting"}, GET=PARTIES_OP),
    page("events:meeting_respond", {"pk": "meeting"}, POST=write(PARTIES, {"accept": "1"})),
    page(
        "events:meeting_outcome",
        {"pk": "meeting"},
        POST=write(PARTIES, {"outcome": "held"}, ("ent_a", 302)),
    ),
    page("events:meeting_ics", {"pk": "meeting"}, GET=PARTIES),
    page("events:need_detail", {"pk": "need"}, GET=A),
    page(
        "events:need_meeting",
        {"pk": "need"},
        POST=write(A, lambda w: {"offering": w.offering.pk}),
    ),
    page(
        "events:booth_visit",
        {"pk": "booth"},
        POST=write(PARTIES, {"shares_contact": "1"}, ("ent_a", 302)),
    ),
    # Every member who sees the event may press "join"; only a reader who gets the link, within
    # the session's hours, is sent on, and only an approved registrant is counted
    # (tests/events/test_session_link_privacy.py). The world's session was held on 2026-11-26
    # and has no online link: the answer is its page with the reason, nothing written.
    page("events:session_join", {"pk": "session"}, POST=write(MEMBERS, {}, ("ent_a", 302, False))),
    page(
        "events:booth_edit",
        {"pk": "booth"},
        GET=PROV,
        POST=write(PROV, {"introduction": "工业软件"}, ("provider", 302)),
    ),
    page(
        "events:leads",
        {"pk": "booth"},
        GET=PROV | OP,
        POST=write(
            PROV, lambda w: {"code": w.registration_a.badge_code, "rating": "4"}, ("provider", 302)
        ),
    ),
    page("events:booth_analytics", {"pk": "booth"}, GET=PROV | OP),
    page("events:booth_export", {"pk": "booth", "key": "=leads", "fmt": "=csv"}, GET=PROV | OP),
    page("events:organize", {"pk": "event"}, GET=OP, POST=write(OP, {"state": "published"})),
    page(
        "events:event_edit",
        {"pk": "event"},
        GET=OP,
        POST=write(OP, event_edit_form, ("operator", 302)),
    ),
    page(
        "events:timetable",
        {"pk": "event"},
        GET=OP,
        POST=write(OP, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "day": "2026-11-26"}),
    ),
    page(
        "events:registrations",
        {"pk": "event"},
        GET=OP,
        POST=write(OP, lambda w: {"registration": w.registration_a.pk, "state": "approved"}),
    ),
    page(
        "events:checkin",
        {"pk": "event"},
        GET=OP,
        POST=write(OP, lambda w: {"code": w.registration_a.badge_code}, ("operator", 200)),
    ),
    page(
        "events:session_checkin",
        {"pk": "session"},
        GET=OP,
        POST=write(OP, lambda w: {"code": w.registration_a.badge_code}, ("operator", 200)),
    ),
    page("events:schedule", {"pk": "event"}, GET=OP, POST=write(OP, {"action": "run"})),
    page("events:analytics", {"pk": "event"}, GET=OP),
    page(
        "events:analytics_export",
        {"pk": "event", "key": "=meetings", "fmt": "=csv"},
        GET=OP,
    ),
    # --- events API (the same world objects as the events pages) ---
    api("api-events", GET=MEMBERS),
    api("api-event", {"pk": "event"}, GET=MEMBERS),
    api("api-event-sessions", {"pk": "event"}, GET=MEMBERS),
    api(
        "api-event-registration",
        {"pk": "event"},
        GET=PARTIES,
        POST=write(MEMBERS, {"kind": "visitor"}, ("ent_b", 201)),
    ),
    api(
        "api-event-checkin",
        {"pk": "event"},
        POST=write(OP, lambda w: {"code": w.registration_a.badge_code}, ("operator", 200)),
    ),
    api("api-event-halls", {"pk": "event"}, GET=MEMBERS),
    api("api-event-booths", {"pk": "event"}, GET=MEMBERS),
    api(
        "api-event-meetings",
        {"pk": "event"},
        GET=MEMBERS,
        POST=write(PARTIES, lambda w: {"recipient": w.registration_p.pk, "reason": "再谈"}),
    ),
    api(
        "api-event-schedule",
        {"pk": "event"},
        GET=OP,
        POST=write(OP, {"action": "run"}, ("operator", 200)),
    ),
    api("api-event-analytics", {"pk": "event"}, GET=OP),
    api(
        "api-event-meeting",
        {"pk": "meeting"},
        GET=PARTIES_OP,
        POST=write(PARTIES, {"action": "outcome", "outcome": "held"}, ("ent_a", 200)),
    ),
    api(
        "api-event-booth-leads",
        {"pk": "booth"},
        GET=PROV | OP,
        POST=write(
            PROV, lambda w: {"code": w.registration_a.badge_code, "rating": 4}, ("provider", 201)
        ),
    ),
    # --- policies: policy (published, with item: published v1 and draft v2, an attachment),
    # draft_policy; A's project with a loan and a document; A's recognition; B's credit
    # record; scan; draft_list and announced_list (A's entry confirmed and paid) ---
    page("policies:policy_list", GET=MEMBERS),
    page("policies:policy_new", GET=STAFF, POST=write(STAFF, policy_form, ("officer", 302))),
    page("policies:policy_detail", {"pk": "draft_policy"}, GET=STAFF),
    page(
        "policies:policy_edit",
        {"pk": "policy"},
        GET=STAFF,
        POST=write(STAFF, policy_form, ("officer", 302)),
    ),
    page(
        "policies:policy_state",
        {"pk": "draft_policy"},
        POST=write(STAFF, {"state": "published"}, ("officer", 302)),
    ),
    page("policies:policy_attachment", {"pk": "policy"}, GET=MEMBERS),
    page(
        "policies:item_new",
        {"pk": "policy"},
        GET=STAFF,
        POST=write(
            STAFF,
            {
                "key": "sec-new-item",
                "name": "新条目",
                "category": "grant",
                "subject": "project",
                "budget_yuan": "",
            },
            ("officer", 302),
        ),
    ),
    page("policies:item_detail", {"key": "item.key"}, GET=MEMBERS),
    # the item has an open draft: starting one returns it (nothing to write)
    page(
        "policies:item_version_new",
        {"key": "item.key"},
        POST=write(STAFF, {}, ("officer", 302, False)),
    ),
    page(
        "policies:version_publish", {"pk": "draft_version"}, POST=write(STAFF, {}, ("officer", 302))
    ),
    page(
        "policies:item_editor",
        {"key": "item.key"},
        GET=STAFF,
        POST=write(STAFF, lambda w: editor_form(**WUXI_ROWS), ("officer", 302)),
    ),
    page(
        "policies:item_editor_preview",
        {"key": "item.key"},
        POST=write(STAFF, lambda w: editor_form(**WUXI_ROWS), ("officer", 200, False)),
    ),
    page(
        "policies:item_editor_case",
        {"key": "item.key"},
        POST=write(STAFF, CASE_FORM, ("officer", 302)),
    ),
    page(
        "policies:item_editor_case_delete",
        {"key": "item.key", "index": "=0"},
        POST=write(STAFF, {}, ("officer", 302)),
    ),
    page(
        "policies:item_editor_json",
        {"key": "item.key"},
        POST=write(
            STAFF,
            lambda w: {"rule_json": json.dumps(wuxi_rule()), "cases_json": "[]"},
            ("officer", 302),
        ),
    ),
    page(
        "policies:item_editor_publish", {"key": "item.key"}, POST=write(STAFF, {}, ("officer", 302))
    ),
    page("policies:my_policies", GET=ENT),
    page("policies:my_policies_record", POST=write(ENT, {"as_of": "2026-06-30"}, ("ent_a", 302))),
    page("policies:organization_calculator", {"pk": "org_a"}, GET=A_STAFF),
    page(
        "policies:organization_calculator_record",
        {"pk": "org_a"},
        POST=write(A_STAFF, {"as_of": "2026-06-30"}, ("officer", 302)),
    ),
    page("policies:project_list", GET=ENT | STAFF),
    page("policies:project_new", GET=ENT, POST=write(ENT, project_form, ("ent_a", 302))),
    page("policies:project_detail", {"pk": "project"}, GET=A_STAFF),
    page(
        "policies:project_edit",
        {"pk": "project"},
        GET=A,
        POST=write(A, project_form, ("ent_a", 302)),
    ),
    page("policies:loan_add", {"pk": "project"}, POST=write(A, loan_form, ("ent_a", 302))),
    page("policies:loan_edit", {"pk": "loan"}, GET=A, POST=write(A, loan_form, ("ent_a", 302))),
    page("policies:loan_delete", {"pk": "loan"}, POST=write(A, {}, ("ent_a", 302))),
    page(
        "policies:document_upload",
        {"pk": "project"},
        POST=write(A, lambda w: {"file": pdf("验收报告.pdf")}, ("ent_a", 302)),
    ),
    page("policies:document_download", {"pk": "document"}, GET=A_STAFF),
    page("policies:document_delete", {"pk": "document"}, POST=write(A, {}, ("ent_a", 302))),
    page("policies:my_recognitions", GET=ENT),
    page("policies:organization_records", {"pk": "org_a"}, GET=STAFF),
    page(
        "policies:recognition_add",
        {"pk": "org_a"},
        POST=write(STAFF, {"title": "5G工厂", "level": "city"}, ("officer", 302)),
    ),
    page(
        "policies:recognition_remove",
        {"pk": "recognition"},
        POST=write(STAFF, {}, ("officer", 302)),
    ),
    page(
        "policies:credit_add",
        {"pk": "org_a"},
        POST=write(
            STAFF,
            {"kind": "dishonest", "start_date": "2025-05-01", "source": "信用中国"},
            ("officer", 302),
        ),
    ),
    page(
        "policies:credit_end",
        {"pk": "credit"},
        POST=write(STAFF, {"end_date": "2026-01-31"}, ("officer", 302)),
    ),
    page(
        "policies:scan_new",
        {"key": "item.key"},
        GET=STAFF,
        POST=write(
            STAFF, lambda w: {"version": w.version.pk, "as_of": "2026-06-30"}, ("officer", 302)
        ),
    ),
    page("policies:scan_list", GET=STAFF),
    page("policies:scan_detail", {"pk": "scan"}, GET=STAFF),
    page("policies:scan_explanation", {"pk": "scan", "decision": "scan_decision"}, GET=STAFF),
    page(
        "policies:name_list_new",
        {"pk": "scan"},
        POST=write(STAFF, {"title": "第二批"}, ("officer", 302)),
    ),
    page("policies:name_list_detail", {"pk": "draft_list"}, GET=STAFF),
    page(
        "policies:name_list_announce",
        {"pk": "draft_list"},
        POST=write(STAFF, {"days": "7"}, ("officer", 302)),
    ),
    page(
        "policies:entry_exclude",
        {"pk": "draft_entry"},
        POST=write(STAFF, {"reason": "异议成立"}, ("officer", 302)),
    ),
    page(
        "policies:payment_new",
        {"pk": "entry"},
        GET=STAFF,
        POST=write(
            STAFF,
            {"stage": "二期", "amount_yuan": "100000", "paid_on": "2026-08-01"},
            ("officer", 302),
        ),
    ),
    page("policies:my_benefits", GET=ENT),
    page(
        "policies:entry_confirm",
        {"pk": "entry_open"},
        GET=A,
        POST=write(A, {}, ("ent_a", 302)),
    ),
    page(
        "policies:entry_decline",
        {"pk": "entry_open"},
        POST=write(A, {"reason": "不需要"}, ("ent_a", 302)),
    ),
    page("policies:public_name_lists", GET=ALL),
    page("policies:public_name_list", {"pk": "announced_list"}, GET=ALL),
    page(
        "policies:sandbox",
        {"key": "item.key"},
        GET=STAFF,
        POST=write(
            STAFF, {"parameters.equipment_rate": "0.12", "as_of": "2026-06-30"}, ("officer", 302)
        ),
    ),
    page("policies:sandbox_detail", {"pk": "sandbox_run"}, GET=STAFF),
    api(
        "api-policies",
        GET=MEMBERS,
        POST=write(
            STAFF,
            {
                "title": "接口政策",
                "issuing_unit": "无锡市工信局",
                "level": "city",
                "valid_from": "2026-01-01",
            },
            ("officer", 201),
        ),
    ),
    api(
        "api-policy",
        {"pk": "draft_policy"},
        GET=STAFF,
        PATCH=write(STAFF, {"title": "改名"}, ("officer", 200)),
    ),
    api("api-policy-items", GET=MEMBERS),
    api("api-policy-item", {"key": "item.key"}, GET=MEMBERS),
    api("api-policy-item-version", {"key": "item.key", "number": "=2"}, GET=STAFF),
    api(
        "api-policy-item-draft",
        {"key": "item.key"},
        GET=STAFF,
        POST=write(STAFF, {}, ("officer", 200, False)),
        PUT=write(STAFF, lambda w: {"rule": wuxi_rule(), "test_cases": []}, ("officer", 200)),
    ),
    api(
        "api-policy-item-draft-run-cases",
        {"key": "item.key"},
        POST=write(STAFF, {}, ("officer", 200, False)),
    ),
    api(
        "api-policy-item-draft-publish",
        {"key": "item.key"},
        POST=write(STAFF, {}, ("officer", 200)),
    ),
    api(
        "api-policy-evaluations",
        POST=write(A_STAFF, lambda w: {"enterprise": w.org_a.uscc}, ("officer", 200, False)),
    ),
    api(
        "api-projects",
        GET=MEMBERS,
        POST=write(ENT, {"name": "接口项目", "kind": "digital_transformation"}, ("ent_a", 201)),
    ),
    api(
        "api-project",
        {"pk": "project"},
        GET=A_STAFF,
        PATCH=write(A, {"name": "锻压线智能化改造二期"}, ("ent_a", 200)),
    ),
    api(
        "api-project-loans",
        {"pk": "project"},
        GET=A_STAFF,
        POST=write(A, loan_json, ("ent_a", 201)),
    ),
    api(
        "api-project-loan",
        {"pk": "project", "loan_id": "loan"},
        PATCH=write(A, {"interest_paid_yuan": "1000"}, ("ent_a", 200)),
        DELETE=write(A, None, ("ent_a", 204)),
    ),
    api(
        "api-policy-scans",
        GET=STAFF,
        POST=write(STAFF, lambda w: {"item": w.item.key, "as_of": "2026-06-30"}, ("officer", 201)),
    ),
    api("api-policy-scan", {"pk": "scan"}, GET=STAFF),
    api(
        "api-policy-name-lists",
        GET=STAFF,
        POST=write(STAFF, lambda w: {"scan": w.scan.pk}, ("officer", 201)),
    ),
    api("api-policy-name-list", {"pk": "draft_list"}, GET=STAFF),
    api(
        "api-policy-name-list-announce",
        {"pk": "draft_list"},
        POST=write(STAFF, {"days": 7}, ("officer", 200)),
    ),
    api("api-policy-entry-confirm", {"pk": "entry_open"}, POST=write(A, {}, ("ent_a", 200))),
    api(
        "api-policy-payments",
        GET=STAFF,
        POST=write(
            STAFF,
            lambda w: {
                "entry": w.entry.pk,
                "amount_yuan": "100000",
                "stage": "二期",
                "paid_on": "2026-08-01",
            },
            ("officer", 201),
        ),
    ),
    api(
        "api-policy-sandbox",
        POST=write(
            STAFF,
            lambda w: {
                "item": w.item.key,
                "as_of": "2026-06-30",
                "changes": {"parameters.equipment_rate": "0.12"},
            },
            ("officer", 201),
        ),
    ),
    # --- expert review: review_round is the platform's round (the operator is its office),
    # handed to the experts; review_assignment the world's expert's, its review submitted;
    # ranking the round's ranking. Officers read the pool; experts their own profile. ---
    page("review:expert_list", GET=STAFF),
    page(
        "review:expert_new",
        GET=OP,
        POST=write(
            OP,
            lambda w: {
                "membership": w.spare_expert_user.memberships.get().pk,
                "name": "第二专家",
                "years_experience": "8",
            },
            ("operator", 302),
        ),
    ),
    page(
        "review:expert_import",
        GET=OP,
        POST=write(OP, lambda w: {"file": expert_csv(), "action": "import"}, ("operator", 302)),
    ),
    page("review:my_profile", GET=frozenset({"expert"}), ok={"expert": 302}),
    page("review:expert_detail", {"pk": "expert_profile"}, GET=STAFF | {"expert"}),
    page(
        "review:expert_edit",
        {"pk": "expert_profile"},
        GET=OP | {"expert"},
        POST=write(
            OP | {"expert"},
            {"name": "安全表专家", "years_experience": "12", "divisions": "34"},
            ("expert", 302),
        ),
    ),
    page(
        "review:expert_past_add",
        {"pk": "expert_profile"},
        POST=write(
            OP | {"expert"},
            lambda w: {"uscc": w.org_b.uscc, "until": "2025-01-31"},
            ("expert", 302),
        ),
    ),
    page(
        "review:expert_relation_add",
        {"pk": "expert_profile"},
        POST=write(OP | {"expert"}, {"person": "P-009", "kind": "coauthor"}, ("expert", 302)),
    ),
    page("review:round_list", GET=OP | {"officer", "society"}),
    # an officer whose organisation hosts a call (the calls world's bureau) opens rounds too;
    # the round's call must be one of its own (a form error otherwise)
    page(
        "review:round_new",
        GET=OP | {"officer"},
        POST=write(
            OP | {"officer"},
            lambda w: {
                "call": w.review_round.call_id,
                "name": "会评",
                "kind": "panel",
                "reviewers_per_application": "1",
                "visibility": "always",
                "deadline": "2030-01-01T10:00",
            },
            ("operator", 302),
        ),
    ),
    page("review:round_detail", {"pk": "review_round"}, GET=OP),
    page(
        "review:round_assign",
        {"pk": "review_round"},
        POST=write(OP, {"method": "optimal"}),
    ),
    page("review:round_replay", {"pk": "review_round"}, GET=OP),
    page("review:round_snapshot", {"pk": "review_round"}, GET=OP),
    page("review:round_exclusions", {"pk": "review_round"}, GET=OP),
    page("review:round_open", {"pk": "review_round"}, POST=write(OP)),
    page("review:round_close", {"pk": "review_round"}, POST=write(OP, {}, ("operator", 302))),
    page(
        "review:assignment_add",
        {"pk": "review_round"},
        POST=write(
            OP, lambda w: {"application": w.review_application.pk, "expert": w.expert_profile.pk}
        ),
    ),
    page(
        "review:panel_decision",
        {"pk": "review_round"},
        POST=write(OP, lambda w: {"application": w.review_application.pk, "outcome": "vote"}),
    ),
    page(
        "review:round_appraise",
        {"pk": "review_round"},
        POST=write(
            OP, lambda w: {"expert": w.expert_profile.pk, "timeliness": "5", "quality": "4"}
        ),
    ),
    page(
        "review:round_ranking",
        {"pk": "review_round"},
        GET=OP,
        POST=write(OP, {"method": "median", "trim": "1", "divergence": "20"}, ("operator", 302)),
    ),
    page(
        "review:round_availability",
        {"pk": "review_round"},
        POST=write(OP, lambda w: {"expert": w.expert_profile.pk, "max_load": "3"}),
    ),
    page("review:ranking_propose", {"pk": "ranking"}, POST=write(OP)),
    page(
        "review:assignment_remove",
        {"pk": "review_assignment"},
        POST=write(OP, {"reason": "调整"}),
    ),
    page("review:my_assignments", GET=frozenset({"expert"})),
    page("review:my_availability", GET=frozenset({"expert"})),
    page(
        "review:my_bids",
        {"pk": "review_round_draft"},
        GET=frozenset({"expert"}),
        POST=write(
            {"expert"},
            lambda w: {"application": w.review_application.pk, "interest": "eager"},
            ("expert", 302),
        ),
    ),
    page(
        "review:availability_declare",
        {"pk": "review_round_draft"},
        POST=write(
            {"expert"},
            lambda w: {f"r{w.review_round_draft.pk}-max_load": "2"},
            ("expert", 302),
        ),
    ),
    page(
        "review:assignment_detail",
        {"pk": "review_assignment"},
        GET=frozenset({"expert"}),
        POST=write({"expert"}, {"score_innovation": "70", "action": "draft"}),
    ),
    page(
        "review:assignment_file",
        {"pk": "review_assignment", "code": "=evidence"},
        GET=frozenset({"expert"}),
    ),
    page(
        "review:assignment_recuse",
        {"pk": "review_assignment"},
        POST=write({"expert"}, {"reason": "亲属关系"}),
    ),
    api("api-review-experts", GET=STAFF | {"expert"}),
    api("api-review-expert", {"pk": "expert_profile"}, GET=STAFF | {"expert"}),
    api("api-review-rounds", GET=OP | {"officer", "society"}),
    api("api-review-round", {"pk": "review_round"}, GET=OP),
    api("api-review-assign", {"pk": "review_round"}, POST=write(OP, {"method": "optimal"})),
    api("api-review-assignments", {"pk": "review_round"}, GET=OP),
    api("api-review-exclusions", {"pk": "review_round"}, GET=OP),
    api(
        "api-review-ranking",
        {"pk": "review_round"},
        GET=OP,
        POST=write(OP, {"method": "mean"}, ("operator", 201)),
    ),
    api("api-review-propose", {"pk": "ranking"}, POST=write(OP)),
    api("api-review-mine", GET=frozenset({"expert"})),
    api("api-review-my-availability", GET=frozenset({"expert"})),
    api(
        "api-review-my-round-availability",
        {"pk": "review_round_draft"},
        PUT=write({"expert"}, {"available": True, "max_load": 2}, ("expert", 200)),
    ),
    api("api-review-my-bids", {"pk": "review_round_draft"}, GET=frozenset({"expert"})),
    api(
        "api-review-my-bid",
        {"pk": "review_round_draft", "application": "review_application"},
        PUT=write({"expert"}, {"interest": "eager"}, ("expert", 200)),
    ),
    api(
        "api-review-my-review",
        {"pk": "review_assignment"},
        GET=frozenset({"expert"}),
        PUT=write({"expert"}, {"scores": {"innovation": "70"}}),
    ),
    # --- insights ------------------------------------------------------------------------------
    page("insights:dashboard", GET=STAFF),
    page("insights:dashboard_pdf", GET=STAFF),
    page("insights:refresh", POST=write(OP, {}, ("operator", 302))),
    page("insights:records", {"name": "=policies.projects"}, GET=STAFF),
    page("insights:export", {"name": "=policies.projects", "fmt": "=csv"}, GET=STAFF),
    page("insights:public", GET=ALL),
    page(
        "insights:public_settings",
        GET=OP,
        POST=write(OP, {"figures": ["registry.enterprises"]}, ("operator", 302)),
    ),
    page("insights:jurisdiction_list", GET=OP),
    page(
        "insights:jurisdiction_edit",
        {"pk": "bureau"},
        GET=OP,
        POST=write(OP, {"region": "320200"}, ("operator", 302)),
    ),
    page("insights:report_list", GET=STAFF),
    page("insights:report_new", POST=write(OP, {"month": "2026-04"}, ("operator", 302))),
    page(
        "insights:report_detail",
        {"pk": "report"},
        GET=OP,
        POST=write(OP, {"title": "五月月报", "plan": "下月计划"}, ("operator", 302)),
    ),
    page("insights:report_redraft", {"pk": "report"}, POST=write(OP, {}, ("operator", 302))),
    page("insights:report_publish", {"pk": "report"}, POST=write(OP, {}, ("operator", 302))),
    page(
        "insights:activity_add",
        {"pk": "report"},
        POST=write(
            OP, {"section": "self", "date": "2026-05-03", "title": "理事会"}, ("operator", 302)
        ),
    ),
    page(
        "insights:activity_remove", {"pk": "report_activity"}, POST=write(OP, {}, ("operator", 302))
    ),
    page(
        "insights:news_add", {"pk": "report"}, POST=write(OP, {"title": "揭牌"}, ("operator", 302))
    ),
    page("insights:news_remove", {"pk": "report_news"}, POST=write(OP, {}, ("operator", 302))),
    page("insights:report_download", {"pk": "report", "fmt": "=docx"}, GET=OP),
    api("api-insights-figures", GET=STAFF),
    api("api-insights-figure-regions", {"name": "=registry.enterprises"}, GET=STAFF),
    api("api-insights-report", {"pk": "report"}, GET=OP),
    # --- cloud classroom (world_classroom.py): the society's published course; A enrolled,
    # completed it and holds the certificate; B and the others are enrolled in nothing ---
    page("classroom:catalogue", GET=MEMBERS),
    page("classroom:verify", GET=ALL),
    page("classroom:my_learning", GET=MEMBERS),
    page("classroom:course_detail", {"pk": "course"}, GET=MEMBERS),
    page("classroom:enrol", {"pk": "course"}, POST=write(MEMBERS, {}, ("ent_b", 302))),
    page("classroom:rate", {"pk": "course"}, POST=write(A, {"stars": "5"}, ("ent_a", 302))),
    page(
        "classroom:quiz",
        {"pk": "course"},
        GET=A,
        POST=write(A, lambda w: w.quiz_answers, ("ent_a", 200)),
    ),
    page("classroom:certificate_issue", {"pk": "course"}, POST=write(A, {}, ("ent_a", 302, False))),
    page("classroom:lesson", {"pk": "lesson"}, GET=A | SOC | OP),
    page(
        "classroom:lesson_progress",
        {"pk": "lesson"},
        POST=write(A, {"position": "30"}, ("ent_a", 200, False)),  # progress is not audited
    ),
    page("classroom:lesson_video", {"pk": "lesson"}, GET=A | SOC | OP),
    page("classroom:certificate_pdf", {"pk": "certificate"}, GET=A_OP),
    page("classroom:my_courses", GET=SOC | OP),
    page(
        "classroom:course_new",
        GET=SOC | OP,
        POST=write(SOC | OP, {"title": "新课", "level": "advanced"}, ("society", 302)),
    ),
    page(
        "classroom:course_edit",
        {"pk": "course"},
        GET=SOC | OP,
        POST=write(SOC | OP, {"title": "改名", "level": "advanced"}, ("society", 302)),
    ),
    page(
        "classroom:lesson_new",
        {"pk": "course"},
        POST=write(SOC | OP, {"title": "新课时", "minutes": "5"}, ("society", 302)),
    ),
    page(
        "classroom:quiz_edit",
        {"pk": "course"},
        POST=write(SOC | OP, {"pass_percent": "60", "text": "问\n*对\n错"}, ("society", 302)),
    ),
    page(
        "classroom:course_state",
        {"pk": "course"},
        POST=write(SOC | OP, {"state": "draft"}, ("society", 302)),
    ),
    page(
        "classroom:rating_answer",
        {"pk": "rating"},
        POST=write(SOC | OP, {"answer": "谢谢"}, ("society", 302)),
    ),
    page(
        "classroom:live_classes",
        {"pk": "course"},
        GET=SOC | OP,
        POST=write(
            SOC | OP,
            {
                "title": "直播",
                "starts_at": "2030-01-08T19:00",
                "ends_at": "2030-01-08T20:00",
            },
            ("society", 302),
        ),
    ),
    page(
        "classroom:live_recording",
        {"pk": "live"},
        POST=write(
            SOC | OP,
            lambda w: {f"r{w.live.pk}-recording_link": "https://example.org/r"},
            ("society", 302),
        ),
    ),
    # Every member who sees the course may press "join"; only a registered participant within
    # the class's hours is counted and sent on (tests/classroom/test_live_join.py). The world's
    # class was held yesterday: the answer is the course page with the reason, nothing written.
    page("classroom:live_join", {"pk": "live"}, POST=write(MEMBERS, {}, ("ent_a", 302, False))),
    page("classroom:staff", GET=ENT | OP),
    page("classroom:statistics", GET=OP),
    api("api-classroom-courses", GET=MEMBERS),
    api("api-classroom-course", {"pk": "course"}, GET=MEMBERS),
    api("api-classroom-enrol", {"pk": "course"}, POST=write(MEMBERS, {}, ("ent_b", 201))),
    api("api-classroom-live-classes", {"pk": "course"}, GET=MEMBERS),
    # the world's class is over: members get 400 session_over (tests/classroom/test_live_join.py)
    api("api-classroom-live-class-join", {"pk": "live"}, POST=write(MEMBERS, {})),
    api("api-classroom-lesson", {"pk": "lesson"}, GET=A | SOC | OP),
    api("api-classroom-enrolments", GET=MEMBERS),
    api("api-classroom-enrolment", {"pk": "certificate.enrolment_id"}, GET=A),
    api(
        "api-classroom-progress",
        {"pk": "certificate.enrolment_id"},
        # the lesson was completed already: progress is not audited
        POST=write(
            A, lambda w: {"lesson": w.lesson.pk, "position_seconds": 30}, ("ent_a", 200, False)
        ),
    ),
    api(
        "api-classroom-quiz",
        {"pk": "certificate.enrolment_id"},
        GET=A,
        POST=write(
            A,
            lambda w: {
                "answers": [
                    {"question": int(k[1:]), "options": v} for k, v in w.quiz_answers.items()
                ]
            },
            ("ent_a", 200),
        ),
    ),
    api("api-classroom-certificates", GET=MEMBERS),
    # public: no credentials asked, whoever calls
    api("api-classroom-certificate-verify", GET=ALL, query="code=ZZZZ-ZZZZ"),
]
ROWS = {row.name: row for row in TABLE}


# --- machinery ------------------------------------------------------------------------------


def resolver_routes() -> set[str]:
    """Every named route, with its namespace, except the Django admin's."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                yield from walk(pattern.url_patterns, namespace)
            elif pattern.name:
                yield prefix + pattern.name

    return set(walk(get_resolver().url_patterns, ""))


def fingerprint_queries() -> list[tuple[str, str]]:
    """One ``SELECT *`` per model of the zhizao apps (with the auto-created many-to-many
    tables), ordered by primary key; Region and Industry, the big reference tables, aside."""
    from zhizao.registry.models import Industry, Region

    quote = connection.ops.quote_name
    return [
        (
            model._meta.label,
            # names from the models' own metadata, quoted: nothing from outside
            f"SELECT * FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"ORDER BY {quote(model._meta.pk.column)}",
        )
        for config in apps.get_app_configs()
        if config.name.startswith("zhizao.")
        for model in config.get_models(include_auto_created=True)
        if model not in (Region, Industry)
    ]


def fingerprint() -> dict[str, str]:
    """A hash of every row of every table of ``fingerprint_queries``."""
    out = {}
    with connection.cursor() as cursor:
        for label, sql in fingerprint_queries():
            cursor.execute(sql)
            out[label] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return out


def resolve(world, ref):
    if callable(ref):
        return ref(world)
    if not isinstance(ref, str):
        return ref
    if ref.startswith("="):
        return ref[1:]
    head, *rest = ref.split(".")
    value = getattr(world, head)
    for part in rest:
        value = getattr(value, part)
    return value if rest else value.pk


def body_of(world, spec: Write | frozenset):
    body = spec.body if isinstance(spec, Write) else None
    return body(world) if callable(body) else (body or {})


def send(world, row: Row, role: str, method: str, url: str, body: dict):
    client = world.clients[role]
    call = getattr(client, method.lower())
    if method == "GET":
        response = call(url)
    elif (row.api and method != "POST") or (
        row.api and not any(hasattr(v, "read") for v in body.values())
    ):
        response = call(url, json.dumps(body), content_type="application/json")
    else:
        response = call(url, body)
    if response.streaming:
        # reading to the end closes the file, as a server would (the test client then fires
        # request_finished without closing the connection; closing it ourselves would)
        b"".join(response.streaming_content)
    return response


def refused_expectation(row: Row, role: str, url: str) -> tuple[int, str | None]:
    if role in row.refused:
        expected = row.refused[role]
        return expected if isinstance(expected, tuple) else (expected, None)
    if row.api:
        return {"anon": (401, None), "nobody": (403, None)}.get(role, (404, None))
    if role == "anon":
        return 302, redirect_to_login(url)["Location"]
    if role == "nobody":
        return 302, f"{reverse('accounts:choose_membership')}?{urlencode({'next': url})}"
    return 404, None


def problems(response) -> str:
    """What a refused form or API call said (for the failure message)."""
    text = response.content.decode(errors="replace") if not response.streaming else ""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", f).strip() for f in found) or text[:300]


def outcome(response) -> tuple[int, str | None]:
    return response.status_code, response.get("Location") if response.status_code == 302 else None


# --- the tests ------------------------------------------------------------------------------


def test_table_covers_exactly_the_routes():
    routes = resolver_routes()
    missing = sorted(routes - set(ROWS))
    stale = sorted(set(ROWS) - routes)
    assert (missing, stale) == ([], []), (
        f"routes without a row in the security table: {missing}; "
        f"rows without a route: {stale} (see the module docstring to add one)"
    )
    assert len(TABLE) == len(ROWS), "a route has two rows"
    for row in TABLE:
        assert set(row.methods) <= {"GET", *WRITE_METHODS}, row.name
        assert set(row.ok) <= row.allowed("GET") if row.ok else True, row.name
        for spec in row.methods.values():
            roles = spec.roles if isinstance(spec, Write) else spec
            assert set(roles) <= ALL, row.name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_route_access(world, name):
    row = ROWS[name]
    kwargs = {key: resolve(world, ref) for key, ref in row.kw.items()}
    url = reverse(name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")

    # refused roles, every method: the exact refusal, and nothing changed
    before, audit_before = fingerprint(), AuditEntry.objects.count()
    wrong, refused_writes = [], []
    for method, spec in row.methods.items():
        for role in ROLES:
            if role in row.allowed(method):
                continue
            if method in WRITE_METHODS:
                refused_writes.append(f"{method} {role}")
            got = outcome(send(world, row, role, method, url, body_of(world, spec)))
            expected = refused_expectation(row, role, url)
            if got != expected:
                wrong.append((method, role, got, expected))
    # missing looks like forbidden: the same route on an id that does not exist, as a role
    # that may use it, is 404 too
    if "pk" in kwargs:
        missing = {
            **kwargs,
            "pk": uuid.UUID(int=1) if isinstance(kwargs["pk"], uuid.UUID) else 999999,
        }
        missing_url = reverse(name, kwargs=missing)
        for method, spec in row.methods.items():
            role = spec.valid[0] if isinstance(spec, Write) and spec.valid else None
            role = role or next(r for r in reversed(ROLES) if r in row.allowed(method))
            got = send(world, row, role, method, missing_url, body_of(world, spec)).status_code
            if got != 404:
                wrong.append((method, f"{role} on a missing id", got, 404))
    after, audit_after = fingerprint(), AuditEntry.objects.count()
    changed = sorted(label for label in before if before[label] != after[label])
    assert wrong == [], f"{name}: refused roles answered (method, role, got, expected): {wrong}"
    assert (changed, audit_after) == ([], audit_before), (
        f"{name}: refused requests ({', '.join(refused_writes) or 'GET only'}) changed {changed}"
    )

    # the body the refused roles were sent works for the role it is meant for
    for method, spec in row.methods.items():
        if isinstance(spec, Write) and spec.valid is not None:
            role, status, *writes = spec.valid
            with transaction.atomic():
                audit_count = AuditEntry.objects.count()
                response = send(world, row, role, method, url, body_of(world, spec))
                wrote = AuditEntry.objects.count() > audit_count
                transaction.set_rollback(True)
            assert (response.status_code, wrote) == (status, writes != [False]), (
                f"{name}: {method} as {role} with the table's body: {problems(response)}"
            )

    # allowed roles get the page or data, one exact status each
    if "GET" in row.methods:
        statuses = {
            role: send(world, row, role, "GET", url, {}).status_code
            for role in sorted(row.allowed("GET"))
        }
        assert statuses == {role: row.ok.get(role, 200) for role in statuses}, name
