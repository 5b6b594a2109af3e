"""The catalog in memory, built once per catalog version: names folded once, a category index with its
counts, and substring search whose cost follows the matches, not a re-fold of every name (issue 14).

Search is `needle in folded_name`, the same test as before, over the folded names kept in catalog
order. Across the whole catalog, the candidates are the names that hold the needle's rarest letter
(each letter's positions: LETTERS, carried by the snapshot, else found on first use), so a one-letter
search is its list and a longer one tests only the candidates. Within a category, the names are also
joined into blocks of BLOCK names (one string each): `needle in block` is one C-level search over
~1.5 KB, and only the names of the blocks that contain the needle are tested one by one; a needle
found in most blocks is tested against every name in one pass instead. Other structures were measured
on the same data (bench/scale.py, BENCHMARKS.md): one haystack string searched with `str.find` (one
Python step per hit), every name in one pass, and 1-3-gram postings (seconds to build at 100k names).
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence

from chalicelib.domain import Expert, sort_name

BLOCK = 128
# Names are one line of visible text; a separator inside a needle could only add blocks to test,
# never lose a match, because each name is also tested on its own.
SEPARATOR = "\n"
CACHED_SEARCHES = 256  # recent needles per catalog version: paging and /categories reuse the matches
EMPTY: array[int] = array("i")


class _Shard:
    """Some experts' folded names in catalog order, with their positions in the whole catalog."""

    def __init__(self, positions: Sequence[int], folded: list[str]):
        self.positions = positions
        self.folded = folded
        self.blocks = [SEPARATOR.join(folded[start : start + BLOCK]) for start in range(0, len(folded), BLOCK)]

    def matches(self, needle: str) -> list[int]:
        hits = [number for number, text in enumerate(self.blocks) if needle in text]
        if 2 * len(hits) > len(self.blocks):
            return [p for p, name in zip(self.positions, self.folded, strict=True) if needle in name]
        found: list[int] = []
        for number in hits:
            start, end = number * BLOCK, (number + 1) * BLOCK
            names = self.folded[start:end]
            found.extend([p for p, name in zip(self.positions[start:end], names, strict=True) if needle in name])
        return found


def letter_positions(names: Sequence[str], letters: Iterable[str]) -> dict[str, array[int]]:
    """For each of `letters`, the positions of the names that contain it (one pass over the names)."""
    wanted = set(letters)
    found = {letter: array("i") for letter in wanted}
    if len(wanted) == 1:  # one letter, the common case once most are known: one comprehension
        (letter,) = wanted
        found[letter].extend([p for p, name in enumerate(names) if letter in name])
        return found
    for position, name in enumerate(names):
        for letter in wanted.intersection(name):
            found[letter].append(position)
    return found


class CatalogIndex:
    """Immutable once built; `folded` (the names folded by sort_name) and `letters` (every letter's
    positions, from letter_positions) may come with the snapshot."""

    def __init__(
        self,
        experts: Sequence[Expert],
        folded: Sequence[str] | None = None,
        letters: Mapping[str, array[int]] | None = None,
    ):
        self.experts: tuple[Expert, ...] = tuple(experts)
        names = list(folded) if folded is not None else [sort_name(e.name) for e in self.experts]
        if len(names) != len(self.experts):
            raise ValueError("one folded name per expert")
        self.by_id = {e.id: e for e in self.experts}
        self._category_of = [e.category for e in self.experts]
        self._names = names
        self._everyone = range(len(names))
        self._letters: dict[str, array[int]] = dict(letters or {})
        self._all_letters = letters is not None  # else a letter not seen yet is looked for on first use
        members: dict[str, list[int]] = {}
        for position, expert in enumerate(self.experts):
            members.setdefault(expert.category, []).append(position)
        self._shards = {
            category: _Shard(positions, [names[p] for p in positions])
            for category, positions in sorted(members.items())
        }
        self._counts = [(category, len(shard.positions)) for category, shard in self._shards.items()]
        self._recent: OrderedDict[str, Sequence[int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.experts)

    def search(self, needle: str, category: str | None) -> Sequence[int]:
        """Positions (in catalog order) of the experts whose folded name contains `needle` (already
        folded; empty: every expert), in `category` when one is given."""
        if category is not None:
            shard = self._shards.get(category)
            if shard is None:
                return ()
            return shard.matches(needle) if needle else shard.positions
        if not needle:
            return self._everyone
        return self._remembered(needle)

    def _matches(self, needle: str) -> Sequence[int]:
        letters = set(needle)
        with self._lock:
            missing = set() if self._all_letters else letters.difference(self._letters)
        if missing:
            found = letter_positions(self._names, missing)
            with self._lock:
                self._letters.update(found)
        candidates = min((self._letters.get(letter, EMPTY) for letter in letters), key=len)
        if len(needle) == 1:
            return candidates
        names = self._names
        return [p for p in candidates if needle in names[p]]

    def _remembered(self, needle: str) -> Sequence[int]:
        with self._lock:
            found = self._recent.get(needle)
            if found is not None:
                self._recent.move_to_end(needle)
                return found
        found = self._matches(needle)
        with self._lock:
            self._recent[needle] = found
            if len(self._recent) > CACHED_SEARCHES:
                self._recent.popitem(last=False)
        return found

    def page(self, positions: Sequence[int], start: int, limit: int) -> list[Expert]:
        return [self.experts[p] for p in positions[start : start + limit]]

    def category_counts(self, needle: str) -> list[tuple[str, int]]:
        """Every category with its number of experts, or of those matching `needle` (zero included,
        so the list keeps its shape while someone types). The matches are the listing's, remembered:
        the SPA asks for both with the same text, which then costs one search."""
        if not needle:
            return list(self._counts)
        found = Counter(map(self._category_of.__getitem__, self._remembered(needle)))
        return [(category, found[category]) for category in self._shards]
