"""Every authorization rule of the forum, as predicates and query filters."""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from flask import g
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import (
    Article,
    ArticleStatus,
    CabinetProfile,
    Community,
    DrugReview,
    ExpertProfile,
    ExpertStatus,
    HealthTopic,
    MemberRole,
    Membership,
    MemberStatus,
    Post,
    Role,
    Thread,
    ThreadKind,
    ThreadStatus,
    User,
    Visibility,
    expert_scope,
    utcnow,
)

STAFF_ROLES = frozenset({Role.MODERATOR, Role.EDITOR, Role.ADMIN})
S = TypeVar("S", bound=Select[Any])


def require(ok: bool, hide: bool = False, message: str = "") -> None:
    """Raise NotAllowed (403, or 404 with hide=True) unless ok."""
    if not ok:
        raise NotAllowed(message, hide=hide)


# Accounts and roles


def is_member(user: Any) -> bool:
    """A logged-in account in good standing: not banned, not suspended."""
    return (
        isinstance(user, User)
        and user.is_authenticated
        and not user.is_banned
        and not is_suspended(user)
    )


def is_suspended(user: Any) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and until > utcnow()


def is_admin(user: Any) -> bool:
    return isinstance(user, User) and user.role == Role.ADMIN


def is_site_moderator(user: Any) -> bool:
    return isinstance(user, User) and user.role in (Role.MODERATOR, Role.ADMIN)


def is_editor(user: Any) -> bool:
    return isinstance(user, User) and user.role in (Role.EDITOR, Role.ADMIN)


def can_change_role(actor: Any, target: User) -> bool:
    """Only admins change roles, and never their own (so a site keeps an admin)."""
    return is_admin(actor) and actor.id != target.id


def can_edit_account(actor: Any, target: User) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.id == target.id


def has_health_consent(user: Any) -> bool:
    """The member agreed to the processing of the health information they share."""
    return isinstance(user, User) and user.health_consent_at is not None


def can_see_profile_field(viewer: Any, user: User, visibility: Visibility) -> bool:
    """Public: everyone; members: logged-in members; nobody: only the account itself."""
    if isinstance(viewer, User) and viewer.is_authenticated and viewer.id == user.id:
        return True
    if visibility == Visibility.PUBLIC:
        return True
    return visibility == Visibility.MEMBERS and is_member(viewer)


def role_badges(user: User) -> list[str]:
    """Public badges for a profile: staff roles are shown, plain members get none."""
    return [user.role.value] if user.role in STAFF_ROLES else []


# Communities


def memberships_of(user: Any) -> dict[int, Membership]:
    """The user's memberships by community id, loaded once per request."""
    if not isinstance(user, User) or user.id is None:
        return {}
    cache: dict[int, dict[int, Membership]] = g.setdefault("_memberships", {})
    if user.id not in cache:
        rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
        cache[user.id] = {row.community_id: row for row in rows}
    return cache[user.id]


def forget_memberships() -> None:
    """Drop the per-request cache after a membership change."""
    g.pop("_memberships", None)


def membership_in(user: Any, community: Community) -> Membership | None:
    return memberships_of(user).get(community.id)


def is_community_member(user: Any, community: Community) -> bool:
    membership = membership_in(user, community)
    return membership is not None and membership.status == MemberStatus.APPROVED


def is_community_moderator(user: Any, community: Community) -> bool:
    if is_admin(user):
        return True
    membership = membership_in(user, community)
    return (
        membership is not None
        and membership.status == MemberStatus.APPROVED
        and membership.role == MemberRole.MODERATOR
    )


def can_view_community_content(user: Any, community: Community) -> bool:
    """Threads, replies, counts and member lists: public, or members of the group."""
    if not community.is_private:
        return True
    return is_admin(user) or is_community_member(user, community)


def can_join_community(user: Any, community: Community) -> bool:
    membership = membership_in(user, community)
    return is_member(user) and (membership is None or membership.status == MemberStatus.DECLINED)


def can_leave_community(user: Any, community: Community) -> bool:
    return membership_in(user, community) is not None


def can_view_members(user: Any, community: Community) -> bool:
    return is_admin(user) or is_community_member(user, community)


def can_manage_members(user: Any, community: Community) -> bool:
    """Approve or decline requests to join, remove members."""
    return is_member(user) and is_community_moderator(user, community)


def can_manage_communities(user: Any) -> bool:
    """Create topics and communities, appoint community moderators."""
    return is_admin(user)


