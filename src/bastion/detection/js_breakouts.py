"""A JavaScript string break-out that ends in a line comment (fresh64: Aikido Zen's JavaScript-injection tests, the user
input that code built by concatenation evaluates: ``Hello World!'; //``, ``admin' || 1 === 1) { return true; } //``,
``value', isAdmin: true }; //``, ``arg1", 12, true); //``).

The value closes the string the application opened (its first quote), goes on with code (``;``, ``,``, ``)``, ``}``,
``||``, ``&&`` right after that quote) and ends with ``//`` and a comment, which swallows the rest of the
application's line, its own closing quote included. So the quote the value opens with appears an odd number of
times before the comment: the break-out quote, then pairs the value's own code opens and closes
(``'; console.log('x'); //``). Look-alikes pass:

- code with a trailing comment, ``x = 'a'; // note``, ``print("hi"); // say hi``: its quotes pair up;
- prose with an apostrophe, ``It's done; // later``: a letter, not code, follows the quote;
- a URL in quotes, ``see 'http://example.com'``: ``//`` after ``:`` is no comment (it must follow a blank, ``;``
  or a closing bracket).

One line only, at most 400 characters; the scan is a few ``str`` searches and one bounded regex at the first quote:
linear. It is read in the ssti chain (code the server evaluates), after the command readers, so that a break-out
into PHP or a shell call (``');}echo(`id`);//x``, ``';@system('hostname');//``) keeps its own class; the prefilter
reaches it through ``TRIGGER``.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

TRIGGER = rb"['\"]\s*[)}\]]*\s*(;|,|\)|\|\||&&)[^\x00\n]*[\s;)}\]]//"
"""A quote, code right after it and a ``//`` after a blank or a closer later on the line (the ssti trigger)."""

_COMMENT_START = re.compile(r"(?<=[\s;)}\]])//")
_CONTINUES = re.compile(r"\s*+[)}\]]*+\s*+(?:;|,|\)|\|\||&&)")


def commented_breakout(value: str) -> Span | None:
    """The whole value when it is a string break-out that goes on as code and ends in a ``//`` comment."""
    if "//" not in value or len(value) > 400 or "\n" in value:
        return None
    comment = _COMMENT_START.search(value)
    if comment is None:
        return None
    head = value[: comment.start()]
    first = min((i for i in (head.find("'"), head.find('"')) if i >= 0), default=-1)
    if first < 0:
        return None
    quote = head[first]
    if head.count(quote) % 2 == 0 or not _CONTINUES.match(head, first + 1):
        return None
    return 0, len(value)
