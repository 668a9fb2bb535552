"""`make screenshots`: the key pages at desktop and phone width, as PNGs in screenshots/.

Serves a fresh database loaded with `flask seed demo` (which imports the drug directory)
from a separate process, like the browser tests, and finds a community, a thread, its
asker's profile, an article and a drug page by following the pages' own links. Also
writes phone-header.png: the top of the home page on a 390 x 844 phone, as first seen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.browser.server import (
    CHROMIUM,
    LAUNCH_ARGS,
    ROOT,
    migrate,
    server_environment,
    start_server,
)

OUT = ROOT / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDTHS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}
SEARCH_QUERY = "blood pressure"
DRUG_QUERY = "atorvastatin"
EXPECTED = ("home", "community", "thread", "profile", "search-results", "article", "drug")


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
            page.goto(thread)
            profile = first_link(page, "main a[href^='/u/']")
            if profile:
                wanted["profile"] = profile
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
    wanted.update(drug_page(page))
    return wanted


def drug_page(page: Page) -> dict[str, str]:
    """A drug's page, reached the way a reader does: the directory's name search."""
    response = page.goto(f"/drugs/?q={DRUG_QUERY}")
    path = urlsplit(page.url).path
    if response is None or not response.ok or path.rstrip("/") == "/drugs":
        return {}
    return {"drug": path}


def take_phone_header(browser: Browser, base_url: str) -> Path:
    """The home page's first screen on a phone: how much the header takes."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto("/")
    target = OUT / "phone-header.png"
    page.screenshot(path=str(target))
    context.close()
    return target


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
        written.append(take_phone_header(browser, base_url))
        browser.close()
    for missing in [name for name in EXPECTED if name not in wanted]:
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
