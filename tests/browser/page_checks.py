"""Checks run on every page a browser test visits: Persian text, sideways scroll, axe.

`watch(page, axe)` hooks a test's page: each time a new document has loaded, the next thing the
test asks of the page (goto, locator, get_by_…) first checks the page as it stands, at 360 px
and in its language. A page reached by GET is also opened in a second tab of the same browser
context (same account, so the same role) at 1024 and 1280 px, and in the other language. The
problems are gathered and reported together when the test ends. Each kind of page is checked
once per test process for each role (see CHECKED), not again by every test that passes it.
"""

import re
import urllib.parse

WIDTHS = (1024, 1280)
# What this test process has checked already, across tests: a page (its path with numbers made
# {n} and its query's names), in a language, at a width, reached by a method, with a menu (the
# menu's links tell the account's role). The same page is checked again for another role, not
# for another product or another test.
CHECKED = set()
MENU_LINKS = "() => Array.from(document.querySelectorAll('nav a')).map((a) => a.pathname).join()"
HEIGHT = 780
AXE_IMPACTS = ("moderate", "serious", "critical")
# Latin words a Persian page may show: formats and names that have no Persian form.
LATIN_ALLOWED = {"CSV", "JSON", "PDF", "JPEG", "PNG", "WebP", "GIF", "UTF", "iCal", "Vazirmatn"}

# Visible text of the page, minus what is not Persian prose by design: text marked as another
# language or as left-to-right data (emails, licence numbers, URLs), form values and code.
VISIBLE_TEXT = """() => {
  const skip = (el) => el.closest('script, style, noscript, template, code, input, '
    + 'textarea, select, [dir="ltr"], [lang]:not([lang="fa"]), [translate="no"]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || skip(el) || !node.textContent.trim()) continue;
    parts.push(node.textContent);
  }
  const title = document.title;
  const named = '[aria-label], [title], [placeholder], img[alt]';
  const labels = Array.from(document.querySelectorAll(named))
    .filter((el) => !skip(el) || el.matches('input, textarea, select'))
    .map((el) => ['aria-label', 'title', 'placeholder', 'alt']
      .map((name) => el.getAttribute(name)).filter(Boolean).join(' '));
  return [title, ...parts, ...labels].join('\\n');
}"""

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


# Names with digits that are names, not numbers to localise.
LATIN_TOKENS = ("UTF-8",)


def persian_text_problems(text):
    """Latin digits and English words in the text of a Persian page."""
    for token in LATIN_TOKENS:
        text = text.replace(token, "")
    problems = []
    digits = re.findall(r"\S*[0-9]\S*", text)
    if digits:
        where = [m.group() for m in re.finditer(r".{0,30}[0-9].{0,30}", text)][:3]
        problems.append(f"Latin digits: {sorted(set(digits))[:8]} in {where}")
    words = {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in LATIN_ALLOWED}
    if words:
        problems.append(f"English words: {sorted(words)[:8]}")
    return problems


def _scroll_problem(page, width):
    extra = page.evaluate(SIDEWAYS)
    return [f"scrolls sideways by {extra} px at {width} px"] if extra > 0 else []


def _axe_problems(axe, page):
    results = axe.run(page)
    return [
        f"axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in AXE_IMPACTS
    ]


def _is_html(page):
    return page.evaluate("() => document.contentType") == "text/html"


def check_here(page, axe, width, full=True):
    """Check the page as it is now: sideways scroll; when `full`, also axe and Persian text."""
    if not _is_html(page):
        return []
    problems = _scroll_problem(page, width)
    if full:
        problems += _axe_problems(axe, page)
    if full and page.evaluate("() => document.documentElement.lang") == "fa":
        problems += persian_text_problems(page.evaluate(VISIBLE_TEXT))
    return problems


class Watcher:
    """Remember when a new document loaded; check it before the test next uses the page."""

    def __init__(self, page, axe):
        self.page, self.axe = page, axe
        self.pending = False
        self.method = "GET"
        self.checking = False
        self.seen = CHECKED
        self.problems = []
        page.on("load", self._loaded)
        page.on("response", self._response)

    def _loaded(self, _page):
        self.pending = True

    def _response(self, response):
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.method = request.method

    def flush(self):
        if not self.pending or self.checking or self.page.is_closed():
            return
        self.pending, self.checking = False, True
        try:
            self._check()
        finally:
            self.checking = False

    def _check(self):
        page = self.page
        page.wait_for_load_state()
        url = page.url
        if not url.startswith("http") or not _is_html(page):
            return
        role = page.evaluate(MENU_LINKS)
        lang = page.evaluate("() => document.documentElement.lang")
        width = page.viewport_size["width"]
        key = (page_kind(url), lang, role, width, self.method)
        if key not in self.seen:
            self.seen.add(key)
            self._record(url, lang, width, check_here(page, self.axe, width))
        if self.method == "GET":
            self._check_elsewhere(url, lang, role)

    def _check_elsewhere(self, url, lang, role):
        """Open the same address in a second tab: wider screens, and the other language."""
        other = "en" if lang == "fa" else "fa"
        todo = [
            (language, width)
            for language in (lang, other)
            for width in ((360, *WIDTHS) if language == other else WIDTHS)
            if (page_kind(url), language, role, width, "GET") not in self.seen
        ]
        if not todo:
            return
        # A separate context with a copy of the cookies: the test's own context is left alone.
        cookies = [c for c in self.page.context.cookies() if c["name"] != "lang"]
        context = self.page.context.browser.new_context(is_mobile=False)
        tab = context.new_page()
        try:
            for language, width in todo:
                self.seen.add((page_kind(url), language, role, width, "GET"))
                context.clear_cookies()
                context.add_cookies([*cookies, {"name": "lang", "value": language, "url": url}])
                tab.set_viewport_size({"width": width, "height": HEIGHT})
                response = tab.goto(url)
                if response is None or response.status != 200 or tab.url != url:
                    continue  # this account may not open it, or it is gone: not this check's job
                # Axe and the text once per language; the width changes only the layout.
                full = width == 360
                self._record(url, language, width, check_here(tab, self.axe, width, full))
        finally:
            context.close()

    def _record(self, url, lang, width, problems):
        self.problems += [f"{url} [{lang}, {width} px]: {p}" for p in problems]


def page_kind(url):
    """The page an address shows, whatever record it shows: /vendors/12?page=2 is
    /vendors/{n}?page."""
    parts = urllib.parse.urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/{n}", parts.path)
    names = sorted({name for name, _value in urllib.parse.parse_qsl(parts.query)})
    return f"{path}?{'&'.join(names)}"


FLUSHING = (
    "goto",
    "locator",
    "get_by_role",
    "get_by_label",
    "get_by_text",
    "get_by_test_id",
    "get_by_placeholder",
    "screenshot",
    "reload",
)


def watch(page, axe):
    """Make `page` check each page it loads; return the watcher that holds the problems."""
    watcher = Watcher(page, axe)
    for name in FLUSHING:
        method = getattr(page, name)

        def flushing(*args, _method=method, **kwargs):
            watcher.flush()
            return _method(*args, **kwargs)

        setattr(page, name, flushing)
    return watcher
