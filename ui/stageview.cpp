#include "ui/stageview.h"

#include "ui/timecursor.h"
#include "ui/tracefeed.h"

#include "engine/lab.h"
#include "sys/kernelprobe.h"

#include <QContextMenuEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <map>

namespace sl::ui {

using sys::TcpState;

namespace {
constexpr qreal Margin = 12, LaneHeader = 46, CardHeight = 132, CardGap = 14;
constexpr int BarMs = 150, FlashMs = 450; // a bar glides, a changed state badge flashes

double easeOut(double t) {
    t = std::clamp(t, 0.0, 1.0);
    return 1 - (1 - t) * (1 - t) * (1 - t);
}
} // namespace

QColor stateColor(int tcpState) {
    switch (TcpState(tcpState)) {
    case TcpState::Established:
        return QColor(0x2e, 0x9d, 0x4f);
    case TcpState::Listen:
        return QColor(0x2f, 0x6f, 0xd6);
    case TcpState::SynSent:
    case TcpState::SynRecv:
    case TcpState::NewSynRecv:
        return QColor(0xd9, 0x9a, 0x06);
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::CloseWait:
    case TcpState::LastAck:
    case TcpState::Closing:
        return QColor(0xe0, 0x6c, 0x1b);
    case TcpState::TimeWait:
        return QColor(0x8e, 0x44, 0xad);
    default:
        return QColor(0x80, 0x80, 0x80);
    }
}

StageView::StageView(TraceFeed *feed, QWidget *parent)
    : QWidget(parent)
    , m_feed(feed)
    , m_animTimer(new QTimer(this)) {
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    m_clock.start();
    m_animTimer->setInterval(16);
    connect(m_animTimer, &QTimer::timeout, this, [this] {
        const std::int64_t now = m_clock.elapsed();
        std::erase_if(m_anims, [now](const auto &kv) { return now - kv.second.startMs > FlashMs; });
        if (m_anims.empty())
            m_animTimer->stop();
        update();
    });
    // Without a cursor the stage follows the end of the lab's trace.
    connect(feed, &TraceFeed::appended, this, [this](std::size_t, std::size_t to) {
        if (m_cursor || !m_feed->lab())
            return;
        const StageState before = m_state;
        m_state.advance(m_feed->lab()->trace(), to);
        startAnimations(before);
        emit stateChanged();
        update();
    });
    connect(feed, &TraceFeed::cleared, this, [this] {
        if (m_cursor)
            return;
        m_state.clear();
        m_anims.clear();
        emit stateChanged();
        update();
    });
    // Elapsed times ("blocked … for 3.2 s") move on without new events — live only;
    // at a point in the past the clock stands at the cursor.
    connect(feed, &TraceFeed::frame, this, [this] {
        if (m_cursor && !m_cursor->isLive())
            return;
        for (const ActorSnap &a : m_state.actors)
            if (a.state == trace::ActorState::Blocked || a.state == trace::ActorState::Running)
                return update();
    });
}

void StageView::setTimeCursor(TimeCursor *cursor) {
    m_cursor = cursor;
    connect(cursor, &TimeCursor::traceChanged, this,
            [this] { showPosition(m_cursor->position(), true); });
    connect(cursor, &TimeCursor::positionChanged, this,
            [this](std::size_t pos) { showPosition(pos, false); });
    showPosition(cursor->position(), true);
}

// The state at `position`: forward by applying the new events, backward (or on another
// trace) by replaying from the start — the same function the tests compare against.
void StageView::showPosition(std::size_t position, bool rebuild) {
    const trace::Trace *t = m_cursor->trace();
    const StageState before = m_state;
    if (!t)
        m_state.clear();
    else if (rebuild || t != m_trace || position < m_state.cursor)
        m_state = buildStageState(*t, position);
    else
        m_state.advance(*t, position);
    if (rebuild || t != m_trace)
        m_anims.clear(); // another trace: nothing to ease from
    else
        startAnimations(before);
    m_trace = t;
    emit stateChanged();
    update();
}

void StageView::startAnimations(const StageState &before) {
    if (!m_animated)
        return;
    const std::int64_t now = m_clock.elapsed();
    for (const SocketSnap &s : m_state.sockets) {
        const SocketSnap *b = before.socket(s.id);
        if (!s.hasSample || !b || !b->hasSample)
            continue;
        const trace::SampleData &o = b->sample, &n = s.sample;
        const bool state = o.state != n.state;
        if (!state && o.sendQ == n.sendQ && o.recvQ == n.recvQ && o.acceptQ == n.acceptQ)
            continue;
        m_anims[s.id] = {now, o.sendQ, o.recvQ, o.acceptQ, state};
    }
    if (!m_anims.empty() && !m_animTimer->isActive())
        m_animTimer->start();
}

double StageView::animProgress(int sockId) const {
    const auto it = m_anims.find(sockId);
    if (it == m_anims.end())
        return 1;
    return std::clamp(double(m_clock.elapsed() - it->second.startMs) / BarMs, 0.0, 1.0);
}

void StageView::setSelectedSocket(int sockId) {
    if (m_selected == sockId)
        return;
    m_selected = sockId;
    update();
}

int StageView::socketAt(const QPointF &pos) const {
    for (const auto &[id, r] : m_cardRects)
        if (r.contains(pos))
            return id;
    return -1;
}

int StageView::actorAt(const QPointF &pos) const {
    for (const auto &[actor, r] : m_laneRects)
        if (r.contains(pos))
            return actor;
    return -1;
}

void StageView::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int id = socketAt(event->position());
    setSelectedSocket(id);
    emit socketSelected(id);
}

