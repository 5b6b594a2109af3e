"""The catalog at 1k, 10k and 100k experts (issue 14): cold load, warm requests, reads per reload.

    python -m bench.scale [--quick] [--write BENCHMARKS.md]      (also part of `make bench`)

AWS answers at once and costs no per-call time: the app's own code runs on real botocore clients whose
`before-send` hook returns prepared HTTP answers (the catalog Query's JSON pages of at most 1 MB, the
snapshot object, or a 304), so botocore still parses every answer as if it had come over the network.
Warm requests go through the Chalice app as Lambda calls it (an API Gateway event). Times are medians
of the CPU time spent on this thread (the machine is shared); a 512 MB Lambda has about a third of a
core, so multiply by 3-4 for Lambda (issue 14).
"""

from __future__ import annotations

import argparse
import bisect
import gc
import gzip
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import item_size, median_time

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
# Search texts as people type them: one letter (matches most names), a common syllable, a name part,
# and a rare full name (its exact text is added to the catalog below).
NEEDLES = ("a", "ma", "mar", "son", "kowalczyk-ø")
RARE_NAME = "Ilse Kowalczyk-Øberg"
TARGETS = {"cold_ms": 1500, "q_ms": 10, "category_ms": 2, "categories_ms": 2}
PAGE_BYTES = 1024 * 1024  # a Query page stops at 1 MB of items
SYLLABLES = "an be cho da é fi gu ha ï jo ka lé mo nu ö pa qui ra sö ta u vi wa xe ya zo mar tin son el ric ber".split()
CATEGORIES = ["Career", "Design", "Engineering", "Finance", "Health", "Language", "Legal", "Marketing"]
WORDS = "plans reviews teaches mentors builds audits leads designs systems teams products careers money".split()


def make_experts(n: int, seed: int = 14) -> list[Any]:
    from chalicelib.domain import Expert

    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    experts = [
        Expert(
            id=f"exp-{i:06x}{rng.getrandbits(32):08x}",
            name=RARE_NAME if i == n // 2 else f"{word()} {word()}",
            category=CATEGORIES[i % len(CATEGORIES)],
            experience_years=rng.randint(1, 40),
            rating=round(rng.uniform(3, 5), 1),
            bio=" ".join(rng.choice(WORDS) for _ in range(50)).capitalize() + ".",  # ~350 bytes, like the demo's
            timezone="Europe/London",
            session_minutes=rng.choice((30, 45, 60)),
        )
        for i in range(n)
    ]
    from chalicelib.services.catalog_snapshot import order_key, row

    return sorted(experts, key=lambda e: order_key(row(e)))


class _Raw:
    """What botocore reads an HTTP answer's body from (urllib3's response, for a prepared body)."""

    def __init__(self, body: bytes):
        self._body, self._at = body, 0

    def stream(self, **_: Any) -> Any:
        yield self.read()

    def read(self, amt: int | None = None) -> bytes:
        end = len(self._body) if amt is None else self._at + amt
        chunk, self._at = self._body[self._at : end], min(end, len(self._body))
        return chunk


def instant_client(service: str, answer: Callable[[Any], tuple[int, dict[str, str], bytes]]) -> Any:
    """A botocore client whose requests never leave the process: `answer(request)` gives the reply."""
    import boto3
    from botocore.awsrequest import AWSResponse, HeadersDict

    client = boto3.session.Session().client(
        service,
        endpoint_url="http://127.0.0.1:9",  # never reached: before-send answers first
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",  # noqa: S106
    )

    def send(request: Any, **_: Any) -> Any:
        status, headers, body = answer(request)
        return AWSResponse(request.url, status, HeadersDict({**headers, "Content-Length": str(len(body))}), _Raw(body))

    client.meta.events.register("before-send", send)
    return client


