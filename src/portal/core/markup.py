"""The small markup staff write the unit's pages in, and its renderer.

A page body is plain text with a few Markdown-like rules (shown to editors as the form's hint):

* a blank line starts a new paragraph;
* ``## Heading`` and ``### Smaller heading`` (the page title is the only first-level heading);
* lines starting ``- `` make a bulleted list, lines starting ``1. `` a numbered list;
* lines starting ``> `` make a quotation (``>`` alone separates its paragraphs);
* ``[link text](https://example.org/)`` makes a link: ``https://``, ``http://``, ``mailto:``, or a path on this
  website starting with ``/``; an email address on its own becomes a link too.

Nothing else is interpreted. Every piece of text is escaped before it is put in the HTML, so no HTML from
the database ever reaches a page: the renderer builds each tag itself, from a fixed list with GOV.UK
Frontend classes. `problems()` tells an editor what the renderer would not turn into what they meant
(HTML tags, links it will not make), so the form can refuse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.common.formatting import join_words

# The address may hold one level of brackets, as in https://en.wikipedia.org/wiki/Bath_(city).
LINK = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\((?P<href>(?:[^()\s]|\([^()\s]*\))*)\)")
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# https:// or http:// with a host, mailto: with an address, a path on this site, a #fragment. A site path
# holds no backslash: browsers read "\" as "/", so "/\host" would be "//host", another website.
SAFE_HREF = re.compile(
    r"^(?:https?://[^\s/?#\\]+[^\s]*|mailto:[^\s@]+@[^\s@]+|/(?![/\\])[^\s\\]*|#[\w-]+)$", re.IGNORECASE
)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")

HEADING = re.compile(r"^(?P<marks>#{2,3}) +(?P<text>\S.*)$")
BULLET = re.compile(r"^[-*] +(?P<text>\S.*)$")
NUMBERED = re.compile(r"^\d{1,3}[.)] +(?P<text>\S.*)$")
QUOTE = re.compile(r"^> ?(?P<text>.*)$")

BLOCK_TAGS = {
    "paragraph": ('<p class="govuk-body">', "</p>"),
    "h2": ('<h2 class="govuk-heading-m">', "</h2>"),
    "h3": ('<h3 class="govuk-heading-s">', "</h3>"),
}


@dataclass
class _Block:
    kind: str  # paragraph, h2, h3, bullets, numbers, quote
    lines: list[str] = field(default_factory=list)  # paragraph and heading text lines
    items: list[list[str]] = field(default_factory=list)  # list items, or quote paragraphs, each its lines


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
        current = None

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close()
            continue
        if heading := HEADING.match(line):
            close()
            blocks.append(_Block(kind=f"h{len(heading['marks'])}", lines=[heading["text"]]))
            continue
        for kind, pattern in (("bullets", BULLET), ("numbers", NUMBERED)):
            if item := pattern.match(line):
                if current is None or current.kind != kind:
                    close()
                    current = _Block(kind=kind)
                current.items.append([item["text"]])
                break
        else:
            if quote := QUOTE.match(line):
                if current is None or current.kind != "quote":
                    close()
                    current = _Block(kind="quote", items=[[]])
                if quote["text"].strip():
                    current.items[-1].append(quote["text"].strip())
                elif current.items[-1]:
                    current.items.append([])  # ">" alone: a new paragraph in the quotation
            elif current is not None and current.kind in ("bullets", "numbers") and raw[:1].isspace():
                current.items[-1].append(line)  # an indented line continues the list item
            elif current is not None and current.kind == "paragraph":
                current.lines.append(line)
            else:
                close()
                current = _Block(kind="paragraph", lines=[line])
    close()
    return blocks


def _link(text: str, href: str) -> str:
    return f'<a class="govuk-link" href="{escape(href)}">{escape(text)}</a>'


def _text_with_emails(text: str) -> str:
    """Escaped text, with each email address made a mailto: link."""
    parts, position = [], 0
    for match in EMAIL.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(match.group(), f"mailto:{match.group()}"))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def render_inline(text: str) -> str:
    """Escaped HTML for one run of text: links and email addresses made links, everything else as text."""
    parts, position = [], 0
    for match in LINK.finditer(text):
        parts.append(_text_with_emails(text[position : match.start()]))
        if SAFE_HREF.match(match["href"]):
            parts.append(_link(match["text"], match["href"]))
        else:
            # A link the renderer will not make keeps only its words (the form refuses it anyway).
            parts.append(escape(match["text"]))
        position = match.end()
    parts.append(_text_with_emails(text[position:]))
    return "".join(parts)


def render(text: str) -> SafeString:
    """The page body as HTML. Safe to mark safe: every character of `text` went through escape()."""
    html = []
    for block in _blocks(text or ""):
        if block.kind in BLOCK_TAGS:
            opening, closing = BLOCK_TAGS[block.kind]
            html.append(f"{opening}{render_inline(' '.join(block.lines))}{closing}")
        elif block.kind in ("bullets", "numbers"):
            modifier = "bullet" if block.kind == "bullets" else "number"
            tag = "ul" if block.kind == "bullets" else "ol"
            items = "".join(f"<li>{render_inline(' '.join(item))}</li>" for item in block.items)
            html.append(f'<{tag} class="govuk-list govuk-list--{modifier}">{items}</{tag}>')
        elif block.kind == "quote":
            paragraphs = "".join(
                f'<p class="govuk-body">{render_inline(" ".join(lines))}</p>' for lines in block.items if lines
            )
            if paragraphs:
                html.append(f'<blockquote class="govuk-inset-text">{paragraphs}</blockquote>')
    return mark_safe("\n".join(html))  # noqa: S308 - built only from escaped text and our own tags


def problems(text: str) -> list[str]:
    """What in `text` would not come out as the editor meant, in words for the form's error message."""
    found = []
    tags = list(dict.fromkeys(HTML_TAG.findall(text or "")))
    if tags:
        shown = join_words(tags[:3]) + (" and others" if len(tags) > 3 else "")
        found.append(f"Page text cannot contain HTML, such as {shown}: use the formatting described under the box")
    for match in LINK.finditer(text or ""):
        if not SAFE_HREF.match(match["href"]):
            found.append(
                f"The link “{match['text']}” must go to an address starting with https://, http://, mailto: "
                "or / (a page on this website)"
            )
    return found
