#include "ui/stage/queuechart.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"
#include "ui/window/i18n.h"

#include <QChart>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

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
    applyPalette();
    m_plotTimer.setSingleShot(true);
    connect(&m_plotTimer, &QTimer::timeout, this, &QueueChart::plot);
    connect(cursor, &TimeCursor::traceChanged, this, &QueueChart::replot);
    connect(cursor, &TimeCursor::positionChanged, this, &QueueChart::onPosition);
    replot();
}

const QueueChart::Lines *QueueChart::lines() const {
    const auto it = m_lines.find(m_sock);
    return it == m_lines.end() ? nullptr : &it->second;
}

int QueueChart::sendPointCount() const {
    return lines() ? int(lines()->send.size()) : 0;
}
int QueueChart::recvPointCount() const {
    return lines() ? int(lines()->recv.size()) : 0;
}

void QueueChart::setSocket(int sockId) {
    SL_ASSERT_OWN_THREAD();
    if (sockId == m_sock)
        return;
    m_sock = sockId;
    schedulePlot(); // its points are known already
}

void QueueChart::replot() {
    SL_ASSERT_OWN_THREAD();
    m_scanned = 0;
    m_lines.clear();
    m_lastS = 0;
    m_originNs = -1;
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
        if (m_originNs < 0 && e.kind == trace::EventKind::StepBegin)
            m_originNs = e.tNs;
        m_lastS = std::max(m_lastS, seconds(e.tNs));
        if (e.kind != trace::EventKind::Sample || e.sock < 0)
            continue;
        Lines &l = m_lines[e.sock];
        step(l.send, seconds(e.tNs), e.sample.sendQ);
        step(l.recv, seconds(e.tNs), e.sample.recvQ);
        l.maxY = std::max({l.maxY, double(e.sample.sendQ), double(e.sample.recvQ)});
    }
}

void QueueChart::onPosition() {
    SL_ASSERT_OWN_THREAD();
    scan();
    m_cursorS = m_cursor ? seconds(m_cursor->timeAt(m_cursor->position())) : 0.0;
    schedulePlot();
}

void QueueChart::schedulePlot() {
    if (m_plotTimer.isActive())
        return; // the plot held back will show this too
    const qint64 since = m_sincePlot.isValid() ? m_sincePlot.elapsed() : MinPlotMs;
    if (since >= MinPlotMs)
        plot();
    else
        m_plotTimer.start(int(MinPlotMs - since));
}

void QueueChart::plot() {
    m_plotTimer.stop();
    m_sincePlot.start();
    // A value holds until the next sample: extend each line to the newest event.
    const auto withTail = [this](QList<QPointF> pts) {
        if (!pts.isEmpty() && pts.back().x() < m_lastS)
            pts.append(QPointF(m_lastS, pts.back().y()));
        return pts;
    };
    const Lines *l = lines();
    m_send->replace(l ? withTail(l->send) : QList<QPointF>());
    m_recv->replace(l ? withTail(l->recv) : QList<QPointF>());
    updateAxes();
}

namespace {
// The least of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above v. Laying out an
// axis's labels is the slow part of a plot in Qt Charts, so the time axis grows in
// steps of a fifth or so — its labels change a few times a decade, not on every plot.
double stepUp(double v) {
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (const double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0})
        if (m * p >= v * (1 - 1e-9))
            return m * p;
    return 10 * p;
}
} // namespace

void QueueChart::changeEvent(QEvent *event) {
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

// Qt Charts draws with its own theme, not the widget's palette: the chart's background,
// labels, grid and legend follow the window's palette here (dark mode, presentation's
// high contrast); the series keep their colours, which read on both.
void QueueChart::applyPalette() {
    const QPalette &pal = palette();
    const QColor text = pal.color(QPalette::Text), base = pal.color(QPalette::Base);
    const QColor grid = QColor::fromRgbF(base.redF() * 0.8f + text.redF() * 0.2f,
                                         base.greenF() * 0.8f + text.greenF() * 0.2f,
                                         base.blueF() * 0.8f + text.blueF() * 0.2f);
    QChart *c = chart();
    c->setBackgroundBrush(base);
    c->setBackgroundPen(Qt::NoPen);
    c->legend()->setLabelColor(text);
    for (QValueAxis *a : {m_x, m_y}) {
        a->setLabelsColor(text);
        a->setTitleBrush(text);
        a->setGridLineColor(grid);
        a->setLinePenColor(grid);
    }
    setBackgroundBrush(base);
}

void QueueChart::updateAxes() {
    m_x->setRange(0, stepUp(std::max(0.001, m_lastS))); // unchanged: no signal, no layout
    const double top = std::max(1024.0, (lines() ? lines()->maxY : 0.0) * 1.1);
    if (top != m_yTop) { // applyNiceNumbers moves the range off `top` again
        m_yTop = top;
        m_y->setRange(0, top);
        m_y->applyNiceNumbers(); // 0, 2,000, 4,000 … rather than 0, 2,253, 4,506
    }
    m_line->replace({QPointF(m_cursorS, 0), QPointF(m_cursorS, m_y->max())});
}

} // namespace sl::ui
