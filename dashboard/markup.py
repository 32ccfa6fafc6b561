"""Text that pages hand to Streamlit's Markdown: escaped, so user text shows as written."""

from __future__ import annotations

import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:])")


def md(text: str) -> str:
    """Escape Markdown, including a leading list marker or number, in ``text``."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = re.sub(r"^(\s*)([-+])", r"\1\\\2", escaped)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", escaped)
