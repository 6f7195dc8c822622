// StageView: the stage. One lane (column) per actor with its status ("blocked in
// recv() for 3.2 s"), a card per socket in the lane of the actor that created it
// (name, fd, local → peer, TCP state badge, send/recv queue bars against the buffer
// sizes, accept queue against the backlog, R/W/E lights, non-blocking mark). Sockets
// seen only by the kernel (no descriptor) get dashed, faded cards in a last lane.
// Lines join connected peers.
//
// Interaction: a left click on a card selects it (kept highlighted) and emits
// socketSelected(); a right click emits contextMenuRequested() with the card's socket
// and its lane's actor (sockId -1 on a lane's background, actor -1 in the kernel lane)
// so that other panels can offer their own actions without knowing the layout.
//
// It paints a StageState built from the trace by TraceFeed batches; it never makes a
// socket call. Thread affinity: GUI thread; does not own the trace or the feed.
#pragma once

#include "ui/stagestate.h"

#include <QRectF>
#include <QWidget>
#include <map>
#include <vector>

namespace sl::ui {

class TraceFeed;

class StageView : public QWidget {
    Q_OBJECT
public:
    explicit StageView(TraceFeed *feed, QWidget *parent = nullptr);
    const StageState &state() const { return m_state; }
    QSize sizeHint() const override { return {720, 480}; }

    int selectedSocket() const { return m_selected; }
    void setSelectedSocket(int sockId); // -1 = none; repaints, emits nothing
    // The socket card / actor lane under a point in widget coordinates (-1 if none).
    int socketAt(const QPointF &pos) const;
    int actorAt(const QPointF &pos) const;

signals:
    void stateChanged();             // after each applied batch or clear
    void socketSelected(int sockId); // a card was clicked (-1: clicked outside any card)
    void contextMenuRequested(int sockId, int actorIndex, const QPoint &globalPos);

protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void paintCard(QPainter &p, const QRectF &r, const SocketSnap &s) const;
    void paintBar(QPainter &p, const QRectF &r, const QString &label, int value, int cap) const;
    std::int64_t nowNs() const;

    TraceFeed *m_feed;
    StageState m_state;
    int m_selected = -1;
    // Layout of the last paint, for hit testing: card rect per socket id, lane rect
    // per actor index (-1 for the kernel lane).
    std::map<int, QRectF> m_cardRects;
    std::vector<std::pair<int, QRectF>> m_laneRects;
};

// The badge colour of a TCP state (sys::TcpState as stored in samples).
QColor stateColor(int tcpState);

} // namespace sl::ui
