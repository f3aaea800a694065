"""Whether a new comment goes straight up, waits for a moderator, or is refused.

The comments app does not decide this itself: moderation registers policies here
(hold everything on a post, hold a new member's first comments, watch phrases...),
and `comment_create` asks them all before it saves.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Submission:
    post: object
    author: object  # None for a guest
    body: str
    parent: object = None


@dataclass(frozen=True)
class HoldDecision:
    reason: str
    urgent: bool = False
    reject: bool = False


@dataclass(frozen=True)
class Verdict:
    held: bool = False
    reasons: tuple[str, ...] = ()
    urgent: bool = False
    rejected: HoldDecision | None = None


type HoldPolicy = Callable[[Submission], HoldDecision | list[HoldDecision] | None]
_policies: list[HoldPolicy] = []


def register_hold_policy(policy: HoldPolicy) -> None:
    if policy not in _policies:
        _policies.append(policy)


def judge(submission: Submission) -> Verdict:
    """Combine every policy's answer: any rejection wins, any hold holds, any urgent flag sticks."""
    decisions: list[HoldDecision] = []
    for policy in _policies:
        answer = policy(submission)
        if answer:
            decisions.extend(answer if isinstance(answer, list) else [answer])
    rejected = next((d for d in decisions if d.reject), None)
    return Verdict(
        held=bool(decisions),
        reasons=tuple(dict.fromkeys(d.reason for d in decisions if not d.reject)),
        urgent=any(d.urgent for d in decisions),
        rejected=rejected,
    )
