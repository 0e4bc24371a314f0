// Reflection v1 on a real server: the services listed, a contract's file found by a symbol with
// its imports (once per stream), a file by name, extensions, and NOT_FOUND for what is not there.
#include "services/common/reflection_v1.h"

#include <gmock/gmock.h>
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb {
namespace {

namespace rv1 = grpc::reflection::v1;
using ::testing::Contains;
using ::testing::ElementsAre;

std::vector<std::string> FileNames(const rv1::ServerReflectionResponse& r) {
  std::vector<std::string> names;
  for (const std::string& bytes : r.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto f;
    EXPECT_TRUE(f.ParseFromString(bytes));
    names.push_back(f.name());
  }
  return names;
}

TEST(ReflectionV1, AnswersOverARealStream) {
  // Make sure the contract is linked into the generated pool.
  (void)thb::coordinator::v1::Institution::descriptor();
  ReflectionV1 service(
      {"thb.coordinator.v1.CoordinatorService", "grpc.reflection.v1.ServerReflection"});
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  auto stub = rv1::ServerReflection::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  auto stream = stub->ServerReflectionInfo(&ctx);
  auto ask = [&](const rv1::ServerReflectionRequest& q) {
    EXPECT_TRUE(stream->Write(q));
    rv1::ServerReflectionResponse r;
    EXPECT_TRUE(stream->Read(&r));
    return r;
  };

  rv1::ServerReflectionRequest list;
  list.set_list_services("");
  rv1::ServerReflectionResponse listed = ask(list);
  std::vector<std::string> names;
  for (const auto& s : listed.list_services_response().service()) names.push_back(s.name());
  EXPECT_THAT(names, ElementsAre("thb.coordinator.v1.CoordinatorService",
                                 "grpc.reflection.v1.ServerReflection"));

  rv1::ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("thb.coordinator.v1.CoordinatorService");
  rv1::ServerReflectionResponse found = ask(symbol);
  std::vector<std::string> files = FileNames(found);
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files[0], "thb/coordinator/v1/coordinator.proto");
  EXPECT_THAT(files, Contains("google/api/annotations.proto"));
  EXPECT_THAT(files, Contains("thb/type/v1/vocabulary.proto"));
  // Once per stream: asking again sends nothing more.
  EXPECT_TRUE(FileNames(ask(symbol)).empty());

  rv1::ServerReflectionRequest by_name;
  by_name.set_file_by_filename("grpc/reflection/v1/reflection.proto");
  EXPECT_THAT(FileNames(ask(by_name)), ElementsAre("grpc/reflection/v1/reflection.proto"));
  by_name.set_file_by_filename("thb/type/v1/audit.proto");  // sent above, as an import
  EXPECT_TRUE(FileNames(ask(by_name)).empty());

  rv1::ServerReflectionRequest extensions;
  extensions.set_all_extension_numbers_of_type("google.protobuf.FieldOptions");
  rv1::ServerReflectionResponse numbers = ask(extensions);
  EXPECT_EQ(numbers.all_extension_numbers_response().base_type_name(),
            "google.protobuf.FieldOptions");
  EXPECT_FALSE(numbers.all_extension_numbers_response().extension_number().empty());

  rv1::ServerReflectionRequest missing;
  missing.set_file_containing_symbol("thb.nowhere.v1.Nothing");
  rv1::ServerReflectionResponse error = ask(missing);
  EXPECT_EQ(error.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(error.original_request().file_containing_symbol(), "thb.nowhere.v1.Nothing");

  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  server->Shutdown();
}

}  // namespace
}  // namespace thb
