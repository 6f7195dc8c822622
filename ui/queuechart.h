// QueueChart: one socket's send queue and receive queue over time, from the trace's
// Sample events (a step line: a value holds until the next sample), with a vertical
// line at the cursor's time. The whole known trace is plotted, so looking back shows
// what came after as well; the line marks where the other views are.
//
// Incremental: each cursor move scans only the events it has not seen and appends
// the new points in one call per series. Another socket or another trace replots.
//
// Thread affinity: GUI thread. Does not own the cursor or the trace.
#pragma once

#include "trace/trace.h"

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QPointer>

class QLineSeries;
class QValueAxis;

namespace sl::ui {

class TimeCursor;

class QueueChart : public QChartView {
    Q_OBJECT
public:
    explicit QueueChart(TimeCursor *cursor, QWidget *parent = nullptr);

    void setSocket(int sockId);
    int socket() const { return m_sock; }
    QSize sizeHint() const override { return {360, 220}; }

    // For tests: the points plotted so far.
    int sendPointCount() const;
    int recvPointCount() const;
    double cursorSeconds() const { return m_cursorS; }

private:
    void replot();
    void onPosition();
    void scan();
    void updateAxes();

    QPointer<TimeCursor> m_cursor;
    int m_sock = -1;
    std::size_t m_scanned = 0;
    QLineSeries *m_send;
    QLineSeries *m_recv;
    QLineSeries *m_line; // the cursor
    QValueAxis *m_x;
    QValueAxis *m_y;
    double m_lastS = 0; // time of the newest event scanned
    double m_cursorS = 0;
    double m_maxY = 0;
    // The step lines, without their tails (the last value held up to m_lastS).
    QList<QPointF> m_sendPts, m_recvPts;
};

} // namespace sl::ui
