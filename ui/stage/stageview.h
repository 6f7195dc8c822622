// StageView: the stage. One lane (column) per actor with its status ("blocked in
// recv() for 3.2 s"), a card per socket in the lane of the actor that created it
// (name, fd, local → peer, TCP state badge, send/recv queue bars against the buffer
// sizes, accept queue against the backlog, R/W/ERR lights, non-blocking mark). Sockets
// seen only by the kernel (no descriptor) get dashed, faded cards in a last lane.
// The two ends of a connection share a pair number and colour (stagePairs), shown on
// both cards; a line joins them unless it would pass behind another card (then each
// end gets a stub). A closed socket's card says "closed" and is joined by a dashed line
// to the ghost card of the kernel's continuation (FIN_WAIT2, TIME_WAIT).
//
// Interaction: a left click on a card selects it (kept highlighted) and emits
// socketSelected(); a right click emits contextMenuRequested() with the card's socket
// and its lane's actor (sockId -1 on a lane's background, actor -1 in the kernel lane)
// so that other panels can offer their own actions without knowing the layout.
//
// It paints the StageState at the TimeCursor (buildStageState(trace, position)):
// advanced event by event while the cursor moves forward, rebuilt when it moves back
// or the trace changes (a replay, a reset). Without a cursor it follows TraceFeed
// batches. It never makes a socket call.
//
// Animation only eases the LAST change into view: a queue bar glides from the value
// shown before to the value at the cursor over ~150 ms, and a changed TCP state
// badge flashes. The numbers and badges always read the state at the cursor.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h); does not own the
// trace, the feed or the cursor.
#pragma once

#include "ui/stage/cardrects.h"
#include "ui/stage/stagecard.h"
#include "view/stagestate.h"

#include <QElapsedTimer>
#include <QRectF>
#include <QTimer>
#include <QWidget>
#include <map>
#include <vector>

namespace sl::ui {

class TraceFeed;
class TimeCursor;

class StageView : public QWidget {
    Q_OBJECT
public:
    explicit StageView(TraceFeed *feed, QWidget *parent = nullptr);
    const StageState &state() const { return m_state; }
    // Show the cursor's point of the trace from now on (instead of the feed's end).
    void setTimeCursor(TimeCursor *cursor);
    void setAnimated(bool on) { m_animated = on; } // off: every change shows at once
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override; // every card fits at MinScale
    static constexpr qreal MinScale = 0.7;  // the stage shrinks to fit down to this
    // The height at which every card fits unshrunk at `width` (pictures: ui/export/).
    int naturalHeight(int width) const;
    // The clock the lanes' "blocked … for 3.2 s" read: the lab's trace time when live,
    // the cursor's time at a point in the past. The status bar and the actor list use it.
    std::int64_t nowNs() const;

    int selectedSocket() const { return m_selected; }
    void setSelectedSocket(int sockId); // -1 = none; repaints, emits nothing
    // The socket card / actor lane under a point in widget coordinates (-1 if none).
    int socketAt(const QPointF &pos) const;
    int actorAt(const QPointF &pos) const;
    QRectF cardRect(int sockId) const; // as the last paint laid it out; empty if none

signals:
    void stateChanged();             // after each applied batch or clear
    void socketSelected(int sockId); // a card was clicked (-1: clicked outside any card)
    void contextMenuRequested(int sockId, int actorIndex, const QPoint &globalPos);

protected:
    bool event(QEvent *event) override; // tooltips: the full text of elided lines
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    using Metrics = StageMetrics; // every size, from the widget's font
    Metrics metrics() const;
    static int columnsFor(const Metrics &m, qreal laneWidth, std::size_t cards);
    std::size_t mostRows(const Metrics &m, qreal width) const;
    void updateRows();
    void sortByPeers(const std::vector<std::vector<const SocketSnap *>> &lanes,
                     std::vector<const SocketSnap *> &ghosts) const;
    static qreal neededHeight(const Metrics &m, std::size_t rows); // at scale 1
    CardMotion motionOf(const SocketSnap &s, const CardInfo &info) const;
    void showPosition(std::size_t position, bool rebuild);
    void startAnimations(const StageState &before);
    double animProgress(int sockId) const; // 0 … 1, 1 = settled or none

    struct Anim {
        std::int64_t startMs = 0;
        std::int64_t fromSend = -1, fromRecv = -1; // QueueFill::used
        int fromAccept = -1;
        bool stateChanged = false;
    };
    TraceFeed *m_feed;
    StageState m_state;
    int m_selected = -1;
    TimeCursor *m_cursor = nullptr;
    const trace::Trace *m_trace = nullptr; // the trace m_state was built from
    bool m_animated = true;
    std::map<int, Anim> m_anims; // by socket id
    QTimer *m_animTimer;
    QElapsedTimer m_clock;
    // Layout of the last paint, for hit testing: card rect per socket id, lane rect
    // per actor index (-1 for the kernel lane).
    CardRects m_cardRects;
    std::vector<std::pair<int, QRectF>> m_laneRects;
    StageTips m_tips;           // elided text: where, and in full
    CardPainter m_cards;        // the cards' cached layers of the last frame
    std::int64_t m_liveNs = -1; // the lab's clock, read once per feed frame
    qreal m_scale = 1;          // the last paint's shrink to fit (the rects above are before it)
    std::size_t m_mostRows = 0; // rows of cards in the fullest lane, for minimumSizeHint()
};

} // namespace sl::ui
