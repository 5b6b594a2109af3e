"""AWS calls per request, and framework overhead, for every route in bench/routes.py.

1. Calls: each route once on a cold container (fresh catalog cache), then once warm; the app's
   own botocore clients count every call (hooks on before-call).
2. Instant answers: the warm request's recorded responses are queued in botocore Stubbers, so
   the handler runs with AWS answering at once; its time is divided by a bare Chalice route's.
3. moto: the same routes against DynamoDB on moto_server over HTTP (fresh resources each time).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bench.harness import Harness, count_by_operation, lambda_context, median_time
from bench.routes import ROUTES, Fixture, Route


@dataclass
class RouteResult:
    route: Route
    present: bool = True
    cold: list[tuple[str, str]] = field(default_factory=list)
    warm: list[tuple[str, str]] = field(default_factory=list)
    statuses: tuple[int, int] = (0, 0)
    recorded: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    read_bytes: int = 0
    instant_us: float | None = None
    moto_ms: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        limit = self.route.limit
        return limit is None or len(self.warm) <= limit


def present(harness: Harness, route: Route, fx: Fixture) -> bool:
    from chalice.local import RouteMatcher

    method, path, _, _ = route.build(fx, 0)
    try:
        matched = RouteMatcher(list(harness.app.routes)).match_route(path)
    except ValueError:
        return False
    return method in harness.app.routes[matched.route]


def fresh_catalog() -> None:
    from chalicelib import deps
    from chalicelib.services.experts import Catalog

    deps.override(catalog=Catalog(deps.repository(), deps.settings().catalog_ttl_seconds))


def count_calls(harness: Harness, fx: Fixture) -> list[RouteResult]:
    results = []
    for route in ROUTES:
        result = RouteResult(route)
        results.append(result)
        if not present(harness, route, fx):
            result.present, result.note = False, "route not in app.py yet"
            continue
        fresh_catalog()
        with harness.recording() as recorder:
            cold = harness.request(*route.build(fx, 0))
        result.cold = list(recorder.calls)
        with harness.recording() as recorder:
            warm = harness.request(*route.build(fx, 1))
        result.warm, result.recorded, result.read_bytes = (
            list(recorder.calls),
            list(recorder.responses),
            recorder.read_bytes,
        )
        result.statuses = (cold.status, warm.status)
    return results


def warm_catalog(fx: Fixture) -> None:
    from chalicelib import deps

    catalog = deps.catalog()
    catalog.categories()
    catalog.get(fx.expert)


@contextmanager
def instant_answers(result: RouteResult) -> Iterator[Callable[[], None]]:
    """botocore Stubbers on the app's clients; the yielded function queues one request's answers."""
    from botocore import xform_name
    from botocore.stub import Stubber

    from chalicelib import aws

    stubbers = {service: Stubber(aws.client(service)) for service, _, _ in result.recorded}
    for stubber in stubbers.values():
        stubber.activate()

    def queue() -> None:
        for service, operation, parsed in result.recorded:
            response = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
            stubbers[service].add_response(xform_name(operation), response)

    try:
        yield queue
    finally:
        for stubber in stubbers.values():
            stubber.deactivate()


def replay_state(harness: Harness, fx: Fixture, result: RouteResult) -> bool:
    """Put the catalog cache in the state the recording saw: warm, or cold for routes that
    invalidate it on every call (admin writes). True when a replayed request answers as recorded."""
    event = harness.event(*result.route.build(fx, 1))
    logging.disable(logging.ERROR)  # a wrong guess ends in the app's "unhandled" log line
    try:
        for prepare in (warm_catalog, lambda _fx: fresh_catalog()):
            prepare(fx)
            with instant_answers(result) as queue:
                queue()
                if harness.app(event, lambda_context())["statusCode"] == result.statuses[1]:
                    return True
        return False
    finally:
        logging.disable(logging.NOTSET)


def profile_instant(harness: Harness, fx: Fixture, result: RouteResult, repeat: int = 200) -> list[str]:
    """The functions that take the handler's own time (cProfile, instant answers), for the report."""
    import cProfile
    import pstats

    replay_state(harness, fx, result)
    event, context = harness.event(*result.route.build(fx, 1)), lambda_context()
    profiler = cProfile.Profile()
    with instant_answers(result) as queue:
        for _ in range(repeat):
            queue()
            profiler.enable()
            harness.app(event, context)
            profiler.disable()
    rows = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in rows.values())
    ranked = sorted(rows.items(), key=lambda kv: kv[1][2], reverse=True)[:6]  # by own time
    return [f"{name} ({short(filename)}:{line}) {row[2] / total:.0%}" for (filename, line, name), row in ranked]