def can_post_in_community(user: Any, community: Community) -> bool:
    if not is_member(user) or not has_health_consent(user):
        return False
    return not community.is_private or is_community_member(user, community) or is_admin(user)


def visible_community_ids(user: Any) -> Select[Any]:
    """Ids of the communities whose content the user may see, as a subquery."""
    query = select(Community.id)
    if is_admin(user):
        return query
    member_of = [
        cid for cid, m in memberships_of(user).items() if m.status == MemberStatus.APPROVED
    ]
    return query.where(or_(Community.is_private == false(), Community.id.in_(member_of)))


# Threads and posts


def can_view_thread(user: Any, thread: Thread) -> bool:
    if not can_view_community_content(user, thread.community):
        return False
    if thread.status in (ThreadStatus.HIDDEN, ThreadStatus.PENDING):
        return can_moderate_community(user, thread.community) or _is_author(user, thread)
    return True


PUBLISHED_STATUSES = (ThreadStatus.OPEN, ThreadStatus.LOCKED)


def visible_threads(user: Any, query: S) -> S:
    """Only threads in communities the user may see, never hidden, pending or deleted ones."""
    return query.where(
        Thread.community_id.in_(visible_community_ids(user)),
        Thread.status.in_(PUBLISHED_STATUSES),
        Thread.is_deleted == false(),
    )


def can_view_post(user: Any, post: Post) -> bool:
    """Hidden and pending posts: their author and the community's moderators only."""
    if post.is_hidden or post.is_pending:
        return _is_author(user, post) or can_moderate_community(user, post.thread.community)
    return True


# Moderation


def can_moderate_community(user: Any, community: Community) -> bool:
    """Community moderators, admins, and site moderators in public communities."""
    if not is_member(user):
        return False
    if is_community_moderator(user, community):
        return True
    return is_site_moderator(user) and not community.is_private


def can_report(user: Any, post: Post) -> bool:
    return (
        is_member(user)
        and not _is_author(user, post)
        and not post.is_deleted
        and can_view_thread(user, post.thread)
    )


def moderated_community_ids(user: Any) -> Select[Any] | None:
    """Communities whose queue and log the user may see (None: every community)."""
    if is_admin(user):
        return None
    mine = [
        cid
        for cid, m in memberships_of(user).items()
        if m.status == MemberStatus.APPROVED and m.role == MemberRole.MODERATOR
    ]
    query = select(Community.id)
    if is_site_moderator(user):
        return query.where(or_(Community.is_private == false(), Community.id.in_(mine)))
    return query.where(Community.id.in_(mine))


def can_view_moderation(user: Any) -> bool:
    if not is_member(user):
        return False
    if is_site_moderator(user):
        return True
    return any(
        m.status == MemberStatus.APPROVED and m.role == MemberRole.MODERATOR
        for m in memberships_of(user).values()
    )


def can_sanction_member(actor: Any, target: User) -> bool:
    """Suspend or ban: site moderators and admins, never on staff above them or themselves."""
    if not is_member(actor) or actor.id == target.id or is_admin(target):
        return False
    if is_admin(actor):
        return True
    return is_site_moderator(actor) and target.role not in STAFF_ROLES


def can_warn_member(actor: Any, target: User) -> bool:
    return can_view_moderation(actor) and actor.id != target.id


def _is_author(user: Any, item: Thread | Post) -> bool:
    return isinstance(user, User) and item.author_id is not None and item.author_id == user.id


def can_reply(user: Any, thread: Thread) -> bool:
    return (
        can_post_in_community(user, thread.community)
        and thread.status == ThreadStatus.OPEN
        and not thread.is_deleted
    )


def can_post_anonymously(user: Any, community: Community) -> bool:
    return community.allow_anonymous and can_post_in_community(user, community)


def can_edit_post(user: Any, post: Post) -> bool:
    return (
        is_member(user)
        and _is_author(user, post)
        and not post.is_deleted
        and post.thread.status != ThreadStatus.LOCKED
        and can_view_community_content(user, post.thread.community)
    )


def can_delete_post(user: Any, post: Post) -> bool:
    return is_member(user) and _is_author(user, post) and not post.is_deleted


def can_view_history(user: Any, post: Post) -> bool:
    """Moderators see every revision of a post."""
    return can_moderate_community(user, post.thread.community)


def can_see_anonymous_author(user: Any, post: Post | Thread) -> bool:
    community = post.thread.community if isinstance(post, Post) else post.community
    return can_moderate_community(user, community)


