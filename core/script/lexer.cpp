#include "script/lexer.h"

#include "script/limits.h"

#include <QLocale>

#include <limits>

namespace sl::script::detail {

namespace {

struct LexError {};

class Lexer {
public:
    Lexer(const QString &text, int line, int colBase, std::vector<Token> *out,
          std::vector<Diagnostic> *diags)
        : m_s(text)
        , m_line(line)
        , m_base(colBase)
        , m_out(out)
        , m_diags(diags) {}

    void run();

private:
    [[noreturn]] void fail(int pos, int len, const QString &msg, const QString &hint = {}) {
        Diagnostic d;
        d.span = {m_line, m_base + pos, qMax(1, len)};
        d.message = msg;
        d.hint = hint;
        m_diags->push_back(d);
        throw LexError{};
    }
    QChar at(int i) const { return i < m_s.size() ? m_s[i] : QChar(); }
    void number(int start);
    void string(int start, bool isBytes, bool isF = false);
    int hexDigits(int p, int n, int escStart);

    const QString &m_s;
    int m_line, m_base;
    std::vector<Token> *m_out;
    std::vector<Diagnostic> *m_diags;
    // Brackets not closed yet: where they are and which one, not whole tokens (a line of
    // a million '(' must not copy a million tokens).
    struct Open {
        int pos, col;
        char16_t ch;
    };
    std::vector<Open> m_open;
};

bool isIdentStart(QChar c) {
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isIdentChar(QChar c) {
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

void Lexer::number(int start) {
    int p = start;
    const bool hex = at(p) == u'0' && (at(p + 1) == u'x' || at(p + 1) == u'X');
    const int base = hex ? 16 : 10;
    if (hex)
        p += 2;
    auto digit = [&](QChar c) {
        if (c >= u'0' && c <= u'9')
            return c.unicode() - u'0';
        if (hex && c >= u'a' && c <= u'f')
            return c.unicode() - u'a' + 10;
        if (hex && c >= u'A' && c <= u'F')
            return c.unicode() - u'A' + 10;
        return -1;
    };
    std::uint64_t value = 0;
    bool overflow = false, isFloat = false;
    int digits = 0;
    QChar prev;
    auto bad = [&](int end, const QString &why) {
        while (isIdentChar(at(end)) || at(end) == u'.')
            ++end;
        fail(start, end - start, QStringLiteral("bad number '%1'").arg(m_s.mid(start, end - start)),
             why);
    };
    for (;; ++p) {
        const QChar c = at(p);
        if (c == u'_') {
            if (prev == u'_' || digits == 0)
                bad(p, QStringLiteral("underscores may only separate digits, as in 1_000_000"));
        } else if (digit(c) >= 0) {
            ++digits;
            const std::uint64_t d = std::uint64_t(digit(c));
            if (value > (std::uint64_t(std::numeric_limits<std::int64_t>::max()) - d) / base)
                overflow = true;
            else
                value = value * base + d;
        } else {
            break;
        }
        prev = c;
    }
    if (prev == u'_')
        bad(p, QStringLiteral("underscores may only separate digits, as in 1_000_000"));
    if (digits == 0 && (hex || at(p) != u'.'))
        bad(p, QStringLiteral("write hex digits after 0x, as in 0x1f"));
    if (!hex && (at(p) == u'.' || at(p) == u'e' || at(p) == u'E')) {
        isFloat = true;
        if (at(p) == u'.') {
            ++p;
            while (at(p).isDigit() || at(p) == u'_')
                ++p;
        }
        if (at(p) == u'e' || at(p) == u'E') {
            ++p;
            if (at(p) == u'+' || at(p) == u'-')
                ++p;
            if (!at(p).isDigit())
                bad(p, QStringLiteral("an exponent needs digits, as in 1e6"));
            while (at(p).isDigit())
                ++p;
        }
    }
    if (isIdentChar(at(p)) || at(p) == u'.')
        bad(p, QStringLiteral("a number must not run into letters"));
    Token t;
    t.pos = start;
    t.len = p - start;
    t.col = m_base + start;
    t.text = m_s.mid(start, p - start);
    if (isFloat) {
        QString digitsOnly = t.text;
        digitsOnly.remove(u'_');
        bool ok = false;
        t.kind = Tok::Float;
        t.f = QLocale::c().toDouble(digitsOnly, &ok);
        if (!ok)
            bad(p, QStringLiteral("write a decimal number such as 1.5"));
    } else {
        if (overflow)
            fail(start, p - start, QStringLiteral("integer literal %1 is too large").arg(t.text),
                 QStringLiteral("integers in a lab must fit in 64 bits"));
        t.kind = Tok::Int;
        t.i = std::int64_t(value);
    }
    m_out->push_back(std::move(t));
}

int Lexer::hexDigits(int p, int n, int escStart) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
        const QChar c = at(p + k);
        const int d = c.isDigit() ? c.unicode() - u'0' : (c.unicode() | 0x20) - u'a' + 10;
        if (!(c >= u'0' && c <= u'9') && !(c >= u'a' && c <= u'f') && !(c >= u'A' && c <= u'F'))
            fail(escStart, p + k - escStart + 1,
                 QStringLiteral("bad escape '%1'").arg(m_s.mid(escStart, p + k - escStart + 1)),
                 QStringLiteral("\\x takes two hex digits, as in \\x00"));
        v = v * 16 + d;
    }
    return v;
}

void Lexer::string(int start, bool isBytes, bool isF) {
    int p = start + (isBytes || isF ? 1 : 0);
    const QChar quote = at(p++);
    QString str;
    QByteArray bytes;
    std::vector<int> cols;
    auto put = [&](uint code, int col) {
        if (isBytes)
            bytes.append(char(code));
        else
            str += QChar(char16_t(code));
        cols.push_back(m_base + col);
    };
    for (;;) {
        if (p >= m_s.size())
            fail(start, p - start,
                 isBytes ? QStringLiteral("unterminated bytes literal")
                         : QStringLiteral("unterminated string"),
                 QStringLiteral("close it with %1 on the same line").arg(quote));
        const QChar c = m_s[p];
        if (c == quote)
            break;
        if (c != u'\\') {
            if (isBytes && c.unicode() > 127)
                fail(p, 1, QStringLiteral("non-ASCII character '%1' in a bytes literal").arg(c),
                     QStringLiteral("write it as \\xNN escapes, or use a string and .encode()"));
            put(c.unicode(), p);
            ++p;
            continue;
        }
        const int esc = p;
        const QChar e = at(p + 1);
        p += 2;
        switch (e.unicode()) {
        case 'n':
            put('\n', esc);
            break;
        case 'r':
            put('\r', esc);
            break;
        case 't':
            put('\t', esc);
            break;
        case '0':
            put(0, esc);
            break;
        case '\\':
            put('\\', esc);
            break;
        case '\'':
            put('\'', esc);
            break;
        case '"':
            put('"', esc);
            break;
        case 'x':
            put(uint(hexDigits(p, 2, esc)), esc);
            p += 2;
            break;
        case 'u':
            if (isBytes)
                fail(esc, 2, QStringLiteral("bad escape '\\u' in a bytes literal"),
                     QStringLiteral("bytes take \\xNN escapes"));
            put(uint(hexDigits(p, 4, esc)), esc);
            p += 4;
            break;
        default:
            fail(esc, e.isNull() ? 1 : 2,
                 QStringLiteral("bad escape '\\%1'").arg(e.isNull() ? QString() : QString(e)),
                 QStringLiteral("known escapes: \\n \\r \\t \\0 \\\\ \\' \\\" \\xNN; "
                                "write \\\\ for a backslash"));
        }
    }
    ++p; // closing quote
    Token t;
    t.kind = isBytes ? Tok::Bytes : Tok::Str;
    t.pos = start;
    t.len = p - start;
    t.col = m_base + start;
    t.text = m_s.mid(start, p - start);
    cols.push_back(m_base + p - 1);
    t.lit = std::make_shared<const Literal>(
        Literal{std::move(str), std::move(bytes), std::move(cols), isF});
    m_out->push_back(std::move(t));
}

void Lexer::run() {
    int p = 0;
    while (p < m_s.size()) {
        const QChar c = m_s[p];
        if (c == u' ' || c == u'\t' || c == u'\r') {
            ++p;
            continue;
        }
        if (c == u'#')
            break;
        if ((c == u'b' || c == u'B') && (at(p + 1) == u'"' || at(p + 1) == u'\'')) {
            string(p, true);
        } else if ((c == u'f' || c == u'F') && (at(p + 1) == u'"' || at(p + 1) == u'\'')) {
            string(p, false, true);
        } else if (c == u'"' || c == u'\'') {
            string(p, false);
        } else if (c.isDigit() || (c == u'.' && at(p + 1).isDigit())) {
            number(p);
        } else if (isIdentStart(c)) {
            int e = p;
            while (isIdentChar(at(e)))
                ++e;
            if (e - p > MaxNameLength)
                fail(p, e - p, QStringLiteral("name too long (%1 characters)").arg(e - p),
                     QStringLiteral("a name may have at most %1 characters").arg(MaxNameLength));
            Token t;
            t.kind = Tok::Name;
            t.pos = p;
            t.len = e - p;
            t.col = m_base + p;
            t.text = m_s.mid(p, e - p);
            m_out->push_back(std::move(t));
        } else {
            static const char *const ops[] = {
                "//", "==", "!=", "<=", ">=", "+=", "-=", "<<", ">>", "(", ")", "[", "]", ",", ":",
                ".",  "=",  "<",  ">",  "+",  "-",  "*",  "/",  "%",  "{", "}", "|", "&", "^", "~"};
            // One shared QString per operator: copying it into a token allocates nothing.
            static const std::vector<QString> opTexts = [] {
                std::vector<QString> v;
                for (const char *op : ops)
                    v.push_back(QString::fromLatin1(op));
                return v;
            }();
            const char *found = nullptr;
            std::size_t k = 0;
            for (; k < std::size(ops); ++k) {
                if (QStringView(m_s).mid(p).startsWith(QLatin1String(ops[k]))) {
                    found = ops[k];
                    break;
                }
            }
            if (!found)
                fail(p, 1, QStringLiteral("unexpected character '%1'").arg(c),
                     c == u';' ? QStringLiteral("write one statement per line") : QString());
            Token t;
            t.kind = Tok::Op;
            t.pos = p;
            t.len = int(qstrlen(found));
            t.col = m_base + p;
            t.text = opTexts[k];
            if (t.op("(") || t.op("[") || t.op("{")) {
                m_open.push_back({p, t.col, c.unicode()});
            } else if (t.op(")") || t.op("]") || t.op("}")) {
                const char16_t want = t.op(")") ? u'(' : t.op("]") ? u'[' : u'{';
                if (m_open.empty())
                    fail(p, 1, QStringLiteral("unmatched '%1'").arg(t.text),
                         QStringLiteral("remove it, or open it with '%1'").arg(QChar(want)));
                if (m_open.back().ch != want)
                    fail(p, 1,
                         QStringLiteral("'%1' does not match '%2' in column %3")
                             .arg(t.text, QChar(m_open.back().ch))
                             .arg(m_open.back().col),
                         QStringLiteral("close brackets in the reverse order of opening them"));
                m_open.pop_back();
            }
            m_out->push_back(std::move(t));
        }
        p = m_out->back().pos + m_out->back().len;
    }
    if (!m_open.empty()) {
        const Open &o = m_open.back();
        fail(o.pos, 1, QStringLiteral("'%1' is never closed").arg(QChar(o.ch)),
             QStringLiteral("a statement must fit on one line; close it with '%1'")
                 .arg(QChar(o.ch == u'('   ? u')'
                            : o.ch == u'[' ? u']'
                                           : u'}')));
    }
    Token end;
    end.pos = p;
    end.col = m_base + p;
    m_out->push_back(std::move(end));
}

} // namespace

bool lexLine(const QString &text, int line, int colBase, std::vector<Token> *out,
             std::vector<Diagnostic> *diags) {
    try {
        Lexer(text, line, colBase, out, diags).run();
        return true;
    } catch (const LexError &) {
        return false;
    }
}

} // namespace sl::script::detail
