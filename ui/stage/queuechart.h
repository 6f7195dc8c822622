// QueueChart: one socket's send queue and receive queue over time, from the trace's
// Sample events (a step line: a value holds until the next sample), with a vertical
// line at the cursor's time. The whole known trace is plotted, so looking back shows
// what came after as well; the line marks where the other views are.
//
// Incremental: each cursor move scans only the events it has not seen, keeping the
// points of every socket (only changes are sampled, so they are few), so that
// following another socket — the inspector does on every call at the cursor — shows
// its lines without reading the trace again. Another trace starts over.
//
// Replotting a chart (series, axes, the scene's layout) costs milliseconds, so it is
// done at most every MinPlotMs: at once after a quiet spell (a step, a click), a
// moment later while the trace streams in; the time axis grows in steps (its end a
// little past the newest event), since new axis labels are the slow part. What the
// chart knows (points, the cursor's time) is always current.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the
// cursor or the trace.
#pragma once

#include "trace/trace.h"

#include <QChartView>
#include <QElapsedTimer>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <unordered_map>

class QLineSeries;
class QValueAxis;

namespace sl::ui {

class TimeCursor;

class QueueChart : public QChartView {
    Q_OBJECT
public:
    static constexpr int MinPlotMs = 100; // ten plots a second at most

    explicit QueueChart(TimeCursor *cursor, QWidget *parent = nullptr);

    void setSocket(int sockId);
    int socket() const { return m_sock; }
    QSize sizeHint() const override { return {360, 220}; }

    // For tests: the points plotted so far.
    int sendPointCount() const;
    int recvPointCount() const;
    double cursorSeconds() const { return m_cursorS; }

protected:
    void changeEvent(QEvent *event) override; // the palette changed: the chart follows

private:
    void applyPalette();
    void replot();
    void onPosition();
    void scan();
    void schedulePlot(); // plot now, or when MinPlotMs have passed since the last
    void plot();
    void updateAxes();

    QPointer<TimeCursor> m_cursor;
    int m_sock = -1;
    std::size_t m_scanned = 0;
    QLineSeries *m_send;
    QLineSeries *m_recv;
    QLineSeries *m_line; // the cursor
    QValueAxis *m_x;
    QValueAxis *m_y;
    QTimer m_plotTimer; // single shot: a plot held back
    QElapsedTimer m_sincePlot;
    double m_lastS = 0; // time of the newest event scanned
    // The run's first step (the lesson's start, not its loading): the time axis's 0.
    std::int64_t m_originNs = -1;
    double seconds(std::int64_t tNs) const {
        return m_originNs < 0 ? 0.0 : std::max(0.0, double(tNs - m_originNs) / 1e9);
    }
    double m_cursorS = 0;
    double m_yTop = -1; // the y range last asked for (before nice numbers)
    struct Lines {
        // The step lines, without their tails (the last value held up to m_lastS).
        QList<QPointF> send, recv;
        double maxY = 0;
    };
    const Lines *lines() const;             // the socket's, or nullptr
    std::unordered_map<int, Lines> m_lines; // by socket id
};

} // namespace sl::ui
