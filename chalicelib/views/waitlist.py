"""The waitlist for a full day: join, and verify the email (issue 12)."""

from __future__ import annotations

from datetime import timedelta

from chalice.app import Response

from chalicelib import deps
from chalicelib.http import ok
from chalicelib.models import LinkToken
from chalicelib.models.waitlist import WaitlistJoin, WaitlistVerifiedOut
from chalicelib.services import access, waitlist
from chalicelib.views import common

blueprint, routes = common.area(__name__)


@routes.post("/experts/{expert_id}/waitlist", {202: None}, errors=(404, 409, 429))
def join_waitlist(expert_id: str, body: WaitlistJoin) -> Response:
    """Join the expert's waitlist for a full date (always 202 once valid; verified by an emailed link)"""
    cfg = deps.settings()
    policy = waitlist.JoinPolicy(
        verify=cfg.unverified_hold_minutes > 0,
        min_notice=timedelta(minutes=cfg.min_notice_minutes),
        source_ip=common.source_ip(blueprint.current_request),
    )
    waitlist.join(
        deps.repository(),
        deps.catalog(),
        common.expert_id(expert_id),
        body.email,
        body.date,
        now=deps.now(),
        policy=policy,
    )
    return Response(body="", status_code=202)


@routes.post("/experts/{expert_id}/waitlist/verify", {200: WaitlistVerifiedOut}, errors=(401, 403, 404))
def verify_waitlist(expert_id: str, body: LinkToken) -> Response:
    """Confirm a waitlist request's email with the emailed link's token"""
    now = deps.now()
    grant = access.verify(deps.client_token_secret(), body.token, now, scopes=frozenset({access.WAITLIST}))
    entry = waitlist.verify(deps.repository(), deps.catalog(), grant, common.expert_id(expert_id), now)
    return ok(WaitlistVerifiedOut.of(entry))
