"""Writes for cases: allocations, holders, stopping, targets, casefiles and saved views. Views,
tasks, commands, the admin and the apps above call these, as `from cases import services`.

Each function runs in one transaction, writes an audit entry per change, and queues its notices
(through notifications.services) in that same transaction, so a change and its notices stand or
fall together. Idempotency keys name the cause, so repeating a call queues nothing twice. Every
refusal is a CaseError with text fit to show the user.
"""

from .allocation import (
    accept_offer,
    allocate_case,
    confirm_relinquish,
    decline_offer,
    request_relinquish,
)
from .casefiles import upload_casefile
from .common import CaseError, notify_iar, reseal_private_fields
from .holders import (
    approve_holder_change,
    change_holder,
    pending_holder_change,
    reject_holder_change,
)
from .manage import CASE_FIELDS, archive_case, open_case, save_case
from .public_action import set_public_action
from .saved_views import delete_view, save_view
from .sensitivity import set_sensitivity
from .stopping import confirm_stop, pause_case, resume_case, stop_case
from .targets import TARGET_FIELDS, add_target, change_target, retire_target

__all__ = [
    "CASE_FIELDS",
    "archive_case",
    "open_case",
    "save_case",
    "TARGET_FIELDS",
    "CaseError",
    "accept_offer",
    "add_target",
    "allocate_case",
    "approve_holder_change",
    "change_holder",
    "change_target",
    "confirm_relinquish",
    "confirm_stop",
    "decline_offer",
    "delete_view",
    "notify_iar",
    "pause_case",
    "pending_holder_change",
    "reject_holder_change",
    "request_relinquish",
    "reseal_private_fields",
    "resume_case",
    "retire_target",
    "save_view",
    "set_public_action",
    "set_sensitivity",
    "stop_case",
    "upload_casefile",
]
