"""Injection detection: decoders, tokenizers and rules behind the ``waf`` policy (sans-I/O, pure).

``Engine.inspect(value, ctx)`` returns the first ``Detection`` for one string from one place in a
request. Decoding (``decode.py``) produces every normalised form an interpreter downstream might
see; a multi-pattern prefilter (``prefilter.py``, hyperscan when installed) picks which analysers
run; the analysers (``sqli.py``, ``xss.py``, ``shell.py``, ``ssrf.py``, ``signatures.py``) decide.
"""

from bastion.detection.engine import Engine
from bastion.detection.rules import RULES, Context, Detection, Rule

__all__ = ["RULES", "Context", "Detection", "Engine", "Rule"]