class InstantCatalogQuery:
    """The GSI1 catalog Query's pages, as DynamoDB would send them, with the read units they cost."""

    def __init__(self, experts: list[Any]):
        from chalicelib.db import items

        self.pages: list[bytes] = []
        self.read_units = 0.0
        page: list[dict[str, Any]] = []
        size = 0
        item_list = [items.expert_item(e) for e in experts]
        for n, item in enumerate(item_list):
            page.append(item)
            size += item_size(item)
            if size >= PAGE_BYTES or n == len(item_list) - 1:
                last = {name: item[name] for name in ("PK", "SK", "GSI1PK", "GSI1SK")}
                more = {"LastEvaluatedKey": last} if n < len(item_list) - 1 else {}
                self.pages.append(json.dumps({"Items": page, "Count": len(page), **more}).encode())
                self.read_units += math.ceil(size / 4096) * 0.5  # eventually consistent: 0.5 RRU per 4 KB
                page, size = [], 0
        self.starts = [json.loads(p).get("LastEvaluatedKey", {}).get("GSI1SK", {}).get("S") for p in self.pages]

    def __call__(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        start = json.loads(request.body).get("ExclusiveStartKey")
        number = 0 if start is None else self.starts.index(start["GSI1SK"]["S"]) + 1
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, self.pages[number]


class InstantSnapshot:
    """The snapshot object: 200 with the body, or 304 when If-None-Match names its ETag."""

    def __init__(self, body: bytes):
        self.body, self.etag, self.gets, self.not_modified = body, '"bench-1"', 0, 0

    def __call__(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        self.gets += 1
        condition = request.headers.get("If-None-Match") or b""
        if (condition.decode() if isinstance(condition, bytes) else condition) == self.etag:
            self.not_modified += 1
            return 304, {"ETag": self.etag}, b""
        return 200, {"ETag": self.etag, "Content-Type": "application/gzip"}, self.body


def median_ms(call: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None) -> float:
    """Median CPU time of `call()` on this thread: the machine is shared, and other processes' turns on
    the cores would otherwise count (AWS answers at once here, so nothing waits on I/O)."""
    return median_time(call, repeat, before, clock=time.thread_time) * 1000


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def app_request(path: str) -> Callable[[], dict[str, Any]]:
    from chalice.local import LambdaEventConverter, RouteMatcher

    import app as app_module
    from bench.harness import lambda_context

    event = LambdaEventConverter(RouteMatcher(list(app_module.app.routes))).create_lambda_event("GET", path, {}, None)
    context = lambda_context()

    def call() -> dict[str, Any]:
        answer: dict[str, Any] = app_module.app(event, context)
        assert answer["statusCode"] == 200, answer
        return answer

    return call


def measure(n: int, quick: bool) -> dict[str, Any]:
    from chalicelib import deps
    from chalicelib.db.experts import ExpertTable
    from chalicelib.db.snapshots import S3SnapshotStore
    from chalicelib.services.catalog_snapshot import encode, republish, row
    from chalicelib.services.experts import Catalog

    cold_repeat = 1 if n >= 100_000 else 3
    repeat = 30 if quick else 200
    experts = make_experts(n)
    query = InstantCatalogQuery(experts)
    table = ExpertTable(instant_client("dynamodb", query), "Bench")
    started = time.thread_time()
    body = encode(row(e) for e in experts)
    encode_ms = (time.thread_time() - started) * 1000
    snapshot = InstantSnapshot(body)
    store = S3SnapshotStore(instant_client("s3", snapshot), "bench-catalog")
    result: dict[str, Any] = {
        "n": n,
        "pages": len(query.pages),
        "rru": query.read_units,
        "snapshot_bytes": len(body),
        "snapshot_raw_bytes": len(gzip.decompress(body)),
        "encode_ms": encode_ms,
    }
    result["cold_table_ms"] = median_ms(lambda: Catalog(table, 30).categories(), cold_repeat)
    result["cold_snapshot_ms"] = median_ms(lambda: Catalog(table, 30, snapshots=store).categories(), cold_repeat)
    clock = Clock()
    catalog = Catalog(table, 30, clock, store)
    catalog.categories()

    def expire() -> None:
        clock.now += 30

    gets = snapshot.gets
    result["reload_304_ms"] = median_ms(catalog.categories, repeat, before=expire)
    result["reload_gets"] = (snapshot.gets - gets) / repeat
    result["reload_304s"] = snapshot.not_modified
    deps.override(repository=table, catalog=catalog)
    index = catalog._current()  # the index the requests below search (cleared to time first searches)

    def forget() -> None:
        index._recent.clear()

    result["q_ms"] = {
        needle: median_ms(app_request(f"/experts?q={needle}"), repeat, before=forget) for needle in NEEDLES
    }
    result["q_remembered_ms"] = median_ms(app_request("/experts?q=a&page=2"), repeat)
    result["category_ms"] = median_ms(app_request("/experts?category=Legal&page=3"), repeat)
    result["category_q_ms"] = median_ms(app_request("/experts?category=Legal&q=ma"), repeat)
    result["categories_ms"] = median_ms(app_request("/categories"), repeat)
    result["categories_q_ms"] = {
        needle: median_ms(app_request(f"/categories?q={needle}"), repeat, before=forget) for needle in ("a", "mar")
    }
    changed = [experts[0].__class__(**{**experts[0].__dict__, "name": "Aaron Edited"})]
    result["publish_ms"] = median_ms(lambda: republish(_Memory(body), table, changed), cold_repeat)
    return result


class _Memory:
    """The snapshot store's contract in memory, for timing what the stream consumer does per batch."""

    def __init__(self, body: bytes):
        self.body = body

    def read(self, etag: str | None) -> Any:
        from chalicelib.services.catalog_snapshot import Stored

        return Stored('"m"', self.body)

    def write(self, body: bytes, replaces: str | None) -> bool:
        return True


def compare_structures(n: int) -> dict[str, Any]:
    """Substring search over the folded names, three ways, at `n` names (the chosen one: blocks)."""
    from chalicelib.domain import Expert, sort_name
    from chalicelib.services.catalog_index import CatalogIndex, _Shard, letter_positions

    folded = [sort_name(e.name) for e in make_experts(n)]
    haystack = "\n".join(folded)
    starts = [0]
    for name in folded[:-1]:
        starts.append(starts[-1] + len(name) + 1)

    def every_name(needle: str) -> list[int]:
        return [i for i, name in enumerate(folded) if needle in name]

    def one_string(needle: str) -> list[int]:
        found, at = [], haystack.find(needle)
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1
            found.append(i)
            at = haystack.find(needle, starts[i + 1]) if i + 1 < len(starts) else -1
        return found

    shard = _Shard(range(len(folded)), folded)
    gc.disable()
    started = time.thread_time()
    letters = letter_positions(folded, set().union(*map(set, folded)))
    letters_ms = (time.thread_time() - started) * 1000
    gc.enable()
    index = CatalogIndex([Expert(str(i), "", "", 0, 0.0, "", "", 0) for i in range(n)], folded, letters)
    rows = {}
    for needle in (sort_name(x) for x in NEEDLES):
        assert every_name(needle) == one_string(needle) == shard.matches(needle) == list(index._matches(needle))
        rows[needle] = {
            "matches": len(every_name(needle)),
            "every_name": median_ms(lambda needle=needle: every_name(needle), 15),
            "one_string": median_ms(lambda needle=needle: one_string(needle), 15),
            "blocks": median_ms(lambda needle=needle: shard.matches(needle), 15),
            "letters": median_ms(lambda needle=needle: index._matches(needle), 15),
        }
    gc.disable()  # as fair to postings as the index's own build (services/experts.py long_lived)
    started = time.thread_time()
    postings: dict[str, list[int]] = {}
    for i, name in enumerate(folded):
        for gram in {name[j : j + k] for k in (1, 2, 3) for j in range(len(name) - k + 1)}:
            postings.setdefault(gram, []).append(i)
    gc.enable()
    postings_ms = (time.thread_time() - started) * 1000
    return {"n": n, "rows": rows, "postings_build_ms": postings_ms, "letters_build_ms": letters_ms}


def run(quick: bool) -> dict[str, Any]:
    sizes = QUICK_SIZES if quick else SIZES
    results = []
    for n in sizes:
        print(f"[bench] catalog at {n} experts", file=sys.stderr, flush=True)
        results.append(measure(n, quick))
    structures = compare_structures(sizes[-1])
    return {"sizes": results, "structures": structures, "load": os.getloadavg()[0], "cores": os.cpu_count()}


def ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def section(results: dict[str, Any], number: int = 9) -> list[str]:
    """The BENCHMARKS.md section (bench/report.py adds it after the others)."""
    from bench.report import commit, mark, table

    rows, sizes = [], results["sizes"]
    for r in sizes:
        worst_q = max(r["q_ms"].values())
        rows.append([
            f"{r['n']:,}",
            f"{ms(r['cold_snapshot_ms'])} ms (table: {ms(r['cold_table_ms'])} ms)",
            f"{ms(worst_q)} ms (worst of {len(r['q_ms'])}; repeated: {ms(r['q_remembered_ms'])})",
            f"{ms(r['category_ms'])} ms (with `q`: {ms(r['category_q_ms'])})",
            f"{ms(r['categories_ms'])} ms (with `q`: {ms(max(r['categories_q_ms'].values()))})",
            f"1 GET, 304: {ms(r['reload_304_ms'])} ms, 0 RRU (table: {r['rru']:,.0f} RRU, {r['pages']} pages)",
            f"{r['snapshot_bytes'] / 1e6:.1f} MB ({r['snapshot_raw_bytes'] / 1e6:.0f} MB unpacked); "
            f"publish {ms(r['publish_ms'])} ms",
        ])  # fmt: skip
    big = sizes[-1]
    checks = [
        ["cold load (snapshot)", f"≤ {TARGETS['cold_ms']} ms", ms(big["cold_snapshot_ms"]),
         mark(big["cold_snapshot_ms"] <= TARGETS["cold_ms"])],
        ["warm `q=` (worst search text)", f"≤ {TARGETS['q_ms']} ms", ms(max(big["q_ms"].values())),
         mark(max(big["q_ms"].values()) <= TARGETS["q_ms"])],
        ["warm category", f"≤ {TARGETS['category_ms']} ms", ms(big["category_ms"]),
         mark(big["category_ms"] <= TARGETS["category_ms"])],
        ["`/categories`", f"≤ {TARGETS['categories_ms']} ms", ms(big["categories_ms"]),
         mark(big["categories_ms"] <= TARGETS["categories_ms"])],
        ["DynamoDB reads per reload", "no single-partition read on every reload", "0 (a conditional S3 GET)",
         mark(big["reload_gets"] == 1 and big["reload_304s"] > 0)],
    ]  # fmt: skip
    structures = results["structures"]
    compare = [
        [f"`{needle}`", f"{row['matches']:,}", *(ms(row[k]) for k in ("every_name", "one_string", "blocks", "letters"))]
        for needle, row in structures["rows"].items()
    ]
    return [
        "",
        f"## {number}. Catalog at scale",
        "",
        "`bench/scale.py` (issue 14; `python -m bench.scale --write BENCHMARKS.md` refreshes this section alone, "
        f"last at {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on commit {commit()}): "
        "the catalog of 1k, 10k and 100k generated experts (two- to four-syllable "
        "names with accents, ~350-byte bios, 8 categories). AWS answers at once: the app's botocore clients get "
        "prepared HTTP answers from a `before-send` hook (the catalog Query's 1 MB pages, the snapshot object, "
        "or a 304) and parse them as if they came over the network. Requests go through the Chalice app as "
        "Lambda calls it. Times are medians of the CPU time spent on the benchmark's thread (`time.thread_time`, so "
        "other processes sharing the machine's cores do not count); a 512 MB Lambda has about a third of a core, "
        "so expect 3-4 times these on Lambda. Cold load: the first request of a new container, from the "
        "snapshot (the table's paged Query in brackets, the fallback while there is no snapshot). `q=`: the "
        f"first search for each of {', '.join(f'`{x}`' for x in NEEDLES)} (remembered matches cleared before "
        "each), and a repeated one (paging through a search). Reload: what a warm container does every "
        "`CATALOG_TTL_SECONDS`. Publish: what the stream consumer does per batch of expert changes. "
        f"The machine's load average was {results['load']:.1f} on {results['cores']} cores at the end of the run.",
        "",
        *table(["experts", "cold load", "warm `q=`", "warm category", "`/categories`", "reload", "snapshot"], rows),
        "",
        f"Targets at {big['n']:,} experts:",
        "",
        *table(["what", "target", "measured (ms)", "met"], checks),
        "",
        f"Search structures measured on the same {structures['n']:,} folded names (ms per search; results "
        "identical): every name tested in one comprehension; one string of all names searched with "
        "`str.find`, one Python step per hit; blocks of 128 names tested as one string first (kept for "
        "searches within a category); and the candidates holding the needle's rarest letter (kept for the "
        "whole catalog, `chalicelib/services/catalog_index.py`). Each letter's positions take "
        f"{structures['letters_build_ms']:.0f} ms to find, so the stream consumer finds them once per "
        "snapshot and containers read them from it; 1-3-gram postings took "
        f"{structures['postings_build_ms'] / 1000:.1f} s to build, "
        f"{structures['postings_build_ms'] / max(structures['letters_build_ms'], 0.001):.0f} times as long.",
        "",
        *table(["search text", "matches", "every name", "one string", "blocks", "rarest letter"], compare),
    ]


def write_section(lines: list[str], path: Path) -> None:
    """Replace this section in BENCHMARKS.md (or add it at the end) without re-running every benchmark."""
    text = path.read_text(encoding="utf-8")
    heading = next(line for line in lines if line.startswith("## "))
    title = heading.split(". ", 1)[1]
    start = next((i for i, line in enumerate(text.splitlines()) if line.endswith(f". {title}")), None)
    lines_now = text.splitlines()
    if start is None:
        lines_now += lines
    else:
        end = next((i for i in range(start + 1, len(lines_now)) if lines_now[i].startswith("## ")), len(lines_now))
        lines_now[start - 1 : end] = lines
    path.write_text("\n".join(lines_now) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k experts only, fewer repetitions")
    parser.add_argument("--write", metavar="BENCHMARKS.md", help="replace this section in that file")
    args = parser.parse_args()
    lines = section(run(args.quick))
    print("\n".join(lines))
    if args.write:
        write_section(lines, Path(args.write))


if __name__ == "__main__":
    main()
