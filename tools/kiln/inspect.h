// `kiln inspect` and `kiln check`.
#pragma once
#include <string>

namespace kiln::tool {

/// Prints what the artifact at `path` says about itself, as text or as JSON
/// (tools/kiln/inspect.schema.json); returns the exit status.
int inspect_command(const std::string& path, bool json);

/// Prints every reason the artifact would not load here, one per line, or
/// that it would; returns 0 when it would load, 1 otherwise.
int check_command(const std::string& path);

}  // namespace kiln::tool
