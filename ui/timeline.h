// Timeline: a scrubber over the events of the cursor's trace. The x axis is the event
// index (every event is reachable, however long a blocked call took); ticks mark the
// calls (tall for top-level calls, short for sub-calls, red for errors, amber for
// partial transfers), the moments an actor blocked, and the expectations (green
// passed, red failed). The handle is the TimeCursor's position: dragging it moves the
// cursor (and leaves live mode). Keys: Left/Right step to the previous/next stop (a
// call's end, an actor blocking, an expectation), Home goes to the start, End to the
// end (live again when the trace is the lab's).
//
// TimelineBar puts the scrubber between a "Live" toggle and a position label, with the
// replay banner ("Replay of <file>" and Back to live) at its right.
//
// Thread affinity: GUI thread. Reads the cursor's trace for events [0, end) only; does
// not own the cursor or the trace.
#pragma once

#include <QWidget>
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
        std::size_t position; // the cursor position just after the event
        TickKind kind;
    };

    explicit Timeline(TimeCursor *cursor, QWidget *parent = nullptr);
    QSize sizeHint() const override { return {600, 40}; }
    QSize minimumSizeHint() const override { return {160, 32}; }

    const std::vector<Tick> &ticks() const { return m_ticks; }
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

    TimeCursor *m_cursor;
    std::vector<Tick> m_ticks; // by position
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