def can_vote(user: Any, post: Post) -> bool:
    """Helpful votes: members, on others' visible replies they can read."""
    return (
        is_member(user)
        and not post.is_opening
        and not post.is_deleted
        and not post.is_hidden
        and not post.is_pending
        and not _is_author(user, post)
        and can_view_community_content(user, post.thread.community)
    )


def can_accept(user: Any, thread: Thread, post: Post | None = None) -> bool:
    """The asker marks the reply that helped them."""
    ok = (
        is_member(user)
        and _is_author(user, thread)
        and thread.kind == ThreadKind.QUESTION
        and not thread.is_deleted
    )
    if post is not None:
        ok = ok and post.thread_id == thread.id and not post.is_opening and not post.is_deleted
    return ok


def can_follow(user: Any, thread: Thread) -> bool:
    return is_member(user) and can_view_thread(user, thread)


class PostActions(NamedTuple):
    """What a viewer may do with one post of a thread page: each flag is its predicate."""

    vote: bool = False
    accept: bool = False
    endorse: bool = False
    edit: bool = False
    delete: bool = False
    report: bool = False
    moderate: bool = False
    view_history: bool = False


NO_POST_ACTIONS = PostActions()


def post_actions(user: Any, thread: Thread, posts: list[Post]) -> dict[int, PostActions]:
    """The controls of each post on a thread page, decided once per page, not per template call.

    Every one of these predicates requires is_member: other viewers, such as anonymous
    visitors, get no control and cost no per-post check.
    """
    if not is_member(user):
        return {post.id: NO_POST_ACTIONS for post in posts}
    moderate = can_moderate_community(user, thread.community)
    return {
        post.id: PostActions(
            vote=can_vote(user, post),
            accept=can_accept(user, thread, post),
            endorse=can_endorse(user, post),
            edit=can_edit_post(user, post),
            delete=can_delete_post(user, post),
            report=can_report(user, post),
            moderate=moderate,
            view_history=can_view_history(user, post),
        )
        for post in posts
    }


# Experts


def expert_profiles(user_ids: set[int]) -> dict[int, ExpertProfile]:
    """Expert profiles by user id, for a page's authors, loaded once per request."""
    cache: dict[int, ExpertProfile | None] = g.setdefault("_expert_profiles", {})
    missing = {uid for uid in user_ids if uid not in cache}
    if missing:
        # The topics come in the same statement, joined flat: joinedload's nested join
        # would make SQLite read every expert's scope.
        query = (
            select(ExpertProfile)
            .outerjoin(expert_scope, expert_scope.c.profile_id == ExpertProfile.id)
            .outerjoin(HealthTopic, HealthTopic.id == expert_scope.c.topic_id)
            .where(ExpertProfile.user_id.in_(missing))
            .order_by(HealthTopic.name)
            .options(
                contains_eager(ExpertProfile.topics),
                # A page shows the expert's name; the rest of the account row stays unread.
                joinedload(ExpertProfile.user).load_only(User.name, User.is_banned),
            )
        )
        found = {row.user_id: row for row in db.session.scalars(query).unique()}
        for uid in missing:
            cache[uid] = found.get(uid)
    return {uid: p for uid in user_ids if (p := cache.get(uid)) is not None}


def forget_expert_profiles() -> None:
    g.pop("_expert_profiles", None)


def expert_profile_of(user: Any) -> ExpertProfile | None:
    if not isinstance(user, User) or user.id is None:
        return None
    return expert_profiles({user.id}).get(user.id)


def is_active_expert_profile(profile: ExpertProfile | None) -> bool:
    """Verified, not expired, and the account is in good standing."""
    return (
        profile is not None
        and profile.status == ExpertStatus.VERIFIED
        and profile.expires_at is not None
        and profile.expires_at > utcnow()
        and not profile.user.is_banned
    )


def is_verified_expert(user: Any) -> bool:
    return is_member(user) and is_active_expert_profile(expert_profile_of(user))


def profile_covers_topic(profile: ExpertProfile | None, topic_id: int) -> bool:
    if not is_active_expert_profile(profile):
        return False
    assert profile is not None
    return profile.all_topics or any(topic.id == topic_id for topic in profile.topics)


def is_expert_in_scope(user: Any, topic_id: int) -> bool:
    return is_member(user) and profile_covers_topic(expert_profile_of(user), topic_id)


