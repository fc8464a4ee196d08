"""The access matrix: what every persona gets from every URL pattern of the site, GET and POST.

tests/test_access_matrix.py walks the whole URLconf (the admin's and allauth's included) and
checks each pattern against this table; a pattern with no row fails.

HOW TO ADD A URL: put its name (with its namespace, e.g. "groups:letters") in the GROUPS entry
whose rule it follows; when none fits, give it a line in EXCEPTIONS. When its route has a keyword
no other URL uses, say in KWARGS which object of group X / country A fills it
(tests/access_world.py makes them). A pattern with no name is listed by its full route.

Each rule is one code per persona, in this order:

    staff  coordinator_a  coordinator_b  holder_x  member_x  admin_x  member_y  no_role
    deactivated  anonymous

Codes: 200, 302 (a redirect elsewhere), L (a redirect to the login page), 400, 403 (the persona's
role lacks the function), 404 (the object is not theirs), 405 (wrong method), S (staff in the
admin: answered, neither a server error nor a login page; the admin's own model permissions
decide between 200, 302 and 403).

The objects are group X's and country A's; the test also asks for group Y's and country B's as
the personas of X and A, who must get a 404 wherever their own object answered 200 or 302.
"""

from __future__ import annotations

# fmt: off
# Column guide:      st  cA  cB  hX  mX  aX  mY  no  gn  an
SIGNED_IN          = "200 200 200 200 200 200 200 200 L   L"
EVERYONE_200       = "200 200 200 200 200 200 200 200 200 200"
EVERYONE_404       = "404 404 404 404 404 404 404 404 404 404"
EVERYONE_405       = "405 405 405 405 405 405 405 405 405 405"
SIGNED_OUT_ONLY    = "302 302 302 302 302 302 302 302 200 200"
NOT_IN_STEP        = "302 302 302 302 302 302 302 302 L   L"
SIGNED_IN_404      = "404 404 404 404 404 404 404 404 L   L"
SIGNED_IN_405      = "405 405 405 405 405 405 405 405 L   L"
STAFF_ONLY         = "200 403 403 403 403 403 403 403 L   L"
STAFF_POST         = "302 403 403 403 403 403 403 403 L   L"
STAFF_GET_405      = "405 403 403 403 403 403 403 403 L   L"
COORDINATORS       = "200 200 200 403 403 403 403 403 L   L"
COUNTRY_A          = "200 200 404 404 404 404 404 404 L   L"
COUNTRY_A_POST     = "302 302 404 404 404 404 404 404 L   L"
CASE_X_READERS     = "200 200 404 200 200 200 404 404 L   L"
GROUP_X            = "404 404 404 200 200 200 404 404 L   L"
GROUP_X_ADMIN      = "404 404 404 403 403 200 404 404 L   L"
GROUP_X_ADMIN_POST = "404 404 404 403 403 302 404 404 L   L"
ADMIN_SITE         = "S   L   L   L   L   L   L   L   L   L"
# fmt: on

