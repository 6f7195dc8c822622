// ScriptPanel: the script, read-only, with the current step's lines highlighted, and
// the narration (the last `say` of the trace) above it.
//
// Thread affinity: GUI thread. Does not own the Lab.
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace sl::ui {

class ScriptPanel : public QWidget {
    Q_OBJECT
public:
    explicit ScriptPanel(QWidget *parent = nullptr);

    void setSource(const QString &source);
    void highlightLines(int first, int last); // 1-based, inclusive; 0 clears
    void setNarration(const QString &text);
    QString narration() const;
    int highlightedLine() const { return m_first; }
    QPlainTextEdit *editor() const { return m_edit; }

private:
    QLabel *m_narration;
    QPlainTextEdit *m_edit;
    int m_first = 0;
};

} // namespace sl::ui