def is_expert_answer(post: Post) -> bool:
    """A reply by a verified expert (or organization) inside their scope."""
    if post.is_opening or post.is_anonymous or post.author_id is None or post.is_deleted:
        return False
    profile = expert_profiles({post.author_id}).get(post.author_id)
    return profile_covers_topic(profile, post.thread.community.topic_id)


def expert_answer_profiles(posts: list[Post]) -> dict[int, ExpertProfile]:
    """The author's profile for each post that is an expert answer, by post id."""
    profiles = expert_profiles({post.author_id for post in posts if post.author_id is not None})
    return {
        post.id: profiles[post.author_id]
        for post in posts
        if post.author_id in profiles and is_expert_answer(post)
    }


def can_endorse(user: Any, post: Post) -> bool:
    """Verified, unexpired experts endorse visible replies in threads inside their scope."""
    return (
        not post.is_opening
        and not post.is_deleted
        and not post.is_hidden
        and is_expert_in_scope(user, post.thread.community.topic_id)
        and can_view_thread(user, post.thread)
    )


def can_apply_as_expert(user: Any) -> bool:
    if not is_member(user):
        return False
    profile = expert_profile_of(user)
    return profile is None or profile.status in (ExpertStatus.REJECTED, ExpertStatus.REVOKED)


def can_review_experts(user: Any) -> bool:
    """Admins and editors verify, reject and revoke experts, and see licence numbers."""
    return is_member(user) and (is_admin(user) or is_editor(user))


def author_label(viewer: Any, item: Post | Thread) -> str | None:
    """The public name to show for an item's author, or None for an anonymous one."""
    if item.is_anonymous or item.author is None:
        return None
    return item.author.name


# Articles


def _is_article_author(user: Any, article: Article) -> bool:
    return isinstance(user, User) and article.author_id is not None and article.author_id == user.id


def can_write_article(user: Any, topic_id: int | None = None) -> bool:
    """Verified, unexpired experts write articles (inside their scope, given a topic)."""
    if topic_id is None:
        return is_verified_expert(user)
    return is_expert_in_scope(user, topic_id)


def can_edit_article(user: Any, article: Article) -> bool:
    """The author edits a draft; editors may edit an article in review."""
    if article.status == ArticleStatus.DRAFT:
        return _is_article_author(user, article) and is_verified_expert(user)
    return article.status == ArticleStatus.IN_REVIEW and is_member(user) and is_editor(user)


def can_submit_article(user: Any, article: Article) -> bool:
    return (
        article.status == ArticleStatus.DRAFT
        and _is_article_author(user, article)
        and is_verified_expert(user)
    )


def can_review_article(user: Any, article: Article) -> bool:
    """Publish, return, retire, re-review, see revisions: an editor who is not the author."""
    return is_member(user) and is_editor(user) and not _is_article_author(user, article)


def can_revise_article(user: Any, article: Article) -> bool:
    """Take a published article back to draft for changes: its author or a reviewer."""
    return article.status == ArticleStatus.PUBLISHED and (
        (_is_article_author(user, article) and is_verified_expert(user))
        or can_review_article(user, article)
    )


def can_view_article(user: Any, article: Article) -> bool:
    """Published: everyone; drafts and in review: author and editors; retired: editors."""
    if article.status == ArticleStatus.PUBLISHED:
        return True
    is_staff = is_member(user) and is_editor(user)
    if article.status == ArticleStatus.RETIRED:
        return is_staff
    return is_staff or (is_member(user) and _is_article_author(user, article))


def visible_articles(user: Any, query: S) -> S:
    """Only the articles the user may open (see can_view_article)."""
    if is_member(user) and is_editor(user):
        return query
    published = Article.status == ArticleStatus.PUBLISHED
    if not is_member(user):
        return query.where(published)
    unfinished = Article.status.in_([ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW])
    return query.where(or_(published, unfinished & (Article.author_id == user.id)))


def can_view_review_queue(user: Any) -> bool:
    return is_member(user) and is_editor(user)


def is_review_overdue(article: Article) -> bool:
    return (
        article.status == ArticleStatus.PUBLISHED
        and article.next_review_due is not None
        and article.next_review_due <= utcnow()
    )


# Drugs and cabinet


def can_use_cabinet(user: Any) -> bool:
    """Any logged-in account keeps a private medicine cabinet (suspended members too)."""
    return isinstance(user, User) and user.is_authenticated and not user.is_deleted


