// SequenceView: the table of the SequenceModel (actors as columns, calls as rows; a
// blocked call's start and end rows joined by a bar down its actor's column),
// kept on the time cursor: the row the cursor stands on is selected and scrolled to,
// and a click on a row moves the cursor to the end of that call (or just after its
// beginning while it is still open) — which leaves live mode.
//
// Thread affinity: GUI thread. Does not own the model or the cursor.
#pragma once

#include <QTableView>

namespace sl::ui {

class SequenceModel;
class TimeCursor;

class SequenceView : public QTableView {
    Q_OBJECT
public:
    SequenceView(SequenceModel *model, TimeCursor *cursor, QWidget *parent = nullptr);

    // Selects the row at the cursor and scrolls to it.
    void showCursorRow();

private:
    void onRowClicked(const QModelIndex &index);

    SequenceModel *m_model;
    TimeCursor *m_cursor;
    bool m_following = false; // selecting for the cursor, not for the user
};

} // namespace sl::ui
