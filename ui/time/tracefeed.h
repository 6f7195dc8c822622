// TraceFeed: tells the views that the trace grew, in batches a frame can afford.
//
// Actors and the sampler append to the trace from their own threads without any
// signal; the feed polls the trace's size (an atomic load) on a frame timer and
// reports the new range [from, to) in one batch. Lab::resetDone (the trace was
// cleared) becomes cleared(), after which the views start again from event 0.
//
// Two things keep the window responsive and prompt:
//   - A backlog (a burst of a million events, a long run caught up at once) is
//     delivered in slices of at most budget() events, sized so that one slice keeps
//     the views busy for about SliceMs (measured on each slice that filled the budget;
//     it grows by at most a quarter a slice), with a 0 ms wake-up between slices so
//     that input, timers and paints run in between. Traffic that fits the budget
//     stays one batch a frame.
//   - A step that finished (or a blocked one that returned) is shown at once rather
//     than at the next frame: the feed wakes up right after Lab::stepFinished /
//     backgroundStepFinished, but no sooner than MinGapMs after its last delivery,
//     so that running at full speed still costs a bounded number of batches.
// drainNow() ignores the budget and delivers everything pending (tests, screenshots).
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the Lab
// (the MainWindow does).
#pragma once

#include "engine/lab.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace sl::ui {

class TraceFeed : public QObject {
    Q_OBJECT
public:
    static constexpr int FrameMs = 33; // ~30 frames a second is plenty for a trace
    // The views' work per slice of a backlog. With the paints between slices, what the
    // GUI thread does between two 1 ms timer ticks during a 1 M-event burst
    // (bench_ingest) was p99 15-17 ms at 6; at 3 it is p99 10-11 ms, max 12-16, and the
    // ingest still runs at 1.6-2.0 M events/s (target >= 500 k).
    static constexpr int SliceMs = 3;
    static constexpr int MinGapMs = 8;             // between deliveries woken by a step's end
    static constexpr std::size_t MinBudget = 4096; // events; never starve a backlog

    explicit TraceFeed(engine::Lab *lab, QObject *parent = nullptr);
    engine::Lab *lab() const { return m_lab; }
    std::size_t seen() const { return m_seen; }
    std::size_t budget() const { return m_budget; } // events per slice, adapted

public slots:
    void drainNow(); // delivers what is pending at once (tests, screenshots)

signals:
    void appended(std::size_t from, std::size_t to); // new events [from, to)
    void cleared();
    void frame(); // every tick, for views showing elapsed time

private:
    void deliver(std::size_t limit); // at most `limit` events of what is pending
    void deliverSlice();             // one budgeted slice; wakes up again if more wait
    void wakeSoon();                 // a step ended: deliver now, or after MinGapMs

    QPointer<engine::Lab> m_lab;
    QTimer m_timer; // the frame
    QTimer m_soon;  // single shot: the rest of a backlog, or a step's result
    QElapsedTimer m_sinceDelivery;
    std::size_t m_seen = 0;
    std::size_t m_budget = 8192; // grows on its first backlog
};

} // namespace sl::ui
