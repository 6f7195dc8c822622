#include "ui/tracefeed.h"

#include "engine/lab.h"

namespace sl::ui {

TraceFeed::TraceFeed(engine::Lab *lab, QObject *parent)
    : QObject(parent)
    , m_lab(lab) {
    m_timer.setInterval(FrameMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        drainNow();
        emit frame();
    });
    connect(lab, &engine::Lab::resetDone, this, [this] {
        m_seen = 0;
        emit cleared();
        drainNow();
    });
    m_timer.start();
}

void TraceFeed::drainNow() {
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
    m_seen = size;
    emit appended(from, size);
}

} // namespace sl::ui
