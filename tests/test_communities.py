"""Communities: joining and leaving, community pages and the communities index."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import MemberRole, Membership, MemberStatus
from tests.community_support import REQUEST_MESSAGE, member_count, membership_of, request_to_join
from tests.conftest import CsrfClient, login
from tests.factories import make_community, make_membership, make_thread, make_topic, make_user
from tests.web_support import is_login_redirect

# Joining and leaving


def test_joining_a_public_community_makes_an_approved_member_and_counts_them(
    client: CsrfClient,
) -> None:
    community = make_community()
    user = make_user()
    login(client, user)
    response = client.post(f"/c/{community.slug}/join")
    assert response.status_code == 302
    membership = membership_of(community, user)
    assert membership is not None
    assert membership.status == MemberStatus.APPROVED
    assert membership.role == MemberRole.MEMBER
    assert member_count(community) == 1


def test_asking_to_join_a_private_group_leaves_a_pending_request_that_is_not_counted(
    client: CsrfClient,
) -> None:
    community = make_community(is_private=True)
    make_thread(community, title="Our private circle of support talk")
    count_before = member_count(community)
    user = make_user()
    login(client, user)
    response = client.post(f"/c/{community.slug}/join", data={"message": REQUEST_MESSAGE})
    assert response.status_code == 302
    membership = membership_of(community, user)
    assert membership is not None
    assert membership.status == MemberStatus.PENDING
    assert membership.request_message == REQUEST_MESSAGE
    assert member_count(community) == count_before
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Our private circle of support talk" not in page


def test_a_visitor_who_tries_to_join_is_sent_to_log_in(client: CsrfClient) -> None:
    community = make_community()
    response = client.post(f"/c/{community.slug}/join")
    assert is_login_redirect(response)
    assert db.session.scalar(select(Membership.id)) is None


def test_joining_an_unknown_community_is_a_404(client: CsrfClient) -> None:
    login(client, make_user())
    assert client.post("/c/no-such-group/join").status_code == 404


def test_a_join_message_that_is_too_long_is_refused_without_a_request(
    client: CsrfClient,
) -> None:
    community = make_community(is_private=True)
    user = make_user()
    login(client, user)
    response = client.post(f"/c/{community.slug}/join", data={"message": "x" * 501})
    assert response.status_code in (400, 422)
    assert "500 characters" in response.get_data(as_text=True)
    assert membership_of(community, user) is None


def test_leaving_a_community_ends_the_membership_and_the_count(client: CsrfClient) -> None:
    community = make_community()
    user = make_user()
    make_membership(community, user)
    assert member_count(community) == 1
    login(client, user)
    response = client.post(f"/c/{community.slug}/leave")
    assert response.status_code == 302
    assert membership_of(community, user) is None
    assert member_count(community) == 0


def test_leaving_withdraws_a_pending_request_without_changing_the_count(
    client: CsrfClient,
) -> None:
    community = make_community(is_private=True)
    user = make_user()
    request_to_join(community, user)
    login(client, user)
    assert client.post(f"/c/{community.slug}/leave").status_code == 302
    assert membership_of(community, user) is None
    assert member_count(community) == 0


def test_a_visitor_who_tries_to_leave_is_sent_to_log_in(client: CsrfClient) -> None:
    community = make_community()
    assert is_login_redirect(client.post(f"/c/{community.slug}/leave"))


def test_leaving_a_community_one_does_not_belong_to_is_refused(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    assert client.post(f"/c/{community.slug}/leave").status_code in (403, 404)
    assert member_count(community) == 0


# Community pages


def test_a_public_community_page_lists_its_threads_for_visitors(client: CsrfClient) -> None:
    community = make_community(name="Heart health circle")
    make_thread(community, title="Which blood pressure monitor do you trust?")
    response = client.get(f"/c/{community.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Heart health circle" in page
    assert "Which blood pressure monitor do you trust?" in page


def test_an_unknown_community_is_a_404(client: CsrfClient) -> None:
    assert client.get("/c/no-such-group").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "sort=bogus",
        "sort=",
        "sort=new",
        "sort=unanswered",
        "sort=expert",
        "sort=active",
        "page=0",
        "page=-3",
        "page=abc",
        "page=99999",
        "page=1e9",
        "page=99999999999999999999999",
        "sort=%00&page=%00",
    ],
)
def test_odd_sort_and_page_values_never_break_the_community_page(
    client: CsrfClient, query: str
) -> None:
    community = make_community()
    make_thread(community)
    assert client.get(f"/c/{community.slug}?{query}").status_code == 200


def test_an_unknown_sort_lists_threads_like_the_default(client: CsrfClient) -> None:
    community = make_community()
    make_thread(community, title="Living with a new diagnosis today")
    page = client.get(f"/c/{community.slug}?sort=bogus").get_data(as_text=True)
    assert "Living with a new diagnosis today" in page


def test_the_unanswered_sort_leaves_out_answered_questions(client: CsrfClient) -> None:
    from forum.threads import services as thread_services
    from tests.factories import make_reply

    community = make_community()
    asker = make_user()
    answered = make_thread(community, asker, title="Answered: is oatmeal a good breakfast?")
    make_thread(community, title="Open: does stress raise my readings?")
    reply = make_reply(answered)
    thread_services.accept_answer(asker, answered, reply)
    page = client.get(f"/c/{community.slug}?sort=unanswered").get_data(as_text=True)
    assert "Open: does stress raise my readings?" in page
    assert "Answered: is oatmeal a good breakfast?" not in page


def test_the_communities_index_groups_communities_by_topic(client: CsrfClient) -> None:
    topic = make_topic(name="Heart and circulation")
    make_community(topic, name="Living after a heart attack")
    response = client.get("/communities")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Heart and circulation" in page
    assert "Living after a heart attack" in page


def test_topic_pages_list_their_communities(client: CsrfClient) -> None:
    topic = make_topic(slug="heart", name="Heart and circulation")
    make_community(topic, name="Living after a heart attack")
    assert "Heart and circulation" in client.get("/topics").get_data(as_text=True)
    response = client.get("/topics/heart")
    assert response.status_code == 200
    assert "Living after a heart attack" in response.get_data(as_text=True)
    assert client.get("/topics/no-such-topic").status_code == 404


def test_a_private_group_page_shows_outsiders_only_its_name_and_a_join_form(
    client: CsrfClient,
) -> None:
    community = make_community(
        is_private=True, name="Grief support circle", description="For those who lost someone."
    )
    make_thread(community, title="Coping with the first anniversary")
    login(client, make_user())
    response = client.get(f"/c/{community.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Grief support circle" in page
    assert "For those who lost someone." in page
    assert f"/c/{community.slug}/join" in page
    assert 'name="message"' in page
    assert "Coping with the first anniversary" not in page
