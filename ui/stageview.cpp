#include "ui/stageview.h"

#include "ui/timecursor.h"
#include "ui/tracefeed.h"

#include "engine/lab.h"
#include "sys/kernelprobe.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>
#include <map>

namespace sl::ui {

using sys::TcpState;

namespace {
constexpr int BarMs = 150, FlashMs = 450; // a bar glides, a changed state badge flashes

double easeOut(double t) {
    t = std::clamp(t, 0.0, 1.0);
    return 1 - (1 - t) * (1 - t) * (1 - t);
}

// a … b by t (0 = a), opaque: a colour that keeps its contrast on light and dark palettes.
QColor mix(const QColor &a, const QColor &b, qreal t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

double luminance(const QColor &c) {
    const auto lin = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}
} // namespace

QColor contrastingText(const QColor &background) {
    const double l = luminance(background);
    // Contrast with white (1.05 / (l + 0.05)) against black ((l + 0.05) / 0.05).
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? QColor(Qt::white) : QColor(Qt::black);
}

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

int StageView::socketAt(const QPointF &widgetPos) const {
    const QPointF pos = widgetPos / m_scale; // the layout's coordinates
    for (const auto &[id, r] : m_cardRects)
        if (r.contains(pos))
            return id;
    return -1;
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
    return lab ? std::max(lab->trace().now(), m_state.lastNs) : m_state.lastNs;
}

StageView::Metrics StageView::metrics() const {
    const QFontMetricsF fm(font());
    Metrics m;
    m.line = fm.lineSpacing();
    m.row = std::round(m.line * 1.4);
    m.margin = std::round(m.line * 0.75);
    m.pad = std::round(m.line * 0.6);
    m.vpad = std::round(m.line * 0.4);
    QFont big = font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m.laneHeader = std::round(m.vpad + QFontMetricsF(big).lineSpacing() + m.line * 1.3);
    // Title, addresses, two bars, the lights: rows at 0, 1.1, 2.2, 3.3, 4.4 rows.
    m.cardHeight = std::round(m.row * 5.4 + 2 * m.vpad + m.line * 0.4);
    m.cardGap = std::round(m.line * 0.85);
    m.radius = std::round(m.line * 0.5);
    qreal labelW = 0;
    for (const QString &l : {tr("send"), tr("recv"), tr("accept")})
        labelW = std::max(labelW, fm.horizontalAdvance(l));
    m.labelW = std::ceil(labelW + m.line * 0.5);
    return m;
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

namespace {
QString barText(int value, int cap) {
    const QLocale loc;
    if (value >= 0 && cap > 0)
        return loc.toString(value) + QStringLiteral(" / ") + loc.toString(cap);
    if (value >= 0)
        return loc.toString(value);
    return StageView::tr("n/a");
}
} // namespace

// `shown` is what the bar fills to (eased towards `value`); the text is always `value`.
void StageView::paintBar(QPainter &p, const QRectF &r, const QString &label, const QString &text,
                         int value, int cap, double shown, const Metrics &m,
                         qreal valueW) const {
    const QPalette &pal = palette();
    const QColor text0 = pal.color(QPalette::Text), back = pal.color(QPalette::Window);
    p.setPen(text0);
    p.drawText(QRectF(r.left(), r.top(), m.labelW, r.height()), Qt::AlignVCenter, label);
    const qreal gap = m.line * 0.4;
    const qreal inset = std::round(r.height() * 0.15);
    const QRectF bar(r.left() + m.labelW, r.top() + inset,
                     std::max<qreal>(r.width() - m.labelW - valueW - gap, m.line),
                     r.height() - 2 * inset);
    const qreal rad = std::min<qreal>(bar.height() / 4, 4);
    // The track: a step from the card's background towards the text, visible on any palette.
    p.setPen(QPen(mix(back, text0, 0.35), 1));
    p.setBrush(mix(back, text0, 0.08));
    p.drawRoundedRect(bar, rad, rad);
    if (value >= 0 && cap > 0) {
        const qreal frac = std::clamp(qreal(shown) / cap, 0.0, 1.0);
        QColor fill = value >= cap ? QColor(0xd9, 0x3b, 0x3b) : pal.color(QPalette::Highlight);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * frac, bar.height()), rad,
                          rad);
    }
    p.setPen(text0);
    const QRectF textRect(bar.right() + gap, r.top(), r.right() - bar.right() - gap, r.height());
    p.drawText(textRect, Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(text, Qt::ElideRight, textRect.width() + 1));
}

void StageView::paintCard(QPainter &p, const QRectF &r, const SocketSnap &s, const Metrics &m) {
    const QPalette &pal = palette();
    const QColor textColor = pal.color(QPalette::Text), back = pal.color(QPalette::Window);
    // Outlines and unlit lights: a step from the card's background towards its text, so
    // they stay visible on a dark palette (where Mid and AlternateBase nearly vanish).
    const QColor outline = mix(back, textColor, 0.45);
    p.save();
    if (s.kernelOnly || s.closed)
        p.setOpacity(0.55);
    QPen border(outline, std::max<qreal>(1.2, m.line / 14));
    if (s.kernelOnly)
        border.setStyle(Qt::DashLine);
    p.setPen(border);
    p.setBrush(back);
    p.drawRoundedRect(r, m.radius, m.radius);

    const QRectF in = r.adjusted(m.pad, m.vpad, -m.pad, -m.vpad);
    const QFontMetricsF fm(font());

    // State badge, top right.
    const int st = s.hasSample ? s.sample.state : 0;
    const QString stName =
        s.hasSample ? QString::fromLatin1(sys::tcpStateName(TcpState(st))) : tr("no sample");
    const qreal bh = std::round(m.line * 1.15);
    const qreal bw = std::min(fm.horizontalAdvance(stName) + m.line, in.width() * 0.6);
    const QRectF badge(in.right() - bw, in.top() + (m.row - bh) / 2, bw, bh);
    const QColor badgeColor = stateColor(st);
    p.setPen(Qt::NoPen);
    p.setBrush(badgeColor);
    p.drawRoundedRect(badge, bh / 2, bh / 2);
    p.setPen(contrastingText(badgeColor));
    p.drawText(badge, Qt::AlignCenter,
               fm.elidedText(stName, Qt::ElideRight, badge.width() - m.line * 0.5));
    const auto anim = m_anims.find(s.id);
    if (anim != m_anims.end() && anim->second.stateChanged) {
        // The state just changed: a ring around the badge that widens and fades.
        const double t =
            std::clamp(double(m_clock.elapsed() - anim->second.startMs) / FlashMs, 0.0, 1.0);
        QColor ring = badgeColor;
        ring.setAlphaF(float(1 - t));
        p.setPen(QPen(ring, 2.5));
        p.setBrush(Qt::NoBrush);
        const qreal grow = 1 + m.line * 0.3 * t;
        p.drawRoundedRect(badge.adjusted(-grow, -grow, grow, grow), bh / 2 + grow, bh / 2 + grow);
    }

    // Title and descriptor, left of the badge (elided when the card is narrow).
    const qreal titleSpace = badge.left() - in.left() - m.line * 0.5;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(textColor);
    const QString title = s.name.isEmpty() ? tr("(socket %1)").arg(s.id) : s.name;
    const QString titleShown = p.fontMetrics().elidedText(title, Qt::ElideRight, int(titleSpace));
    p.drawText(QRectF(in.left(), in.top(), titleSpace, m.row), Qt::AlignLeft | Qt::AlignVCenter,
               titleShown);
    const qreal titleW = p.fontMetrics().horizontalAdvance(titleShown);
    p.setFont(font());
    QString fdText = s.kernelOnly ? tr("kernel only") : tr("fd %1").arg(s.fd);
    if (s.closed)
        fdText += QStringLiteral("  ") + tr("closed");
    const qreal fdX = in.left() + titleW + m.line * 0.5;
    const QString fdShown =
        fm.elidedText(fdText, Qt::ElideRight, std::max<qreal>(0, badge.left() - fdX - m.line * 0.3));
    p.drawText(QRectF(fdX, in.top(), badge.left() - fdX, m.row), Qt::AlignVCenter, fdShown);
    if (titleShown != title || fdShown != fdText)
        m_tips.emplace_back(QRectF(in.left(), in.top(), badge.left() - in.left(), m.row),
                            title + QStringLiteral("  ") + fdText);

    // Bars ease from the value shown before the last change to the current one.
    const double ease = easeOut(animProgress(s.id));
    const auto shown = [&](int value, int Anim::*from) {
        if (anim == m_anims.end() || anim->second.*from < 0 || value < 0)
            return double(value);
        return anim->second.*from + (value - anim->second.*from) * ease;
    };

    // Addresses: elided in the middle on a narrow card, in full in the tooltip.
    p.setPen(pal.color(QPalette::PlaceholderText));
    const QString local = s.local.isEmpty() ? tr("unbound") : s.local;
    const QString arrow = QStringLiteral("  →  ");
    QString addr = local, addrShown = local;
    if (!s.peer.isEmpty()) {
        // Each side elided in its middle (the port stays), the arrow always shown.
        addr += arrow + s.peer;
        const qreal room = in.width() - fm.horizontalAdvance(arrow);
        const QString l = fm.elidedText(
            local, Qt::ElideMiddle, std::max(room / 2, room - fm.horizontalAdvance(s.peer)));
        const QString r = fm.elidedText(s.peer, Qt::ElideMiddle, room - fm.horizontalAdvance(l));
        addrShown = l + arrow + r;
    } else {
        addrShown = fm.elidedText(local, Qt::ElideMiddle, in.width());
    }
    const QRectF addrRect(in.left(), in.top() + m.row * 1.1, in.width(), m.row * 0.9);
    p.drawText(addrRect, Qt::AlignVCenter, addrShown);
    if (addrShown != addr)
        m_tips.emplace_back(addrRect, addr);

    // Queues: the value column is as wide as this card's longest value, so the bars line
    // up and are as long as the card allows.
    qreal y = in.top() + m.row * 2.2;
    const trace::SampleData &d = s.sample;
    if (s.hasSample && d.listener) {
        const QString t = barText(d.acceptQ, d.backlog);
        paintBar(p, QRectF(in.left(), y, in.width(), m.row), tr("accept"), t, d.acceptQ, d.backlog,
                 shown(d.acceptQ, &Anim::fromAccept), m, std::ceil(fm.horizontalAdvance(t)) + 2);
    } else {
        const int sq = s.hasSample ? d.sendQ : -1, rq = s.hasSample ? d.recvQ : -1;
        const QString ts = barText(sq, d.sndbuf), tr_ = barText(rq, d.rcvbuf);
        const qreal valueW = std::min(
            std::ceil(std::max(fm.horizontalAdvance(ts), fm.horizontalAdvance(tr_))) + 2,
            in.width() * 0.5);
        paintBar(p, QRectF(in.left(), y, in.width(), m.row), tr("send"), ts, sq, d.sndbuf,
                 shown(d.sendQ, &Anim::fromSend), m, valueW);
        paintBar(p, QRectF(in.left(), y + m.row * 1.1, in.width(), m.row), tr("recv"), tr_, rq,
                 d.rcvbuf, shown(d.recvQ, &Anim::fromRecv), m, valueW);
    }
    y += m.row * 2.2;

    // Readiness lights and blocking mode.
    const struct {
        const char *label;
        std::uint8_t bit;
        QColor on;
    } lights[] = {{"R", sys::Readable, QColor(0x2e, 0x9d, 0x4f)},
                  {"W", sys::Writable, QColor(0x2f, 0x6f, 0xd6)},
                  {"E", sys::Error, QColor(0xd9, 0x3b, 0x3b)}};
    const qreal dia = std::round(fm.height() * 0.8);
    qreal x = in.left();
    for (const auto &l : lights) {
        const bool on = s.hasSample && (d.readiness & l.bit);
        p.setPen(QPen(on ? l.on.darker(130) : outline, std::max<qreal>(1.3, m.line / 12)));
        p.setBrush(on ? l.on : mix(back, textColor, 0.1));
        p.drawEllipse(QRectF(x, y + (m.row - dia) / 2, dia, dia));
        p.setPen(textColor);
        const QString label = QString::fromLatin1(l.label);
        p.drawText(QRectF(x + dia + m.line * 0.25, y, fm.horizontalAdvance(label) + 2, m.row),
                   Qt::AlignVCenter, label);
        x += dia + m.line * 0.25 + fm.horizontalAdvance(QStringLiteral("W")) + m.line;
    }
    if (s.hasSample && d.nonBlocking) {
        p.setPen(textColor);
        const qreal w = in.right() - x;
        p.drawText(QRectF(x, y, w, m.row), Qt::AlignVCenter | Qt::AlignRight,
                   fm.elidedText(tr("non-blocking"), Qt::ElideRight, std::max<qreal>(0, w)));
    }
    p.restore();
}

void StageView::paintEvent(QPaintEvent *) {
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
    const int laneCount = int(lanes.size()) + (ghosts.empty() ? 0 : 1);
    if (laneCount == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Press Step (F10) to run the first line."));
        return;
    }
    // Cards that would run past the bottom (large type on a short window, a lane with many
    // sockets): the whole stage is drawn smaller, down to 70 %, rather than cut off.
    std::size_t most = ghosts.size();
    for (const auto &l : lanes)
        most = std::max(most, l.size());
    const qreal need = 2 * m.margin + m.laneHeader + 2 * m.vpad +
                       qreal(most) * (m.cardHeight + m.cardGap) - (most ? m.cardGap : 0);
    m_scale = std::clamp(height() / need, 0.7, 1.0);
    p.scale(m_scale, m_scale);
    const qreal W = width() / m_scale, H = height() / m_scale;
    const qreal laneW = (W - m.margin) / laneCount;
    const std::int64_t now = nowNs();
    std::map<int, QRectF> &cardRects = m_cardRects;
    QFont big = font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    const qreal bigLine = QFontMetricsF(big).lineSpacing();
    const QFontMetricsF fm(font());

    for (int li = 0; li < laneCount; ++li) {
        const bool ghostLane = li >= int(lanes.size());
        const QRectF lane(m.margin + li * laneW, m.margin, laneW - m.margin, H - 2 * m.margin);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::AlternateBase));
        p.drawRoundedRect(lane, m.radius * 1.25, m.radius * 1.25);
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
        const QString statusShown = fm.elidedText(status, Qt::ElideRight, textW);
        p.drawText(statusRect, Qt::AlignVCenter, statusShown);
        if (titleShown != title)
            m_tips.emplace_back(titleRect, title);
        if (statusShown != status)
            m_tips.emplace_back(statusRect, status);

        const auto &cards = ghostLane ? ghosts : lanes[std::size_t(li)];
        qreal y = lane.top() + m.laneHeader + m.vpad;
        for (const SocketSnap *s : cards) {
            const QRectF card(lane.left() + m.pad, y, lane.width() - 2 * m.pad, m.cardHeight);
            paintCard(p, card, *s, m);
            if (s->id == m_selected) {
                p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(card.adjusted(-2, -2, 2, 2), m.radius + 1, m.radius + 1);
            }
            cardRects[s->id] = card;
            y += m.cardHeight + m.cardGap;
        }
    }

    // Peer lines: drawn once per pair, between the facing card edges.
    const qreal dot = std::max<qreal>(3.5, m.line * 0.22);
    QPen line(pal.color(QPalette::Highlight), std::max<qreal>(2, m.line / 8));
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
        p.drawEllipse(pa, dot, dot);
        p.drawEllipse(pb, dot, dot);
        p.setBrush(Qt::NoBrush);
    }
}

} // namespace sl::ui
