"""Task Markdown to safe HTML: one function for the learner pages and the admin preview."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# CommonMark plus tables and strikethrough. Raw HTML in the source passes to the sanitiser,
# which keeps harmless tags (<u>, <sup>, ...) and drops the rest.
_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

# Links only to the web and mail; no javascript:, data: or other schemes.
_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str) -> SafeString:
    """Markdown rendered to HTML with scripts, event handlers and unsafe links removed, and
    images only from the site itself."""
    html = _markdown.render(source or "")
    # Safe to mark: nh3 has just sanitised it.
    return mark_safe(
        nh3.clean(
            html,
            url_schemes=_URL_SCHEMES,
            clean_content_tags={"script", "style"},
            attribute_filter=_same_site_images,
        )
    )


def _same_site_images(element: str, attribute: str, value: str) -> str | None:
    """Keep an image's address only when it is a path on this site: an image from elsewhere
    would tell another server who reads the task, and when (the CSP blocks it as well)."""
    if element == "img" and attribute == "src":
        same_site = value.startswith("/") and not value.startswith(("//", "/\\"))
        return value if same_site else None
    return value
