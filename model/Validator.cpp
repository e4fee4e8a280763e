#include "Validator.h"

namespace eventflow::model {

Diagnostics Validator::validate(const Design&) { return {}; }

} // namespace eventflow::model
