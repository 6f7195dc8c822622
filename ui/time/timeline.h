// Timeline: a scrubber over the events of the cursor's trace. The x axis is the event
// index (every event is reachable, however long a blocked call took); ticks mark the
// calls (tall for top-level calls, short for sub-calls, red for errors, amber for
// partial transfers), the moments an actor blocked, and the expectations (green
// passed, red failed). The handle is the TimeCursor's position: dragging it moves the
// cursor (and leaves live mode). Keys: Left/Right step to the previous/next stop (a
// call's end, an actor blocking, an expectation), Home goes to the start, End to the
// end (live again when the trace is the lab's).
//
// Painting is O(pixels), not O(ticks): besides the list of ticks (the stops), every
// tick's kind is OR-ed into a coarse histogram of positions (m_bins, one bit per kind,
// each bin covering m_binSpan positions, halved into fewer bins when it grows past
// MaxBins), updated only with new events; a paint folds the bins into pixel columns.
// A trace of a million events paints as fast as one of a hundred.
//
// TimelineBar puts the scrubber between a "Live" toggle and a position label, with the
// replay banner ("Replay of <file>" and Back to live) at its right.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Reads the cursor's
// trace for events [0, end) only; does not own the cursor or the trace.
#pragma once

#include "ui/chunkedvector.h"

#include <QWidget>
#include <cstdint>
#include <vector>

class QLabel;
class QToolButton;

namespace sl::ui {

class TimeCursor;

class Timeline : public QWidget {
    Q_OBJECT
public:
    enum TickKind : std::uint8_t { Call, SubCall, Partial, Error, Blocked, ExpectPass, ExpectFail };
    struct Tick {
        // The cursor position just after the event, in 32 bits (a trace holds fewer
        // than 2^31 events, Trace::MaxChunks × ChunkSize): 8 bytes a tick instead of 16,
        // 4 MB less for a million-event trace (issue 13's U2 memory target).
        std::uint32_t position;
        TickKind kind;
    };
    static_assert(sizeof(Tick) == 8);

    explicit Timeline(TimeCursor *cursor, QWidget *parent = nullptr);
    QSize sizeHint() const override { return {600, 40}; }
    QSize minimumSizeHint() const override { return {160, 32}; }

    const ChunkedVector<Tick> &ticks() const { return m_ticks; }
    // The stops Left/Right step between, before/after `position` (clamped to 0/end).
    std::size_t previousStop(std::size_t position) const;
    std::size_t nextStop(std::size_t position) const;

public slots:
    void refresh(); // reads events the cursor's trace gained since the last call

protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;

private:
    void rescan();
    QRectF track() const;
    double xOf(std::size_t position) const;
    std::size_t positionAt(double x) const;

    void addTick(std::size_t position, TickKind kind);

    // Between MaxBins/2 and MaxBins bins: two or more per pixel of a track up to 2,048
    // pixels wide, so that folding them into columns loses nothing visible.
    static constexpr std::size_t MaxBins = 8192;

    TimeCursor *m_cursor;
    ChunkedVector<Tick> m_ticks;      // by position; chunked: appending never moves them
    std::vector<std::uint8_t> m_bins; // bit k set: a tick of kind k in the bin
    std::size_t m_binSpan = 1;        // positions per bin (a power of two)
    std::size_t m_scanned = 0;
    std::vector<int> m_depth; // per actor: open calls while scanning
};

class TimelineBar : public QWidget {
    Q_OBJECT
public:
    explicit TimelineBar(TimeCursor *cursor, QWidget *parent = nullptr);
    Timeline *timeline() const { return m_timeline; }
    QToolButton *liveButton() const { return m_live; }
    // Non-empty: show the replay banner with this file name.
    void setReplayFile(const QString &fileName);

public slots:
    void refresh(); // the trace may have grown while the cursor stood still

signals:
    void backToLiveRequested();

private:
    void updateLabel();

    TimeCursor *m_cursor;
    Timeline *m_timeline;
    QToolButton *m_live;
    QLabel *m_position;
    QLabel *m_banner;
    QToolButton *m_back;
};

} // namespace sl::ui
