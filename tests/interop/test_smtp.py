"""The SMTP adapter reads the mail server's URL with its security and credentials, and refuses a
wrong one clearly (sending itself is tested through the outbox, against a real SMTP server)."""

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.smtp import parse_smtp_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, "none", None, None)),
        (
            "smtp+starttls://u%40x:p%3Aw@mail.example.org",
            ("mail.example.org", 587, "starttls", "u@x", "p:w"),
        ),
        ("smtps://mail.example.org:2465", ("mail.example.org", 2465, "tls", None, None)),
    ],
)
def test_smtp_urls_are_read_with_their_security_and_credentials(
    url: str, expected: tuple[object, ...]
) -> None:
    target = parse_smtp_url(url)
    assert (target.host, target.port, target.security, target.user, target.password) == expected


@pytest.mark.parametrize("url", ["http://mail", "smtp://", "smtp://host:port"])
def test_a_wrong_smtp_url_is_refused_clearly(url: str) -> None:
    with pytest.raises(InvalidInput, match="SPINETRACK_SMTP_URL"):
        parse_smtp_url(url)
