package org.thbsuite.client;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Every item of a paged List RPC (AIP-158), fetched page by page as the caller iterates. Each
 * next page repeats the request with the previous page's token, as the suite requires.
 *
 * <pre>for (Institution i : Pages.of(stub::listInstitutions, request,
 *     ListInstitutionsResponse::getInstitutionsList)) { ... }</pre>
 */
public final class Pages {
  private Pages() {}

  public static <Req extends Message, Resp extends Message, T> Iterable<T> of(
      Function<Req, Resp> list, Req request, Function<Resp, List<T>> items) {
    FieldDescriptor tokenField = request.getDescriptorForType().findFieldByName("page_token");
    if (tokenField == null) throw new IllegalArgumentException("the request has no page_token");
    return () ->
        new Iterator<T>() {
          private Iterator<T> page = null;
          private String next = (String) request.getField(tokenField);
          private boolean last = false;

          @Override
          public boolean hasNext() {
            while (page == null || !page.hasNext()) {
              if (last) return false;
              @SuppressWarnings("unchecked")
              Req current = (Req) request.toBuilder().setField(tokenField, next).build();
              Resp response = ThbException.call(() -> list.apply(current));
              page = items.apply(response).iterator();
              FieldDescriptor nextField =
                  response.getDescriptorForType().findFieldByName("next_page_token");
              next = (String) response.getField(nextField);
              last = next.isEmpty();
            }
            return true;
          }

          @Override
          public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            return page.next();
          }
        };
  }
}
