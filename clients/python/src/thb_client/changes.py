"""A service's change feed that survives reconnects."""
import time

import grpc

from .errors import ThbError

# Codes after which the feed reconnects: the server went away, restarted or shed load.
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL,
                       grpc.StatusCode.UNKNOWN, grpc.StatusCode.RESOURCE_EXHAUSTED,
                       grpc.StatusCode.ABORTED, grpc.StatusCode.DEADLINE_EXCEEDED})


def watch_changes(stub, after_sequence=0, metadata=(), initial_backoff=0.5, max_backoff=30.0,
                  sleep=time.sleep, on_reconnect=None):
    """Yields the audit events of a service's WatchChanges stream (any of the three stubs) with a
    sequence above `after_sequence`, forever. When the stream breaks it reconnects, with
    exponential backoff, asking for the events after the last one it yielded: no event is
    skipped and none repeated. A refusal that retrying cannot fix (a bad token, say) raises
    ThbError. `on_reconnect(error, delay)` is called before each wait."""
    from thb.type.v1 import audit_pb2

    last = after_sequence
    delay = initial_backoff
    while True:
        try:
            stream = stub.WatchChanges(audit_pb2.WatchChangesRequest(after_sequence=last),
                                       metadata=metadata)
            try:
                for event in stream:
                    if event.sequence <= last:
                        continue  # delivered before the reconnect
                    last = event.sequence
                    delay = initial_backoff
                    yield event
            finally:
                stream.cancel()  # also when the caller stops iterating
            error = None  # the server ended the stream (shutting down): reconnect
        except grpc.RpcError as e:
            if e.code() not in RETRYABLE:
                raise ThbError.from_rpc_error(e) from e
            error = e
        if on_reconnect is not None:
            on_reconnect(error, delay)
        sleep(delay)
        delay = min(delay * 2, max_backoff)
