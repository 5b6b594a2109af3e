"""Each route declared once (issue 11): method, path, summary, responses, query and body models, the
headers it reads, and who may call it. The declaration registers the Chalice route, parses and validates
the query and body into their pydantic models, checks the admin token for admin routes, maps errors to
the envelope (http.handle_errors), and is what /openapi.json is built from (chalicelib/openapi.py).

    @routes.post("/bookings/{booking_id}/reschedule", {200: BookingOut}, errors=(404, 409), auth=CLIENT)
    def reschedule(booking_id: str, grant: Grant, body: RescheduleRequest) -> Response: ...

The view's docstring is the operation's summary ("Move a booking ..."); its `body` (and `query`) parameter's
type is the model the request is parsed into.

Paths use snake_case parameters as the view's arguments; the document shows them in camelCase.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from chalice.app import Blueprint, Chalice, CORSConfig, Response
from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from chalicelib.errors import Unauthorized
from chalicelib.http import handle_errors, parse_json, parse_query
from chalicelib.models import ErrorOut

Auth = Literal["public", "client", "admin", "client_or_admin"]
PUBLIC: Auth = "public"
CLIENT: Auth = "client"
ADMIN: Auth = "admin"
# A client's token (the view gets its grant) or an admin's (the view gets None): a signed-in non-admin is 403.
CLIENT_OR_ADMIN: Auth = "client_or_admin"
Shape = type[BaseModel] | tuple[type[BaseModel], ...] | None  # a tuple: one of these models
ANY_BODY = ["*/*"]  # the content type is checked by parse_json, so its error uses the envelope
View = Callable[..., Response]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as Chalice routes it: /experts/{expert_id}
    summary: str
    responses: dict[int, Shape]
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    auth: Auth = PUBLIC
    headers: tuple[str, ...] = ()

    @property
    def document_path(self) -> str:
        """The path as /openapi.json shows it: /experts/{expertId}."""
        return re.sub(r"\{([a-z_]+)\}", lambda m: "{" + to_camel(m.group(1)) + "}", self.path)

    @property
    def secured(self) -> bool:
        return self.auth != PUBLIC


@dataclass
class Routes:
    """The app's routes and their declarations (what openapi.document reads)."""

    app: Chalice | Blueprint  # an area's blueprint (chalicelib/views)
    cors: CORSConfig
    check_admin: Callable[[Any], None]  # raises Unauthorized / Forbidden; takes the request headers
    client_grant: Callable[[Any], Any]  # the client token's grant (access.Grant); raises Unauthorized
    operations: list[Operation] = field(default_factory=list)

    def get(self, path: str, ok: dict[int, Shape], **options: Any) -> Callable[[View], View]:
        return self.route("get", path, ok, **options)

    def post(self, path: str, ok: dict[int, Shape], **options: Any) -> Callable[[View], View]:
        return self.route("post", path, ok, **options)

    def patch(self, path: str, ok: dict[int, Shape], **options: Any) -> Callable[[View], View]:
        return self.route("patch", path, ok, **options)

    def put(self, path: str, ok: dict[int, Shape], **options: Any) -> Callable[[View], View]:
        return self.route("put", path, ok, **options)

    def delete(self, path: str, ok: dict[int, Shape], **options: Any) -> Callable[[View], View]:
        return self.route("delete", path, ok, **options)

    def route(
        self,
        method: str,
        path: str,
        ok: dict[int, Shape],
        *,
        errors: tuple[int, ...] = (),
        auth: Auth = PUBLIC,
        headers: tuple[str, ...] = (),
    ) -> Callable[[View], View]:
        """`ok`: the success statuses and their models; `errors`: the statuses the view itself may answer
        (those that validation, a body and credentials imply are added). The view says the rest: its
        docstring is the operation's summary, and its `query` and `body` parameters' types are the models
        the request is parsed into."""

        def register(view: View) -> View:
            summary = " ".join((view.__doc__ or "").split())
            if not summary:
                raise TypeError(f"{method.upper()} {path}: the view needs a docstring (its summary in /openapi.json)")
            hints = typing.get_type_hints(view)
            query: type[BaseModel] | None = hints.get("query")
            body: type[BaseModel] | None = hints.get("body")
            implied = {400} if query or body else set()
            implied |= {413, 415} if body else set()
            implied |= {401, 403} if auth != PUBLIC else set()
            responses: dict[int, Shape] = {**ok, **dict.fromkeys(sorted(implied | set(errors)), ErrorOut)}
            self.operations.append(Operation(method, path, summary, responses, query, body, auth, headers))

            @functools.wraps(view)
            @handle_errors
            def handler(**params: Any) -> Response:
                request: Any = self.app.current_request
                # Credentials first: a stranger learns nothing from validation messages.
                if auth == ADMIN:
                    self.check_admin(request.headers)
                elif auth == CLIENT:
                    params["grant"] = self.client_grant(request.headers)
                elif auth == CLIENT_OR_ADMIN:
                    params["grant"] = self._client_or_admin(request.headers)
                if query is not None:
                    params["query"] = parse_query(request.query_params, query)
                if body is not None:
                    params["body"] = parse_json(request, body)
                return view(**params)

            writes = method in ("post", "patch", "put")
            options: dict[str, Any] = {"content_types": ANY_BODY} if writes else {}
            self.app.route(path, methods=[method.upper()], cors=self.cors, **options)(handler)
            return handler

        return register

    def _client_or_admin(self, headers: Any) -> Any:
        try:
            self.check_admin(headers)
        except Unauthorized:  # not an admin's token at all: it must be a client's
            return self.client_grant(headers)
        return None
