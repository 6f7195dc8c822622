#include "ui/scriptpanel.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QVBoxLayout>

namespace sl::ui {

ScriptPanel::ScriptPanel(QWidget *parent)
    : QWidget(parent)
    , m_narration(new QLabel(this))
    , m_edit(new QPlainTextEdit(this)) {
    m_narration->setWordWrap(true);
    m_narration->setTextFormat(Qt::PlainText);
    m_narration->setMargin(6);
    m_narration->setBackgroundRole(QPalette::ToolTipBase);
    m_narration->setForegroundRole(QPalette::ToolTipText);
    m_narration->setAutoFillBackground(true);
    m_narration->hide();
    m_edit->setReadOnly(true);
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_narration);
    layout->addWidget(m_edit, 1);
}

void ScriptPanel::setSource(const QString &source) {
    m_edit->setPlainText(source);
    highlightLines(0, 0);
    setNarration({});
}

void ScriptPanel::highlightLines(int first, int last) {
    m_first = first;
    QList<QTextEdit::ExtraSelection> sels;
    QColor bg = palette().color(QPalette::Highlight);
    bg.setAlpha(70);
    for (int line = first; first > 0 && line <= std::max(first, last); ++line) {
        const QTextBlock block = m_edit->document()->findBlockByNumber(line - 1);
        if (!block.isValid())
            break;
        QTextEdit::ExtraSelection sel;
        sel.format.setBackground(bg);
        sel.format.setProperty(QTextFormat::FullWidthSelection, true);
        sel.cursor = QTextCursor(block);
        sels << sel;
    }
    m_edit->setExtraSelections(sels);
    if (!sels.isEmpty()) {
        m_edit->setTextCursor(sels.first().cursor);
        m_edit->centerCursor();
    }
}

void ScriptPanel::setNarration(const QString &text) {
    m_narration->setText(text);
    m_narration->setVisible(!text.isEmpty());
}

QString ScriptPanel::narration() const {
    return m_narration->text();
}

} // namespace sl::ui
