"""Keep the flow's answers out of the server's request log.

Django's development server logs each request line, query string included ("GET /worried-about-someone/
who/?danger=no&who=child HTTP/1.1"). The answers travel in that query string, so this filter cuts it off
for the flow's pages. In production the same applies to the web server's access log: see docs/portal.md.
"""

from __future__ import annotations

import logging
import re

FLOW_PREFIX = "/worried-about-someone/"
# "GET /path?query HTTP/1.1" -> "GET /path HTTP/1.1"
_REQUEST_LINE = re.compile(r"^(\S+ " + re.escape(FLOW_PREFIX) + r"[^?\s]*)\?\S*")


def without_answers(text: str) -> str:
    return _REQUEST_LINE.sub(r"\1", text)


class HideFlowAnswers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and FLOW_PREFIX in record.msg:
            record.msg = without_answers(record.msg)
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(without_answers(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
