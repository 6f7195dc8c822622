#include "trace/event.h"

#include <cstring>
#include <iterator>

namespace sl::trace {

namespace {
// Indexed by EventKind; these names are the file format (JSONL "k"), never rename one.
constexpr const char *KindNames[] = {
    "actor_new", "actor_status", "socket_new",   "socket_info", "socket_close", "call_begin",
    "call_end",  "sample",       "state_change", "select_in",   "select_out",   "say",
    "expect",    "step_begin",   "step_end",     "note",
};
static_assert(std::size(KindNames) == std::size_t(EventKind::Count_));
} // namespace

const char *eventKindName(EventKind k) {
    const auto i = std::size_t(k);
    return i < std::size(KindNames) ? KindNames[i] : "unknown";
}

bool eventKindFromName(const char *name, EventKind *out) {
    if (!name)
        return false;
    for (std::size_t i = 0; i < std::size(KindNames); ++i) {
        if (std::strcmp(name, KindNames[i]) == 0) {
            if (out)
                *out = EventKind(i);
            return true;
        }
    }
    return false;
}

} // namespace sl::trace
