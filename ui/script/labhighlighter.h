// LabHighlighter: syntax colours for the .lab language — actor prefixes
// (`client:`), block keywords (for/while/if/break…), the lab's own statements
// (say, say[ko], expect, wait), strings and bytes, numbers, named constants
// (AF_INET, EAGAIN), known calls, comments and `#!` metadata lines.
//
// The colours are chosen from the document's palette (a light and a dark set), so the
// script stays readable on either; call setDark() when the palette changes.
//
// Thread affinity: GUI thread. Owned by (and owns nothing but formats of) the
// QTextDocument it is attached to.
#pragma once

#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace sl::ui {

class LabHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum Kind {
        Actor,     // `client:` at the start of a line
        Keyword,   // for while if elif else break continue pass in not and or is
        Statement, // say, say[ko], expect, wait, until, within
        String,
        Bytes,
        Number,
        Constant, // AF_INET, EAGAIN, True, False, None, error/result/exception
        Call,     // a known function or method name followed by '('
        Comment,
        Meta, // `#! key: value`
        KindCount
    };

    explicit LabHighlighter(QTextDocument *doc, bool dark = false);
    void setDark(bool dark); // re-colours and rehighlights
    bool isDark() const { return m_dark; }
    QTextCharFormat format(Kind k) const { return m_formats[k]; }

protected:
    void highlightBlock(const QString &text) override;

private:
    void buildFormats();
    void highlightCode(const QString &text, int from);

    bool m_dark = false;
    QTextCharFormat m_formats[KindCount];
    QSet<QString> m_constants;
    QSet<QString> m_calls;
};

} // namespace sl::ui
