"""Who is calling our CDS Hooks service: the EHR's JWT (CDS Hooks 1.0, "Trusting CDS Clients"),
checked against the configured issuers and the public keys they publish (JWKS). The signature,
`iss`, `aud` (the service's URL), `exp`, `iat` and `jti` are required; only an explicit development
setting skips the signature check. No token: the caller is anonymous, which suffices only for the
stateless calculation on a case sent in `context.case` (nothing stored is read)."""

from functools import cache

import jwt
from starlette.requests import Request

from spinetrack.config import CdsIssuer, get_settings
from spinetrack.services.access.errors import NotAuthenticated

ALGORITHMS = ["RS384", "ES384", "RS256", "ES256", "RS512", "ES512"]
"""CDS Hooks requires ES384 and RS384; the others are accepted from issuers that use them."""


@cache
def _keys(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600)


def _audiences(request: Request) -> list[str]:
    here = str(request.url).split("?")[0]
    public = get_settings().public_url
    found = [here]
    if public:
        found.append(public.rstrip("/") + request.url.path)
    return found


def calling_issuer(request: Request) -> CdsIssuer | None:
    """The configured issuer whose valid JWT the request carries; None without a token."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("send the CDS client JWT as 'Authorization: Bearer <jwt>'")
    try:
        claimed = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise NotAuthenticated(f"the JWT cannot be read ({exc})") from exc
    settings = get_settings()
    issuer = next((i for i in settings.cds_issuers if i.iss == claimed.get("iss")), None)
    if issuer is None:
        raise NotAuthenticated(f"issuer {claimed.get('iss')!r} is not configured for CDS Hooks")
    if settings.cds_development:
        return issuer
    try:
        key = _keys(issuer.jwks_url).get_signing_key_from_jwt(token)
        jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=_audiences(request),
            issuer=issuer.iss,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise NotAuthenticated(f"the JWT is not valid: {exc}") from exc
    return issuer