def short(filename: str) -> str:
    for marker in ("site-packages/", "lib/python3.11/"):
        if marker in filename:
            return filename.split(marker)[-1]
    return filename.rsplit("/", 2)[-2] + "/" + filename.rsplit("/", 1)[-1] if "/" in filename else filename


def bare_app() -> Any:
    from chalice.app import Chalice

    bare = Chalice(app_name="bare")

    @bare.route("/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}

    return bare


def bare_time(repeat: int) -> float:
    from chalice.local import LambdaEventConverter, RouteMatcher

    bare = bare_app()
    event = LambdaEventConverter(RouteMatcher(list(bare.routes))).create_lambda_event("GET", "/ping", {}, None)
    context = lambda_context()
    median_time(lambda: bare(event, context), 50)
    return median_time(lambda: bare(event, context), repeat)


def time_instant(harness: Harness, fx: Fixture, results: list[RouteResult], repeat: int) -> None:
    """Handler time with every AWS call answered at once by botocore's Stubber (recorded responses)."""
    for result in results:
        if not result.present:
            continue
        if not replay_state(harness, fx, result):
            result.note = "recorded answers did not replay"
            continue
        event, context = harness.event(*result.route.build(fx, 1)), lambda_context()
        with instant_answers(result) as queue:
            median_time(partial(harness.app, event, context), 20, queue)
            seconds = median_time(partial(harness.app, event, context), repeat, queue)
        result.instant_us = seconds * 1e6


def time_moto(harness: Harness, fx: Fixture, results: list[RouteResult], repeat: int) -> None:
    """The same routes against moto_server (warm catalog); request i uses the i-th fresh resource."""
    for result in results:
        if not result.present:
            continue
        samples = []
        for i in range(2, 2 + repeat):
            event = harness.event(*result.route.build(fx, i))
            started = time.perf_counter()
            harness.invoke(event)
            samples.append(time.perf_counter() - started)
        result.moto_ms = statistics.median(samples) * 1e3


def run(harness: Harness, quick: bool) -> dict[str, Any]:
    from chalicelib import deps

    repeat_instant, repeat_moto = (200, 8) if quick else (1000, 30)
    fx = Fixture(deps.repository(), size=repeat_moto + 2)
    fx.admin_token = harness.sign_in_admin() or ""
    fx.credentials = {"username": harness.env["ADMIN_USERNAME"], "password": harness.env["ADMIN_PASSWORD"]}
    fx.client_token = client_token(fx.client_email)
    fx.etag = harness.request("GET", f"/experts/{fx.expert}/slots").headers.get("etag", "")
    results = count_calls(harness, fx)
    bare = bare_time(repeat_instant)
    time_instant(harness, fx, results, repeat_instant)
    slowest = sorted((r for r in results if r.instant_us), key=lambda r: -(r.instant_us or 0))[:3]
    profiles = {r.route.name: profile_instant(harness, fx, r) for r in slowest}
    time_moto(harness, fx, results, repeat_moto)
    return {"routes": results, "bare_us": bare * 1e6, "repeat": (repeat_instant, repeat_moto), "profiles": profiles}


def client_token(email: str) -> str:
    from datetime import datetime, timezone

    from chalicelib import deps
    from chalicelib.services import access

    return access.email_token(deps.client_token_secret(), email, datetime.now(timezone.utc))[0]


def describe(calls: list[tuple[str, str]]) -> str:
    return f"{len(calls)} ({count_by_operation(calls)})" if calls else "0"
