// ScriptPanel, continued: the loud parts under the narration (a failed expectation,
// the end of a lesson with the next one) and the zoom of the editor and the narration.
// Thread affinity: GUI thread.
#include "ui/script/scripteditor.h"
#include "ui/script/scriptpanel.h"

#include <QLabel>
#include <QPushButton>

namespace sl::ui {

void ScriptPanel::setFailure(const QString &text) {
    if (text == m_failure->text())
        return;
    m_failure->setText(text);
    m_failure->setVisible(!text.isEmpty());
}

QString ScriptPanel::failure() const {
    return m_failure->text();
}

void ScriptPanel::setLessonEnd(bool atEnd, const QString &nextTitle) {
    m_nextTitle = nextTitle;
    retranslateEnd();
    m_endBox->setVisible(atEnd);
}

void ScriptPanel::retranslateEnd() {
    m_endLabel->setText(m_nextTitle.isEmpty() ? tr("End of the lesson. This was the last one.")
                                              : tr("End of the lesson."));
    m_nextButton->setText(tr("Next: %1").arg(m_nextTitle));
    m_nextButton->setVisible(!m_nextTitle.isEmpty());
}

void ScriptPanel::setZoom(double factor) {
    QFont e = m_editorFont, n = m_narrationFont;
    e.setPointSizeF(e.pointSizeF() * factor);
    n.setPointSizeF(n.pointSizeF() * factor);
    m_edit->setFont(e);
    m_narration->setFont(n);
}

} // namespace sl::ui
