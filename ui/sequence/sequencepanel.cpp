#include "ui/sequence/sequencepanel.h"

#include "ui/sequence/ladderview.h"
#include "ui/sequence/seqview.h"

#include <QActionGroup>
#include <QEvent>
#include <QStackedWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace sl::ui {

SequencePanel::SequencePanel(SequenceModel *model, SequenceView *list, TimeCursor *cursor,
                             QWidget *parent)
    : QWidget(parent)
    , m_list(list)
    , m_ladder(new LadderView(model, cursor, this))
    , m_stack(new QStackedWidget(this)) {
    setObjectName(QStringLiteral("sequencePanel"));
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("sequenceModeBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->setIconSize(QSize(12, 12));
    // As low as a line of text: the list below it must keep its rows (issue 8, point 8).
    bar->setStyleSheet(QStringLiteral("QToolBar { padding: 0px; spacing: 2px; border: 0px; }"
                                      "QToolButton { padding: 0px 6px; }"));
    auto *group = new QActionGroup(this);
    m_listAct = bar->addAction(QString());
    m_ladderAct = bar->addAction(QString());
    for (QAction *a : {m_listAct, m_ladderAct}) {
        a->setCheckable(true);
        group->addAction(a);
    }
    m_listAct->setChecked(true);
    m_stack->addWidget(list);
    m_stack->addWidget(m_ladder);
    connect(group, &QActionGroup::triggered, this,
            [this](QAction *a) { setLadder(a == m_ladderAct); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_stack, 1);
    retranslate();
}

bool SequencePanel::isLadder() const {
    return m_stack->currentWidget() == m_ladder;
}

void SequencePanel::setLadder(bool ladder) {
    m_stack->setCurrentWidget(ladder ? static_cast<QWidget *>(m_ladder) : m_list);
    (ladder ? m_ladderAct : m_listAct)->setChecked(true);
    if (!ladder)
        m_list->showCursorRow();
}

void SequencePanel::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SequencePanel::retranslate() {
    m_listAct->setText(tr("List"));
    m_listAct->setToolTip(tr("Calls as rows, one column per actor"));
    m_ladderAct->setText(tr("Ladder"));
    m_ladderAct->setToolTip(
        tr("A flow graph: the actors' lifelines, with arrows for data delivered, FIN and RST"));
}

} // namespace sl::ui
