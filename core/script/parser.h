// Parses .lab source into a Program. Nothing runs if there is an error: the caller
// gets every diagnostic found (line:column, message, hint) and no program.
//
// The language (documented in README.md, "Writing a lesson"):
//   #! key: value            metadata (title, title[ko], summary, summary[ko], seed,
//                            lesson, level); unknown keys are a warning
//   # comment
//   ACTOR: statement         a step owned by ACTOR (an identifier, created when first named)
//   ACTOR: for x in EXPR:    a block: the indented lines below belong to it (no prefix)
//   say "text {expr:,}"      narration; say[ko] "..." right after gives its Korean form
//   expect EXPR              checked after the previous step; failure stops a check run
//   wait SECONDS             the lab waits (actors go on)
//   wait until EXPR [within SECONDS]
// Python literals: 1_000_000, 0x10, 1.5, "str", b"bytes\r\n\x00", True/False/None,
// tuples, lists, `*` on bytes. Sizes are capped at MaxBytes (1 GiB).
//
// Thread affinity: none (pure function).
#pragma once

#include "script/ast.h"

#include <optional>

namespace sl::script {

constexpr std::int64_t MaxBytes = std::int64_t(1) << 30; // 1 GiB

// Two names are always defined and have fixed slots in Program::names: `error` (the
// errno the previous step left, 0 when it succeeded) and `result` (the previous step's
// value). The engine writes them after every step; a script cannot assign them.
constexpr int ErrorSlot = 0;
constexpr int ResultSlot = 1;
constexpr int ExceptionSlot = 2;

struct ParseResult {
    std::optional<Program> program; // empty when any diagnostic is an Error
    std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const QString &source, const QString &fileName = QStringLiteral("<script>"));

} // namespace sl::script
