// PrintJson against protobuf's own printer: every message type the suite's services (and the
// test-only shapes contract) take or return, filled at random through reflection with the values
// that trip JSON printers up (escapes, U+2028, emoji, NaN, infinities, -0, 64-bit extremes,
// unknown enum numbers, bytes, maps, nested and well-known types), must print as the same JSON
// value. Where PrintJson declines (Any, out-of-range well-known values) protobuf's printer is the
// one the gateway uses; the test checks that it declines only there.
#include "gateway/json_printer.h"

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "gateway/route_table.h"
#include "thb/coordinator/v1/coordinator.pb.h"
#include "thb/gatewaytest/v1/shapes.pb.h"

namespace thb::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

class RandomFiller {
 public:
  explicit RandomFiller(uint32_t seed, bool allow_invalid)
      : rng_(seed), allow_invalid_(allow_invalid) {}

  void Fill(Message* m, int depth) {
    const Descriptor* d = m->GetDescriptor();
    const Reflection* r = m->GetReflection();
    if (d->full_name() == "google.protobuf.Timestamp" ||
        d->full_name() == "google.protobuf.Duration") {
      const bool timestamp = d->full_name() == "google.protobuf.Timestamp";
      int64_t seconds = timestamp ? Pick<int64_t>({0, 1790000000, -62135596800, 253402300799, 1})
                                  : Pick<int64_t>({0, 1, 59, 315576000000, -315576000000, -3});
      int32_t nanos = Pick<int32_t>({0, 500000000, 1000, 123456789, 7000000, 999999999});
      if (!timestamp && seconds < 0) nanos = -nanos;
      if (allow_invalid_ && Chance(10)) seconds = 400000000000;  // out of range
      r->SetInt64(m, d->FindFieldByNumber(1), seconds);
      r->SetInt32(m, d->FindFieldByNumber(2), nanos);
      return;
    }
    if (d->full_name() == "google.protobuf.FieldMask") {
      const int n = Uniform(0, 3);
      for (int i = 0; i < n; ++i) {
        std::string path =
            Pick<std::string>({"display_name", "sector", "a_b_c", "x", "plan.title_text"});
        r->AddString(m, d->FindFieldByNumber(1), path);
      }
      return;
    }
    if (d->full_name() == "google.protobuf.Value") {
      FillValue(m, depth);
      return;
    }
    if (d->full_name() == "google.protobuf.Any") {
      if (allow_invalid_) {
        coordinator::v1::Institution inner;
        inner.set_display_name("inside an Any");
        r->SetString(m, d->FindFieldByNumber(1),
                     "type.googleapis.com/thb.coordinator.v1.Institution");
        r->SetString(m, d->FindFieldByNumber(2), inner.SerializeAsString());
      }
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (!Chance(2)) continue;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth >= 4) continue;
      if (f->is_map()) {
        const int n = Uniform(0, 3);
        for (int k = 0; k < n; ++k) {
          Message* entry = r->AddMessage(m, f);
          SetScalar(entry, f->message_type()->map_key(), depth);
          SetScalar(entry, f->message_type()->map_value(), depth);
        }
      } else if (f->is_repeated()) {
        const int n = Uniform(0, 3);
        for (int k = 0; k < n; ++k) AddScalar(m, f, depth);
      } else {
        SetScalar(m, f, depth);
      }
    }
  }

 private:
  void FillValue(Message* m, int depth) {
    const Descriptor* d = m->GetDescriptor();
    const Reflection* r = m->GetReflection();
    switch (Uniform(0, depth >= 3 ? 3 : 5)) {
      case 0:
        r->SetEnumValue(m, d->FindFieldByName("null_value"), 0);
        break;
      case 1:
        r->SetDouble(m, d->FindFieldByName("number_value"),
                     Double(/*allow_non_finite=*/allow_invalid_ && Chance(10)));
        break;
      case 2:
        r->SetString(m, d->FindFieldByName("string_value"), String());
        break;
      case 3:
        r->SetBool(m, d->FindFieldByName("bool_value"), Chance(2));
        break;
      case 4:
        Fill(r->MutableMessage(m, d->FindFieldByName("struct_value")), depth + 1);
        break;
      default:
        Fill(r->MutableMessage(m, d->FindFieldByName("list_value")), depth + 1);
        break;
    }
  }

  // Sets `f` (or, when `add`, appends to the repeated `f`) to a random value.
  void SetScalar(Message* m, const FieldDescriptor* f, int depth) { Put(m, f, depth, false); }
  void AddScalar(Message* m, const FieldDescriptor* f, int depth) { Put(m, f, depth, true); }
  void Put(Message* m, const FieldDescriptor* f, int depth, bool add) {
    const Reflection* r = m->GetReflection();
    auto put = [&](auto set, auto append, auto value) {
      add ? (r->*append)(m, f, value) : (r->*set)(m, f, value);
    };
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        put(&Reflection::SetInt32, &Reflection::AddInt32, Int<int32_t>());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        put(&Reflection::SetUInt32, &Reflection::AddUInt32, Int<uint32_t>());
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        put(&Reflection::SetInt64, &Reflection::AddInt64, Int<int64_t>());
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        put(&Reflection::SetUInt64, &Reflection::AddUInt64, Int<uint64_t>());
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        put(&Reflection::SetDouble, &Reflection::AddDouble, Double(false));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        put(&Reflection::SetFloat, &Reflection::AddFloat, static_cast<float>(Double(false)));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        put(&Reflection::SetBool, &Reflection::AddBool, Chance(2));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        put(&Reflection::SetEnumValue, &Reflection::AddEnumValue, Enum(f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        put(&Reflection::SetString, &Reflection::AddString,
            f->type() == FieldDescriptor::TYPE_BYTES ? Bytes() : String());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Fill(add ? r->AddMessage(m, f) : r->MutableMessage(m, f), depth + 1);
        break;
    }
  }

  template <typename T>
  T Int() {
    return Pick<T>({T(0), T(1), std::numeric_limits<T>::max(), std::numeric_limits<T>::min(),
                    static_cast<T>(rng_()), T(42)});
  }
  double Double(bool allow_non_finite) {
    std::vector<double> v = {0.0,
                             -0.0,
                             0.1,
                             1.0 / 3,
                             1e21,
                             1e-7,
                             123456789012.5,
                             -2.5,
                             5e-324,
                             std::numeric_limits<double>::max(),
                             100000.0,
                             3.0};
    if (allow_non_finite) {
      v.push_back(std::nan(""));
      v.push_back(INFINITY);
      v.push_back(-INFINITY);
    }
    return v[Uniform(0, static_cast<int>(v.size()) - 1)];
  }
  int Enum(const FieldDescriptor* f) {
    if (Chance(8)) return 999;  // a number the descriptor does not know
    return f->enum_type()->value(Uniform(0, f->enum_type()->value_count() - 1))->number();
  }
  std::string String() {
    return Pick<std::string>(
        {"", "plain", "quote \" backslash \\ slash /", "tab\tnewline\nreturn\r",
         std::string("nul \x01 bell \x07 del \x7f", 16), "<script>&'",
         "line\xe2\x80\xa8separator\xe2\x80\xa9", "caf\xc3\xa9 \xf0\x9f\x98\x80",
         "\xe4\xba\xba\xe5\x8f\xa3\xe8\xb4\xa9\xe5\x8d\x96"});
  }
  std::string Bytes() {
    return Pick<std::string>({"", std::string("\x00\xff\xfe", 3), "abc", "abcd"});
  }

  template <typename T>
  T Pick(std::vector<T> options) {
    return options[Uniform(0, static_cast<int>(options.size()) - 1)];
  }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int one_in) { return Uniform(1, one_in) == 1; }

  std::mt19937 rng_;
  bool allow_invalid_;
};

