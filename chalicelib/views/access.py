"""Access links: email a link to My bookings, and exchange its token for an email token."""

from __future__ import annotations

from chalice.app import Response

from chalicelib import deps
from chalicelib.http import ok
from chalicelib.models import EmailAccessOut, EmailOnly, LinkToken
from chalicelib.services import access, clients
from chalicelib.views import common

blueprint, routes = common.area(__name__)


@routes.post("/bookings/access-link", {202: None})
def request_access_link(body: EmailOnly) -> Response:
    """Email a magic link to My bookings (always 202)"""
    clients.request_access_link(deps.repository(), body.email, deps.now())
    return Response(body="", status_code=202)


@routes.post("/bookings/access-token", {200: EmailAccessOut}, errors=(401,))
def exchange_access_link(body: LinkToken) -> Response:
    """Exchange an emailed access link's token for an email token (My bookings, 24 h)"""
    now, secret = deps.now(), deps.client_token_secret()
    grant = access.verify(secret, body.token, now, scopes=frozenset({access.LINK}))
    token, expires = access.email_token(secret, grant.subject, now)
    return ok(EmailAccessOut(email=grant.subject, access_token=token, expires_at=expires))
