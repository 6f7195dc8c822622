#include "script/diagnostic.h"

namespace sl::script {

QString formatDiagnostic(const Diagnostic &d, const QString &fileName, const QString &source) {
    QString out = fileName;
    if (d.span.line > 0) {
        out += u':' + QString::number(d.span.line);
        if (d.span.col > 0)
            out += u':' + QString::number(d.span.col);
    }
    out += d.severity == Diagnostic::Error ? QStringLiteral(": error: ")
                                           : QStringLiteral(": warning: ");
    out += d.message;
    if (!d.hint.isEmpty())
        out += QStringLiteral("\n    hint: ") + d.hint;

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
    QString text = source.mid(start, end < 0 ? -1 : end - start);
    if (text.endsWith(u'\r'))
        text.chop(1);
    // Tabs keep their place in the caret line so that the caret lines up.
    QString caret;
    const int col = qMax(1, d.span.col);
    for (int i = 0; i < col - 1; ++i)
        caret += i < text.size() && text[i] == u'\t' ? u'\t' : u' ';
    caret += u'^';
    const int len = qMax(1, d.span.length);
    caret += QString(qMax(0, qMin(len - 1, int(text.size()) - col)), u'~');
    out += QStringLiteral("\n    ") + text + QStringLiteral("\n    ") + caret;
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
