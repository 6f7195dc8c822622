#include "ui/stage/stageview.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracefeed.h"

#include "engine/lab.h"
#include "sys/kernelprobe.h"
#include "view/queuefill.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>
#include <map>
#include <unordered_map>

namespace sl::ui {

using sys::TcpState;

namespace {
constexpr int BarMs = 150, FlashMs = 450; // a bar glides, a changed state badge flashes

double easeOut(double t) {
    t = std::clamp(t, 0.0, 1.0);
    return 1 - (1 - t) * (1 - t) * (1 - t);
}
} // namespace

StageView::StageView(TraceFeed *feed, QWidget *parent)
    : QWidget(parent)
    , m_feed(feed)
    , m_animTimer(new QTimer(this)) {
    connect(this, &StageView::stateChanged, this, &StageView::updateRows);
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
        m_liveNs = -1; // a reset lab's clock starts again
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
        // One clock reading per frame: the lanes, the actor list and the status bar
        // (which read nowNs() on this frame too) then agree to the tenth of a second.
        // The cursor's trace: the lab's, or a traced program's (its own clock).
        m_liveNs = m_cursor && m_cursor->trace() ? m_cursor->trace()->now()
                   : m_feed->lab()               ? m_feed->lab()->trace().now()
                                                 : -1;
        if (m_cursor && !m_cursor->isLive())
            return;
        for (const ActorSnap &a : m_state.actors)
            if (a.state == trace::ActorState::Blocked || a.state == trace::ActorState::Running)
                return update();
    });
}

void StageView::setTimeCursor(TimeCursor *cursor) {
    SL_ASSERT_OWN_THREAD();
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
    SL_ASSERT_OWN_THREAD();
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
        // The bars glide in the unit they are drawn in (QueueFill::used).
        const std::int64_t os = sendFill(before, *b).used, ns = sendFill(m_state, s).used;
        const std::int64_t orv = recvFill(before, *b).used, nr = recvFill(m_state, s).used;
        if (!state && os == ns && orv == nr && o.acceptQ == n.acceptQ)
            continue;
        m_anims[s.id] = {now, os, orv, o.acceptQ, state};
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

int StageView::socketAt(const QPointF &widgetPos) const {
    const QPointF pos = widgetPos / m_scale; // the layout's coordinates
    for (const auto &[id, r] : m_cardRects.all())
        if (r.contains(pos))
            return id;
    return -1;
}

QRectF StageView::cardRect(int sockId) const {
    const QRectF *r = m_cardRects.find(sockId);
    if (!r)
        return {};
    return QRectF(r->topLeft() * m_scale, r->size() * m_scale);
}

int StageView::actorAt(const QPointF &widgetPos) const {
    const QPointF pos = widgetPos / m_scale;
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
    if (m_cursor && !m_cursor->isLive()) // a point in the past (or a replay): time stands there
        return m_cursor->trace() ? m_cursor->timeAt(m_state.cursor) : m_state.lastNs;
    const engine::Lab *lab = m_feed->lab();
    return lab ? std::max(m_liveNs, m_state.lastNs) : m_state.lastNs;
}

StageView::Metrics StageView::metrics() const {
    return StageMetrics::fromFont(font());
}

// A wide lane sets its cards side by side (e.g. two actors across a projector in
// presentation mode's large type) rather than shrinking a single column to fit.
int StageView::columnsFor(const Metrics &m, qreal laneWidth, std::size_t cards) {
    const qreal minCard = m.line * 10.5; // narrow cards show their numbers inside the bars
    const int fit = int((laneWidth - 2 * m.pad + m.cardGap) / (minCard + m.cardGap));
    return std::clamp(fit, 1, std::max(1, int(cards)));
}

// The rows of cards in the fullest lane at `width` (unscaled).
std::size_t StageView::mostRows(const Metrics &m, qreal width) const {
    std::vector<std::size_t> perLane(m_state.actors.size() + 1); // the last: the kernel lane
    for (const SocketSnap &s : m_state.sockets) {
        const bool own = s.actor >= 0 && std::size_t(s.actor) < m_state.actors.size();
        ++perLane[own ? std::size_t(s.actor) : m_state.actors.size()];
    }
    const int laneCount = int(m_state.actors.size()) + (perLane.back() ? 1 : 0);
    if (laneCount == 0)
        return 0;
    const qreal laneW = (width - m.margin) / laneCount - m.margin;
    std::size_t most = 0;
    for (const std::size_t n : perLane) {
        const std::size_t cols = std::size_t(columnsFor(m, laneW, n));
        most = std::max(most, (n + cols - 1) / cols);
    }
    return most;
}

void StageView::updateRows() {
    const std::size_t rows = mostRows(metrics(), width());
    if (rows != m_mostRows) {
        m_mostRows = rows;
        updateGeometry(); // a taller lane: the scroll area makes room
    }
}

void StageView::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    updateRows(); // another width may set the cards in more or fewer columns
}

