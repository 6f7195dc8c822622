#include "ui/time/tracefeed.h"

#include "ui/affinity.h"

#include "engine/lab.h"

#include <algorithm>

namespace sl::ui {

TraceFeed::TraceFeed(engine::Lab *lab, QObject *parent)
    : QObject(parent)
    , m_lab(lab) {
    m_timer.setInterval(FrameMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        deliverSlice();
        emit frame();
    });
    m_soon.setSingleShot(true);
    connect(&m_soon, &QTimer::timeout, this, &TraceFeed::deliverSlice);
    m_sinceDelivery.start();
    if (!lab)
        return; // a view of a trace that is not a lab's (pictures): nothing to deliver
    connect(lab, &engine::Lab::resetDone, this, [this] {
        m_seen = 0;
        emit cleared();
        drainNow();
    });
    // The learner waits for these: the step's last events are in the trace already.
    connect(lab, &engine::Lab::stepFinished, this, &TraceFeed::wakeSoon);
    connect(lab, &engine::Lab::backgroundStepFinished, this, &TraceFeed::wakeSoon);
    m_timer.start();
}

void TraceFeed::drainNow() {
    SL_ASSERT_OWN_THREAD();
    deliver(SIZE_MAX);
}

void TraceFeed::deliver(std::size_t limit) {
    SL_ASSERT_OWN_THREAD();
    if (!m_lab)
        return;
    const std::size_t size = m_lab->trace().size();
    if (size < m_seen) { // cleared without resetDone (should not happen): start over
        m_seen = 0;
        emit cleared();
    }
    if (size == m_seen)
        return;
    const std::size_t from = m_seen;
    const std::size_t to = size - from > limit ? from + limit : size;
    m_seen = to;
    m_sinceDelivery.restart();
    emit appended(from, to);
}

void TraceFeed::deliverSlice() {
    SL_ASSERT_OWN_THREAD();
    if (!m_lab)
        return;
    QElapsedTimer took;
    took.start();
    const std::size_t from = m_seen;
    deliver(m_budget);
    const std::size_t n = m_seen >= from ? m_seen - from : m_seen; // (cleared meanwhile)
    const double ms = took.nsecsElapsed() / 1e6;
    // Adapt the budget on slices that filled it (or overran the slice's time): the
    // views' cost per event, measured, scaled to SliceMs. It shrinks at once (halving at
    // most) but grows slowly, so that one quick slice on an idle CPU does not set up a
    // long one when the machine is busy again.
    if (n > 0 && (n >= m_budget || ms > SliceMs)) {
        const double scale = std::clamp(SliceMs / std::max(ms, 0.05), 0.5, 1.25);
        m_budget = std::clamp(std::size_t(double(n) * scale), MinBudget, std::size_t(1) << 24);
    }
    // More waiting: the next slice after whatever else is queued (input, timers,
    // paints), not a frame later.
    if (m_lab && m_lab->trace().size() > m_seen)
        m_soon.start(0);
}

void TraceFeed::wakeSoon() {
    SL_ASSERT_OWN_THREAD();
    const qint64 since = m_sinceDelivery.elapsed();
    const int wait = since >= MinGapMs ? 0 : int(MinGapMs - since);
    if (!m_soon.isActive() || m_soon.remainingTime() > wait)
        m_soon.start(wait);
}

} // namespace sl::ui
