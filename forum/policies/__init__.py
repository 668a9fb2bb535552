"""Every authorization rule of the forum, as predicates and query filters.

One module per area, each naming its rules in `__all__`; this package re-exports them
all, so callers keep writing `policies.can_view_thread(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import isfunction
from typing import Any

from forum.policies.accounts import *  # noqa: F403
from forum.policies.articles import *  # noqa: F403
from forum.policies.communities import *  # noqa: F403
from forum.policies.drugs import *  # noqa: F403
from forum.policies.experts import *  # noqa: F403
from forum.policies.post_actions import *  # noqa: F403
from forum.policies.threads import *  # noqa: F403

# Templates ask the same rules to show or hide controls: every function of the modules
# above but the query filters (visible_*), the per-request cache resets (forget_*) and require.
JINJA_GLOBALS: dict[str, Callable[..., Any]] = {
    name: rule
    for name, rule in list(globals().items())
    if isfunction(rule)
    and rule.__module__.startswith(f"{__name__}.")
    and not name.startswith(("visible_", "forget_"))
    and name != "require"
}
