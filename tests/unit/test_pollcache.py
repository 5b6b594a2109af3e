from chalicelib.pollcache import PollCache, etag_of


def test_a_view_is_built_once_per_window_and_again_after() -> None:
    now = [10.0]
    built: list[str] = []
    cache = PollCache(clock=lambda: now[0])

    def build() -> str:
        built.append("x")
        return f"body {len(built)}"

    first = cache.get_or_build("k", 1.0, build)
    assert cache.get_or_build("k", 1.0, build) is first and len(built) == 1
    assert first.etag == etag_of("body 1")
    assert cache.get_or_build("other", 1.0, build).body == "body 2"  # keys are separate
    now[0] = 11.0
    assert cache.get_or_build("k", 1.0, build).body == "body 3"


def test_a_zero_window_never_caches() -> None:
    cache, built = PollCache(clock=lambda: 0.0), []
    for _ in range(3):
        cache.get_or_build("k", 0.0, lambda: built.append(1) or "b")
    assert len(built) == 3
