#include "ui/stage/stagecard.h"

#include "ui/stage/stageview.h"

#include "sys/kernelprobe.h"

#include <QLocale>
#include <QPainter>
#include <QStringBuilder>
#include <algorithm>
#include <cmath>

namespace sl::ui {

using sys::TcpState;

namespace {
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

// 131,072 → "128K", 3,939,840 → "3.8M": binary multiples with one decimal, as ls -h.
QString compactBytes(int v) {
    const QLocale loc;
    if (v < 10000)
        return loc.toString(v);
    const bool mega = v >= 1024 * 1024;
    const double n = mega ? v / (1024.0 * 1024.0) : v / 1024.0;
    const bool whole = std::abs(n - std::round(n)) < 0.05 || n >= 100;
    return loc.toString(n, 'f', whole ? 0 : 1) + (mega ? u'M' : u'K');
}

// "2,048 / 8,192"; on a narrow card in short form ("4 / 128K", "1.5M / 3.8M": exact
// below 10,000) to fit inside the bar's track.
QString barText(int value, int cap, bool compact = false) {
    const QLocale loc;
    if (value >= 0 && cap > 0)
        return compact ? compactBytes(value) % QStringLiteral(" / ") % compactBytes(cap)
                       : loc.toString(value) % QStringLiteral(" / ") % loc.toString(cap);
    if (value >= 0)
        return loc.toString(value);
    return StageView::tr("n/a");
}

// A socket without a name is one only the kernel holds: say why it is there.
QString ghostTitle(const SocketSnap &s) {
    if (!s.kernelOnly || !s.hasSample)
        return StageView::tr("(socket %1)").arg(s.id);
    switch (TcpState(s.sample.state)) {
    case TcpState::Established:
    case TcpState::SynRecv:
    case TcpState::NewSynRecv:
        return StageView::tr("not yet accepted"); // in a listener's accept queue
    default:
        return StageView::tr("closed, kept by the kernel"); // FIN_WAIT2, TIME_WAIT, …
    }
}

QString fdLabel(const SocketSnap &s) {
    QString t = s.kernelOnly ? StageView::tr("kernel only") : StageView::tr("fd %1").arg(s.fd);
    if (s.closed)
        t += QStringLiteral("  ") + StageView::tr("closed");
    return t;
}

struct Light {
    const char *label;
    std::uint8_t bit;
    QColor on;
};
const Light lights[3] = {{"R", sys::Readable, QColor(0x2e, 0x9d, 0x4f)},
                         {"W", sys::Writable, QColor(0x2f, 0x6f, 0xd6)},
                         {"E", sys::Error, QColor(0xd9, 0x3b, 0x3b)}};
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

StageMetrics StageMetrics::fromFont(const QFont &font) {
    const QFontMetricsF fm(font);
    StageMetrics m;
    m.line = fm.lineSpacing();
    m.row = std::round(m.line * 1.4);
    m.margin = std::round(m.line * 0.75);
    m.pad = std::round(m.line * 0.6);
    m.vpad = std::round(m.line * 0.4);
    QFont big = font;
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m.laneHeader = std::round(m.vpad + QFontMetricsF(big).lineSpacing() + m.line * 1.3);
    // Title, addresses, two bars, the lights: rows at 0, 1.1, 2.2, 3.3, 4.4 rows.
    m.cardHeight = std::round(m.row * 5.4 + 2 * m.vpad + m.line * 0.4);
    m.cardGap = std::round(m.line * 0.85);
    m.radius = std::round(m.line * 0.5);
    qreal labelW = 0;
    for (const QString &l : {StageView::tr("send"), StageView::tr("recv"), StageView::tr("accept")})
        labelW = std::max(labelW, fm.horizontalAdvance(l));
    m.labelW = std::ceil(labelW + m.line * 0.5);
    return m;
}

void CardPainter::begin(const QFont &font, const QPalette &palette, const StageMetrics &m,
                        qreal scale, qreal dpr) {
    const bool same = font == m_font && palette.cacheKey() == m_palette.cacheKey() &&
                      scale == m_scale && dpr == m_dpr && m.line == m_m.line;
    if (same)
        return;
    m_font = font;
    m_bold = font;
    m_bold.setBold(true);
    m_palette = palette;
    m_m = m;
    m_scale = scale;
    m_dpr = dpr;
    m_unit = scale * dpr;
    m_chrome.clear();
    m_charW.clear();
    for (QPixmap &p : m_lit)
        p = QPixmap();
}

// The width of a number like "4,096 / 8,192" as the sum of its characters' advances:
// shaping it each frame for every card cost a fifth of the stage's paint.
qreal CardPainter::textWidth(const QString &text) const {
    qreal w = 0;
    for (const QChar c : text) {
        auto it = m_charW.find(c.unicode());
        if (it == m_charW.end())
            it = m_charW.emplace(c.unicode(), QFontMetricsF(m_font).horizontalAdvance(c)).first;
        w += it->second;
    }
    return w;
}

void CardPainter::end() {
    for (auto it = m_chrome.begin(); it != m_chrome.end();) {
        if (!it->second.used) {
            it = m_chrome.erase(it);
        } else {
            it->second.used = false;
            ++it;
        }
    }
}

CardPainter::Layout CardPainter::layout(const QRectF &card, const SocketSnap &s) const {
    const StageMetrics &m = m_m;
    const QFontMetricsF fm(m_font);
    Layout l;
    l.card = QRectF(QPointF(0, 0), card.size());
    l.in = l.card.adjusted(m.pad, m.vpad, -m.pad, -m.vpad);
    const QRectF &in = l.in;
    l.stName = s.hasSample ? QString::fromLatin1(sys::tcpStateName(TcpState(s.sample.state)))
                           : StageView::tr("no sample");
    // A card too narrow for its name, descriptor and "ESTABLISHED" says ESTAB, as ss(8)
    // does, rather than cutting both the name's line and the badge short.
    if (s.hasSample && TcpState(s.sample.state) == TcpState::Established) {
        const QString title = s.name.isEmpty() ? ghostTitle(s) : s.name;
        const qreal want = QFontMetricsF(m_bold).horizontalAdvance(title) +
                           fm.horizontalAdvance(fdLabel(s)) + m.line * 2;
        if (in.width() - fm.horizontalAdvance(l.stName) < want)
            l.stName = QStringLiteral("ESTAB");
    }
    const qreal bh = std::round(m.line * 1.15);
    const qreal bw = std::min(fm.horizontalAdvance(l.stName) + m.line, in.width() * 0.6);
    l.badge = QRectF(in.right() - bw, in.top() + (m.row - bh) / 2, bw, bh);

    // The value column is as wide as the widest value a bar can show (its capacity), so
    // that the tracks stay put while the numbers change.
    const trace::SampleData &d = s.sample;
    l.listener = s.hasSample && d.listener;
    l.bars = l.listener ? 1 : 2;
    const int caps[2] = {l.listener ? d.backlog : (s.hasSample ? d.sndbuf : -1),
                         l.listener ? -1 : (s.hasSample ? d.rcvbuf : -1)};
    // The value column is as wide as the widest value a bar can show (its capacity), so
    // that the tracks stay put while the numbers change. On a card too narrow for that
    // (three lanes beside the docks) the numbers, in short form, go inside the track,
    // right-aligned, and the track takes the whole row.
    qreal valueW = 0;
    for (int i = 0; i < l.bars; ++i)
        valueW = std::max(valueW, fm.horizontalAdvance(barText(std::max(caps[i], 0), caps[i])));
    valueW = std::ceil(valueW) + 2;
    l.compact = valueW > (in.width() - m.labelW) * 0.45;
    const qreal gap = m.line * 0.4;
    for (int i = 0; i < l.bars; ++i) {
        const QRectF r(in.left(), in.top() + m.row * (2.2 + 1.1 * i), in.width(), m.row);
        const qreal inset = std::round(r.height() * 0.15);
        l.barRow[i] = r;
        const qreal trackW = l.compact ? r.width() - m.labelW : r.width() - m.labelW - valueW - gap;
        l.track[i] = QRectF(r.left() + m.labelW, r.top() + inset, std::max<qreal>(trackW, m.line),
                            r.height() - 2 * inset);
        l.valueRect[i] = l.compact ? QRectF(l.track[i].left() + gap, r.top(),
                                            l.track[i].width() - 2 * gap, r.height())
                                   : QRectF(l.track[i].right() + gap, r.top(),
                                            r.right() - l.track[i].right() - gap, r.height());
    }

    l.lightRowY = in.top() + m.row * 4.4;
    const qreal dia = std::round(std::round(fm.height() * 0.8) * m_unit) / m_unit;
    l.lightPen = std::max<qreal>(1.3, m.line / 12);
    qreal x = in.left();
    for (int i = 0; i < 3; ++i) {
        l.light[i] = QRectF(snap(x), snap(l.lightRowY + (m.row - dia) / 2), dia, dia);
        x += dia + m.line * 0.25 + fm.horizontalAdvance(QStringLiteral("W")) + m.line;
    }
    l.lightsRight = x;
    return l;
}

QString CardPainter::chromeKey(const SocketSnap &s, const QSizeF &size) {
    const trace::SampleData &d = s.sample;
    const QChar sep(0x1f);
    return s.name % sep % QString::number(s.fd) % sep % s.local % sep % s.peer % sep %
           QString::number(s.hasSample ? d.state : -1) % sep %
           QString::number((s.kernelOnly ? 1 : 0) | (s.closed ? 2 : 0) | (s.hasSample ? 4 : 0) |
                           (d.listener ? 8 : 0) | (d.nonBlocking ? 16 : 0)) %
           sep % QString::number(d.sndbuf) % sep % QString::number(d.rcvbuf) % sep %
           QString::number(d.backlog) % sep % QString::number(size.width()) % u'x' %
           QString::number(size.height());
}

// The parts that change rarely, into `p` whose origin is the card's top left.
void CardPainter::paintChrome(QPainter &p, const Layout &l, const SocketSnap &s,
                              StageTips &tips) const {
    const StageMetrics &m = m_m;
    const QFontMetricsF fm(m_font);
    const QColor textColor = m_palette.color(QPalette::Text);
    const QColor back = m_palette.color(QPalette::Window);
    // Outlines and unlit lights: a step from the card's background towards its text, so
    // they stay visible on a dark palette (where Mid and AlternateBase nearly vanish).
    const QColor outline = mix(back, textColor, 0.45);
    const QRectF &in = l.in;
    QPen border(outline, std::max<qreal>(1.2, m.line / 14));
    if (s.kernelOnly)
        border.setStyle(Qt::DashLine);
    p.setPen(border);
    p.setBrush(back);
    const qreal half = border.widthF() / 2; // the whole stroke inside the pixmap
    p.drawRoundedRect(l.card.adjusted(half, half, -half, -half), m.radius, m.radius);

    // State badge, top right.
    const QColor badgeColor = stateColor(s.hasSample ? s.sample.state : 0);
    const qreal bh = l.badge.height();
    p.setPen(Qt::NoPen);
    p.setBrush(badgeColor);
    p.drawRoundedRect(l.badge, bh / 2, bh / 2);
    p.setPen(contrastingText(badgeColor));
    const QString badgeShown =
        fm.elidedText(l.stName, Qt::ElideRight, l.badge.width() - m.line * 0.5);
    p.drawText(l.badge, Qt::AlignCenter, badgeShown);
    if (s.hasSample) { // ESTAB or elided: the tooltip names the state in full
        const QString full = QString::fromLatin1(sys::tcpStateName(TcpState(s.sample.state)));
        if (badgeShown != full)
            tips.emplace_back(l.badge, full);
    }

    // Title and descriptor, left of the badge (elided when the card is narrow).
    const qreal titleSpace = l.badge.left() - in.left() - m.line * 0.5;
    p.setFont(m_bold);
    p.setPen(textColor);
    const QFontMetricsF bfm(m_bold);
    const QString title = s.name.isEmpty() ? ghostTitle(s) : s.name;
    const QString titleShown = bfm.elidedText(title, Qt::ElideRight, titleSpace);
    p.drawText(QRectF(in.left(), in.top(), titleSpace, m.row), Qt::AlignLeft | Qt::AlignVCenter,
               titleShown);
    const qreal titleW = bfm.horizontalAdvance(titleShown);
    p.setFont(m_font);
    const QString fdText = fdLabel(s);
    const qreal fdX = in.left() + titleW + m.line * 0.5;
    const QString fdShown = fm.elidedText(fdText, Qt::ElideRight,
                                          std::max<qreal>(0, l.badge.left() - fdX - m.line * 0.3));
    p.drawText(QRectF(fdX, in.top(), l.badge.left() - fdX, m.row), Qt::AlignVCenter, fdShown);
    if (titleShown != title || fdShown != fdText)
        tips.emplace_back(QRectF(in.left(), in.top(), l.badge.left() - in.left(), m.row),
                          title + QStringLiteral("  ") + fdText);

    // Addresses: each side elided in its middle (the port stays), the arrow always shown;
    // in full in the tooltip.
    p.setPen(m_palette.color(QPalette::PlaceholderText));
    const QString local = s.local.isEmpty() ? StageView::tr("unbound") : s.local;
    const QString arrow = QStringLiteral("  →  ");
    QString addr = local, addrShown;
    if (!s.peer.isEmpty()) {
        addr += arrow + s.peer;
        const qreal room = in.width() - fm.horizontalAdvance(arrow);
        const QString a = fm.elidedText(local, Qt::ElideMiddle,
                                        std::max(room / 2, room - fm.horizontalAdvance(s.peer)));
        const QString b = fm.elidedText(s.peer, Qt::ElideMiddle, room - fm.horizontalAdvance(a));
        addrShown = a + arrow + b;
    } else {
        addrShown = fm.elidedText(local, Qt::ElideMiddle, in.width());
    }
    const QRectF addrRect(in.left(), in.top() + m.row * 1.1, in.width(), m.row * 0.9);
    p.drawText(addrRect, Qt::AlignVCenter, addrShown);
    if (addrShown != addr)
        tips.emplace_back(addrRect, addr);

    // Bar labels and empty tracks: a step from the background towards the text.
    const QString labels[2] = {l.listener ? StageView::tr("accept") : StageView::tr("send"),
                               StageView::tr("recv")};
    for (int i = 0; i < l.bars; ++i) {
        p.setPen(textColor);
        p.drawText(QRectF(l.barRow[i].left(), l.barRow[i].top(), m.labelW, l.barRow[i].height()),
                   Qt::AlignVCenter, labels[i]);
        const qreal rad = std::min<qreal>(l.track[i].height() / 4, 4);
        p.setPen(QPen(mix(back, textColor, 0.35), 1));
        p.setBrush(mix(back, textColor, 0.08));
        p.drawRoundedRect(l.track[i], rad, rad);
    }

    // Unlit readiness lights with their letters, and the blocking mode.
    for (int i = 0; i < 3; ++i) {
        const QRectF &c = l.light[i];
        p.setPen(QPen(outline, l.lightPen));
        p.setBrush(mix(back, textColor, 0.1));
        p.drawEllipse(c);
        p.setPen(textColor);
        const QString label = QString::fromLatin1(lights[i].label);
        p.drawText(
            QRectF(c.right() + m.line * 0.25, l.lightRowY, fm.horizontalAdvance(label) + 2, m.row),
            Qt::AlignVCenter, label);
    }
    if (s.hasSample && s.sample.nonBlocking) {
        p.setPen(textColor);
        const qreal w = in.right() - l.lightsRight;
        const QString mode = StageView::tr("non-blocking");
        // A narrow card says it short rather than as "no…"; the tooltip has it in full.
        const QString brief = StageView::tr("NB", "non-blocking, on a narrow card");
        const QString shown = fm.horizontalAdvance(mode) <= w ? mode
                              : fm.horizontalAdvance(brief) <= w
                                  ? brief
                                  : fm.elidedText(mode, Qt::ElideRight, std::max<qreal>(0, w));
        const QRectF r(l.lightsRight, l.lightRowY, w, m.row);
        p.drawText(r, Qt::AlignVCenter | Qt::AlignRight, shown);
        if (shown != mode)
            tips.emplace_back(r, mode);
    }
}

// A lit light as a sprite at device resolution, drawn over the unlit one.
QPixmap CardPainter::litLight(int which) const {
    QPixmap &pm = const_cast<QPixmap &>(m_lit[which]); // a cache, filled on first use
    if (!pm.isNull())
        return pm;
    const qreal dia = std::round(std::round(QFontMetricsF(m_font).height() * 0.8) * m_unit);
    const qreal pen = std::max<qreal>(1.3, m_m.line / 12) * m_unit;
    const int margin = int(std::ceil(pen / 2 + 1));
    pm = QPixmap(int(dia) + 2 * margin, int(dia) + 2 * margin);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(lights[which].on.darker(130), pen));
    p.setBrush(lights[which].on);
    p.drawEllipse(QRectF(margin, margin, dia, dia));
    p.end();
    pm.setDevicePixelRatio(m_dpr);
    return pm;
}

void CardPainter::paintBarFill(QPainter &p, const QRectF &track, int value, int cap,
                               double shown) const {
    if (value < 0 || cap <= 0)
        return;
    const qreal frac = std::clamp(qreal(shown) / cap, 0.0, 1.0);
    if (frac <= 0)
        return;
    const qreal rad = std::min<qreal>(track.height() / 4, 4);
    p.setPen(Qt::NoPen);
    p.setBrush(value >= cap ? QColor(0xd9, 0x3b, 0x3b) : m_palette.color(QPalette::Highlight));
    p.drawRoundedRect(QRectF(track.left(), track.top(), track.width() * frac, track.height()), rad,
                      rad);
}

void CardPainter::paint(QPainter &p, const QRectF &card, const SocketSnap &s,
                        const CardMotion &motion, StageTips &tips) {
    const QSizeF device(std::ceil(card.width() * m_unit), std::ceil(card.height() * m_unit));
    if (device.width() < 1 || device.height() < 1)
        return; // a lane too narrow for any card (dozens of actors): nothing to draw
    Chrome &chrome = m_chrome[s.id];
    const QString key = chromeKey(s, device);
    if (chrome.key != key || chrome.pixmap.isNull()) {
        // The layout depends on nothing but what the key holds: kept with the pixmap.
        chrome.layout = layout(card, s);
        chrome.key = key;
        chrome.tips.clear();
        chrome.pixmap = QPixmap(device.toSize());
        chrome.pixmap.setDevicePixelRatio(m_dpr);
        chrome.pixmap.fill(Qt::transparent);
        QPainter cp(&chrome.pixmap);
        cp.setRenderHint(QPainter::Antialiasing);
        cp.scale(m_scale, m_scale);
        cp.setFont(m_font);
        paintChrome(cp, chrome.layout, s, chrome.tips);
    }
    const Layout &l = chrome.layout;
    chrome.used = true;
    for (const auto &[r, text] : chrome.tips)
        tips.emplace_back(r.translated(card.topLeft()), text);

    p.save();
    if (s.kernelOnly || s.closed)
        p.setOpacity(0.55);
    // The chrome and the lit lights, pixel for pixel (card is on whole device pixels).
    const QTransform layoutToLogical = p.transform();
    p.save();
    p.resetTransform();
    const QPointF origin = layoutToLogical.map(card.topLeft());
    p.drawPixmap(origin, chrome.pixmap);
    const trace::SampleData &d = s.sample;
    for (int i = 0; i < 3; ++i) {
        if (!s.hasSample || !(d.readiness & lights[i].bit))
            continue;
        const QPixmap sprite = litLight(i);
        const qreal margin = (sprite.width() / m_dpr - l.light[i].width() * m_scale) / 2;
        p.drawPixmap(layoutToLogical.map(card.topLeft() + l.light[i].topLeft()) -
                         QPointF(margin, margin),
                     sprite);
    }
    p.restore();

    // What moves: the fills (gliding), the numbers (always the value at the cursor).
    p.translate(card.topLeft());
    p.setFont(m_font);
    const QFontMetricsF fm(m_font);
    const int values[2] = {l.listener ? d.acceptQ : (s.hasSample ? d.sendQ : -1),
                           s.hasSample ? d.recvQ : -1};
    const int caps[2] = {l.listener ? d.backlog : d.sndbuf, d.rcvbuf};
    const double shown[2] = {l.listener ? motion.accept : motion.send, motion.recv};
    p.setPen(m_palette.color(QPalette::Text));
    for (int i = 0; i < l.bars; ++i) {
        // Linux holds backlog + 1 connections in the accept queue: the bar is full (red)
        // when the queue is, while the text keeps the backlog listen() was given.
        const int fillCap = l.listener && caps[i] >= 0 ? caps[i] + 1 : caps[i];
        paintBarFill(p, l.track[i], values[i], fillCap, shown[i]);
        QString text = barText(values[i], caps[i], l.compact);
        const QRectF &vr = l.valueRect[i];
        if (textWidth(text) > vr.width() + 1) // a value beyond its capacity
            text = fm.elidedText(text, Qt::ElideRight, vr.width() + 1);
        const qreal baseline = vr.top() + (vr.height() - fm.height()) / 2 + fm.ascent();
        p.setPen(m_palette.color(QPalette::Text));
        if (!l.compact) {
            p.drawText(QPointF(vr.left(), baseline), text);
            continue;
        }
        // Inside the track: the part of the text over the fill in the fill's contrasting
        // colour, the rest in the text colour.
        const QPointF at(vr.right() - textWidth(text), baseline);
        const qreal fillRight =
            values[i] >= 0 && fillCap > 0
                ? l.track[i].left() + l.track[i].width() * std::clamp(shown[i] / fillCap, 0.0, 1.0)
                : l.track[i].left();
        if (fillRight > at.x()) {
            p.save();
            p.setClipRect(
                QRectF(l.track[i].left(), vr.top(), fillRight - l.track[i].left(), vr.height()));
            p.setPen(contrastingText(values[i] >= fillCap ? QColor(0xd9, 0x3b, 0x3b)
                                                          : m_palette.color(QPalette::Highlight)));
            p.drawText(at, text);
            p.restore();
            p.save();
            p.setClipRect(QRectF(fillRight, vr.top(), vr.right() + 2 - fillRight, vr.height()));
            p.drawText(at, text);
            p.restore();
        } else {
            p.drawText(at, text);
        }
    }
    if (motion.flash >= 0) {
        // The state just changed: a ring around the badge that widens and fades.
        QColor ring = stateColor(s.hasSample ? d.state : 0);
        ring.setAlphaF(float(1 - motion.flash));
        p.setPen(QPen(ring, 2.5));
        p.setBrush(Qt::NoBrush);
        const qreal grow = 1 + m_m.line * 0.3 * motion.flash;
        const qreal r = l.badge.height() / 2 + grow;
        p.drawRoundedRect(l.badge.adjusted(-grow, -grow, grow, grow), r, r);
    }
    p.restore();
}

} // namespace sl::ui
