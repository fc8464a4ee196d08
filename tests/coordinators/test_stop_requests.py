"""One way to close a case: the coordinator asks IAR, who stop it with the stop flow or refuse."""

from __future__ import annotations

import pytest

from cases.models import Allocation, Case
from coordinators.models import CaseUpdate, StopRequest
from coordinators.services import CoordinatorError, create_update
from coordinators.stop_requests import confirm_stop_request, refuse_stop_request, request_stop
from notifications.models import OutboundMessage
from notifications.outbox import render

pytestmark = pytest.mark.django_db


def test_the_update_form_no_longer_offers_case_closed_and_the_service_refuses_it(world, client_for):
    page = client_for("coordinator_a").get(
        f"/coordinator/cases/{world.case_x.reference}/updates/new/"
    )
    assert page.status_code == 200
    assert 'value="case_closed"' not in page.content.decode()
    with pytest.raises(CoordinatorError, match="Ask IAR to stop it"):
        create_update(
            world.case_x,
            kind=CaseUpdate.Kind.CASE_CLOSED,
            title="Closed",
            body="Done",
            actor=world.coordinator_a,
        )


def test_coordinator_asks_and_staff_see_it_waiting(world, client_for):
    coordinator = client_for("coordinator_a")
    workspace = coordinator.get(f"/coordinator/cases/{world.case_x.reference}/").content.decode()
    assert "Ask IAR to stop work on this case" in workspace
    url = f"/coordinator/cases/{world.case_x.reference}/stop/"
    empty = coordinator.post(url, {"reason": "resolved", "explanation": ""})
    assert empty.status_code == 200 and "Tell IAR what has happened" in empty.content.decode()
    response = coordinator.post(url, {"reason": "resolved", "explanation": "Released in May."})
    assert response.status_code == 302
    stop = StopRequest.objects.get()
    assert stop.status == StopRequest.Status.WAITING and stop.requested_by == world.coordinator_a
    iar = OutboundMessage.objects.get(idempotency_key=f"stop-request:{stop.pk}:iar")
    subject, text, _ = render(iar)
    assert "asks to stop" in subject and "/staff/stop-requests/" in text
    # Asking twice keeps one request.
    coordinator.post(url, {"reason": "resolved", "explanation": "Again"})
    assert StopRequest.objects.count() == 1

    staff_page = client_for("staff").get("/staff/stop-requests/").content.decode()
    assert world.case_x.reference in staff_page and "Released in May." in staff_page
    assert client_for("coordinator_a").get("/staff/stop-requests/").status_code == 403
    assert client_for("coordinator_b").get(url).status_code == 404
    assert client_for("member_x").get(url).status_code == 403
    assert world.case_x.status == Case.Status.OPEN


def test_confirming_stops_the_case_with_the_stop_flow_and_tells_the_coordinator(world, client_for):
    stop = request_stop(
        world.case_x, reason="resolved", explanation="Released", actor=world.coordinator_a
    )
    response = client_for("staff").post(f"/staff/stop-requests/{stop.pk}/", {"decision": "confirm"})
    assert response.status_code == 302
    world.case_x.refresh_from_db()
    world.allocation_x.refresh_from_db()
    stop.refresh_from_db()
    assert world.case_x.status == Case.Status.CLOSED and world.case_x.closing_reason == "resolved"
    assert world.allocation_x.status == Allocation.Status.ENDED
    assert world.allocation_x.end_reason == Allocation.EndReason.CASE_CLOSED
    assert stop.status == StopRequest.Status.CONFIRMED and stop.decided_by == world.staff
    answer = OutboundMessage.objects.get(
        idempotency_key__startswith=f"stop-request:{stop.pk}:confirmed"
    )
    assert answer.to_email == "coord.a@example.org"
    assert answer.status == OutboundMessage.Status.QUEUED
    assert "IAR have stopped the case" in render(answer)[0]
    # The group is asked to confirm it has stopped.
    assert OutboundMessage.objects.filter(template="case-stopped").exists()


def test_refusing_needs_a_reason_and_tells_the_coordinator(world, client_for):
    stop = request_stop(
        world.case_x, reason="other", explanation="Quiet for years", actor=world.coordinator_a
    )
    staff = client_for("staff")
    no_reason = staff.post(f"/staff/stop-requests/{stop.pk}/", {"decision": "refuse"})
    assert no_reason.status_code == 400
    assert "Tell the coordinator why the case goes on." in no_reason.content.decode()
    staff.post(
        f"/staff/stop-requests/{stop.pk}/",
        {"decision": "refuse", "refusal_reason": "The trial is next month."},
    )
    stop.refresh_from_db()
    world.case_x.refresh_from_db()
    assert stop.status == StopRequest.Status.REFUSED and world.case_x.status == Case.Status.OPEN
    answer = OutboundMessage.objects.get(
        idempotency_key__startswith=f"stop-request:{stop.pk}:refused"
    )
    assert "The trial is next month." in render(answer)[1]
    workspace = client_for("coordinator_a").get(f"/coordinator/cases/{world.case_x.reference}/")
    assert "The trial is next month." in workspace.content.decode()
    with pytest.raises(CoordinatorError):
        confirm_stop_request(stop, actor=world.staff)


def test_only_staff_answer(world):
    stop = request_stop(
        world.case_x, reason="resolved", explanation="Released", actor=world.coordinator_a
    )
    with pytest.raises(CoordinatorError):
        confirm_stop_request(stop, actor=world.coordinator_a)
    with pytest.raises(CoordinatorError):
        refuse_stop_request(stop, reason="no", actor=world.coordinator_a)
