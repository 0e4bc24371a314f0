// thb-policy-matrix: prints the authorization matrix (Markdown) that docs/SECURITY.md carries
// between its GENERATED MATRIX markers, or with --fields the table of restricted fields between
// its GENERATED FIELD AUDIENCES markers; the matrix tests fail when the doc and these differ.
#include <iostream>
#include <string>

#include "tests/policy_matrix.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--fields") {
    std::cout << thb::testing::FieldAudienceMarkdown();
    return 0;
  }
  std::cout << thb::testing::PolicyMatrixMarkdown();
  return 0;
}
