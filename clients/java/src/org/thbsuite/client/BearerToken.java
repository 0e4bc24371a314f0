package org.thbsuite.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;

/** Call credentials that send {@code Authorization: Bearer <token>} with every call. */
public final class BearerToken extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private final String token;

  /** A JWT the services accept; one line without spaces. */
  public BearerToken(String token) {
    if (token == null || token.isEmpty() || token.matches(".*\\s.*")) {
      throw new IllegalArgumentException("a bearer token is one non-empty line without spaces");
    }
    this.token = token;
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    try {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token);
      applier.apply(headers);
    } catch (RuntimeException e) {
      applier.fail(Status.UNAUTHENTICATED.withCause(e));
    }
  }

  @Override
  public void thisUsesUnstableApi() {}
}
