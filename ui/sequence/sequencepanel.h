// SequencePanel: the Sequence dock's contents — a small toolbar that switches between
// the list (SequenceView: actors as columns, calls as rows) and the ladder (LadderView:
// lifelines and arrows for data, FIN and RST). Both follow the same time cursor.
//
// Ownership: owns neither view's model; takes the list view (made by the window, which
// keeps a pointer to it) as a child and makes the ladder. Thread affinity: GUI thread.
#pragma once

#include <QWidget>

class QAction;
class QStackedWidget;

namespace sl::ui {

class LadderView;
class SequenceModel;
class SequenceView;
class TimeCursor;

class SequencePanel : public QWidget {
    Q_OBJECT
public:
    SequencePanel(SequenceModel *model, SequenceView *list, TimeCursor *cursor,
                  QWidget *parent = nullptr);

    SequenceView *list() const { return m_list; }
    LadderView *ladder() const { return m_ladder; }
    QAction *ladderAction() const { return m_ladderAct; }
    bool isLadder() const;
    void setLadder(bool ladder);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    SequenceView *m_list;
    LadderView *m_ladder;
    QStackedWidget *m_stack;
    QAction *m_listAct;
    QAction *m_ladderAct;
};

} // namespace sl::ui
