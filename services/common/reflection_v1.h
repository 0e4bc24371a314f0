// gRPC server reflection, version v1 (grpc.reflection.v1.ServerReflection), beside the v1alpha
// that gRPC 1.51 builds in: tools that speak only v1 (newer grpcurl, Postman, grpcui) find the
// services and their descriptors too. Answers from the generated descriptor pool, as v1alpha
// does: list_services, file_by_filename, file_containing_symbol, file_containing_extension and
// all_extension_numbers_of_type; each file comes with the files it imports, once per stream.
#pragma once

#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace thb {

class ReflectionV1 final : public grpc::reflection::v1::ServerReflection::Service {
 public:
  // `services`: the full names list_services answers with.
  explicit ReflectionV1(std::vector<std::string> services) : services_(std::move(services)) {}

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>* stream) override;

  // The answer to one request; `sent` holds the files this stream has already sent.
  grpc::reflection::v1::ServerReflectionResponse Answer(
      const grpc::reflection::v1::ServerReflectionRequest& request,
      std::vector<std::string>& sent) const;

 private:
  std::vector<std::string> services_;
};

}  // namespace thb
