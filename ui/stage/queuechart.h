// QueueChart: one socket's send queue and receive queue over time, from the trace's
// Sample events (a step line: a value holds until the next sample), with a vertical
// line at the cursor's time. The whole known trace is plotted, so looking back shows
// what came after as well; the line marks where the other views are.
//
// Painted with QPainter in the stage's style (the widget's palette and font, a rounded
// panel, the window's colours in dark mode and presentation mode alike) — no Qt Charts,
// which is deprecated upstream. A paint draws only the visible points: repaints are
// coalesced by update(), so a streaming trace costs one paint a frame at most.
//
// Incremental: each cursor move scans only the events it has not seen, keeping the
// points of every socket (only changes are sampled, so they are few), so that
// following another socket — the inspector does on every call at the cursor — shows
// its lines without reading the trace again. Another trace starts over. The time axis
// grows in steps (its end a little past the newest event) so its labels stay still.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the
// cursor or the trace.
#pragma once

#include "trace/trace.h"

#include <QList>
#include <QPointF>
#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <algorithm>
#include <unordered_map>

namespace sl::ui {

class TimeCursor;

class QueueChart : public QWidget {
    Q_OBJECT
public:
    explicit QueueChart(TimeCursor *cursor, QWidget *parent = nullptr);

    void setSocket(int sockId);
    int socket() const { return m_sock; }
    QSize sizeHint() const override { return {360, 220}; }
    QSize minimumSizeHint() const override { return {160, 110}; }

    // For tests: the points plotted so far, the cursor's time, the legend's names.
    int sendPointCount() const;
    int recvPointCount() const;
    double cursorSeconds() const { return m_cursorS; }
    QStringList legendTexts() const;
    double timeAxisEnd() const; // seconds at the right edge
    double bytesAxisTop() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void replot();
    void onPosition();
    void scan();

    QPointer<TimeCursor> m_cursor;
    int m_sock = -1;
    std::size_t m_scanned = 0;
    double m_lastS = 0; // time of the newest event scanned
    // The run's first step (the lesson's start, not its loading): the time axis's 0.
    std::int64_t m_originNs = -1;
    double seconds(std::int64_t tNs) const {
        return m_originNs < 0 ? 0.0 : std::max(0.0, double(tNs - m_originNs) / 1e9);
    }
    double m_cursorS = 0;
    struct Lines {
        // The step lines, without their tails (the last value held up to m_lastS).
        QList<QPointF> send, recv;
        double maxY = 0;
    };
    const Lines *lines() const;             // the socket's, or nullptr
    std::unordered_map<int, Lines> m_lines; // by socket id
};

} // namespace sl::ui