def can_add_to_cabinet(user: Any) -> bool:
    """Saving medicines is processing health data: it needs the member's consent."""
    return can_use_cabinet(user) and has_health_consent(user)


def can_view_cabinet_profile(user: Any, profile: CabinetProfile) -> bool:
    """Only its owner: not moderators, not admins (the cabinet is never shown to others)."""
    return can_use_cabinet(user) and profile.owner_id == user.id


def can_review_drug(user: Any) -> bool:
    return is_member(user) and has_health_consent(user)


def _is_review_author(user: Any, review: DrugReview) -> bool:
    return isinstance(user, User) and review.author_id is not None and review.author_id == user.id


def can_moderate_reviews(user: Any) -> bool:
    """Drug reviews belong to no community: site moderators and admins handle them."""
    return is_member(user) and is_site_moderator(user)


def can_view_review(user: Any, review: DrugReview) -> bool:
    """Hidden reviews: their author (who sees why) and the moderators only."""
    if not review.is_hidden:
        return True
    return _is_review_author(user, review) or can_moderate_reviews(user)


def can_edit_review(user: Any, review: DrugReview) -> bool:
    return is_member(user) and _is_review_author(user, review)


def can_report_review(user: Any, review: DrugReview) -> bool:
    return is_member(user) and not _is_review_author(user, review) and not review.is_hidden


def visible_reviews(user: Any, query: S) -> S:
    """Reviews the user may read: not hidden, or their own; moderators see every one."""
    if can_moderate_reviews(user):
        return query
    if isinstance(user, User) and user.is_authenticated:
        return query.where(or_(DrugReview.is_hidden == false(), DrugReview.author_id == user.id))
    return query.where(DrugReview.is_hidden == false())


def can_publish_safety_notice(user: Any) -> bool:
    return is_member(user) and is_editor(user)


JINJA_GLOBALS = {
    "is_member": is_member,
    "is_admin": is_admin,
    "is_site_moderator": is_site_moderator,
    "is_editor": is_editor,
    "can_change_role": can_change_role,
    "has_health_consent": has_health_consent,
    "can_see_profile_field": can_see_profile_field,
    "role_badges": role_badges,
    "is_community_member": is_community_member,
    "is_community_moderator": is_community_moderator,
    "membership_in": membership_in,
    "can_view_community_content": can_view_community_content,
    "can_join_community": can_join_community,
    "can_leave_community": can_leave_community,
    "can_view_members": can_view_members,
    "can_manage_members": can_manage_members,
    "can_manage_communities": can_manage_communities,
    "can_post_in_community": can_post_in_community,
    "can_view_thread": can_view_thread,
    "can_reply": can_reply,
    "can_post_anonymously": can_post_anonymously,
    "can_edit_post": can_edit_post,
    "can_delete_post": can_delete_post,
    "can_view_history": can_view_history,
    "can_see_anonymous_author": can_see_anonymous_author,
    "can_vote": can_vote,
    "can_accept": can_accept,
    "can_follow": can_follow,
    "expert_profile_of": expert_profile_of,
    "is_verified_expert": is_verified_expert,
    "is_expert_answer": is_expert_answer,
    "is_active_expert_profile": is_active_expert_profile,
    "can_endorse": can_endorse,
    "can_apply_as_expert": can_apply_as_expert,
    "can_review_experts": can_review_experts,
    "can_view_post": can_view_post,
    "can_moderate_community": can_moderate_community,
    "can_report": can_report,
    "can_view_moderation": can_view_moderation,
    "can_sanction_member": can_sanction_member,
    "can_warn_member": can_warn_member,
    "is_suspended": is_suspended,
    "can_write_article": can_write_article,
    "can_edit_article": can_edit_article,
    "can_submit_article": can_submit_article,
    "can_review_article": can_review_article,
    "can_revise_article": can_revise_article,
    "can_view_article": can_view_article,
    "can_view_review_queue": can_view_review_queue,
    "is_review_overdue": is_review_overdue,
    "can_use_cabinet": can_use_cabinet,
    "can_add_to_cabinet": can_add_to_cabinet,
    "can_view_cabinet_profile": can_view_cabinet_profile,
    "can_review_drug": can_review_drug,
    "can_moderate_reviews": can_moderate_reviews,
    "can_view_review": can_view_review,
    "can_edit_review": can_edit_review,
    "can_report_review": can_report_review,
    "can_publish_safety_notice": can_publish_safety_notice,
}
