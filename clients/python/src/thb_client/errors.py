"""google.rpc error details as Python exceptions.

Every refusal of the suite is a google.rpc.Status in the `grpc-status-details-bin` trailer:
INVALID_ARGUMENT carries BadRequest field violations, every refusal an ErrorInfo with a stable
`reason` (protos/thb/type/v1/errors.proto lists them), FAILED_PRECONDITION a PreconditionFailure
and NOT_FOUND / ALREADY_EXISTS a ResourceInfo. ThbError exposes them as attributes, so a client
acts on `err.reason` or `err.field_violations` and never parses the message.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import grpc

from google.rpc import error_details_pb2, status_pb2

DETAILS_KEY = "grpc-status-details-bin"


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


@dataclass(frozen=True)
class PreconditionViolation:
    type: str        # STATE, REFERENCE, IN_USE, CONTENT, WINDOW, CONFIGURATION or OTHER
    subject: str     # the resource name the precondition is about
    description: str


@dataclass(frozen=True)
class ErrorInfo:
    reason: str      # e.g. "INSTITUTION_NOT_REGISTERED"
    domain: str      # "thb-suite"
    metadata: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResourceInfo:
    resource_type: str  # the message's full name, e.g. "thb.coordinator.v1.Institution"
    resource_name: str
    description: str


class ThbError(Exception):
    """A failed call, with its status code, message and decoded details."""

    code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __init__(self, code, message, field_violations=(), precondition_failures=(),
                 error_info=None, resource_info=None):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.field_violations: List[FieldViolation] = list(field_violations)
        self.precondition_failures: List[PreconditionViolation] = list(precondition_failures)
        self.error_info: Optional[ErrorInfo] = error_info
        self.resource_info: Optional[ResourceInfo] = resource_info

    @property
    def reason(self):
        """The ErrorInfo reason, or "" when the error has none (e.g. UNAVAILABLE)."""
        return self.error_info.reason if self.error_info else ""

    @classmethod
    def from_rpc_error(cls, error):
        """The ThbError (of the subclass for its code) of a grpc.RpcError."""
        code = error.code() if callable(getattr(error, "code", None)) else grpc.StatusCode.UNKNOWN
        message = error.details() if callable(getattr(error, "details", None)) else str(error)
        violations, preconditions, info, resource = [], [], None, None
        trailers = error.trailing_metadata() if callable(
            getattr(error, "trailing_metadata", None)) else None
        for key, value in trailers or ():
            if key != DETAILS_KEY:
                continue
            status = status_pb2.Status()
            try:
                status.ParseFromString(value)
            except Exception:  # a malformed trailer leaves the error without details
                continue
            for any_detail in status.details:
                bad = error_details_pb2.BadRequest()
                failure = error_details_pb2.PreconditionFailure()
                error_info = error_details_pb2.ErrorInfo()
                resource_info = error_details_pb2.ResourceInfo()
                if any_detail.Unpack(bad):
                    violations += [FieldViolation(v.field, v.description)
                                   for v in bad.field_violations]
                elif any_detail.Unpack(failure):
                    preconditions += [PreconditionViolation(v.type, v.subject, v.description)
                                      for v in failure.violations]
                elif any_detail.Unpack(error_info):
                    info = ErrorInfo(error_info.reason, error_info.domain,
                                     dict(error_info.metadata))
                elif any_detail.Unpack(resource_info):
                    resource = ResourceInfo(resource_info.resource_type,
                                            resource_info.resource_name,
                                            resource_info.description)
        return _BY_CODE.get(code, cls)(code, message or "", violations, preconditions, info,
                                       resource)


class InvalidArgument(ThbError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class FailedPrecondition(ThbError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class NotFound(ThbError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(ThbError):
    code = grpc.StatusCode.ALREADY_EXISTS


class Aborted(ThbError):
    code = grpc.StatusCode.ABORTED


class PermissionDenied(ThbError):
    code = grpc.StatusCode.PERMISSION_DENIED


class Unauthenticated(ThbError):
    code = grpc.StatusCode.UNAUTHENTICATED


_BY_CODE = {c.code: c for c in (InvalidArgument, FailedPrecondition, NotFound, AlreadyExists,
                                 Aborted, PermissionDenied, Unauthenticated)}


def call(method, request, **kwargs):
    """Calls a unary stub method; a failure raises ThbError (or its subclass for the code)."""
    try:
        return method(request, **kwargs)
    except grpc.RpcError as error:
        raise ThbError.from_rpc_error(error) from error
