// Internal to the JSONL reader and writer: the names a version-2 trace writes instead of
// numbers (trace-format.md lists them): call names, errno names, TCP states, actor states,
// address families, socket types, flag and readiness sets, booleans.
//
// The trace library sits below script/ and sys/, so the call and state names are kept
// here as the file format's own vocabulary; tst_jsonl_names checks them against
// script::callName() and sys::tcpStateName() so they cannot drift apart.
//
// Thread affinity: none (immutable tables; the errno table is built once, thread-safely).
#pragma once

#include "trace/jsonl_text.h"

#include <QString>
#include <cstdint>
#include <string>
#include <string_view>

namespace sl::trace::detail {

enum class Names : std::uint8_t {
    None,       // a plain integer
    Call,       // script::CallId: "send"; 0 -> null
    Errno,      // "EAGAIN"; 0 -> null
    TcpState,   // "ESTABLISHED"; 0 (not TCP / unknown) -> null
    ActorState, // "idle", "running", "blocked", "done"
    Bool,       // true / false
    CallFlags,  // "nonblocking|partial" ("" = none)
    Readiness,  // "readable|writable" ("" = none)
    Domain,     // "AF_INET"
    SockType,   // "SOCK_STREAM"
};

// Appends the JSON value of v (a string, null, true/false, or the integer itself when the
// number has no name, e.g. a call id newer than this table).
void appendNamed(std::string &out, Names names, std::int64_t v);

// Reads a named value back: the name, null (0), true/false, or a plain integer (a number
// without a name, or a value a person typed). Returns false with *why on an unknown name.
bool readNamed(Names names, const Value &value, std::int64_t *out, QString *why);

// For tests: the name tables.
const char *callNameOf(std::uint16_t id);   // nullptr when the id has no name
const char *tcpStateNameOf(std::uint8_t s); // nullptr for 0 and out of range

} // namespace sl::trace::detail
