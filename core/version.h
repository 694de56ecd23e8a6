// The suiji version (printed by `suiji version`, reported by /healthz and suiji_build_info).
#pragma once

namespace suiji {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace suiji
