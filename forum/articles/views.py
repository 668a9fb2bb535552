"""Article pages: the index, writing and editing, the review workflow and the editors' queue."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from forum import policies, web
from forum.articles import bp, queries, services
from forum.articles.forms import AcceptChangesForm, ArticleForm, RetireForm, ReturnForm
from forum.communities.queries import topic_top_questions
from forum.communities.services import topic_by_slug
from forum.models import Article, ArticleStatus

# The forms posted from an article's page; one sent back with errors is shown in its place.
PageForm = ReturnForm | RetireForm | AcceptChangesForm

TRANSITIONS = {
    "submit": (services.submit_article, "Sent for review: an editor will read it next."),
    "publish": (services.publish_article, "Published, with your name as the reviewer."),
    "review": (services.confirm_review, "Review recorded: the next review date moved on."),
    "revise": (services.revise_article, "Back to draft: it is off the site until republished."),
}


def _topic_choices(form: ArticleForm, article: Article | None = None) -> None:
    """Authors pick a topic inside their scope; editors fixing a review may pick any."""
    editing_review = article is not None and article.status == ArticleStatus.IN_REVIEW
    form.topic.choices = [
        SelectChoice(topic.slug, topic.name)
        for topic in web.topics_by_name()
        if editing_review
        or policies.can_write_article(current_user, topic.id)
        or (article is not None and topic.id == article.topic_id)
    ]


def _content(form: ArticleForm) -> services.ArticleContent:
    return services.ArticleContent(
        topic=topic_by_slug(form.topic.data),
        title=form.title.data,
        summary=form.summary.data,
        body=form.body.data,
        citations=form.citation_inputs(),
    )


def _viewable(slug: str) -> Article:
    article = services.article_by_slug(slug)
    policies.require(policies.can_view_article(current_user, article), hide=True)
    return article


def _reviewed(slug: str) -> Article:
    """An article the viewer reviews (403 for others who may read it)."""
    article = _viewable(slug)
    policies.require(policies.can_review_article(current_user, article))
    return article


@bp.get("")
def index() -> str:
    slug = request.args.get("topic", "")
    topic = topic_by_slug(slug[:60]) if slug else None
    articles = queries.published_page(topic, web.page_arg(), current_app.config["PER_PAGE"])
    return render_template(
        "articles/index.html", articles=articles, topic=topic, topics=web.topics_by_name()
    )


@bp.get("/queue")
@web.requires(policies.can_view_review_queue)
def queue() -> str:
    waiting, overdue = queries.review_queue()
    return render_template("articles/queue.html", waiting=waiting, overdue=overdue)


@bp.get("/mine")
@login_required
def mine() -> str:
    articles = queries.articles_by(current_user, current_user)
    return render_template("articles/mine.html", articles=articles)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Response | tuple[str, int]:
    policies.require(
        policies.can_write_article(current_user), message="Only verified experts write articles."
    )
    form = ArticleForm()
    _topic_choices(form)
    if request.method == "GET" and request.args.get("topic"):
        form.topic.data = request.args["topic"][:60]
    done = web.run_form(form, lambda: services.create_article(current_user, _content(form)))
    if done:
        flash("Your draft is saved. Send it for review when it is ready.", "success")
        return redirect(url_for("articles.show", slug=done.value.slug))
    return render_template("articles/new.html", form=form), web.form_status()


@bp.get("/<slug>")
def show(slug: str) -> str:
    return render_article(_viewable(slug))


def render_article(article: Article, sent: PageForm | None = None) -> str:
    """The article page; `sent`, a form posted from it, comes back in its place with its errors."""
    # Editors' changes in review: the author reads them before accepting, reviewers see them.
    in_review = article.status == ArticleStatus.IN_REVIEW
    sees_changes = in_review and (
        policies.can_accept_article_changes(current_user, article)
        or policies.can_review_article(current_user, article)
    )
    return_form = sent if isinstance(sent, ReturnForm) else ReturnForm()
    retire_form = sent if isinstance(sent, RetireForm) else RetireForm()
    # Accepting means accepting the text on this page (also when shown again after a refusal).
    accept_form = sent if isinstance(sent, AcceptChangesForm) else AcceptChangesForm(formdata=None)
    accept_form.revision.data = str(article.revision_count)
    return render_template(
        "articles/show.html",
        article=article,
        next_article=queries.next_in_topic(article),
        related=topic_top_questions(current_user, article.topic, limit=5),
        return_form=return_form,
        retire_form=retire_form,
        editors_changes=queries.editors_changes(article) if sees_changes else "",
        accept_form=accept_form,
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    article = _viewable(slug)
    policies.require(policies.can_edit_article(current_user, article))
    form = ArticleForm()
    _topic_choices(form, article)
    if request.method == "GET":
        form.topic.data = article.topic.slug
        form.title.data, form.summary.data = article.title, article.summary
        form.body.data = article.body_source
        form.fill_citations(
            [
                {"text": c.text, "url": c.url or "", "evidence_level": c.evidence_level.value}
                for c in article.citations
            ]
        )
    if web.run_form(form, lambda: services.update_article(current_user, article, _content(form))):
        flash("Your changes are saved as a new revision.", "success")
        return redirect(url_for("articles.show", slug=article.slug))
    return render_template("articles/edit.html", form=form, article=article), web.form_status()


@bp.post("/<slug>/<any(submit, publish, review, revise):action>")
@login_required
def transition(slug: str, action: str) -> Response:
    article = _viewable(slug)
    change, message = TRANSITIONS[action]
    change(current_user, article)
    flash(message, "success")
    return redirect(url_for("articles.show", slug=article.slug))


def _sent_from_page(
    article: Article, form: PageForm, action: Callable[[], object], message: str
) -> Response | tuple[str, int]:
    """Run a form posted from the article page: back to it with `message`, or with the errors."""
    if web.run_form(form, action):
        flash(message, "success")
        return redirect(url_for("articles.show", slug=article.slug))
    return render_article(article, form), web.FORM_ERROR


@bp.post("/<slug>/accept")
@login_required
def accept(slug: str) -> Response | tuple[str, int]:
    article = _viewable(slug)
    form = AcceptChangesForm()
    return _sent_from_page(
        article,
        form,
        lambda: services.accept_changes(current_user, article, form.revision_number()),
        "Changes accepted: an editor who did not make them can now publish.",
    )


@bp.post("/<slug>/return")
@login_required
def send_back(slug: str) -> Response | tuple[str, int]:
    article = _reviewed(slug)
    form = ReturnForm()
    return _sent_from_page(
        article,
        form,
        lambda: services.return_article(current_user, article, form.note.data),
        "Returned to the author with your note.",
    )


@bp.post("/<slug>/retire")
@login_required
def retire(slug: str) -> Response | tuple[str, int]:
    article = _reviewed(slug)
    form = RetireForm()
    return _sent_from_page(
        article,
        form,
        lambda: services.retire_article(current_user, article, form.reason.data or ""),
        "Retired: readers no longer see this article.",
    )


@bp.get("/<slug>/history")
@login_required
def history(slug: str) -> str:
    article = _reviewed(slug)
    return render_template(
        "articles/history.html",
        article=article,
        revisions=queries.revisions(article),
        diff=queries.diff_since_published(article),
    )
