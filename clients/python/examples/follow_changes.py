"""Prints the coordinator's changes as they commit, and keeps going across broken connections:
    THB_COORDINATOR=host:port THB_OFFICE_TOKEN=... python3 follow_changes.py [AFTER [COUNT]]
AFTER is the last sequence already processed (keep it somewhere durable); COUNT stops after that
many events (0, the default, follows forever)."""
import os
import sys

import grpc
import thb_client
from thb.coordinator.v1 import coordinator_pb2_grpc as co_grpc

coordinator = co_grpc.CoordinatorServiceStub(grpc.insecure_channel(os.environ["THB_COORDINATOR"]))
office = thb_client.bearer(os.environ["THB_OFFICE_TOKEN"])
after = int(sys.argv[1]) if len(sys.argv) > 1 else 0
count = int(sys.argv[2]) if len(sys.argv) > 2 else 0

for n, event in enumerate(thb_client.watch_changes(coordinator, after_sequence=after,
                                                   metadata=office), start=1):
    print(event.sequence, event.method.rsplit("/", 1)[-1], event.resource, flush=True)
    if n == count:
        break