void CollectTypes(const Descriptor* d, std::set<const Descriptor*>* out) {
  if (!out->insert(d).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->message_type() != nullptr) CollectTypes(d->field(i)->message_type(), out);
  }
}

std::set<const Descriptor*> AllTypes() {
  std::vector<const google::protobuf::ServiceDescriptor*> services = SuiteServices();
  services.push_back(
      gatewaytest::v1::Thing::descriptor()->file()->FindServiceByName("ShapesService"));
  std::set<const Descriptor*> types;
  for (const auto* s : services) {
    for (int i = 0; i < s->method_count(); ++i) {
      CollectTypes(s->method(i)->input_type(), &types);
      CollectTypes(s->method(i)->output_type(), &types);
    }
  }
  return types;
}

bool ContainsAny(const Message& m) {
  if (m.GetDescriptor()->full_name() == "google.protobuf.Any") return true;
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (ContainsAny(r->GetRepeatedMessage(m, f, i))) return true;
      }
    } else if (ContainsAny(r->GetMessage(m, f))) {
      return true;
    }
  }
  return false;
}

TEST(JsonPrinterTest, PrintsWhatProtobufPrintsForEveryTypeOfTheSuite) {
  const std::set<const Descriptor*> types = AllTypes();
  ASSERT_GT(types.size(), 100u);  // the three services' messages, nested and well-known types
  int compared = 0;
  for (const Descriptor* d : types) {
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
    for (uint32_t seed = 0; seed < 25; ++seed) {
      std::unique_ptr<Message> m(prototype->New());
      RandomFiller(seed * 7919 + d->field_count(), /*allow_invalid=*/false).Fill(m.get(), 0);
      for (bool always : {false, true}) {
        google::protobuf::util::JsonPrintOptions options;
        options.always_print_primitive_fields = always;
        std::string expected;
        ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*m, &expected, options).ok())
            << d->full_name() << " seed " << seed;
        std::string actual;
        ASSERT_TRUE(PrintJson(*m, always, &actual)) << d->full_name() << " seed " << seed;
        const auto parsed = nlohmann::json::parse(actual, nullptr, /*allow_exceptions=*/false);
        ASSERT_FALSE(parsed.is_discarded()) << "not JSON: " << actual;
        ASSERT_EQ(parsed, nlohmann::json::parse(expected))
            << d->full_name() << " seed " << seed << " always " << always
            << "\n ours:     " << actual << "\n protobuf: " << expected;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 5000);
}

