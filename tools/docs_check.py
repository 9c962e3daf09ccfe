"""The built site as a reader sees it: served over HTTP on loopback, every internal
link and anchor of every page followed; with ``--screenshots DIR``, the main pages
photographed in headless Chromium.

    python tools/docs_check.py site/ [--screenshots build/docs-screenshots]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

#: Pages photographed: the ones a new reader meets first.
MAIN_PAGES = (
    "",
    "getting-started/",
    "getting-started-rust/",
    "guides/rust-plugin/",
    "guides/testing-plugins/",
    "reference/operations/",
    "reference/manifest/",
    "troubleshooting/",
)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("name"):
            self.ids.add(str(found["name"]))
        for key in ("href", "src"):
            value = found.get(key)
            if value and not (tag == "link" and key == "href" and found.get("rel") == "canonical"):
                self.links.append(value)


def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as err:
        return err.code, b"", ""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def check_links(base: str) -> list[str]:
    """Crawls from ``base``; returns one line per broken internal link or anchor."""
    pages: dict[str, _Page] = {}
    queue, seen, problems = [base], {base}, []
    wanted_anchors: list[tuple[str, str, str]] = []  # (from page, target page, anchor)
    while queue:
        url = queue.pop()
        status, body, kind = _fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if kind != "text/html":
            continue
        page = _Page()
        page.feed(body.decode("utf-8", "replace"))
        pages[url] = page
        for link in page.links:
            target, anchor = urldefrag(urljoin(url, link))
            if urlparse(target).netloc != urlparse(base).netloc:
                continue
            if anchor:
                wanted_anchors.append((url, target, anchor))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for source, target, anchor in wanted_anchors:
        page = pages.get(target)
        if page is not None and anchor not in page.ids:
            problems.append(f"{source}: links to {target}#{anchor}, which has no such anchor")
    print(
        f"docs-check: {len(pages)} pages, {len(seen)} internal URLs, {len(wanted_anchors)} anchors followed"
    )
    return sorted(set(problems))


def screenshots(base: str, out: Path, browser: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for rel in MAIN_PAGES:
        name = (rel.strip("/").replace("/", "-") or "home") + ".png"
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1600",
                f"--screenshot={out / name}",
                base + rel,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        print(f"docs-check: {out / name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--screenshots", type=Path, help="Write PNGs of the main pages here.")
    args = parser.parse_args()
    server, base = _serve(args.site)
    try:
        problems = check_links(base)
        for line in problems:
            print(f"docs-check: {line}", file=sys.stderr)
        if problems:
            return 1
        if args.screenshots is not None:
            browser = shutil.which("chromium") or shutil.which("chromium-browser")
            if browser is None:
                print("docs-check: no chromium on PATH", file=sys.stderr)
                return 1
            screenshots(base, args.screenshots, browser)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
