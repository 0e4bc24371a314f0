"""Every item of a paged List RPC (AIP-158), fetching pages as the caller iterates."""
from .errors import call


def _items_field(response):
    for descriptor in response.DESCRIPTOR.fields:
        if descriptor.label == descriptor.LABEL_REPEATED and descriptor.name != "next_page_token":
            return descriptor.name
    raise TypeError(f"{response.DESCRIPTOR.full_name} has no repeated field to page through")


def pages(method, request, items=None, **kwargs):
    """Yields every item of `method` (a List stub method) for `request`, page after page.

    `items` names the response's repeated field (found by itself when the response has one);
    keyword arguments (metadata=, timeout=) go to every call. The request is copied, not
    changed; each next page repeats it with the previous page's token, as the suite requires
    (a token belongs to the request that made it)."""
    current = type(request)()
    current.CopyFrom(request)
    while True:
        response = call(method, current, **kwargs)
        name = items or _items_field(response)
        yield from getattr(response, name)
        if not response.next_page_token:
            return
        current.page_token = response.next_page_token
