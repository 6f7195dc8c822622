// ScriptEditor: the .lab editor — line numbers and a gutter with breakpoints (red
// dots: click the gutter, or toggleBreakpointAtCursor() for F9), the current step's
// lines shaded, syntax colours (LabHighlighter), and the parser's diagnostics
// underlined while typing: the text is parsed after IdleMs without a keystroke, each
// diagnostic's span gets a wavy underline and its message as tooltip.
//
// Breakpoints live on the text blocks (QTextBlockUserData), so they move with their
// line when lines are inserted or removed above it; breakpointsChanged() reports the
// new line numbers.
//
// Thread affinity: GUI thread. Parsing is a pure function of the text (no Lab here).
#pragma once

#include "script/diagnostic.h"

#include <QPlainTextEdit>
#include <QSet>
#include <QTimer>
#include <vector>

namespace sl::ui {

class LabHighlighter;

class ScriptEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    static constexpr int IdleMs = 300;

    explicit ScriptEditor(QWidget *parent = nullptr);

    LabHighlighter *highlighter() const { return m_highlighter; }

    QSet<int> breakpoints() const; // 1-based line numbers
    void setBreakpoints(const QSet<int> &lines);
    void toggleBreakpoint(int line);
    void toggleBreakpointAtCursor();

    void setCurrentLines(int first, int last); // 1-based, inclusive; 0 clears
    int currentLine() const { return m_first; }
    int currentLastLine() const { return m_last; }

    // The diagnostics of the last parse (after the idle delay, or checkNow()).
    const std::vector<script::Diagnostic> &diagnostics() const { return m_diags; }
    void setDiagnostics(const std::vector<script::Diagnostic> &diags);
    void checkNow();
    // The underlines drawn for diagnostics (a subset of extraSelections()).
    QList<QTextEdit::ExtraSelection> diagnosticSelections() const { return m_diagSels; }
    // Moves the cursor to a diagnostic's place.
    void goTo(const script::Span &span);

    int gutterWidth() const;

signals:
    void breakpointsChanged(const QSet<int> &lines);
    void diagnosticsChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    friend class ScriptGutter;
    void paintGutter(QPaintEvent *event);
    void gutterPressed(const QPoint &pos);
    void updateGutterWidth();
    void updateSelections();
    void reportBreakpoints();
    QTextCursor spanCursor(const script::Span &span) const;

    QWidget *m_gutter;
    LabHighlighter *m_highlighter;
    QTimer m_idle;
    int m_first = 0, m_last = 0;
    std::vector<script::Diagnostic> m_diags;
    QList<QTextEdit::ExtraSelection> m_diagSels;
    QSet<int> m_reported; // breakpoints as last reported
};

} // namespace sl::ui
