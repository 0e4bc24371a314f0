"""THB Suite's Python client: the generated stubs (packages thb.coordinator.v1, thb.commission.v1,
thb.rapporteur.v1, thb.type.v1) and thin helpers around them.

    import grpc
    import thb_client
    from thb.coordinator.v1 import coordinator_pb2 as co, coordinator_pb2_grpc as co_grpc

    channel = grpc.insecure_channel("127.0.0.1:50051")
    coordinator = co_grpc.CoordinatorServiceStub(channel)
    auth = thb_client.bearer(token)
    for institution in thb_client.pages(coordinator.ListInstitutions, co.ListInstitutionsRequest(),
                                        metadata=auth):
        print(institution.name)
"""
from .auth import bearer
from .changes import watch_changes
from .errors import (Aborted, AlreadyExists, ErrorInfo, FailedPrecondition, FieldViolation,
                     InvalidArgument, NotFound, PermissionDenied, PreconditionViolation,
                     ResourceInfo, ThbError, Unauthenticated, call)
from .paging import pages

__all__ = [
    "Aborted", "AlreadyExists", "ErrorInfo", "FailedPrecondition", "FieldViolation",
    "InvalidArgument", "NotFound", "PermissionDenied", "PreconditionViolation", "ResourceInfo",
    "ThbError", "Unauthenticated", "bearer", "call", "pages", "watch_changes",
]
