// A minimal blocking HTTP/1.1 client (Boost.Beast) for end-to-end tests against the gateway.
#pragma once

#include <map>
#include <string>

namespace thb::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

HttpResult HttpCall(const std::string& host_port, const std::string& method,
                    const std::string& target, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});

}  // namespace thb::testing
