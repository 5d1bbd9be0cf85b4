"""Read what a bazaar page says in its status badge, history and flashes, not anywhere on it."""

import re

BADGE = re.compile(r'data-testid="status-badge" data-status="(\w+)">([^<]*)</span>')
STATUS_WORDS = re.compile(r'data-testid="status-words">(.*?)</div>', re.S)
FLASH = re.compile(r'<div class="alert alert-\w+" role="\w+">(.*?)</div>', re.S)
HISTORY = re.compile(r'<ol class="small" data-testid="history">(.*?)</ol>', re.S)


def badges(page):
    """Return every status badge on the page as (status, label) pairs, in order."""
    return BADGE.findall(page)


def status_words(page):
    """Return the sentence that says why the bazaar has its status."""
    return " ".join(STATUS_WORDS.search(page).group(1).split())


def history(page):
    """Return the history list's lines, whitespace collapsed."""
    items = re.findall(r"<li>(.*?)</li>", HISTORY.search(page).group(1), re.S)
    return [" ".join(item.split()) for item in items]


def flashes(response):
    """Return the flashed messages a response's page shows."""
    return FLASH.findall(response.get_data(as_text=True))