void StageView::contextMenuEvent(QContextMenuEvent *event) {
    const int id = socketAt(event->pos());
    int actor = actorAt(event->pos());
    if (id >= 0)
        if (const SocketSnap *s = m_state.socket(id))
            actor = s->actor; // the lane the card is drawn in
    emit contextMenuRequested(id, actor, event->globalPos());
    event->accept();
}

std::int64_t StageView::nowNs() const {
    if (m_cursor && !m_cursor->isLive())
        return m_state.lastNs; // a point in the past (or a replay): time stands there
    const engine::Lab *lab = m_feed->lab();
    return lab ? std::max(lab->trace().now(), m_state.lastNs) : m_state.lastNs;
}

// `shown` is what the bar fills to (eased towards `value`); the text is always `value`.
void StageView::paintBar(QPainter &p, const QRectF &r, const QString &label, int value, int cap,
                         double shown) const {
    const QPalette &pal = palette();
    const QLocale loc;
    const qreal labelW = 52;
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(r.left(), r.top(), labelW, r.height()), Qt::AlignVCenter, label);
    const QRectF bar(r.left() + labelW, r.top() + 3, r.width() - labelW - 120, r.height() - 6);
    p.setPen(pal.color(QPalette::Mid));
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(bar, 3, 3);
    QString text = tr("n/a");
    if (value >= 0 && cap > 0) {
        const qreal frac = std::clamp(qreal(shown) / cap, 0.0, 1.0);
        QColor fill = value >= cap ? QColor(0xd9, 0x3b, 0x3b) : pal.color(QPalette::Highlight);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * frac, bar.height()), 3, 3);
        text = loc.toString(value) + QStringLiteral(" / ") + loc.toString(cap);
    } else if (value >= 0) {
        text = loc.toString(value);
    }
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(bar.right() + 6, r.top(), 114, r.height()), Qt::AlignVCenter, text);
}

