"""`make screenshots`: the key pages at desktop and phone width, as PNGs in screenshots/.

Serves a fresh database loaded with `flask seed demo` from a separate process, like the
browser tests, and finds a community and a thread by following the pages' own links.
Search results and articles are taken too once those pages exist (their main-menu
entries show up).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, sync_playwright

from tests.browser.server import (
    CHROMIUM,
    LAUNCH_ARGS,
    ROOT,
    migrate,
    server_environment,
    start_server,
)

OUT = ROOT / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
SEARCH_QUERY = "blood pressure"


def seed_demo(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", "seed", "demo"],
        cwd=ROOT, env=env, check=True, timeout=600, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def first_link(page: Page, selector: str) -> str | None:
    links = page.locator(selector)
    return links.first.get_attribute("href") if links.count() else None


def pages_to_take(page: Page) -> dict[str, str]:
    """Name -> path of each page to capture, found through the site's own links."""
    wanted = {"home": "/"}
    page.goto("/communities")
    community = first_link(page, ".card h3 a[href^='/c/']")
    if community:
        wanted["community"] = community
        page.goto(f"{community}?sort=expert")
        thread = first_link(page, ".thread-title a")
        if not thread:
            page.goto(community)
            thread = first_link(page, ".thread-title a")
        if thread:
            wanted["thread"] = thread
    nav = page.get_by_role("navigation", name="Main")
    if nav.get_by_role("link", name="Search").count():
        wanted["search-results"] = f"/search?q={SEARCH_QUERY.replace(' ', '+')}"
    articles = nav.get_by_role("link", name="Articles")
    if articles.count():
        page.goto(articles.get_attribute("href") or "/articles")
        wanted["articles"] = urlsplit(page.url).path
        article = first_link(page, "main article a, main li a[href*='/articles/']")
        if article:
            wanted["article"] = article
    return wanted


def take(base_url: str) -> list[Path]:
    written = []
    with sync_playwright() as runner:
        browser = runner.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        finder = browser.new_page(base_url=base_url)
        wanted = pages_to_take(finder)
        finder.close()
        for width_name, viewport in WIDTHS.items():
            context = browser.new_context(
                base_url=base_url, viewport=viewport, is_mobile=width_name == "phone"
            )
            page = context.new_page()
            for name, path in wanted.items():
                page.goto(path)
                target = OUT / f"{name}-{width_name}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            context.close()
        browser.close()
    for missing in sorted({"community", "thread", "search-results", "article"} - set(wanted)):
        print(f"screenshots: no {missing} page yet, skipped", file=sys.stderr)
    return written


def main() -> int:
    if not CHROMIUM.exists():
        print(f"screenshots: Chromium is missing at {CHROMIUM} (apt-get install -y chromium)")
        return 1
    OUT.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="forum-screenshots-"))
    try:
        env = server_environment(workdir)
        migrate(env)
        seed_demo(env)
        server = start_server(workdir, env)
        try:
            written = take(server.url)
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"screenshots: {len(written)} PNGs in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
