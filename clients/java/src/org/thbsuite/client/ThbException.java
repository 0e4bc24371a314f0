package org.thbsuite.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * A failed call with its google.rpc details decoded: field violations (BadRequest), precondition
 * failures (PreconditionFailure), the ErrorInfo and its stable reason (listed in
 * protos/thb/type/v1/errors.proto) and the ResourceInfo. Act on these, never on the message.
 */
public final class ThbException extends RuntimeException {
  private final Status.Code code;
  private final List<BadRequest.FieldViolation> fieldViolations = new ArrayList<>();
  private final List<PreconditionFailure.Violation> preconditionFailures = new ArrayList<>();
  private ErrorInfo errorInfo;
  private ResourceInfo resourceInfo;

  private ThbException(StatusRuntimeException cause) {
    super(cause.getStatus().getCode() + ": " + cause.getStatus().getDescription(), cause);
    this.code = cause.getStatus().getCode();
    com.google.rpc.Status status = StatusProto.fromThrowable(cause);
    if (status == null) return;
    for (Any detail : status.getDetailsList()) {
      try {
        if (detail.is(BadRequest.class)) {
          fieldViolations.addAll(detail.unpack(BadRequest.class).getFieldViolationsList());
        } else if (detail.is(PreconditionFailure.class)) {
          preconditionFailures.addAll(detail.unpack(PreconditionFailure.class).getViolationsList());
        } else if (detail.is(ErrorInfo.class)) {
          errorInfo = detail.unpack(ErrorInfo.class);
        } else if (detail.is(ResourceInfo.class)) {
          resourceInfo = detail.unpack(ResourceInfo.class);
        }
      } catch (InvalidProtocolBufferException e) {
        // a malformed detail is left out
      }
    }
  }

  /** The ThbException of a failed call. */
  public static ThbException from(StatusRuntimeException e) {
    return new ThbException(e);
  }

  /** Runs a blocking stub call; a failure throws ThbException. */
  public static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw from(e);
    }
  }

  public Status.Code code() {
    return code;
  }

  public List<BadRequest.FieldViolation> fieldViolations() {
    return Collections.unmodifiableList(fieldViolations);
  }

  public List<PreconditionFailure.Violation> preconditionFailures() {
    return Collections.unmodifiableList(preconditionFailures);
  }

  /** The ErrorInfo, or null. */
  public ErrorInfo errorInfo() {
    return errorInfo;
  }

  /** The ErrorInfo reason, e.g. "INSTITUTION_NOT_REGISTERED", or "" when there is none. */
  public String reason() {
    return errorInfo == null ? "" : errorInfo.getReason();
  }

  /** The ResourceInfo, or null. */
  public ResourceInfo resourceInfo() {
    return resourceInfo;
  }
}
