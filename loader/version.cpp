// libkiln's version string.
#include "kiln/kiln.h"

namespace kiln {

const char* version() { return "kiln 0.1.0"; }

}  // namespace kiln