# name: (GET rule, POST rule, [URL names])
GROUPS: dict[str, tuple[str, str, list[str]]] = {
    "history and view log (staff, read only)": (
        STAFF_ONLY,
        SIGNED_IN_405,
        [
            "privacy:case_history",
            "privacy:case_view_log",
            "privacy:allocation_history",
            "privacy:group_history",
            "privacy:membership_history",
            "privacy:person_history",
        ],
    ),
    "erasing a former member (staff)": (STAFF_ONLY, STAFF_ONLY, ["privacy:erase"]),
    "a person's own data page": (SIGNED_IN, SIGNED_IN_405, ["privacy:my_data"]),
    "a person's own data downloads (POST)": (
        SIGNED_IN_405,
        SIGNED_IN,
        ["privacy:my_data_json", "privacy:my_data_pdf"],
    ),
    "pages for anyone signed in": (
        SIGNED_IN,
        SIGNED_IN,
        [
            "home",
            "groups:my_cases",
            "case_requests:request_cases",
            "notifications:my_notices",
            "account_reauthenticate",
            "account_change_password",
        ],
    ),
    # Urgent Actions, bundles, one-off actions and regions are the whole programme's: everyone
    # signed in reads the published ones (a draft is staff's alone).
    "the programme's actions, for anyone signed in": (
        SIGNED_IN,
        SIGNED_IN,
        [
            "actions:ua_list",
            "actions:ua_detail",
            "actions:ua_calendar",
            "actions:ua_document",
            "actions:one_off",
            "actions:this_month",
            "actions:bundle",
            "actions:region",
            "actions:calendar",
        ],
    ),
    "public pages": (
        EVERYONE_200,
        EVERYONE_200,
        ["healthz", "account_reset_password", "account_reset_password_from_key"],
    ),
    "public notices (GET only)": (
        EVERYONE_200,
        EVERYONE_405,
        [
            "account_inactive",
            "account_email_verification_sent",
            "account_reset_password_done",
            "account_reset_password_from_key_done",
        ],
    ),
    "logging in (a signed-in person is sent on)": (
        SIGNED_OUT_ONLY,
        SIGNED_OUT_ONLY,
        ["account_login", "account_request_login_code", "account_signup"],
    ),
    "login steps reached only in their turn": (
        NOT_IN_STEP,
        NOT_IN_STEP,
        [
            "account_request_reauthentication_code",
            "account_confirm_reauthentication_code",
            "account_set_password",
            "account_confirm_login_code",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_activate_totp",
            "mfa_generate_recovery_codes",
            # Passkeys: allauth asks for a fresh login before adding, renaming or removing one.
            "mfa_add_webauthn",
            "mfa_reauthenticate_webauthn",
            "mfa_remove_webauthn",
            "mfa_edit_webauthn",
            "mfa_login_webauthn",
        ],
    ),
    "an authenticator the persona does not have": (
        SIGNED_IN_404,
        SIGNED_IN_404,
        ["mfa_deactivate_totp", "mfa_download_recovery_codes"],
    ),
    "staff pages": (
        STAFF_ONLY,
        STAFF_ONLY,
        [
            "accounts:invite",
            "case_requests:case_requests",
            "case_requests:case_request",
            "staff:case_list",
            "staff:case",
            "staff:stop_case",
            "staff:relinquish_requests",
            "staff:stop_confirmations",
            "staff:match_groups",
            "staff:allocate",
            "staff:group_list",
            "staff:group",
            "notifications:print_queue",
            "notifications:print_batch",
            "notifications:print_batch_pdf",
            "groups:post_returns",
            "staff:public_action",
            "reporting:yearly_figures",
            "reporting:yearly_figures_pdf",
            "reporting:charts",
            "reporting:workload",
            "reporting:dashboard",
            "reporting:figure",
            "reporting:imports",
            "reporting:import_template",
            "reporting:import_job",
            "actions:staff",
            "actions:ua_new",
            "actions:ua_edit",
            "actions:ua_follow_up",
            "actions:bundle_new",
            "actions:bundle_edit",
            "actions:one_off_new",
            "actions:one_off_edit",
            "actions:request_one_offs",
            "stop_requests:waiting",
            "staff:withdraw_group",
            "case_manage:create",
            "case_manage:edit",
            "case_manage:archive",
            "group_manage:create",
            "group_manage:edit",
            "group_manage:deactivate",
            "coordinator_manage:countries",
            "coordinator_manage:country",
        ],
    ),
    "staff actions (POST only)": (
        STAFF_GET_405,
        STAFF_POST,
        [
            "staff:pause_case",
            "staff:resume_case",
            "staff:save_view",
            "staff:delete_view",
            "staff:confirm_relinquish",
            "notifications:print_batch_posted",
            "actions:ua_publish",
            "actions:bundle_publish",
            "reporting:confirm_import",
            "case_manage:open",
            "group_manage:reactivate",
        ],
    ),
    "coordinators' workspace": (
        COORDINATORS,
        COORDINATORS,
        ["coordinators:home", "coordinators:report_inbox"],
    ),
    "country A's cases, coordinator side": (
        COUNTRY_A,
        COUNTRY_A,
        [
            "coordinators:case",
            "coordinators:update_create",
            "coordinators:update_detail",
            "coordinators:update_edit",
            "coordinators:attachment",
            "coordinators:report_detail",
            "casefile:target_add",
            "casefile:upload",
            "casefile:target_edit",
            "casefile:target_retire",
        ],
    ),
    "country A's cases, coordinator actions (POST only)": (
        SIGNED_IN_405,
        COUNTRY_A_POST,
        [
            "coordinators:update_publish",
            "coordinators:update_acknowledge",
            "coordinators:attachment_remove",
            "coordinators:holder_change_decide",
        ],
    ),
    "case X's updates and casefile, read by its group and coordinator": (
        CASE_X_READERS,
        CASE_X_READERS,
        [
            "coordinators:case_updates",
            "casefile:history",
            "casefile:download",
            "conversations:thread",
            "conversations:attachment",
        ],
    ),
    "group X's cases and actions": (
        GROUP_X,
        GROUP_X,
        [
            "groups:record_action",
            "groups:edit_action",
            "groups:case",
            "groups:casefile",
            "groups:letters",
            "groups:labels",
            "groups:solidarity",
            "groups:reports",
            "groups:report",
            "groups:report_pdf",
            "groups:export_actions",
            "cases:relinquish",
            "groups:interim_report",
            "actions:log",
            "actions:log_export",
            "actions:meeting_pack",
            "actions:meeting_calendar",
        ],
    ),
    "group X's administration (GET only for the administrator's forms)": (
        SIGNED_IN_405,
        GROUP_X_ADMIN,
        ["groups:invite_member"],
    ),
}

