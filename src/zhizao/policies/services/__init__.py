"""Writes for the policies app. Each function checks its business rules, writes in one
transaction and records an audit entry; pages and the API call these and nothing else.
Later modules (scans, name lists, payments) add their own modules next to these."""

from .policies import (
    archive_policy,
    create_item,
    create_item_version,
    create_policy,
    publish_item_version,
    publish_policy,
    set_policy_state,
    update_item,
    update_item_version,
    update_policy,
)
from .projects import (
    add_loan,
    create_project,
    delete_document,
    remove_loan,
    update_loan,
    update_project,
    upload_document,
)
from .records import add_credit_record, add_recognition, end_credit_record, remove_recognition

__all__ = [
    "add_credit_record",
    "add_loan",
    "add_recognition",
    "archive_policy",
    "create_item",
    "create_item_version",
    "create_policy",
    "create_project",
    "delete_document",
    "end_credit_record",
    "publish_item_version",
    "publish_policy",
    "remove_loan",
    "remove_recognition",
    "set_policy_state",
    "update_item",
    "update_item_version",
    "update_loan",
    "update_policy",
    "update_project",
    "upload_document",
]