TEST(JsonPrinterTest, DeclinesOnlyWhereProtobufIsNeeded) {
  // With Any values and out-of-range well-known values mixed in: PrintJson declines exactly
  // when the message holds an Any or protobuf itself refuses the message.
  int declined = 0;
  int printed = 0;
  for (const Descriptor* d : AllTypes()) {
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
    for (uint32_t seed = 0; seed < 10; ++seed) {
      std::unique_ptr<Message> m(prototype->New());
      RandomFiller(seed + 1000, /*allow_invalid=*/true).Fill(m.get(), 0);
      std::string expected;
      const bool protobuf_ok = google::protobuf::util::MessageToJsonString(*m, &expected).ok();
      std::string actual;
      if (PrintJson(*m, false, &actual)) {
        ASSERT_TRUE(protobuf_ok) << d->full_name() << ": printed what protobuf refuses: " << actual;
        ASSERT_EQ(nlohmann::json::parse(actual), nlohmann::json::parse(expected)) << d->full_name();
        ++printed;
      } else {
        EXPECT_TRUE(ContainsAny(*m) || !protobuf_ok) << d->full_name() << " seed " << seed;
        ++declined;
      }
    }
  }
  EXPECT_GT(declined, 10);
  EXPECT_GT(printed, 100);
}

TEST(JsonPrinterTest, ExactFormsOfScalarsAndWellKnownTypes) {
  gatewaytest::v1::Thing thing;
  std::string out;
  ASSERT_TRUE(PrintJson(thing, false, &out));
  EXPECT_EQ(out, "{}");

  google::protobuf::Timestamp ts;
  ts.set_seconds(1790000000);
  ts.set_nanos(7000000);
  out.clear();
  ASSERT_TRUE(PrintJson(ts, false, &out));
  EXPECT_EQ(out, R"("2026-09-21T14:13:20.007Z")");

  google::protobuf::Duration duration;
  duration.set_seconds(-1);
  duration.set_nanos(-500000000);
  out.clear();
  ASSERT_TRUE(PrintJson(duration, false, &out));
  EXPECT_EQ(out, R"("-1.500s")");

  google::protobuf::Int64Value big;
  big.set_value(std::numeric_limits<int64_t>::max());
  out.clear();
  ASSERT_TRUE(PrintJson(big, false, &out));
  EXPECT_EQ(out, R"("9223372036854775807")");

  google::protobuf::DoubleValue third;
  third.set_value(1.0 / 3);
  out.clear();
  ASSERT_TRUE(PrintJson(third, false, &out));
  EXPECT_EQ(std::stod(out), 1.0 / 3);  // reads back exactly

  // A FieldMask path that is not snake_case has no agreed JSON form: left to protobuf.
  google::protobuf::FieldMask mask;
  mask.add_paths("badPath");
  out.clear();
  EXPECT_FALSE(PrintJson(mask, false, &out));

  google::protobuf::StringValue text;
  text.set_value("a\"<\xe2\x80\xa8\x01");
  out.clear();
  ASSERT_TRUE(PrintJson(text, false, &out));
  EXPECT_EQ(out, R"("a\"\u003c\u2028\u0001")");
}

}  // namespace
}  // namespace thb::gateway
