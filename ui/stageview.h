// StageView: the stage. One lane (column) per actor with its status ("blocked in
// recv() for 3.2 s"), a card per socket in the lane of the actor that created it
// (name, fd, local → peer, TCP state badge, send/recv queue bars against the buffer
// sizes, accept queue against the backlog, R/W/E lights, non-blocking mark). Sockets
// seen only by the kernel (no descriptor) get dashed, faded cards in a last lane.
// Lines join connected peers.
//
// It paints a StageState built from the trace by TraceFeed batches; it never makes a
// socket call. Thread affinity: GUI thread; does not own the trace or the feed.
#pragma once

#include "ui/stagestate.h"

#include <QRectF>
#include <QWidget>

namespace sl::ui {

class TraceFeed;

class StageView : public QWidget {
    Q_OBJECT
public:
    explicit StageView(TraceFeed *feed, QWidget *parent = nullptr);
    const StageState &state() const { return m_state; }
    QSize sizeHint() const override { return {720, 480}; }

signals:
    void stateChanged(); // after each applied batch or clear

protected:
    void paintEvent(QPaintEvent *) override;

private:
    void paintCard(QPainter &p, const QRectF &r, const SocketSnap &s) const;
    void paintBar(QPainter &p, const QRectF &r, const QString &label, int value, int cap) const;
    std::int64_t nowNs() const;

    TraceFeed *m_feed;
    StageState m_state;
};

// The badge colour of a TCP state (sys::TcpState as stored in samples).
QColor stateColor(int tcpState);

} // namespace sl::ui