EXCEPTIONS: dict[str, tuple[str, str]] = {
    #                            staff cA  cB  hX  mX  aX  mY  none gone anon
    "account_logout": (
        "200  200 200 200 200 200 200 200  302  302",
        "302  302 302 302 302 302 302 302  302  302",
    ),
    "account_email": (SIGNED_IN, NOT_IN_STEP),
    "account_confirm_email": (EVERYONE_200, EVERYONE_404),
    "mfa_index": (SIGNED_IN, SIGNED_IN_405),
    "mfa_view_recovery_codes": (SIGNED_IN_404, SIGNED_IN_405),
    "mfa_list_webauthn": (SIGNED_IN, SIGNED_IN_405),
    # A person's own sessions; POST ends the others and goes back to the list.
    "usersessions_list": (SIGNED_IN, NOT_IN_STEP),
    # The idle warning's "Stay logged in" (POST only).
    "session_keep_alive": (SIGNED_IN_405, SIGNED_IN),
    # The token of a pending invitation to a new address is the key: whoever holds the link
    # sees the form to set a password, signed in or not (an empty POST shows it again with its
    # errors). A token nobody was sent is a 404 (the foreign twin, tests/access_world.py).
    "accounts:accept_invitation": (EVERYONE_200, EVERYONE_200),
    # A case offered to group X: every member reads the offer, only its administrator answers
    # (an empty answer shows the form again). Staff offer cases on their own pages.
    "cases:respond_offer": (GROUP_X, GROUP_X_ADMIN),
    # Group X's members confirm that the group stopped work on a stopped case (POST, then back
    # to the page); staff record a post group's reply slip on their own page.
    "cases:confirm_stop": (GROUP_X, "404  404 404 302 302 302 404 404  L    L"),
    # Staff and the coordinator are sent on to their own case page; group X's members to theirs.
    "cases:detail": (
        "302  302 404 302 302 302 404 404  L    L",
        "302  302 404 302 302 302 404 404  L    L",
    ),
    # The holder or the group's administrator names the holder; a plain member may not.
    "cases:change_holder": (
        "404  404 404 200 403 200 404 404  L    L",
        "404  404 404 200 403 200 404 404  L    L",
    ),
    # The holder recorded the action and deletes it; others of the group are shown the page.
    "groups:delete_action": (
        GROUP_X,
        "404  404 404 302 200 200 404 404  L    L",
    ),
    # Each member is sent on to their own group's settings.
    "groups:settings_index": (
        "404  404 404 302 302 302 302 404  L    L",
        "404  404 404 302 302 302 302 404  L    L",
    ),
    "groups:settings": (GROUP_X, GROUP_X_ADMIN),
    "groups:member_role": (SIGNED_IN_405, GROUP_X_ADMIN_POST),
    "groups:member_remove": (GROUP_X_ADMIN, GROUP_X_ADMIN_POST),
    "notifications:review_queue": (STAFF_ONLY, STAFF_POST),
    # Staff answer a stop request by POST; a GET is sent back to the list of waiting requests.
    "stop_requests:decide": (STAFF_POST, STAFF_POST),
    # A coordinator asks IAR to stop a case of their own country.
    "stop_requests:request": (
        "200  200 404 403 403 403 403 403  L    L",
        "200  200 404 403 403 403 403 403  L    L",
    ),
    # Any member cancels their own group's request (POST only).
    "case_requests:cancel_request": (
        SIGNED_IN_405,
        "404  404 404 302 302 302 404 404  L    L",
    ),
    # Recording what a group sent: for people in a group; anyone else has no group to record for.
    "actions:record": (
        "403  403 403 200 200 200 200 403  L    L",
        "403  403 403 200 200 200 200 403  L    L",
    ),
    # Each member is sent on to their own group's page.
    "actions:signups_index": (
        "404  404 404 302 302 302 302 404  L    L",
        "404  404 404 302 302 302 302 404  L    L",
    ),
    "actions:meeting_index": (
        "404  404 404 302 302 302 302 404  L    L",
        "404  404 404 302 302 302 302 404  L    L",
    ),
    # Every member reads the group's sign-ups and meeting date; its administrator changes them.
    "actions:signups": (GROUP_X, "404  404 404 403 403 200 404 404  L    L"),
    "actions:meeting": (GROUP_X, "404  404 404 403 403 200 404 404  L    L"),
    # Staff and the coordinators of the region's countries post to it (region A's: not cB).
    "actions:region_bulletin": (
        "200  200 403 403 403 403 403 403  L    L",
        "200  200 403 403 403 403 403 403  L    L",
    ),
    "actions:calendar_change": (SIGNED_IN_405, NOT_IN_STEP),
    # The secret address is the key: a calendar app fetches it without signing in.
    "actions:calendar_feed": (EVERYONE_200, EVERYONE_200),
    # Replies by post are typed in for post groups only: group X chose email, so even staff
    # find nothing to type in for it.
    "groups:posted_report": (
        "404  403 403 403 403 403 403 403  L    L",
        "404  403 403 403 403 403 403 403  L    L",
    ),
    # The admin logs in through the site's login: signed-in non-staff are refused there.
    "admin:login": (
        "302  403 403 403 403 403 403 403  L    L",
        "200  403 403 403 403 403 403 403  L    L",
    ),
    "admin:logout": (
        "405  302 302 302 302 302 302 302  L    L",
        "200  302 302 302 302 302 302 302  L    L",
    ),
}

