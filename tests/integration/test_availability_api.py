"""PUT/GET /admin/experts/{id}/availability and the preview over HTTP (in process, moto table, real
Cognito tokens), and two rules applied at once never leaving overlapping slots."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from datetime import datetime, time, timedelta, timezone

import pytest
from chalice.test import Client

from chalicelib import deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Availability
from chalicelib.services import access
from chalicelib.services import availability as service
from chalicelib.services.experts import Catalog
from tests.availability_rules import BAD_CHANGES, RULE
from tests.conftest import NOW, USER_PASSWORD, id_token, make_expert
from tests.integration.conftest import app_client

PATH = "/admin/experts/exp-1/availability"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(dynamo_repo: DynamoRepository, settings: Settings) -> Iterator[Client]:
    dynamo_repo.put_expert(make_expert())  # Europe/London, 60-minute sessions
    with app_client(dynamo_repo, settings) as test_client:
        yield test_client


def test_put_makes_the_slots_clients_see_and_get_returns_the_rule(client: Client, admin: dict[str, str]) -> None:
    before = client.http.get(PATH, headers=admin)
    assert before.status_code == 200
    assert before.json_body == {"availability": None, "timezone": "Europe/London", "sessionMinutes": 60}
    put = client.http.put(PATH, headers=admin, body=json.dumps(RULE))
    assert put.status_code == 200, put.body
    # Mon 23 and Mon 30 (3 each), Wed 1 April (2); Wed 25 March is overridden as a day off.
    assert (put.json_body["created"], put.json_body["deleted"], put.json_body["kept"]) == (8, 0, [])
    stored = client.http.get(PATH, headers=admin).json_body["availability"]
    assert stored["weekly"]["mon"] == RULE["weekly"]["mon"] and stored["weekly"]["tue"] == []
    assert stored["overrides"] == RULE["overrides"] and stored["horizonDays"] == 14
    days = client.http.get("/experts/exp-1/slots?from=2026-03-23&days=14").json_body["days"]
    starts = [s["start"] for d in days for s in d["slots"] if s["available"]]
    assert starts[:3] == ["2026-03-23T09:00:00Z", "2026-03-23T10:00:00Z", "2026-03-23T11:00:00Z"]
    assert "2026-04-01T13:00:00Z" in starts  # 14:00 BST
    again = client.http.put(PATH, headers=admin, body=json.dumps(RULE))
    assert (again.json_body["created"], again.json_body["deleted"]) == (0, 0)


@pytest.mark.parametrize(("change", "field"), BAD_CHANGES)
def test_bad_rules_are_400_naming_the_field_and_write_nothing(
    client: Client, admin: dict[str, str], change: dict[str, object], field: str
) -> None:
    response = client.http.put(PATH, headers=admin, body=json.dumps({**RULE, **change}))
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_failed"
    assert field in [d["field"] for d in response.json_body["error"]["details"]]
    assert client.http.get(PATH, headers=admin).json_body["availability"] is None


def test_unknown_expert_is_404(client: Client, admin: dict[str, str]) -> None:
    for method in ("GET", "PUT"):
        response = client.http.request(
            method, "/admin/experts/nobody/availability", headers=admin, body=json.dumps(RULE)
        )
        assert (response.status_code, response.json_body["error"]["code"]) == (404, "expert_not_found")


def test_preview_shows_the_slots_by_local_date_and_writes_nothing(client: Client, admin: dict[str, str]) -> None:
    response = client.http.post(f"{PATH}/preview", headers=admin, body=json.dumps(RULE))
    assert response.status_code == 200
    body = response.json_body
    assert body["timezone"] == "Europe/London"
    assert [d["date"] for d in body["days"]] == ["2026-03-23", "2026-03-30", "2026-04-01"]
    assert body["days"][2]["slots"] == [
        {"start": "2026-04-01T13:00:00Z", "end": "2026-04-01T14:00:00Z"},
        {"start": "2026-04-01T14:00:00Z", "end": "2026-04-01T15:00:00Z"},
    ]
    assert client.http.get(PATH, headers=admin).json_body["availability"] is None
    assert client.http.get("/experts/exp-1/slots?days=14").json_body["days"][0]["slots"] == []


def test_only_admins_may_read_set_or_preview(client: Client, cognito: dict[str, str]) -> None:
    plain = id_token(cognito["COGNITO_CLIENT_ID"], "plain", USER_PASSWORD)
    client_token, _ = access.email_token(deps.client_token_secret(), "someone@example.com", datetime.now(timezone.utc))
    for method, path in (("GET", PATH), ("PUT", PATH), ("POST", f"{PATH}/preview")):
        for token, expected in ((None, 401), (plain, 403), (client_token, 401), ("forged.token.value", 401)):
            headers = {**JSON, **({"Authorization": f"Bearer {token}"} if token else {})}
            response = client.http.request(method, path, headers=headers, body=json.dumps(RULE))
            assert response.status_code == expected, (method, path, token)
    assert deps.repository().get_availability("exp-1") is None


def test_two_rules_applied_at_once_never_leave_overlapping_slots(dynamo_repo: DynamoRepository) -> None:
    dynamo_repo.put_expert(make_expert())
    on_the_hour = Availability(weekly={"mon": ((time(9), time(17)),)}, overrides={}, horizon_days=14)
    half_past = Availability(weekly={"mon": ((time(9, 30), time(17)),)}, overrides={}, horizon_days=14)
    barrier, failures = threading.Barrier(4), []

    def run(rule: Availability) -> None:
        barrier.wait()
        try:
            service.set_availability(dynamo_repo, Catalog(dynamo_repo, 30), "exp-1", rule, NOW)
        except Exception as exc:  # a 503 after contention is allowed; an overlap is not
            failures.append(type(exc).__name__)

    threads = [threading.Thread(target=run, args=(r,)) for r in (on_the_hour, half_past) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(failures) <= {"ServiceUnavailable", "Contended"}
    made = dynamo_repo.list_slots("exp-1", NOW, NOW + timedelta(days=15), consistent=True)
    assert made, failures
    assert all(a.end <= b.start for a, b in itertools.pairwise(made))
