"""Unit: mail header injection (CWE-93) in body fields. A line break right after the first line, then a header a
mailer obeys (``Bcc:``, ``Cc:``, ``To:``, ``Content-Type:``), in a field that holds an address or a subject — by its
name or because its first line is a bare address — is refused. Mail text fields and prose that quote a mail pass.
Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import mail_header

ENGINE = Engine()

REFUSED = {
    "subject_then_bcc": ("Order 1182 shipped\r\nBcc: harvest@203.0.113.7.example", "subject"),
    "email_then_cc": ("me@example.org\nCc: everyone@example.net", "email"),
    "contact_email_field": ("ann@example.org\r\nTo: list@example.net", "contactemail"),
    "reply_to_field": ("ann@example.org\r\nContent-Type: text/html", "reply_to"),
    "from_with_display_name": ("Ann <ann@example.org>\r\nBcc: x@example.net", "from"),
    "bare_address_in_any_field": ("ann@example.org\r\nBcc: x@example.net", "contact"),
    "blank_line_then_header": ("hello\r\n\r\nBcc: x@example.net", "subject"),
    "escaped_break": ("hi%0d%0aBcc: x@example.net", "subject"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_mail_header_injection_is_refused(name: str) -> None:
    value, field = REFUSED[name]
    found = ENGINE.inspect(value, Context("body", field))
    assert found is not None and found.rule.attack == "crlf", (name, found)


PASSES = {
    "ticket_quoting_a_mail": ("Forwarding the customer's mail:\nFrom: Ann <ann@example.org>\nSubject: refund", "body"),
    "mail_body_field": ("Hello,\nTo: whom it may concern", "email_body"),
    "letter_in_a_comment": ("Dear team\nTo: the billing desk\nplease refund", "comment"),
    "quoted_mail_headers_in_a_note": ("From: Kim <kim@example.org>\nSubject: Re: delivery\n\nsee below", "note"),
    "address_then_prose": ("ann@example.org\nThanks for the quick help!", "comment"),
    "single_line_subject": ("Re: invoice 42 - Cc: accounts", "subject"),
    "photo_field_with_to": ("Holiday\nTo: be sorted", "photo"),
}


@pytest.mark.parametrize("name", sorted(PASSES))
def test_mail_text_and_prose_pass(name: str) -> None:
    value, field = PASSES[name]
    assert ENGINE.inspect(value, Context("body", field)) is None, name


def test_url_header_and_cookie_values_stay_with_the_general_rule() -> None:
    assert mail_header("x\r\nBcc: y@example.net", Context("query", "subject")) is None
    assert ENGINE.inspect("x\r\nBcc: y@example.net", Context("query", "subject")) is not None


def test_long_runs_of_line_breaks_take_linear_time() -> None:
    for value in ("a" + "\r\n" * 65_536 + "Bcc:", "\n \t" * 43_000, "x\n" + "To " * 43_000):
        start = time.process_time()
        mail_header(value, Context("body", "subject"))
        assert time.process_time() - start < 0.5
