"""Login throttles: wrong passwords are counted per account and address, never per account alone.

An attacker who guesses from one address slows down only that address: the owner still logs
in from any other. Across all addresses an account has a higher ceiling, and it applies only
to addresses that have already failed for that account, so a fresh address always gets its
try. A completed password reset clears the account's counts (for the resetting address and
the ceiling). Counts live in the rate limiter's storage: memory, or Redis when it is shared.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import current_app
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from forum.errors import InvalidAction
from forum.extensions import client_address, limiter

T = TypeVar("T")

PAIR = "login-failures"
SEEN = "login-failed-here"
CEILING = "login-account-failures"


def account_key(login: str) -> str:
    """What a login form names, as typed: unknown names count exactly like real ones."""
    return login.strip().lower()[:254]


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _ids(kind: str, *parts: str) -> tuple[str, ...]:
    return (current_app.config["RATELIMIT_KEY_PREFIX"], kind, *parts)


def _seen_limits() -> list[RateLimitItem]:
    # "Has this address failed for this account within the ceiling's window?"
    return [type(item)(1, item.multiples) for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT")]


# A counter: one limit and the storage key it counts under.
Counter = tuple[RateLimitItem, tuple[str, ...]]


def _pair_counters(account: str, address: str) -> list[Counter]:
    """Wrong passwords for this account from this address."""
    ids = _ids(PAIR, account, address)
    return [(item, ids) for item in _limits("LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT")]


def _seen_counters(account: str, address: str) -> list[Counter]:
    """Whether this address has failed for this account lately."""
    ids = _ids(SEEN, account, address)
    return [(item, ids) for item in _seen_limits()]


def _ceiling_counters(account: str) -> list[Counter]:
    """Wrong passwords for this account from every address."""
    ids = _ids(CEILING, account)
    return [(item, ids) for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT")]


def _is_enabled() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"])


def _is_full(counter: Counter) -> bool:
    item, ids = counter
    return not limiter.limiter.test(item, *ids)


def _refuse_when_full(counters: list[Counter]) -> None:
    """Raise a 429, with how long to wait, at the first counter that has no try left."""
    for item, ids in counters:
        if _is_full((item, ids)):
            reset_time = limiter.limiter.get_window_stats(item, *ids).reset_time
            raise TooManyRequests(retry_after=max(1, math.ceil(reset_time - time.time())))


def check_login(login: str) -> None:
    """Raise a 429 when this address may not try this account now."""
    if not _is_enabled():
        return
    account, address = account_key(login), client_address()
    _refuse_when_full(_pair_counters(account, address))
    if any(map(_is_full, _seen_counters(account, address))):
        _refuse_when_full(_ceiling_counters(account))


def record_failure(login: str) -> None:
    """Count one wrong password for this account from this address."""
    if not _is_enabled():
        return
    account, address = account_key(login), client_address()
    counters = [
        *_pair_counters(account, address),
        *_seen_counters(account, address),
        *_ceiling_counters(account),
    ]
    for item, ids in counters:
        limiter.limiter.hit(item, *ids)


def _clear(counters: list[Counter]) -> None:
    for item, ids in counters:
        limiter.limiter.clear(item, *ids)


def _clear_here(account: str, address: str) -> None:
    _clear([*_pair_counters(account, address), *_seen_counters(account, address)])


def attempt_login(login: str, check: Callable[[], T]) -> T:
    """Run a credential check under the throttles; a wrong password counts, a right one clears."""
    check_login(login)
    try:
        result = check()
    except InvalidAction:
        record_failure(login)
        raise
    if _is_enabled():
        _clear_here(account_key(login), client_address())
    return result


def clear_account(logins: Iterable[str]) -> None:
    """After a password reset: the account's ceiling and this address's counts start over."""
    if not _is_enabled():
        return
    address = client_address()
    for login in logins:
        account = account_key(login)
        _clear_here(account, address)
        _clear(_ceiling_counters(account))
