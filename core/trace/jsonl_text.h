// Internal to the JSONL reader and writer: JSON string escaping and unescaping that
// round-trips every QString exactly, lone UTF-16 surrogates included (they are written
// as \uXXXX, everything else non-ASCII as raw UTF-8 so Hangul stays readable).
#pragma once

#include <QString>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sl::trace::detail {

// Appends "text" (with the quotes) to out.
void appendJsonString(std::string &out, const QString &text);
void appendJsonString(std::string &out, std::string_view ascii);

// body: the bytes between the quotes. Returns false (and sets *error) on a bad escape.
bool decodeJsonString(std::string_view body, bool hasEscape, QString *out, QString *error);

// One scalar value of a flat JSON object (an event line).
struct Value {
    enum Type { Int, String, OtherNumber, Literal } type = Int;
    std::int64_t num = 0; // Int: the value; Literal: 1 true, 0 false, -1 null
    std::string_view str; // String: bytes between the quotes
    bool escaped = false;
};

struct Pair {
    std::string_view key; // raw bytes; a key with escapes never matches a known name
    Value value;
};

const char *typeName(Value::Type t); // "an integer", … for messages

// Scans a line holding one flat JSON object of scalars into pairs (in file order).
// Nested objects/arrays are rejected; every bound is checked.
bool scanFlatObject(std::string_view line, std::vector<Pair> *pairs, QString *error);

} // namespace sl::trace::detail
