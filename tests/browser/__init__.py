"""Browser tests: Chromium through Playwright against a real forum server."""
