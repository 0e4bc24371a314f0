"""Bearer tokens as gRPC call metadata."""


def bearer(token):
    """The metadata that authenticates a call with `token` (a JWT the services accept):
    pass it as `metadata=` to any stub method or helper. An empty token means a public call."""
    if not token:
        return ()
    if any(c in token for c in "\r\n "):
        raise ValueError("a bearer token is one line without spaces")
    return (("authorization", f"Bearer {token}"),)
