#pragma once

#include "Design.h"
#include "Diagnostic.h"

namespace eventflow::model {

/// Checks what a design means, after DesignFile has checked its shape: every parameter against
/// its metadata, every connection against what the services allow, references, traffic, faults
/// and simulation settings (errors); and designs that are legal but known to hurt (warnings,
/// each with the reason and the fix). Pure function of the design; thread-safe.
class Validator {
public:
    static Diagnostics validate(const Design& design);
};

} // namespace eventflow::model
