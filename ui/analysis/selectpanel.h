// SelectPanel: the select() panel — a tree of the select() calls up to the cursor
// (SelectModel): the sets passed in and returned, the timeout and how long the call
// took, and under each call every socket with the reason it was (or was not) ready.
// Double-clicking a call moves the time cursor to where it returned.
//
// Thread affinity: GUI thread. Owns its model; does not own the cursor.
#pragma once

#include <QWidget>

class QTreeView;
class QLabel;

namespace sl::ui {

class TimeCursor;
class SelectModel;

class SelectPanel : public QWidget {
    Q_OBJECT
public:
    explicit SelectPanel(TimeCursor *cursor, QWidget *parent = nullptr);
    SelectModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // the view's viewport resized

private:
    void updateHint();
    void fitColumns(); // the Why column gets the room: at least 45% of the width

    SelectModel *m_model;
    QTreeView *m_view;
    QLabel *m_hint;
};

} // namespace sl::ui
