// Internal: turns one line of a .lab script (or the inside of a say placeholder) into
// tokens. Statements never span lines, so the lexer works line by line and checks that
// brackets are balanced within the line.
#pragma once

#include "script/diagnostic.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

namespace sl::script::detail {

enum class Tok : std::uint8_t { End, Name, Int, Float, Str, Bytes, Op };

struct Token {
    Tok kind = Tok::End;
    int pos = 0;  // index of the first character in the lexed text
    int len = 0;  // characters as written (quotes and prefix included)
    int col = 0;  // 1-based source column of the first character
    QString text; // Name, Op: as written
    std::int64_t i = 0;
    double f = 0;
    QString str;
    QByteArray bytes;
    std::vector<int> strCols; // Str: source column of each decoded character, plus one

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
