#include "trace/jsonl_text.h"

#include <charconv>
#include <cstring>

namespace sl::trace::detail {

namespace {
constexpr char Hex[] = "0123456789abcdef";

void appendEscapedUnit(std::string &out, char16_t u) {
    out += "\\u";
    out += Hex[(u >> 12) & 0xf];
    out += Hex[(u >> 8) & 0xf];
    out += Hex[(u >> 4) & 0xf];
    out += Hex[u & 0xf];
}

void appendUtf8(std::string &out, char32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xc0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += char(0xe0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3f));
        out += char(0x80 | (cp & 0x3f));
    } else {
        out += char(0xf0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3f));
        out += char(0x80 | ((cp >> 6) & 0x3f));
        out += char(0x80 | (cp & 0x3f));
    }
}

void appendAsciiEscaped(std::string &out, char16_t c) {
    switch (c) {
    case '"':
        out += "\\\"";
        break;
    case '\\':
        out += "\\\\";
        break;
    case '\n':
        out += "\\n";
        break;
    case '\r':
        out += "\\r";
        break;
    case '\t':
        out += "\\t";
        break;
    default:
        if (c < 0x20 || c == 0x7f)
            appendEscapedUnit(out, c);
        else
            out += char(c);
    }
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

void appendJsonString(std::string &out, const QString &text) {
    out += '"';
    const char16_t *s = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (c < 0x80) {
            appendAsciiEscaped(out, c);
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
            appendUtf8(out, QChar::surrogateToUcs4(c, s[i + 1]));
            ++i;
        } else if (QChar::isSurrogate(c)) {
            appendEscapedUnit(out, c); // a lone surrogate has no UTF-8 form
        } else {
            appendUtf8(out, c);
        }
    }
    out += '"';
}

void appendJsonString(std::string &out, std::string_view ascii) {
    out += '"';
    for (char c : ascii)
        appendAsciiEscaped(out, char16_t(static_cast<unsigned char>(c)));
    out += '"';
}

bool decodeJsonString(std::string_view body, bool hasEscape, QString *out, QString *error) {
    if (!hasEscape) {
        *out = QString::fromUtf8(body.data(), qsizetype(body.size()));
        return true;
    }
    out->clear();
    std::size_t runStart = 0;
    auto flushRun = [&](std::size_t end) {
        if (end > runStart)
            out->append(QString::fromUtf8(body.data() + runStart, qsizetype(end - runStart)));
    };
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\\')
            continue;
        flushRun(i);
        if (i + 1 >= body.size()) {
            *error = QStringLiteral("string ends inside an escape");
            return false;
        }
        const char e = body[++i];
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out->append(QLatin1Char(e));
            break;
        case 'n':
            out->append(QLatin1Char('\n'));
            break;
        case 'r':
            out->append(QLatin1Char('\r'));
            break;
        case 't':
            out->append(QLatin1Char('\t'));
            break;
        case 'b':
            out->append(QLatin1Char('\b'));
            break;
        case 'f':
            out->append(QLatin1Char('\f'));
            break;
        case 'u': {
            if (i + 4 >= body.size()) {
                *error = QStringLiteral("truncated \\u escape");
                return false;
            }
            int v = 0;
            for (int k = 1; k <= 4; ++k) {
                const int h = hexValue(body[i + k]);
                if (h < 0) {
                    *error = QStringLiteral("bad hex digit in \\u escape");
                    return false;
                }
                v = v * 16 + h;
            }
            // Surrogates are appended unit by unit, so pairs and lone ones both survive.
            out->append(QChar(char16_t(v)));
            i += 4;
            break;
        }
        default:
            *error = QStringLiteral("unknown escape \\%1").arg(QLatin1Char(e));
            return false;
        }
        runStart = i + 1;
    }
    flushRun(body.size());
    return true;
}

const char *typeName(Value::Type t) {
    switch (t) {
    case Value::Int:
        return "an integer";
    case Value::String:
        return "a string";
    case Value::OtherNumber:
        return "a non-integer number";
    case Value::Literal:
        return "true/false/null";
    }
    return "?";
}

namespace {
class LineScanner {
public:
    explicit LineScanner(std::string_view line)
        : p(line.data())
        , end(line.data() + line.size()) {}

    bool scan(std::vector<Pair> *pairs, QString *error) {
        pairs->clear();
        skipWs();
        if (!eat('{'))
            return fail(error, QStringLiteral("expected '{' at the start of the line"));
        skipWs();
        if (eat('}'))
            return finish(error);
        for (;;) {
            Pair pair;
            bool escaped = false;
            skipWs();
            if (!eat('"') || !scanString(&pair.key, &escaped))
                return fail(error, QStringLiteral("expected a quoted key"));
            skipWs();
            if (!eat(':'))
                return fail(error, QStringLiteral("expected ':' after a key"));
            skipWs();
            if (!scanValue(&pair.value, error))
                return false;
            pairs->push_back(pair);
            skipWs();
            if (eat(','))
                continue;
            if (eat('}'))
                return finish(error);
            return fail(error, QStringLiteral("expected ',' or '}'"));
        }
    }

private:
    bool fail(QString *error, const QString &msg) {
        *error = p >= end ? msg + QStringLiteral(" (line is truncated)") : msg;
        return false;
    }
    bool finish(QString *error) {
        skipWs();
        return p == end || fail(error, QStringLiteral("unexpected text after the object"));
    }
    void skipWs() {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            ++p;
    }
    bool eat(char c) {
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    // After the opening quote; leaves p after the closing quote.
    bool scanString(std::string_view *out, bool *escaped) {
        const char *start = p;
        *escaped = false;
        while (p < end && *p != '"') {
            if (*p == '\\') {
                *escaped = true;
                ++p; // the escaped character can be a quote; decode checks the rest
            }
            ++p;
        }
        if (p >= end)
            return false;
        *out = std::string_view(start, std::size_t(p - start));
        ++p;
        return true;
    }
    bool scanValue(Value *v, QString *error) {
        if (p >= end)
            return fail(error, QStringLiteral("expected a value"));
        if (*p == '"') {
            ++p;
            v->type = Value::String;
            if (!scanString(&v->str, &v->escaped))
                return fail(error, QStringLiteral("unterminated string"));
            return true;
        }
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
            const char *start = p;
            if (*p == '-')
                ++p;
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
            const char *intEnd = p;
            while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
                               *p == '+' || *p == '-'))
                ++p;
            const auto r = std::from_chars(start, intEnd, v->num);
            const bool isInt = p == intEnd && r.ec == std::errc() && r.ptr == intEnd;
            v->type = isInt ? Value::Int : Value::OtherNumber;
            return true;
        }
        static constexpr struct {
            const char *text;
            int value;
        } Literals[] = {{"true", 1}, {"false", 0}, {"null", -1}};
        for (const auto &lit : Literals) {
            const std::size_t n = std::strlen(lit.text);
            if (std::size_t(end - p) >= n && std::memcmp(p, lit.text, n) == 0) {
                p += n;
                v->type = Value::Literal;
                v->num = lit.value;
                return true;
            }
        }
        if (*p == '{' || *p == '[')
            return fail(error, QStringLiteral("nested objects and arrays are not allowed here"));
        return fail(error, QStringLiteral("invalid value"));
    }

    const char *p;
    const char *end;
};

} // namespace

bool scanFlatObject(std::string_view line, std::vector<Pair> *pairs, QString *error) {
    return LineScanner(line).scan(pairs, error);
}

} // namespace sl::trace::detail
