// thb-policy-matrix: prints the authorization matrix (Markdown) that docs/SECURITY.md carries
// between its GENERATED MATRIX markers; the matrix test fails when the two differ.
#include <iostream>

#include "tests/policy_matrix.h"

int main() {
  std::cout << thb::testing::PolicyMatrixMarkdown();
  return 0;
}