void StageView::paintCard(QPainter &p, const QRectF &r, const SocketSnap &s) const {
    const QPalette &pal = palette();
    p.save();
    if (s.kernelOnly || s.closed)
        p.setOpacity(0.55);
    QPen border(pal.color(QPalette::Mid), 1.2);
    if (s.kernelOnly)
        border.setStyle(Qt::DashLine);
    p.setPen(border);
    p.setBrush(pal.color(QPalette::Window));
    p.drawRoundedRect(r, 8, 8);

    const QRectF in = r.adjusted(10, 6, -10, -6);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const QString title = s.name.isEmpty() ? tr("(socket %1)").arg(s.id) : s.name;
    p.drawText(QRectF(in.left(), in.top(), in.width(), 20), Qt::AlignLeft | Qt::AlignVCenter,
               title);
    const qreal titleW = p.fontMetrics().horizontalAdvance(title);
    p.setFont(font());
    QString fdText = s.kernelOnly ? tr("kernel only") : tr("fd %1").arg(s.fd);
    if (s.closed)
        fdText += QStringLiteral("  ") + tr("closed");
    p.drawText(QRectF(in.left() + titleW + 8, in.top(), 160, 20), Qt::AlignVCenter, fdText);

    // State badge, top right.
    const int st = s.hasSample ? s.sample.state : 0;
    const QString stName =
        s.hasSample ? QString::fromLatin1(sys::tcpStateName(TcpState(st))) : tr("no sample");
    const qreal bw = p.fontMetrics().horizontalAdvance(stName) + 16;
    const QRectF badge(in.right() - bw, in.top() + 1, bw, 18);
    p.setPen(Qt::NoPen);
    p.setBrush(stateColor(st));
    p.drawRoundedRect(badge, 9, 9);
    p.setPen(Qt::white);
    p.drawText(badge, Qt::AlignCenter, stName);
    const auto anim = m_anims.find(s.id);
    if (anim != m_anims.end() && anim->second.stateChanged) {
        // The state just changed: a ring around the badge that widens and fades.
        const double t =
            std::clamp(double(m_clock.elapsed() - anim->second.startMs) / FlashMs, 0.0, 1.0);
        QColor ring = stateColor(st);
        ring.setAlphaF(float(1 - t));
        p.setPen(QPen(ring, 2.5));
        p.setBrush(Qt::NoBrush);
        const qreal grow = 1 + 5 * t;
        p.drawRoundedRect(badge.adjusted(-grow, -grow, grow, grow), 9 + grow, 9 + grow);
    }
    // Bars ease from the value shown before the last change to the current one.
    const double ease = easeOut(animProgress(s.id));
    const auto shown = [&](int value, int Anim::*from) {
        if (anim == m_anims.end() || anim->second.*from < 0 || value < 0)
            return double(value);
        return anim->second.*from + (value - anim->second.*from) * ease;
    };

    // Addresses.
    p.setPen(pal.color(QPalette::PlaceholderText));
    QString addr = s.local.isEmpty() ? tr("unbound") : s.local;
    if (!s.peer.isEmpty())
        addr += QStringLiteral("  →  ") + s.peer;
    p.drawText(QRectF(in.left(), in.top() + 22, in.width(), 18), Qt::AlignVCenter, addr);

    // Queues.
    qreal y = in.top() + 44;
    const trace::SampleData &d = s.sample;
    if (s.hasSample && d.listener) {
        paintBar(p, QRectF(in.left(), y, in.width(), 20), tr("accept"), d.acceptQ, d.backlog,
                 shown(d.acceptQ, &Anim::fromAccept));
        y += 44;
    } else {
        paintBar(p, QRectF(in.left(), y, in.width(), 20), tr("send"), s.hasSample ? d.sendQ : -1,
                 d.sndbuf, shown(d.sendQ, &Anim::fromSend));
        paintBar(p, QRectF(in.left(), y + 22, in.width(), 20), tr("recv"),
                 s.hasSample ? d.recvQ : -1, d.rcvbuf, shown(d.recvQ, &Anim::fromRecv));
        y += 44;
    }

    // Readiness lights and blocking mode.
    const struct {
        const char *label;
        std::uint8_t bit;
        QColor on;
    } lights[] = {{"R", sys::Readable, QColor(0x2e, 0x9d, 0x4f)},
                  {"W", sys::Writable, QColor(0x2f, 0x6f, 0xd6)},
                  {"E", sys::Error, QColor(0xd9, 0x3b, 0x3b)}};
    qreal x = in.left();
    for (const auto &l : lights) {
        const bool on = s.hasSample && (d.readiness & l.bit);
        p.setPen(pal.color(QPalette::Mid));
        p.setBrush(on ? l.on : pal.color(QPalette::AlternateBase));
        p.drawEllipse(QRectF(x, y + 4, 12, 12));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x + 15, y, 16, 20), Qt::AlignVCenter, QString::fromLatin1(l.label));
        x += 36;
    }
    if (s.hasSample && d.nonBlocking) {
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x + 8, y, in.right() - x - 8, 20), Qt::AlignVCenter | Qt::AlignRight,
                   tr("non-blocking"));
    }
    p.restore();
}

