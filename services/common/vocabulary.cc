#include "services/common/vocabulary.h"

namespace thb {

const std::vector<thb::type::v1::FormOfExploitation>& ConcreteForms() {
  static const auto* forms = [] {
    auto* v = new std::vector<thb::type::v1::FormOfExploitation>;
    for (int f = thb::type::v1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION;
         f <= thb::type::v1::FORM_OF_EXPLOITATION_SURROGACY; ++f) {
      v->push_back(static_cast<thb::type::v1::FormOfExploitation>(f));
    }
    return v;
  }();
  return *forms;
}

}  // namespace thb
