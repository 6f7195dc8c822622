#include "ui/script/labhighlighter.h"

#include "script/catalog.h"

#include <QColor>

namespace sl::ui {

namespace {

bool isIdentStart(QChar c) {
    return c.isLetter() || c == QLatin1Char('_');
}
bool isIdentChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

const QSet<QString> &keywords() {
    static const QSet<QString> k = {
        QStringLiteral("for"),      QStringLiteral("while"), QStringLiteral("if"),
        QStringLiteral("elif"),     QStringLiteral("else"),  QStringLiteral("break"),
        QStringLiteral("continue"), QStringLiteral("pass"),  QStringLiteral("in"),
        QStringLiteral("not"),      QStringLiteral("and"),   QStringLiteral("or"),
        QStringLiteral("is"),
    };
    return k;
}

const QSet<QString> &statements() {
    static const QSet<QString> s = {QStringLiteral("say"), QStringLiteral("expect"),
                                    QStringLiteral("wait"), QStringLiteral("until"),
                                    QStringLiteral("within")};
    return s;
}

} // namespace

LabHighlighter::LabHighlighter(QTextDocument *doc, bool dark)
    : QSyntaxHighlighter(doc)
    , m_dark(dark) {
    for (const QString &n : script::constantNames())
        m_constants.insert(n);
    for (const QString &n :
         {QStringLiteral("True"), QStringLiteral("False"), QStringLiteral("None"),
          QStringLiteral("error"), QStringLiteral("result"), QStringLiteral("exception")})
        m_constants.insert(n);
    for (const script::CallInfo &c : script::allCalls())
        m_calls.insert(QString::fromLatin1(c.name));
    buildFormats();
}

void LabHighlighter::setDark(bool dark) {
    if (dark == m_dark)
        return;
    m_dark = dark;
    buildFormats();
    rehighlight();
}

void LabHighlighter::buildFormats() {
    // Pairs of (light, dark) colours: each readable (≥ 4.5:1) on a white or a
    // near-black base respectively.
    struct Spec {
        QRgb light, dark;
        bool bold, italic;
    };
    static const Spec specs[KindCount] = {
        {0x8e24aa, 0xe1a6f0, true, false},  // Actor
        {0x0d47a1, 0x82aaff, true, false},  // Keyword
        {0x00695c, 0x5fd7c3, true, false},  // Statement
        {0x2e7d32, 0xa5d6a7, false, false}, // String
        {0x8d5a00, 0xe6c07b, false, false}, // Bytes
        {0x1565c0, 0xf7a26c, false, false}, // Number
        {0xb23c00, 0xffcb6b, false, false}, // Constant
        {0x00606e, 0x89ddff, false, false}, // Call
        {0x6a737d, 0x9aa4ae, false, true},  // Comment
        {0x4e5aa8, 0xa8b4f0, false, true},  // Meta
    };
    for (int k = 0; k < KindCount; ++k) {
        QTextCharFormat f;
        f.setForeground(QColor(m_dark ? specs[k].dark : specs[k].light));
        if (specs[k].bold)
            f.setFontWeight(QFont::Bold);
        f.setFontItalic(specs[k].italic);
        m_formats[k] = f;
    }
}

void LabHighlighter::highlightBlock(const QString &text) {
    int i = 0;
    while (i < text.size() && text[i].isSpace())
        ++i;
    if (text.mid(i, 2) == QLatin1String("#!")) {
        setFormat(i, int(text.size()) - i, m_formats[Meta]);
        // The key stands out from its value.
        const int colon = int(text.indexOf(QLatin1Char(':'), i));
        if (colon > 0) {
            QTextCharFormat key = m_formats[Meta];
            key.setFontWeight(QFont::Bold);
            setFormat(i, colon - i + 1, key);
        }
        return;
    }
    // An actor prefix sits at column 1 (body lines of a block are indented and have none).
    if (i == 0 && i < text.size() && isIdentStart(text[0])) {
        int j = 0;
        while (j < text.size() && isIdentChar(text[j]))
            ++j;
        const QString word = text.left(j);
        int k = j;
        while (k < text.size() && text[k] == QLatin1Char(' '))
            ++k;
        if (k < text.size() && text[k] == QLatin1Char(':') && !keywords().contains(word) &&
            !statements().contains(word)) {
            setFormat(0, k + 1, m_formats[Actor]);
            highlightCode(text, k + 1);
            return;
        }
    }
    highlightCode(text, 0);
}

void LabHighlighter::highlightCode(const QString &text, int from) {
    const int n = int(text.size());
    int i = from;
    while (i < n) {
        const QChar c = text[i];
        if (c == QLatin1Char('#')) {
            setFormat(i, n - i, m_formats[Comment]);
            return;
        }
        // Strings and bytes: b"…", '…', with backslash escapes.
        const bool bytesPrefix =
            (c == QLatin1Char('b') || c == QLatin1Char('B')) && i + 1 < n &&
            (text[i + 1] == QLatin1Char('"') || text[i + 1] == QLatin1Char('\''));
        if (c == QLatin1Char('"') || c == QLatin1Char('\'') || bytesPrefix) {
            const int start = i;
            if (bytesPrefix)
                ++i;
            const QChar quote = text[i++];
            while (i < n && text[i] != quote) {
                if (text[i] == QLatin1Char('\\'))
                    ++i;
                ++i;
            }
            i = std::min(i + 1, n);
            setFormat(start, i - start, m_formats[bytesPrefix ? Bytes : String]);
            continue;
        }
        if (c.isDigit()) {
            const int start = i;
            while (i < n && (isIdentChar(text[i]) || text[i] == QLatin1Char('.')))
                ++i;
            setFormat(start, i - start, m_formats[Number]);
            continue;
        }
        if (isIdentStart(c)) {
            const int start = i;
            while (i < n && isIdentChar(text[i]))
                ++i;
            const QString word = text.mid(start, i - start);
            if (word == QLatin1String("say") && text.mid(i, 4) == QLatin1String("[ko]"))
                i += 4;
            int next = i;
            while (next < n && text[next] == QLatin1Char(' '))
                ++next;
            const bool member = start > 0 && text[start - 1] == QLatin1Char('.');
            if (!member && keywords().contains(word))
                setFormat(start, i - start, m_formats[Keyword]);
            else if (!member && statements().contains(word))
                setFormat(start, i - start, m_formats[Statement]);
            else if (m_constants.contains(word))
                setFormat(start, i - start, m_formats[Constant]);
            else if (next < n && text[next] == QLatin1Char('(') && m_calls.contains(word))
                setFormat(start, i - start, m_formats[Call]);
            continue;
        }
        ++i;
    }
}

} // namespace sl::ui
