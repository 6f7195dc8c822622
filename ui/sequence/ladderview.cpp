#include "ui/sequence/ladderview.h"

#include "ui/sequence/sequencemodel.h"
#include "ui/time/timecursor.h"
#include "view/callformat.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <algorithm>
#include <cstdlib>

namespace sl::ui {

namespace {
QColor arrowColor(FlowArrow::Kind k) {
    switch (k) {
    case FlowArrow::Data:
        return QColor(31, 119, 180);
    case FlowArrow::Fin:
        return QColor(214, 120, 0);
    case FlowArrow::Rst:
        return QColor(214, 39, 40);
    }
    return {};
}
} // namespace

LadderView::LadderView(SequenceModel *model, TimeCursor *cursor, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_model(model)
    , m_cursor(cursor)
    , m_modelTo(model->consumedEvents()) {
    setObjectName(QStringLiteral("ladderView"));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setBackgroundRole(QPalette::Base);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_flow.clear();
        m_modelTo = 0;
        invalidate();
    });
    connect(model, &SequenceModel::consumed, this, [this](std::size_t to) {
        m_modelTo = to;
        invalidate();
    });
    connect(model, &QAbstractItemModel::dataChanged, this, [this] { viewport()->update(); });
    connect(model, &QAbstractItemModel::headerDataChanged, this, [this] { viewport()->update(); });
    connect(cursor, &TimeCursor::positionChanged, this, [this] {
        if (isVisible())
            followCursor();
    });
}

void LadderView::invalidate() {
    m_dirty = true;
    if (isVisible()) {
        refresh();
        followCursor();
    }
}

void LadderView::refresh() {
    if (!m_dirty)
        return;
    m_dirty = false;
    if (const trace::Trace *t = m_model->trace())
        m_flow.consume(*t, m_modelTo);
    // Calls (key 2 × anchor) and arrows (2e ± 1) merged in trace order.
    const auto &arrows = m_flow.arrows();
    const int rows = m_model->rowCount();
    m_items.clear();
    m_items.reserve(std::size_t(rows) + arrows.size());
    int r = 0;
    std::size_t a = 0;
    while (r < rows || a < arrows.size()) {
        const std::int64_t rowKey = r < rows ? 2 * std::int64_t(m_model->rowAnchor(r)) : INT64_MAX;
        Item it;
        if (a < arrows.size() && arrows[a].key < rowKey) {
            it.arrow = true;
            it.index = int(a);
            it.key = arrows[a].key;
            it.prevRow = r - 1;
            ++a;
        } else {
            it.index = r;
            it.key = rowKey;
            it.prevRow = r;
            ++r;
        }
        m_items.push_back(it);
    }
    updateScrollBar();
    viewport()->update();
}

int LadderView::itemCount() {
    refresh();
    return int(m_items.size());
}

LadderView::Item LadderView::item(int i) {
    refresh();
    return m_items.at(std::size_t(i));
}

const FlowArrows &LadderView::flow() {
    refresh();
    return m_flow;
}

QString LadderView::arrowLabel(const FlowArrow &a) const {
    switch (a.kind) {
    case FlowArrow::Data: {
        QString s = tr("%L1 bytes").arg(a.bytes);
        if (!a.preview.isEmpty()) // the byte count is already said
            s += QStringLiteral("  ") + pythonBytes(a.preview) +
                 (a.bytes > a.preview.size() ? QStringLiteral("…") : QString());
        return s;
    }
    case FlowArrow::Fin:
        return tr("FIN");
    case FlowArrow::Rst:
        return tr("RST");
    }
    return {};
}

QString LadderView::itemText(int i) {
    const Item it = item(i);
    if (it.arrow)
        return arrowLabel(m_flow.arrows()[std::size_t(it.index)]);
    return m_model->cellText(it.index);
}

int LadderView::currentItem() {
    refresh();
    const std::int64_t limit = 2 * std::int64_t(m_cursor->position());
    const auto it = std::partition_point(m_items.begin(), m_items.end(),
                                         [&](const Item &x) { return x.key < limit; });
    return int(it - m_items.begin()) - 1;
}

