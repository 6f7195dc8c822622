// Internal to the JSONL reader and writer: which payload fields each EventKind writes,
// under which name, at which byte offset of Event::raw. Both directions walk the same
// table, so the writer and reader cannot drift apart.
#pragma once

#include "trace/event.h"
#include "trace/jsonl_names.h"
#include "trace/trace.h"

#include <QString>

#include <cstddef>
#include <cstdint>

namespace sl::trace::detail {

enum class FieldType : std::uint8_t { U8, U16, I16, I32, I64, Str, Preview };

struct Field {
    const char *name;
    FieldType type;
    std::uint8_t offset; // into Event::raw
    bool optional;       // omitted when zero (kinds whose payload is normally empty)
    // The value of a field that is missing from a line. Nonzero only for a field added
    // after traces were already written (always written now): an older trace lacks it and
    // must read as "n/a" (-1), not as a measured 0.
    std::int8_t absent = 0;
    // Version 2 writes this field as a name (a string, null or a boolean), not a number.
    Names names = Names::None;
};

struct KindSchema {
    const Field *fields;
    int count;
    bool covered[48]; // bytes of raw some field owns; the rest should be zero padding
};

const KindSchema &schemaFor(EventKind kind);

constexpr std::size_t fieldSize(FieldType t) {
    switch (t) {
    case FieldType::U8:
        return 1;
    case FieldType::U16:
    case FieldType::I16:
        return 2;
    case FieldType::I64:
        return 8;
    default:
        return 4; // I32, StrRef
    }
}

// The extra keys that are not payload fields.
inline constexpr char PreviewB64Key[] = "preview_b64"; // a preview that is not UTF-8
inline constexpr char PadKey[] = "pad_hex";            // version 1: nonzero bytes no field owns
inline constexpr char ErrNameKey[] = "errname";        // version 1: for people, never read

// The reader's checks of one event's values (jsonl.h lists them). `sockets` is the number
// of sockets declared so far; a socket_new raises it. Returns false with a message.
bool checkEvent(const Event &e, const Trace &trace, std::int32_t *sockets, QString *error);

} // namespace sl::trace::detail
