#include "script/diagnostic.h"

namespace sl::script {

namespace {

bool needsEscape(char32_t c) {
    if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        return true;
    if (c >= 0xd800 && c < 0xe000) // a lone surrogate (pairs arrive here combined)
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Format:        // U+202E RIGHT-TO-LEFT OVERRIDE, U+200B, U+FEFF, …
    case QChar::Separator_Line:      // U+2028
    case QChar::Separator_Paragraph: // U+2029
        return true;
    default:
        return false;
    }
}

QString escapeOne(char32_t c) {
    if (c < 0x100)
        return QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\\u{%1}").arg(uint(c), 4, 16, QLatin1Char('0'));
}

// The code point at text[i] (a surrogate pair counts as one) and its length in QChars.
char32_t codePointAt(QStringView text, qsizetype i, int *units) {
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
        *units = 2;
        return QChar::surrogateToUcs4(c, text[i + 1]);
    }
    *units = 1;
    return c.unicode();
}

// A message or hint quotes the script (names, literals): escaped, and past MaxText
// characters shortened in the middle so that one diagnostic stays one screenful.
QString printable(const QString &text) {
    constexpr qsizetype MaxText = 1000;
    QString out = escapeControls(text);
    if (out.size() > MaxText)
        out = out.left(MaxText / 2) + QStringLiteral(" … ") + out.right(MaxText / 2);
    return out;
}

} // namespace

QString escapeControls(QStringView text, bool keepTabs) {
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        int units = 1;
        const char32_t c = codePointAt(text, i, &units);
        if (needsEscape(c) && !(keepTabs && c == U'\t'))
            out += escapeOne(c);
        else
            out += text.mid(i, units);
        i += units;
    }
    return out;
}

QString formatDiagnostic(const Diagnostic &d, const QString &fileName, const QString &source) {
    QString out = escapeControls(fileName);
    if (d.span.line > 0) {
        out += u':' + QString::number(d.span.line);
        if (d.span.col > 0)
            out += u':' + QString::number(d.span.col);
    }
    out += d.severity == Diagnostic::Error ? QStringLiteral(": error: ")
                                           : QStringLiteral(": warning: ");
    out += printable(d.message);
    if (!d.hint.isEmpty())
        out += QStringLiteral("\n    hint: ") + printable(d.hint);

    if (source.isEmpty() || d.span.line <= 0)
        return out;
    // Find the line without splitting the whole source: a script may be long and have
    // many diagnostics.
    qsizetype start = 0;
    for (int l = 1; l < d.span.line; ++l) {
        start = source.indexOf(u'\n', start);
        if (start < 0)
            return out;
        ++start;
    }
    const qsizetype end = source.indexOf(u'\n', start);
    QStringView text = QStringView(source).mid(start, end < 0 ? -1 : end - start);
    if (text.endsWith(u'\r'))
        text.chop(1);

    // A long line is shown as a window of it around the span's start.
    constexpr qsizetype Window = 160;
    const qsizetype col0 = qMax(1, d.span.col) - 1; // 0-based
    const qsizetype len = qMax(1, d.span.length);
    qsizetype from = 0, to = text.size();
    if (text.size() > Window) {
        from = qBound<qsizetype>(0, col0 - Window / 2, text.size() - Window);
        to = from + Window;
    }
    // The line and the caret line are built together: an escape is wider than the
    // character it stands for, and tabs keep their place so that the caret lines up.
    QString shown, caret;
    if (from > 0) {
        shown += u'…';
        caret += u' ';
    }
    for (qsizetype i = from; i < to;) {
        int units = 1;
        const char32_t c = codePointAt(text, i, &units);
        const QString piece =
            needsEscape(c) && c != U'\t' ? escapeOne(c) : text.mid(i, units).toString();
        const qsizetype width = c == U'\t' ? 1 : (units == 2 ? 1 : piece.size());
        if (i < col0)
            caret += c == U'\t' ? QString(u'\t') : QString(width, u' ');
        else if (i == col0)
            caret += u'^' + QString(width - 1, u'~');
        else if (i < col0 + len)
            caret += QString(width, u'~');
        shown += piece;
        i += units;
    }
    if (to < text.size())
        shown += u'…';
    if (col0 >= to) // the span starts past the end of the line (or of the window)
        caret += QString(qMin<qsizetype>(col0 - to, Window), u' ') + u'^';
    out += QStringLiteral("\n    ") + shown + QStringLiteral("\n    ") + caret;
    return out;
}

bool hasErrors(const std::vector<Diagnostic> &diags) {
    for (const Diagnostic &d : diags) {
        if (d.severity == Diagnostic::Error)
            return true;
    }
    return false;
}

} // namespace sl::script
