"""A party on a stale list, looked up again on the list's next snapshot held.

A party found on the stale snapshot but not on the next one may have been delisted between
the two (the listing's reasons become ``review``); one found only on the next may have been
listed (a ``review`` naming the bracketing dates); no change is an ``info`` reason.
"""

from __future__ import annotations

from collections.abc import Callable

from embargo.rules.decision import INFO, REVIEW, Reason
from embargo.rules.hits import plain_reason
from embargo.rules.resolve import ListedMatch, PartyResolver
from embargo.rules.staleness import Staleness
from embargo.rules.transaction import Party
from embargo.store.types import Snapshot

LaterView = Callable[[Snapshot], PartyResolver | None]
"""The stale list's next snapshot, to look a party up on (a view, or what changed since)."""


def stale_changes(party: Party, matches: list[ListedMatch], stale: list[Staleness],
                  later_view: LaterView | None) -> tuple[list[Reason], dict[str, str]]:
    """The party's entries on stale lists against the next snapshot held of each."""
    reasons: list[Reason] = []
    delisted: dict[str, str] = {}
    for lag in stale:
        later = later_view(lag.later) if lag.later is not None and later_view else None
        if later is None or lag.later is None:
            continue
        now = {m.entity.id: m for m in matches if m.entity.source == lag.source}
        then = {m.entity.id: m for m in later.resolve(party) if m.entity.source == lag.source}
        span = f"between {lag.snapshot.published} and {lag.later.published}"
        for gone in sorted(now.keys() - then.keys()):
            delisted[gone] = (f"{lag.describe()}; the next snapshot held "
                              f"({lag.later.published}) no longer lists {gone}: it may "
                              f"have been delisted {span}")
        for new in sorted(then.keys() - now.keys()):
            reasons.append(plain_reason(
                REVIEW, f"{lag.describe()}; the next snapshot held ({lag.later.published}) "
                f"lists {then[new].entity.caption} ({new}, {then[new].method}): the party "
                f"may have been listed {span}", party, match=then[new]))
        if now.keys() == then.keys():
            reasons.append(plain_reason(INFO, f"{lag.describe()}; the next snapshot held "
                                        f"({lag.later.published}) shows no change for "
                                        "this party", party))
    return reasons, delisted
