#include "ui/queuechart.h"

#include "ui/i18n.h"
#include "ui/timecursor.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPen>
#include <QValueAxis>
#include <algorithm>

namespace sl::ui {

QueueChart::QueueChart(TimeCursor *cursor, QWidget *parent)
    : QChartView(parent)
    , m_cursor(cursor)
    , m_send(new QLineSeries(this))
    , m_recv(new QLineSeries(this))
    , m_line(new QLineSeries(this))
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this)) {
    setRenderHint(QPainter::Antialiasing);
    auto *chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_send->setPen(QPen(QColor(0xe6, 0x7e, 0x22), 2));
    m_recv->setPen(QPen(QColor(0x29, 0x80, 0xb9), 2));
    m_line->setPen(QPen(QColor(0xc0, 0x39, 0x2b), 1, Qt::DashLine));
    for (QLineSeries *s : {m_send, m_recv, m_line})
        chart->addSeries(s);
    m_x->setTickCount(4);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries *s : {m_send, m_recv, m_line}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    setChart(chart); // the view owns the chart
    // The cursor line explains itself; the legend names only the two queues.
    for (QLegendMarker *marker : chart->legend()->markers(m_line))
        marker->setVisible(false);
    retranslateWith(this, [this] {
        m_send->setName(tr("send queue"));
        m_recv->setName(tr("receive queue"));
        m_line->setName(tr("cursor"));
        // Seconds in the labels rather than an axis title: a title takes the rows that the
        // labels need in a short dock, and Qt Charts then elides both to "…".
        m_x->setLabelFormat(tr("%.2f s"));
        m_y->setTitleText(tr("bytes"));
    });
    connect(cursor, &TimeCursor::traceChanged, this, &QueueChart::replot);
    connect(cursor, &TimeCursor::positionChanged, this, &QueueChart::onPosition);
    replot();
}

int QueueChart::sendPointCount() const {
    return int(m_sendPts.size());
}
int QueueChart::recvPointCount() const {
    return int(m_recvPts.size());
}

void QueueChart::setSocket(int sockId) {
    if (sockId == m_sock)
        return;
    m_sock = sockId;
    replot();
}

void QueueChart::replot() {
    m_scanned = 0;
    m_sendPts.clear();
    m_recvPts.clear();
    m_lastS = 0;
    m_maxY = 0;
    onPosition();
}

void QueueChart::scan() {
    const trace::Trace *t = m_cursor ? m_cursor->trace() : nullptr;
    if (!t)
        return;
    const std::size_t end = std::min(m_cursor->end(), t->size());
    const auto step = [](QList<QPointF> &pts, double x, std::int32_t v) {
        if (v < 0) // n/a (a listener has no queues): no point rather than a made-up 0
            return;
        if (!pts.isEmpty()) {
            if (pts.back().y() == v)
                return;
            pts.append(QPointF(x, pts.back().y()));
        }
        pts.append(QPointF(x, v));
    };
    for (; m_scanned < end; ++m_scanned) {
        const trace::Event &e = t->event(m_scanned);
        m_lastS = std::max(m_lastS, e.tNs / 1e9);
        if (e.kind != trace::EventKind::Sample || e.sock != m_sock || m_sock < 0)
            continue;
        step(m_sendPts, e.tNs / 1e9, e.sample.sendQ);
        step(m_recvPts, e.tNs / 1e9, e.sample.recvQ);
        m_maxY = std::max({m_maxY, double(e.sample.sendQ), double(e.sample.recvQ)});
    }
}

void QueueChart::onPosition() {
    scan();
    // A value holds until the next sample: extend each line to the newest event.
    const auto withTail = [this](QList<QPointF> pts) {
        if (!pts.isEmpty() && pts.back().x() < m_lastS)
            pts.append(QPointF(m_lastS, pts.back().y()));
        return pts;
    };
    m_send->replace(withTail(m_sendPts));
    m_recv->replace(withTail(m_recvPts));
    m_cursorS = m_cursor ? m_cursor->timeAt(m_cursor->position()) / 1e9 : 0.0;
    updateAxes();
}

void QueueChart::updateAxes() {
    const double top = std::max(1024.0, m_maxY * 1.1);
    m_x->setRange(0, std::max(0.001, m_lastS));
    m_y->setRange(0, top);
    m_y->applyNiceNumbers(); // 0, 2,000, 4,000 … rather than 0, 2,253, 4,506
    m_line->replace({QPointF(m_cursorS, 0), QPointF(m_cursorS, m_y->max())});
}

} // namespace sl::ui
