"""The council report as a PDF: the report's print page, laid out by WeasyPrint with the
vendored Vazirmatn font embedded. No network: only files under static/ are fetched."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from bazaar.services.plan import rules


def _static_root():
    return Path(current_app.static_folder).resolve()


class StaticFetcher(URLFetcher):
    """Fetch only files under static/ (the font, the print stylesheet): never the network."""

    def __init__(self, root):
        super().__init__(allowed_protocols={"file"})
        self.root = root

    def fetch(self, url, headers=None):
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"refused to fetch {url}")
        return super().fetch(url, headers)


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
    return HTML(string=report_html(report), url_fetcher=StaticFetcher(_static_root())).render()


def render_pdf(report):
    """The report's PDF bytes."""
    return document(report).write_pdf()
