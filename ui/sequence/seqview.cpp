#include "ui/sequence/seqview.h"

#include "ui/sequence/sequencemodel.h"
#include "ui/time/timecursor.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>

namespace sl::ui {

namespace {
// Draws the blocked span of a call: a bar down the left edge of its actor's column,
// from its start row to its end row, so that the two rows read as one call.
class SpanDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        const int span = index.data(SequenceModel::SpanRole).toInt();
        if (span == SequenceModel::NoSpan) {
            QStyledItemDelegate::paint(p, option, index);
            return;
        }
        QStyleOptionViewItem o = option;
        o.rect.setLeft(o.rect.left() + 7); // the text clears the bar
        QStyledItemDelegate::paint(p, o, index);
        const QRect r = option.rect;
        const int top = span == SequenceModel::SpanStart ? r.center().y() : r.top();
        const int bottom = span == SequenceModel::SpanEnd ? r.center().y() : r.bottom() + 1;
        p->fillRect(QRect(r.left() + 2, top, 3, bottom - top), QColor(120, 144, 156));
    }
};
} // namespace

SequenceView::SequenceView(SequenceModel *model, TimeCursor *cursor, QWidget *parent)
    : QTableView(parent)
    , m_model(model)
    , m_cursor(cursor) {
    setObjectName(QStringLiteral("sequenceView"));
    setModel(model);
    verticalHeader()->hide();
    // Every row the same fixed height: the header never measures a row (issue 13 U2).
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setWordWrap(false);
    setTextElideMode(Qt::ElideMiddle);
    // One column per actor sharing the width; the time stays narrow.
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(SequenceModel::TimeColumn,
                                             QHeaderView::ResizeToContents);
    horizontalHeader()->setMinimumSectionSize(60);
    // The time column fits its contents, measured on a few rows around the visible ones
    // rather than Qt's default of 1,000: it is re-measured on every batch of new rows,
    // and the times only grow a digit now and then.
    horizontalHeader()->setResizeContentsPrecision(50);
    // The view follows the cursor itself (showCursorRow): a current-index change must not
    // scroll by way of QHeaderView::sectionPosition, which lays out every row again after
    // each batch of new rows (half a million in a long run, issue 13 U2).
    setAutoScroll(false);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setItemDelegate(new SpanDelegate(this));

    connect(this, &QAbstractItemView::clicked, this, &SequenceView::onRowClicked);
    connect(this, &QAbstractItemView::activated, this, &SequenceView::onRowClicked);
    connect(cursor, &TimeCursor::positionChanged, this, &SequenceView::showCursorRow);
    connect(model, &QAbstractItemModel::rowsInserted, this, &SequenceView::showCursorRow);
    connect(model, &QAbstractItemModel::modelReset, this, &SequenceView::showCursorRow);
    connect(model, &QAbstractItemModel::columnsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                for (int c = first; c <= last; ++c)
                    horizontalHeader()->setSectionResizeMode(c, c == SequenceModel::TimeColumn
                                                                    ? QHeaderView::ResizeToContents
                                                                    : QHeaderView::Stretch);
            });
}

void SequenceView::showCursorRow() {
    const int row = m_model->rowAtPosition(m_cursor->position());
    m_following = true;
    if (row < 0) {
        clearSelection();
    } else {
        const QModelIndex idx = m_model->index(row, 0);
        selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect |
                                                   QItemSelectionModel::Rows);
        // Live, the cursor's row is the last one: the bottom, without asking the header
        // where that row is (rows are of one fixed height).
        if (m_cursor->isLive() && row == m_model->rowCount() - 1)
            scrollToBottom(); // lays out what is pending first
        else
            scrollTo(idx, m_cursor->isLive() ? PositionAtBottom : EnsureVisible);
    }
    m_following = false;
}

void SequenceView::onRowClicked(const QModelIndex &index) {
    if (!index.isValid() || m_following)
        return;
    m_cursor->setPosition(std::size_t(index.data(SequenceModel::CursorPositionRole).toULongLong()));
    showCursorRow(); // the same position again emits nothing
}

} // namespace sl::ui
