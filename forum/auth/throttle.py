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


def _is_enabled() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"])


def _refuse(item: RateLimitItem, *ids: str) -> TooManyRequests:
    reset_time = limiter.limiter.get_window_stats(item, *ids).reset_time
    return TooManyRequests(retry_after=max(1, math.ceil(reset_time - time.time())))


def check_login(login: str) -> None:
    """Raise a 429 when this address may not try this account now."""
    if not _is_enabled():
        return
    strategy = limiter.limiter
    account, address = account_key(login), client_address()
    for item in _limits("LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT"):
        if not strategy.test(item, *_ids(PAIR, account, address)):
            raise _refuse(item, *_ids(PAIR, account, address))
    failed_here = any(
        not strategy.test(item, *_ids(SEEN, account, address)) for item in _seen_limits()
    )
    if not failed_here:
        return
    for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT"):
        if not strategy.test(item, *_ids(CEILING, account)):
            raise _refuse(item, *_ids(CEILING, account))


def record_failure(login: str) -> None:
    """Count one wrong password for this account from this address."""
    if not _is_enabled():
        return
    strategy = limiter.limiter
    account, address = account_key(login), client_address()
    for item in _limits("LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT"):
        strategy.hit(item, *_ids(PAIR, account, address))
    for item in _seen_limits():
        strategy.hit(item, *_ids(SEEN, account, address))
    for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT"):
        strategy.hit(item, *_ids(CEILING, account))


def _clear_here(account: str, address: str) -> None:
    strategy = limiter.limiter
    for item in _limits("LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT"):
        strategy.clear(item, *_ids(PAIR, account, address))
    for item in _seen_limits():
        strategy.clear(item, *_ids(SEEN, account, address))


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
        for item in _limits("LOGIN_ACCOUNT_RATE_LIMIT"):
            limiter.limiter.clear(item, *_ids(CEILING, account))