# Every other admin page (one set per registered model, made by the admin) follows one rule:
# staff only, everyone else to the login page.
ADMIN_PREFIX = ("admin:", "admin/")

# Which object fills each URL keyword: a key of tests/access_world.py's data set, or "=text"
# for a literal. (URL name, keyword) pairs say it for one URL where the keyword means more than
# one thing.
KWARGS: dict[object, str] = {
    ("case_requests:case_request", "pk"): "case_request_pk",
    ("staff:delete_view", "pk"): "saved_view_pk",
    ("staff:group", "pk"): "group_pk",
    ("staff:allocate", "group_id"): "group_id",
    # allauth asks for a fresh login before it looks the passkey up: any number will do.
    ("mfa_remove_webauthn", "pk"): "=1",
    ("mfa_edit_webauthn", "pk"): "=1",
    "fmt": "=csv",
    "key": "=not-a-key",
    "uidb36": "=1",
    "app_label": "=cases",
    "url": "=no-such-page/",
    "content_type_id": "content_type_id",
    "id": "staff_pk",
    "user_id": "staff_pk",
    ("case_requests:cancel_request", "pk"): "case_request_pk",
    ("actions:request_one_offs", "pk"): "case_request_pk",
    ("actions:ua_detail", "pk"): "ua_pk",
    ("actions:ua_calendar", "pk"): "ua_pk",
    ("actions:ua_document", "pk"): "ua_pk",
    ("actions:ua_follow_up", "pk"): "ua_pk",
    ("actions:ua_publish", "pk"): "ua_pk",
    ("actions:record", "pk"): "ua_pk",
    ("actions:ua_edit", "pk"): "draft_ua_pk",
    ("actions:one_off", "pk"): "one_off_pk",
    ("actions:one_off_edit", "pk"): "one_off_pk",
    ("actions:bundle", "pk"): "bundle_pk",
    ("actions:bundle_edit", "pk"): "draft_bundle_pk",
    ("actions:bundle_publish", "pk"): "draft_bundle_pk",
    ("actions:calendar_feed", "token"): "calendar_token",
    ("reporting:import_job", "pk"): "import_job_pk",
    ("reporting:confirm_import", "pk"): "import_job_pk",
    ("group_manage:edit", "pk"): "group_pk",
    ("group_manage:deactivate", "pk"): "group_pk",
    ("group_manage:reactivate", "pk"): "group_pk",
    ("coordinator_manage:country", "pk"): "country_pk",
    ("conversations:attachment", "attachment_id"): "message_attachment_id",
    "what": "=ua",
    "code": "region_code",
    "figure": "=unallocated",
    "kind": "=cases",
    "stop_id": "stop_id",
    ("cases:respond_offer", "reference"): "offered_reference",
    ("cases:confirm_stop", "reference"): "stopped_reference",
}


def _codes(rule: str) -> tuple[str, ...]:
    return tuple(rule.split())


def row_for(key: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The (GET, POST) expectations of one URL pattern, or None when it has no row."""
    if key in EXCEPTIONS:
        get, post = EXCEPTIONS[key]
        return _codes(get), _codes(post)
    for get, post, names in GROUPS.values():
        if key in names:
            return _codes(get), _codes(post)
    if key.startswith(ADMIN_PREFIX):
        return _codes(ADMIN_SITE), _codes(ADMIN_SITE)
    return None


def expected_for(key: str, method: str) -> tuple[str, ...]:
    row = row_for(key)
    assert row is not None, key
    return row[0] if method == "GET" else row[1]
