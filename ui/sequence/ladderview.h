// LadderView: the Sequence as a flow graph (like Wireshark's): one lifeline per actor,
// the calls as labels on their actor's lifeline, and arrows between the lifelines for
// what went over the wire — data delivered (with its byte count), FIN and RST — derived
// from the trace by FlowArrows. Calls and arrows are interleaved in trace order; a call
// that blocked draws an activation bar on its lifeline from its start row to its end row.
//
// It follows the time cursor like the list: the item at the cursor is highlighted and
// scrolled to, later items are dimmed, and a click moves the cursor to that item. The
// arrows are derived only while the view is shown (and caught up when it is shown).
//
// Thread affinity: GUI thread. Does not own the model or the cursor.
#pragma once

#include "ui/sequence/flowarrows.h"

#include <QAbstractScrollArea>
#include <vector>

namespace sl::ui {

class SequenceModel;
class TimeCursor;

class LadderView : public QAbstractScrollArea {
    Q_OBJECT
public:
    LadderView(SequenceModel *model, TimeCursor *cursor, QWidget *parent = nullptr);

    struct Item {
        bool arrow = false;
        int index = 0;    // a row of the model, or an arrow of flow().arrows()
        int prevRow = -1; // the last model row at or before this item
        std::int64_t key = 0;
    };
    // Up to date with the model (derives the arrows not read yet).
    int itemCount();
    Item item(int i);
    const FlowArrows &flow();
    // What an item reads: the call's text, or the arrow's label (`10 bytes b'last words'`,
    // `FIN`, `RST`).
    QString itemText(int i);
    // The item the cursor stands on (-1 before the first).
    int currentItem();
    int rowHeight() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    void refresh();
    void invalidate();
    void updateScrollBar();
    void followCursor();
    QString arrowLabel(const FlowArrow &a) const;
    int columnX(int actor) const; // the lifeline's x in the viewport
    int timeWidth() const;
    int headerHeight() const { return rowHeight() + 4; }

    SequenceModel *m_model;
    TimeCursor *m_cursor;
    FlowArrows m_flow;
    std::vector<Item> m_items;
    std::size_t m_modelTo = 0; // the model's rows cover events [0, m_modelTo)
    bool m_dirty = true;
};

} // namespace sl::ui
