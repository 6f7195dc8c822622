// TimeCursor: which trace the views show, and up to which event.
//
// Every view of the lab is a view of one trace at one point: the stage, the
// inspector, the select() panel and the sequence show the state after events
// [0, position()). In live mode the cursor follows the end of the lab's trace as it
// grows; moving it back (the timeline, a click on a sequence row) leaves live mode,
// and setLive(true) returns to the end. A trace opened from a file is shown the same
// way, with no socket behind it (replay).
//
// Ownership: does not own the traces it points to (MainWindow owns the lab and the
// replayed trace). Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h).
#pragma once

#include "trace/trace.h"

#include <QObject>

namespace sl::ui {

class TimeCursor : public QObject {
    Q_OBJECT
public:
    explicit TimeCursor(QObject *parent = nullptr);

    const trace::Trace *trace() const { return m_trace; }
    // A different trace: the lab's (live) or a replayed one. Emits traceChanged().
    void setTrace(const trace::Trace *trace, bool replay);
    bool isReplay() const { return m_replay; }

    std::size_t position() const { return m_position; } // events [0, position) shown
    std::size_t end() const { return m_end; }           // events known so far
    bool isLive() const { return m_live; }

    // Leaves live mode unless pos is the end. Clamped to [0, end].
    void setPosition(std::size_t pos);
    void setLive(bool live);
    // The trace grew to `end` events (or was cleared: end 0 emits traceChanged()).
    void setEnd(std::size_t end);

    // Index of the last event at or before time tNs, for a time axis.
    std::size_t positionAtTime(std::int64_t tNs) const;
    std::int64_t timeAt(std::size_t position) const; // tNs of event position-1 (0 if none)

signals:
    void positionChanged(std::size_t position);
    void liveChanged(bool live);
    void traceChanged(); // another trace, or the same one cleared: rebuild from 0

private:
    const trace::Trace *m_trace = nullptr;
    bool m_replay = false;
    bool m_live = true;
    std::size_t m_position = 0;
    std::size_t m_end = 0;
};

} // namespace sl::ui
