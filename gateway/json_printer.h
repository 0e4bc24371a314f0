// proto3 JSON for responses, printed straight from reflection (the mapping of
// https://protobuf.dev/programming-guides/proto3/#json: lowerCamelCase names, 64-bit integers as
// strings, enums by name, bytes as base64, well-known types in their special forms).
//
// Why not protobuf's own printer: util::MessageToJsonString (3.21) re-serialises the message and
// rebuilds google.protobuf.Type descriptions of every type involved on every call; for a small
// response that is ~12 us against ~1 us here, and the gateway prints one per request. The output
// is checked against protobuf's printer, as parsed JSON, over randomly filled messages of every
// type the suite returns (json_printer_test.cc).
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace thb::gateway {

// Appends `message` as JSON to `out`. `always_print_primitive_fields` prints singular fields
// without presence at their default value and empty lists and maps (as protobuf's option of that
// name). Returns false, with `out` unspecified, for what this printer leaves to protobuf's:
// google.protobuf.Any, and well-known values protobuf rejects (a Timestamp or Duration out of
// range, a Value with no kind or a non-finite number, a FieldMask path that has no JSON form).
bool PrintJson(const google::protobuf::Message& message, bool always_print_primitive_fields,
               std::string* out);

// Appends the JSON value of one field of `message` (a list, a map as an object, or one value,
// printed even when it is the default), with PrintJson's exceptions.
bool PrintJsonField(const google::protobuf::Message& message,
                    const google::protobuf::FieldDescriptor* field, std::string* out);

}  // namespace thb::gateway