qreal StageView::neededHeight(const Metrics &m, std::size_t rows) {
    return 2 * m.margin + m.laneHeader + 2 * m.vpad + qreal(rows) * (m.cardHeight + m.cardGap) -
           (rows ? m.cardGap : 0);
}

// The height at which every card still fits at MinScale: the scroll area around the
// stage (MainWindow) keeps it at least this tall and scrolls, so no card is ever cut off.
QSize StageView::minimumSizeHint() const {
    const qreal line = QFontMetricsF(font()).lineSpacing();
    return QSize(int(line * 16), int(std::ceil(neededHeight(metrics(), m_mostRows) * MinScale)));
}

void StageView::changeEvent(QEvent *event) {
    if (event->type() == QEvent::FontChange) {
        m_mostRows = SIZE_MAX;
        updateRows(); // every size derives from the font
    }
    QWidget::changeEvent(event);
}

int StageView::naturalHeight(int width) const {
    const Metrics m = metrics();
    return int(std::ceil(neededHeight(m, std::max<std::size_t>(1, mostRows(m, width)))));
}

QSize StageView::sizeHint() const {
    const qreal line = QFontMetricsF(font()).lineSpacing();
    return QSize(int(line * 45), int(line * 30));
}

bool StageView::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        for (const auto &[r, text] : m_tips)
            if (r.contains(QPointF(help->pos()) / m_scale)) {
                const QRectF shown(r.topLeft() * m_scale, r.size() * m_scale);
                QToolTip::showText(help->globalPos(), text, this, shown.toAlignedRect());
                return true;
            }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

// The card's bars ease from the values shown before the last change to the current ones.
CardMotion StageView::motionOf(const SocketSnap &s, const CardInfo &info) const {
    const trace::SampleData &d = s.sample;
    CardMotion motion{double(info.send.used), double(info.recv.used), double(d.acceptQ), -1};
    const auto anim = m_anims.find(s.id);
    if (anim == m_anims.end() || !s.hasSample)
        return motion;
    const Anim &a = anim->second;
    const double ease = easeOut(animProgress(s.id));
    const auto glide = [ease](std::int64_t from, std::int64_t to) {
        return from < 0 || to < 0 ? double(to) : double(from) + double(to - from) * ease;
    };
    motion.send = glide(a.fromSend, info.send.used);
    motion.recv = glide(a.fromRecv, info.recv.used);
    motion.accept = glide(a.fromAccept, d.acceptQ);
    if (a.stateChanged)
        motion.flash = std::clamp(double(m_clock.elapsed() - a.startMs) / FlashMs, 0.0, 1.0);
    return motion;
}

// Kernel-only sockets in the order of the cards they are connected to (by row, then
// lane), so that the lines into the kernel lane run side by side instead of crossing;
// those without a peer card keep their order of appearance, last.
void StageView::sortByPeers(const std::vector<std::vector<const SocketSnap *>> &lanes,
                            std::vector<const SocketSnap *> &ghosts) const {
    if (ghosts.size() < 2)
        return;
    using Place = std::pair<std::size_t, std::size_t>; // row, lane
    std::unordered_map<int, Place> where;
    for (std::size_t li = 0; li < lanes.size(); ++li)
        for (std::size_t i = 0; i < lanes[li].size(); ++i)
            where.emplace(lanes[li][i]->id, Place(i, li));
    std::unordered_map<int, int> peerOf;
    for (const SocketSnap &s : m_state.sockets) {
        if (s.peerSock >= 0) {
            peerOf.emplace(s.id, s.peerSock);
            peerOf.emplace(s.peerSock, s.id);
        }
    }
    const auto place = [&](const SocketSnap *g) {
        const auto p = peerOf.find(g->id);
        const auto w = p == peerOf.end() ? where.end() : where.find(p->second);
        return w == where.end() ? Place(SIZE_MAX, SIZE_MAX) : w->second;
    };
    std::stable_sort(ghosts.begin(), ghosts.end(),
                     [&](const SocketSnap *a, const SocketSnap *b) { return place(a) < place(b); });
}