void StageView::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    m_cardRects.clear();
    m_laneRects.clear();

    // Lanes: one per actor, plus one for kernel-only sockets when there are any.
    std::vector<std::vector<const SocketSnap *>> lanes(m_state.actors.size());
    std::vector<const SocketSnap *> ghosts;
    for (const SocketSnap &s : m_state.sockets) {
        if (s.actor >= 0 && std::size_t(s.actor) < lanes.size())
            lanes[std::size_t(s.actor)].push_back(&s);
        else
            ghosts.push_back(&s);
    }
    const int laneCount = int(lanes.size()) + (ghosts.empty() ? 0 : 1);
    if (laneCount == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Press Step (F10) to run the first line."));
        return;
    }
    const qreal laneW = (width() - Margin) / laneCount;
    const std::int64_t now = nowNs();
    std::map<int, QRectF> &cardRects = m_cardRects;

    for (int li = 0; li < laneCount; ++li) {
        const bool ghostLane = li >= int(lanes.size());
        const QRectF lane(Margin + li * laneW, Margin, laneW - Margin, height() - 2 * Margin);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::AlternateBase));
        p.drawRoundedRect(lane, 10, 10);
        m_laneRects.emplace_back(ghostLane ? -1 : li, lane);

        QString title, status;
        QColor statusColor = pal.color(QPalette::PlaceholderText);
        if (ghostLane) {
            title = tr("kernel");
            status = tr("sockets without a descriptor");
        } else {
            const ActorSnap &a = m_state.actors[std::size_t(li)];
            title = a.name;
            status = actorStatusText(a, now);
            if (a.state == trace::ActorState::Blocked)
                statusColor = QColor(0xd9, 0x3b, 0x3b);
            else if (a.state == trace::ActorState::Running)
                statusColor = QColor(0x2e, 0x9d, 0x4f);
        }
        QFont big = font();
        big.setBold(true);
        big.setPointSizeF(big.pointSizeF() * 1.2);
        p.setFont(big);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(lane.left() + 12, lane.top() + 4, lane.width() - 24, 22),
                   Qt::AlignVCenter, title);
        p.setFont(font());
        p.setPen(statusColor);
        p.drawText(QRectF(lane.left() + 12, lane.top() + 24, lane.width() - 24, 18),
                   Qt::AlignVCenter, status);

        const auto &cards = ghostLane ? ghosts : lanes[std::size_t(li)];
        qreal y = lane.top() + LaneHeader + 6;
        for (const SocketSnap *s : cards) {
            const QRectF card(lane.left() + 10, y, lane.width() - 20, CardHeight);
            paintCard(p, card, *s);
            if (s->id == m_selected) {
                p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(card.adjusted(-2, -2, 2, 2), 9, 9);
            }
            cardRects[s->id] = card;
            y += CardHeight + CardGap;
        }
    }

    // Peer lines: drawn once per pair, between the facing card edges.
    QPen line(pal.color(QPalette::Highlight), 2);
    line.setCapStyle(Qt::RoundCap);
    p.setPen(line);
    p.setBrush(Qt::NoBrush);
    for (const SocketSnap &s : m_state.sockets) {
        if (s.peerSock < 0 || s.closed || !cardRects.count(s.id) || !cardRects.count(s.peerSock))
            continue;
        const SocketSnap *peer = m_state.socket(s.peerSock);
        if (peer && peer->peerSock == s.id && s.id > s.peerSock)
            continue;
        const QRectF a = cardRects[s.id], b = cardRects[s.peerSock];
        const bool leftToRight = a.center().x() <= b.center().x();
        const QPointF pa(leftToRight ? a.right() : a.left(), a.center().y());
        const QPointF pb(leftToRight ? b.left() : b.right(), b.center().y());
        QPainterPath path(pa);
        const qreal dx = (pb.x() - pa.x()) / 2;
        path.cubicTo(pa + QPointF(dx, 0), pb - QPointF(dx, 0), pb);
        p.drawPath(path);
        p.setBrush(pal.color(QPalette::Highlight));
        p.drawEllipse(pa, 3.5, 3.5);
        p.drawEllipse(pb, 3.5, 3.5);
        p.setBrush(Qt::NoBrush);
    }
}

} // namespace sl::ui
