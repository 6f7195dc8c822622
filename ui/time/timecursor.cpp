#include "ui/time/timecursor.h"

#include "ui/affinity.h"

#include <algorithm>

namespace sl::ui {

TimeCursor::TimeCursor(QObject *parent)
    : QObject(parent) {}

void TimeCursor::setTrace(const trace::Trace *trace, bool replay) {
    SL_ASSERT_OWN_THREAD();
    m_trace = trace;
    m_replay = replay;
    m_end = trace ? trace->size() : 0;
    m_position = replay ? 0 : m_end;
    const bool wasLive = m_live;
    m_live = !replay;
    emit traceChanged();
    if (wasLive != m_live)
        emit liveChanged(m_live);
    emit positionChanged(m_position);
}

void TimeCursor::setPosition(std::size_t pos) {
    SL_ASSERT_OWN_THREAD();
    pos = std::min(pos, m_end);
    const bool live = !m_replay && pos == m_end;
    if (live != m_live) {
        m_live = live;
        emit liveChanged(m_live);
    }
    if (pos != m_position) {
        m_position = pos;
        emit positionChanged(m_position);
    }
}

void TimeCursor::setLive(bool live) {
    SL_ASSERT_OWN_THREAD();
    if (m_replay)
        live = false;
    if (live == m_live)
        return;
    m_live = live;
    emit liveChanged(m_live);
    if (m_live && m_position != m_end) {
        m_position = m_end;
        emit positionChanged(m_position);
    }
}

void TimeCursor::setEnd(std::size_t end) {
    SL_ASSERT_OWN_THREAD();
    if (end < m_end) { // the trace was cleared (reset)
        m_end = end;
        m_position = std::min(m_position, end);
        emit traceChanged();
        emit positionChanged(m_position);
        return;
    }
    m_end = end;
    if (m_live && m_position != m_end) {
        m_position = m_end;
        emit positionChanged(m_position);
    }
}

std::size_t TimeCursor::positionAtTime(std::int64_t tNs) const {
    if (!m_trace)
        return 0;
    // Events are appended in time order per thread but several threads append, so
    // times are only nearly sorted; a binary search on them still lands within a few
    // events of the right place, which is what a timeline drag needs.
    std::size_t lo = 0, hi = m_end;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (m_trace->event(mid).tNs <= tNs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

std::int64_t TimeCursor::timeAt(std::size_t position) const {
    if (!m_trace || position == 0 || position > m_end)
        return 0;
    return m_trace->event(position - 1).tNs;
}

} // namespace sl::ui
