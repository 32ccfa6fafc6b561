"""The pieces a page is laid out from: each draws one part of a page from what
``data.py`` read and the core computed, and computes nothing itself."""
