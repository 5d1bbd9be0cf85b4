"""The council report as a PDF: the report's print page, laid out by WeasyPrint with the
vendored Vazirmatn font embedded. No network: only files under static/ are fetched."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale

from bazaar.services.plan import rules


def _static_root():
    return Path(current_app.static_folder).resolve()


def static_fetcher(root):
    """A URL fetcher for only the files under static/ (the font, the print stylesheet)."""
    # WeasyPrint is imported when a PDF is made, not when the app starts: it loads Pango, and a
    # machine without it still serves every other page.
    from weasyprint.urls import URLFetcher

    class StaticFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file"})

        def fetch(self, url, headers=None):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(root):
                raise ValueError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return StaticFetcher()


def report_html(report):
    """The HTML the PDF is made from: the print page, in Persian, with file:// static links."""
    # Rendered from the template itself, not render_template: no request's context (the
    # signed-in user, the menu) belongs in the document, and it is made outside requests too.
    template = current_app.jinja_env.get_template("plan/report_print.html")
    with force_locale("fa"):
        return template.render(
            report=report,
            content=report.content,
            static_root=_static_root().as_uri(),
            lang="fa",
            direction="rtl",
            entry_kind_labels=rules.KIND_LABELS,
        )


def document(report):
    """The laid-out WeasyPrint document (pages and their boxes), before writing the PDF."""
    from weasyprint import HTML

    fetcher = static_fetcher(_static_root())
    return HTML(string=report_html(report), url_fetcher=fetcher).render()


def render_pdf(report):
    """The report's PDF bytes."""
    return document(report).write_pdf()
