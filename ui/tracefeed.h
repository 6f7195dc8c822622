// TraceFeed: tells the views that the trace grew, at most once per frame.
//
// Actors and the sampler append to the trace from their own threads without any
// signal; the feed polls the trace's size (an atomic load) on a timer and reports the
// new range [from, to) in one batch. Lab::resetDone (the trace was cleared) becomes
// cleared(), after which the views start again from event 0.
//
// Thread affinity: GUI thread. Does not own the Lab (the MainWindow does).
#pragma once

#include "engine/lab.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace sl::ui {

class TraceFeed : public QObject {
    Q_OBJECT
public:
    static constexpr int FrameMs = 33; // ~30 frames a second is plenty for a trace

    explicit TraceFeed(engine::Lab *lab, QObject *parent = nullptr);
    engine::Lab *lab() const { return m_lab; }
    std::size_t seen() const { return m_seen; }

public slots:
    void drainNow(); // delivers what is pending at once (tests, screenshots)

signals:
    void appended(std::size_t from, std::size_t to); // new events [from, to)
    void cleared();
    void frame(); // every tick, for views showing elapsed time

private:
    QPointer<engine::Lab> m_lab;
    QTimer m_timer;
    std::size_t m_seen = 0;
};

} // namespace sl::ui
