// Internal: turns one line of a .lab script (or the inside of a say placeholder) into
// tokens. Statements never span lines, so the lexer works line by line and checks that
// brackets are balanced within the line.
#pragma once

#include "script/diagnostic.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

namespace sl::script::detail {

enum class Tok : std::uint8_t { End, Name, Int, Float, Str, Bytes, Op };

// A string or bytes literal's decoded value, kept out of line: most tokens are names,
// numbers and operators, and a token's size is what a long line costs in memory.
struct Literal {
    QString str;
    QByteArray bytes;
    std::vector<int> strCols; // Str: source column of each decoded character, plus one
    bool fstring = false;     // Str: written f"…" (the parser splits out its {fields})
};

struct Token {
    Tok kind = Tok::End;
    int pos = 0;  // index of the first character in the lexed text
    int len = 0;  // characters as written (quotes and prefix included)
    int col = 0;  // 1-based source column of the first character
    QString text; // Name, Op: as written (operators share static strings: no allocation)
    union {
        std::int64_t i = 0; // Int
        double f;           // Float
    };
    std::shared_ptr<const Literal> lit; // Str, Bytes

    const QString &str() const { return lit ? lit->str : empty().str; }
    const QByteArray &bytes() const { return lit ? lit->bytes : empty().bytes; }
    const std::vector<int> &strCols() const { return lit ? lit->strCols : empty().strCols; }
    static const Literal &empty() {
        static const Literal e;
        return e;
    }

    bool is(Tok k, const char *t) const { return kind == k && text == QLatin1String(t); }
    bool op(const char *t) const { return is(Tok::Op, t); }
    bool name(const char *t) const { return is(Tok::Name, t); }
};

// Lexes `text` (source line `line`, text[0] at column `colBase`). A `#` outside a string
// ends the line. Appends the tokens and a final End token to `out`; on an error appends
// one diagnostic and returns false.
bool lexLine(const QString &text, int line, int colBase, std::vector<Token> *out,
             std::vector<Diagnostic> *diags);

} // namespace sl::script::detail
