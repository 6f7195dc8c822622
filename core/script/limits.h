// The limits of a .lab script, as documented in README.md ("Writing a lesson", Limits).
// A script beyond one of them is refused with a diagnostic before anything runs; a file
// beyond MaxScriptBytes (or not a regular file) is refused before it is read.
//
// Thread affinity: none (constants).
#pragma once

#include <cstdint>

namespace sl::script {

// Actors of one lab: the engine keeps a fixed table of them (engine/context.h).
constexpr int MaxActors = 64;

// A script file or source: 1 MiB. The longest built-in lesson is about 11 KiB.
constexpr std::int64_t MaxScriptBytes = std::int64_t(1) << 20;
// Lines of a script: trace events store the line number as 16 bits (trace/event.h),
// so line 65,536 would wrap to 0.
constexpr int MaxLines = 65535;
// Characters on one line (a statement never spans lines). The longest built-in line
// is under 700 characters.
constexpr int MaxLineLength = 4096;
// Characters of an identifier: a name, an actor's name, a socket's name.
constexpr int MaxNameLength = 64;

} // namespace sl::script
