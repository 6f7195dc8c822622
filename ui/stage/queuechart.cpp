#include "ui/stage/queuechart.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPen>
#include <cmath>

namespace sl::ui {

namespace {
const QColor SendColor(0xe6, 0x7e, 0x22);
const QColor RecvColor(0x29, 0x80, 0xb9);
const QColor CursorColor(0xc0, 0x39, 0x2b);

// The least of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above v: the time axis
// grows in steps of a fifth or so, so its labels change a few times a decade.
double stepUp(double v) {
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (const double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0})
        if (m * p >= v * (1 - 1e-9))
            return m * p;
    return 10 * p;
}

// A tick spacing of 1, 2 or 5 × 10^k giving at most `ticks` intervals up to `top`.
double niceStep(double top, int ticks) {
    const double raw = top / std::max(1, ticks);
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw)
            return m * p;
    return 10 * p;
}

// Bytes as the stage's bars write them: 4,096 — 64K above 10,000.
QString bytesLabel(double v) {
    const QLocale loc;
    if (v >= 1024 * 1024 && std::fmod(v, 1024 * 1024) == 0)
        return loc.toString(qint64(v / (1024 * 1024))) + QStringLiteral("M");
    if (v >= 10000 && std::fmod(v, 1024) == 0)
        return loc.toString(qint64(v / 1024)) + QStringLiteral("K");
    return loc.toString(qint64(v));
}
} // namespace

QueueChart::QueueChart(TimeCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_cursor(cursor) {
    setObjectName(QStringLiteral("queueChart"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
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

QStringList QueueChart::legendTexts() const {
    return {tr("send queue"), tr("receive queue")};
}

double QueueChart::timeAxisEnd() const {
    return stepUp(std::max(0.001, m_lastS));
}

double QueueChart::bytesAxisTop() const {
    const double top = std::max(1024.0, (lines() ? lines()->maxY : 0.0) * 1.1);
    const double step = niceStep(top, 4);
    return std::ceil(top / step) * step;
}

void QueueChart::setSocket(int sockId) {
    SL_ASSERT_OWN_THREAD();
    if (sockId == m_sock)
        return;
    m_sock = sockId;
    update(); // its points are known already
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
    update();
}

void QueueChart::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QFontMetricsF fm(font());
    const qreal line = fm.lineSpacing(), pad = std::round(line * 0.5);
    const QColor text = pal.color(QPalette::Text);
    const QColor faint = pal.color(QPalette::PlaceholderText);
    // The stage's lane: a rounded panel in the alternate base colour.
    const QRectF panel = QRectF(rect()).adjusted(1, 1, -1, -1);
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(panel, line * 0.5, line * 0.5);

    // The legend on top: a swatch and the name of each queue; in a narrow dock the
    // second name goes under the first rather than being cut off.
    const QStringList names = legendTexts();
    const QColor colors[2] = {SendColor, RecvColor};
    const qreal entryW[2] = {line * 1.3 + fm.horizontalAdvance(names[0]) + line,
                             line * 1.3 + fm.horizontalAdvance(names[1])};
    const bool oneRow = entryW[0] + entryW[1] <= panel.width() - 2 * pad;
    qreal x = panel.left() + pad;
    qreal legendY = panel.top() + pad * 0.5;
    for (int i = 0; i < 2; ++i) {
        if (i == 1 && !oneRow) {
            x = panel.left() + pad;
            legendY += line;
        }
        p.setPen(QPen(colors[i], 2.5, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(x, legendY + line / 2), QPointF(x + line, legendY + line / 2));
        x += line * 1.3;
        p.setPen(text);
        p.drawText(QRectF(x, legendY, fm.horizontalAdvance(names[i]) + 2, line),
                   Qt::AlignVCenter | Qt::AlignLeft, names[i]);
        x += fm.horizontalAdvance(names[i]) + line;
    }

    const double yTop = bytesAxisTop(), yStep = niceStep(yTop, 4);
    const double xEnd = timeAxisEnd(), xStep = niceStep(xEnd, 4);
    qreal labelW = fm.horizontalAdvance(tr("bytes"));
    for (double v = 0; v <= yTop + 1e-9; v += yStep)
        labelW = std::max(labelW, fm.horizontalAdvance(bytesLabel(v)));
    const qreal plotTop = legendY + line * 1.6;
    const QRectF plot(panel.left() + pad + labelW + pad * 0.5, plotTop,
                      panel.width() - 2 * pad - labelW - pad * 0.5 -
                          fm.horizontalAdvance(QStringLiteral("0.00 s")) / 2,
                      panel.bottom() - pad * 0.5 - line * 1.3 - plotTop);
    if (plot.width() < 20 || plot.height() < 20)
        return;
    const auto toX = [&](double s) { return plot.left() + plot.width() * std::min(s / xEnd, 1.0); };
    const auto toY = [&](double v) {
        return plot.bottom() - plot.height() * std::min(v / yTop, 1.0);
    };

    // Grid and labels.
    QColor grid = faint;
    grid.setAlphaF(0.35f);
    for (double v = 0; v <= yTop + 1e-9; v += yStep) {
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(plot.left(), toY(v)), QPointF(plot.right(), toY(v)));
        p.setPen(faint);
        p.drawText(QRectF(panel.left() + pad, toY(v) - line / 2, labelW, line),
                   Qt::AlignRight | Qt::AlignVCenter, bytesLabel(v));
    }
    const int decimals = xStep >= 1 ? 0 : xStep >= 0.1 ? 1 : xStep >= 0.01 ? 2 : 3;
    for (double s = 0; s <= xEnd + 1e-9; s += xStep) {
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(toX(s), plot.top()), QPointF(toX(s), plot.bottom()));
        p.setPen(faint);
        const QString label = tr("%1 s").arg(QLocale().toString(s, 'f', decimals));
        const qreal w = fm.horizontalAdvance(label) + 4;
        p.drawText(QRectF(toX(s) - w / 2, plot.bottom() + pad * 0.3, w, line), Qt::AlignCenter,
                   label);
    }

    // The two step lines, each held to the newest event.
    if (const Lines *l = lines()) {
        const QList<QPointF> *pts[2] = {&l->send, &l->recv};
        for (int i = 0; i < 2; ++i) {
            if (pts[i]->isEmpty())
                continue;
            QPainterPath path(QPointF(toX(pts[i]->front().x()), toY(pts[i]->front().y())));
            for (const QPointF &pt : *pts[i])
                path.lineTo(toX(pt.x()), toY(pt.y()));
            if (pts[i]->back().x() < m_lastS)
                path.lineTo(toX(m_lastS), toY(pts[i]->back().y()));
            p.setPen(QPen(colors[i], 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
        }
    } else {
        p.setPen(faint);
        // Wrapped within the plot: the Inspector's chart may be narrow.
        p.drawText(plot.adjusted(4, 0, -4, 0), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Select a socket to see its queues"));
    }
    // Where the other views are.
    p.setPen(QPen(CursorColor, 1.2, Qt::DashLine));
    p.drawLine(QPointF(toX(m_cursorS), plot.top()), QPointF(toX(m_cursorS), plot.bottom()));
}

} // namespace sl::ui