int LadderView::rowHeight() const {
    return fontMetrics().height() + 8;
}

int LadderView::timeWidth() const {
    return fontMetrics().horizontalAdvance(QStringLiteral("000.000")) + 12;
}

int LadderView::columnX(int actor) const {
    const int n = std::max(1, m_model->actorCount());
    const double w = double(viewport()->width() - timeWidth()) / n;
    return timeWidth() + int((actor + 0.5) * w);
}

void LadderView::updateScrollBar() {
    const int page = std::max(0, viewport()->height() - headerHeight());
    verticalScrollBar()->setPageStep(page);
    verticalScrollBar()->setSingleStep(rowHeight());
    verticalScrollBar()->setRange(0, std::max(0, int(m_items.size()) * rowHeight() - page));
}

void LadderView::followCursor() {
    const int cur = currentItem();
    const int page = std::max(0, viewport()->height() - headerHeight());
    if (m_cursor->isLive()) {
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    } else if (cur >= 0) {
        const int y = cur * rowHeight();
        QScrollBar *sb = verticalScrollBar();
        if (y < sb->value() || y + rowHeight() > sb->value() + page)
            sb->setValue(y - page / 2);
    }
    viewport()->update();
}

void LadderView::resizeEvent(QResizeEvent *event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void LadderView::showEvent(QShowEvent *event) {
    QAbstractScrollArea::showEvent(event);
    refresh();
    followCursor();
}

void LadderView::mousePressEvent(QMouseEvent *event) {
    const int y = int(event->position().y()) - headerHeight() + verticalScrollBar()->value();
    if (y < 0 || event->button() != Qt::LeftButton)
        return;
    const int i = y / rowHeight();
    if (i >= itemCount())
        return;
    const Item it = m_items[std::size_t(i)];
    std::size_t pos;
    if (it.arrow) {
        const FlowArrow &a = m_flow.arrows()[std::size_t(it.index)];
        pos = a.key < 2 * std::int64_t(a.event) ? a.event : a.event + 1;
    } else {
        pos = std::size_t(
            m_model->index(it.index, 0).data(SequenceModel::CursorPositionRole).toULongLong());
    }
    m_cursor->setPosition(pos);
}

void LadderView::paintEvent(QPaintEvent *) {
    refresh();
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const int rh = rowHeight(), hh = headerHeight(), tw = timeWidth();
    const int n = m_model->actorCount();
    const int colW = n > 0 ? (viewport()->width() - tw) / n : viewport()->width();
    const int scroll = verticalScrollBar()->value();
    const int first = std::max(0, scroll / rh);
    const int last = std::min(int(m_items.size()) - 1, (scroll + viewport()->height()) / rh);
    const int cur = currentItem();
    const std::int64_t limit = 2 * std::int64_t(m_cursor->position());
    const trace::Trace *t = m_model->trace();
    const QColor line = pal.color(QPalette::Mid);

    p.save();
    p.setClipRect(0, hh, viewport()->width(), viewport()->height() - hh);
    for (int i = first; i <= last; ++i) {
        const Item &it = m_items[std::size_t(i)];
        const int y = hh + i * rh - scroll;
        const QRect rowRect(0, y, viewport()->width(), rh);
        if (i == cur)
            p.fillRect(rowRect, pal.color(QPalette::Highlight).lighter(170));
        p.setOpacity(it.key >= limit ? 0.4 : 1.0);
        // Lifelines, and an activation bar where a call is open across this item.
        for (int a = 0; a < n; ++a) {
            const int x = columnX(a);
            int span = SequenceModel::NoSpan;
            if (it.prevRow >= 0)
                span = m_model->index(it.prevRow, SequenceModel::FirstActorColumn + a)
                           .data(SequenceModel::SpanRole)
                           .toInt();
            if (it.arrow && span == SequenceModel::SpanEnd)
                span = SequenceModel::NoSpan; // the span ended on the row before
            else if (it.arrow && span != SequenceModel::NoSpan)
                span = SequenceModel::SpanMiddle;
            p.setPen(QPen(line, 1));
            p.drawLine(x, y, x, y + rh);
            if (span != SequenceModel::NoSpan) {
                const int top = span == SequenceModel::SpanStart ? y + rh / 2 : y;
                const int bottom = span == SequenceModel::SpanEnd ? y + rh / 2 : y + rh;
                p.fillRect(QRect(x - 3, top, 7, bottom - top), QColor(120, 144, 156));
            }
        }
        // The time of the event.
        if (t) {
            const std::size_t ev = it.arrow ? m_flow.arrows()[std::size_t(it.index)].event
                                            : m_model->rowAnchor(it.index);
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRect(4, y, tw - 8, rh), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(t->event(ev).tNs / 1e9, 'f', 3));
        }
        if (it.arrow) {
            const FlowArrow &a = m_flow.arrows()[std::size_t(it.index)];
            const QColor c = arrowColor(a.kind);
            const int x0 = columnX(a.from), x1 = columnX(a.to);
            const int ya = y + rh - 6;
            p.setPen(QPen(c, a.kind == FlowArrow::Data ? 1.5 : 2.2));
            const int dir = x1 >= x0 ? 1 : -1;
            const int xe = x0 == x1 ? x0 + colW / 3 : x1;
            p.drawLine(x0, ya, xe, ya);
            QPainterPath head;
            head.moveTo(xe, ya);
            head.lineTo(xe - dir * 8, ya - 4);
            head.lineTo(xe - dir * 8, ya + 4);
            head.closeSubpath();
            p.fillPath(head, c);
            QFont f = font();
            f.setBold(a.kind != FlowArrow::Data);
            p.setFont(f);
            const QRect labelRect(std::min(x0, xe), y, std::abs(xe - x0), rh - 6);
            p.drawText(labelRect, Qt::AlignCenter,
                       fontMetrics().elidedText(arrowLabel(a), Qt::ElideRight,
                                                std::max(40, labelRect.width() - 8)));
            p.setFont(font());
        } else {
            const QModelIndex idx = m_model->index(it.index, SequenceModel::FirstActorColumn +
                                                                 m_model->rowActor(it.index));
            const QString text = idx.data().toString().trimmed();
            QFont f = font();
            f.setBold(idx.data(Qt::FontRole).value<QFont>().bold());
            const QFontMetrics fm(f);
            const int x = columnX(m_model->rowActor(it.index));
            const int w = std::min(colW - 8, fm.horizontalAdvance(text) + 14);
            const QRect box(x - w / 2, y + 2, w, rh - 4);
            const QVariant bg = idx.data(Qt::BackgroundRole);
            p.setPen(QPen(line, 1));
            p.setBrush(bg.isValid() ? bg.value<QBrush>() : pal.brush(QPalette::AlternateBase));
            p.drawRoundedRect(box, 4, 4);
            p.setFont(f);
            p.setPen(pal.color(QPalette::Text));
            p.drawText(box.adjusted(6, 0, -6, 0), Qt::AlignCenter,
                       fm.elidedText(text, Qt::ElideMiddle, box.width() - 12));
            p.setFont(font());
        }
        p.setOpacity(1.0);
    }
    p.restore();
    // The actors' names above their lifelines.
    p.fillRect(QRect(0, 0, viewport()->width(), hh), pal.color(QPalette::Button));
    p.setPen(pal.color(QPalette::ButtonText));
    p.drawText(QRect(4, 0, tw - 8, hh), Qt::AlignRight | Qt::AlignVCenter, tr("Time (s)"));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    for (int a = 0; a < n; ++a)
        p.drawText(
            QRect(columnX(a) - colW / 2, 0, colW, hh), Qt::AlignCenter,
            m_model
                ->headerData(SequenceModel::FirstActorColumn + a, Qt::Horizontal, Qt::DisplayRole)
                .toString());
}

} // namespace sl::ui