void StageView::paintEvent(QPaintEvent *event) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const Metrics m = metrics();
    m_cardRects.clear();
    m_laneRects.clear();
    m_tips.clear();

    // Lanes: one per actor, plus one for kernel-only sockets when there are any.
    std::vector<std::vector<const SocketSnap *>> lanes(m_state.actors.size());
    std::vector<const SocketSnap *> ghosts;
    for (const SocketSnap &s : m_state.sockets) {
        if (s.actor >= 0 && std::size_t(s.actor) < lanes.size())
            lanes[std::size_t(s.actor)].push_back(&s);
        else
            ghosts.push_back(&s);
    }
    sortByPeers(lanes, ghosts);
    const int laneCount = int(lanes.size()) + (ghosts.empty() ? 0 : 1);
    if (laneCount == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Press Step (F10) to run the first line."));
        return;
    }
    // Cards that would run past the bottom (large type on a short window, a lane with many
    // sockets): the whole stage is drawn smaller, down to MinScale, rather than cut off;
    // below that the scroll area around the stage scrolls (see minimumSizeHint()).
    const qreal need = neededHeight(m, mostRows(m, width()));
    const qreal unscaledLaneW = (width() - m.margin) / laneCount - m.margin;
    m_scale = std::clamp(height() / need, MinScale, 1.0);
    p.scale(m_scale, m_scale);
    // Only what the exposed region shows is painted (a lane of a hundred sockets in a
    // scroll area shows a few); every card's rect is still laid out for hit testing.
    const QRectF exposed = QRectF(event->rect()).adjusted(-4, -4, 4, 4);
    const QRectF visible(exposed.topLeft() / m_scale, exposed.size() / m_scale);
    m_cards.begin(font(), pal, m, m_scale, p.device()->devicePixelRatioF());
    const qreal W = width() / m_scale, H = height() / m_scale;
    const qreal laneW = (W - m.margin) / laneCount;
    const std::int64_t now = nowNs();
    CardRects &cardRects = m_cardRects;
    QFont big = font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    const qreal bigLine = QFontMetricsF(big).lineSpacing();
    const QFontMetricsF fm(font());
    std::vector<std::pair<QRectF, const SocketSnap *>> shown; // cards in the exposed rect

    for (int li = 0; li < laneCount; ++li) {
        const bool ghostLane = li >= int(lanes.size());
        const QRectF lane(m.margin + li * laneW, m.margin, laneW - m.margin, H - 2 * m.margin);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::AlternateBase));
        // Only the part of a tall lane near the exposed rect (its rounded ends, when they
        // are out of view, stay out of view): the rasterizer walks the whole path it is
        // given, and a lane of 400 cards is 38,000 pixels tall (U1).
        const qreal r = m.radius * 1.25;
        p.drawRoundedRect(lane.intersected(visible.adjusted(-1, -2 * r, 1, 2 * r)), r, r);
        m_laneRects.emplace_back(ghostLane ? -1 : li, lane);

        QString title, status;
        QColor statusColor = pal.color(QPalette::PlaceholderText);
        if (ghostLane) {
            title = tr("kernel");
            status = tr("sockets without a descriptor");
        } else {
            const ActorSnap &a = m_state.actors[std::size_t(li)];
            title = a.name;
            status = laneStatusText(m_state, li, now);
            const RelaySnap *relay = m_state.relay(li);
            if (a.state == trace::ActorState::Blocked)
                statusColor = QColor(0xd9, 0x3b, 0x3b);
            else if (a.state == trace::ActorState::Running)
                statusColor = QColor(0x2e, 0x9d, 0x4f);
            else if (relay && relay->cut && !relay->closed)
                statusColor = QColor(0xc7, 0x7c, 0x02); // amber: a silent peer, on purpose
        }
        const qreal textW = lane.width() - 2 * m.pad - m.line * 0.2;
        p.setFont(big);
        p.setPen(pal.color(QPalette::Text));
        const QRectF titleRect(lane.left() + m.pad + m.line * 0.1, lane.top() + m.vpad * 0.6, textW,
                               bigLine * 1.1);
        const QString titleShown = p.fontMetrics().elidedText(title, Qt::ElideRight, int(textW));
        p.drawText(titleRect, Qt::AlignVCenter, titleShown);
        p.setFont(font());
        p.setPen(statusColor);
        const QRectF statusRect(titleRect.left(), titleRect.bottom(), textW, m.line * 1.15);
        // Elided in the middle: both "blocked in recv()" and "3.2 s" matter.
        const QString statusShown = fm.elidedText(status, Qt::ElideMiddle, textW);
        p.drawText(statusRect, Qt::AlignVCenter, statusShown);
        if (titleShown != title)
            m_tips.emplace_back(titleRect, title);
        if (statusShown != status)
            m_tips.emplace_back(statusRect, status);

        const auto &cards = ghostLane ? ghosts : lanes[std::size_t(li)];
        const int cols = columnsFor(m, unscaledLaneW, cards.size());
        const qreal cardW = (lane.width() - 2 * m.pad - (cols - 1) * m.cardGap) / cols;
        const qreal top = lane.top() + m.laneHeader + m.vpad;
        cardRects.beginLane(lane.left(), lane.right(), top, m.cardHeight + m.cardGap, cols);
        for (std::size_t i = 0; i < cards.size(); ++i) {
            const SocketSnap *s = cards[i];
            const qreal x =
                lane.left() + m.pad + qreal(i % std::size_t(cols)) * (cardW + m.cardGap);
            const qreal y = top + qreal(i / std::size_t(cols)) * (m.cardHeight + m.cardGap);
            // On whole device pixels, so that the card's cached layer and its values align.
            const qreal left = m_cards.snap(x);
            const QRectF card(left, m_cards.snap(y), m_cards.snap(x + cardW) - left, m.cardHeight);
            cardRects.add(s->id, card);
            if (card.intersects(visible))
                shown.emplace_back(card, s);
        }
    }

    // What each card shows beyond its sample: fills as the kernel means them, its pair,
    // and for a ghost the closed socket it continues.
    const StagePairs pairs = stagePairs(m_state);
    const auto infoOf = [&](const SocketSnap &s) {
        CardInfo info;
        info.send = sendFill(m_state, s);
        info.recv = recvFill(m_state, s);
        info.pair = pairs.of(s.id);
        if (const auto g = pairs.ghostOf.find(s.id); g != pairs.ghostOf.end())
            if (const SocketSnap *c = m_state.socket(g->second))
                info.continues = c->name;
        return info;
    };

    // Links, beneath the cards, in the pair's colour: peers joined by a line, a closed
    // socket and its kernel continuation by a dashed one. A line that would pass behind
    // another card is not drawn through it: each end gets a short stub instead, and the
    // pair numbers on both cards say the rest.
    const qreal dot = std::max<qreal>(3.5, m.line * 0.22);
    const qreal lineW = std::max<qreal>(2, m.line / 8);
    struct Dot {
        QPointF at;
        QColor color;
    };
    std::vector<Dot> dots;
    const auto blocked = [&](const QPainterPath &path, int a, int b) {
        const QRectF box = path.boundingRect();
        bool hit = false;
        cardRects.near(box, [&](int id, const QRectF &r) {
            if (hit || id == a || id == b || !r.intersects(box))
                return;
            const QRectF inner = r.adjusted(2, 2, -2, -2);
            for (int k = 1; k < 32 && !hit; ++k)
                hit = inner.contains(path.pointAtPercent(k / 32.0));
        });
        return hit;
    };
    const auto link = [&](int aId, int bId, bool dashed) {
        const QRectF a = *cardRects.find(aId), b = *cardRects.find(bId);
        const bool leftToRight = a.center().x() <= b.center().x();
        const QPointF pa(leftToRight ? a.right() : a.left(), a.center().y());
        const QPointF pb(leftToRight ? b.left() : b.right(), b.center().y());
        if (!QRectF(pa, pb).normalized().adjusted(-dot, -dot, dot, dot).intersects(visible))
            return; // the curve stays within the box of its ends
        const int pair = pairs.of(aId);
        const QColor color = pair ? pairColor(pair) : pal.color(QPalette::Highlight);
        QPen pen(color, lineW);
        pen.setCapStyle(Qt::RoundCap);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        QPainterPath path(pa);
        const qreal dx = (pb.x() - pa.x()) / 2;
        path.cubicTo(pa + QPointF(dx, 0), pb - QPointF(dx, 0), pb);
        if (blocked(path, aId, bId)) {
            const qreal stub = m.cardGap * 0.8 * (leftToRight ? 1 : -1);
            p.drawLine(pa, pa + QPointF(stub, 0));
            p.drawLine(pb, pb - QPointF(stub, 0));
        } else {
            p.drawPath(path);
        }
        dots.push_back({pa, color});
        dots.push_back({pb, color});
    };
    for (const SocketSnap &s : m_state.sockets) {
        if (s.peerSock < 0 || s.closed || !cardRects.contains(s.id) ||
            !cardRects.contains(s.peerSock))
            continue;
        const SocketSnap *peer = m_state.socket(s.peerSock);
        if (peer && peer->peerSock == s.id && s.id > s.peerSock && !peer->closed)
            continue;
        link(s.id, s.peerSock, false);
    }
    for (const auto &[ghost, closed] : pairs.ghostOf)
        if (cardRects.contains(ghost) && cardRects.contains(closed))
            link(closed, ghost, true);

    for (const auto &[card, s] : shown) {
        const CardInfo info = infoOf(*s);
        m_cards.paint(p, card, *s, info, motionOf(*s, info), m_tips);
        if (s->id == m_selected) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(card.adjusted(-2, -2, 2, 2), m.radius + 1, m.radius + 1);
        }
    }
    m_cards.end();

    p.setPen(Qt::NoPen);
    for (const Dot &d : dots) {
        p.setBrush(d.color);
        p.drawEllipse(d.at, dot, dot);
    }
}

} // namespace sl::ui
