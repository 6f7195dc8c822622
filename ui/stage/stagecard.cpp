#include "ui/stage/stagecard.h"

#include "ui/stage/stageview.h"

#include "sys/kernelprobe.h"

#include <QGlyphRun>
#include <QLocale>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QStringBuilder>
#include <algorithm>
#include <cmath>
#include <limits>

namespace sl::ui {

using sys::TcpState;

namespace {
// a … b by t (0 = a), opaque: a colour that keeps its contrast on light and dark palettes.
QColor mix(const QColor &a, const QColor &b, qreal t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// 131,072 → "128K", 3,939,840 → "3.8M": binary multiples with one decimal, as ls -h.
QString compactBytes(qint64 v) {
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
QString barText(qint64 value, qint64 cap, bool compact = false) {
    const QLocale loc;
    if (value >= 0 && cap > 0)
        return compact ? compactBytes(value) % QStringLiteral(" / ") % compactBytes(cap)
                       : loc.toString(value) % QStringLiteral(" / ") % loc.toString(cap);
    if (value >= 0)
        return loc.toString(value);
    return StageView::tr("n/a");
}

// The capacity the value column is sized for: the bar's capacity rounded up to all nines
// (12,288 -> 99,999). The column, and with it the card's cached chrome, then changes only
// when a capacity gains a digit, not each time a receive window moves: a TCP receive
// bar's capacity is the data queued plus the window left, and keying the chrome on it
// drew the chrome again (text shaping, ~1 ms a card) for every receiving card on every
// frame of a transfer (U1: 41 ms a frame at 1,000 sockets).
qint64 columnCapacity(qint64 cap) {
    if (cap <= 0)
        return cap;
    qint64 nines = 9;
    while (nines < cap && nines <= (std::numeric_limits<qint64>::max() - 9) / 10)
        nines = nines * 10 + 9;
    return nines;
}

// The width of "99,999 / 99,999" in the widest digit of the font, so that any value up to
// that many digits fits (digits are usually, not always, of one width).
qreal columnWidth(const QFontMetricsF &fm, qint64 cap) {
    QChar widest = QLatin1Char('0');
    for (char c = '1'; c <= '9'; ++c)
        if (fm.horizontalAdvance(QLatin1Char(c)) > fm.horizontalAdvance(widest))
            widest = QLatin1Char(c);
    QString text = barText(std::max<qint64>(cap, 0), cap);
    for (QChar &c : text)
        if (c.isDigit())
            c = widest;
    return fm.horizontalAdvance(text);
}

// A socket without a name is one only the kernel holds: say why it is there — and when
// it continues a socket the script closed, whose.
QString ghostTitle(const SocketSnap &s, const CardInfo &info) {
    if (s.kernelOnly && !info.continues.isEmpty())
        return StageView::tr("%1, kept by the kernel", "a closed socket's continuation")
            .arg(info.continues);
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

// An address elided to `width`, its port never: "127.0.0.1:50049" → "12…1:50049".
QString elideKeepPort(const QFontMetricsF &fm, const QString &addr, qreal width) {
    if (fm.horizontalAdvance(addr) <= width)
        return addr;
    const qsizetype colon = addr.lastIndexOf(u':');
    if (colon <= 0 || addr.endsWith(u']')) // no port (a path, a bare IPv6 host)
        return fm.elidedText(addr, Qt::ElideMiddle, width);
    const QString port = addr.mid(colon);
    const QString host = fm.elidedText(addr.left(colon), Qt::ElideMiddle,
                                       std::max<qreal>(0, width - fm.horizontalAdvance(port)));
    return (host.isEmpty() ? QStringLiteral("…") : host) + port;
}

// After close() the descriptor is gone: the card says so instead of the fd.
QString fdLabel(const SocketSnap &s, const CardInfo &info) {
    if (s.kernelOnly) // a continuation's title already says the kernel keeps it
        return info.continues.isEmpty() ? StageView::tr("kernel only") : QString();
    if (s.closed)
        return StageView::tr("fd %1 released", "close() released the descriptor").arg(s.fd);
    return StageView::tr("fd %1").arg(s.fd);
}

struct Light {
    const char *label;
    std::uint8_t bit;
    QColor on;
};
// ERR, not E: select()'s exceptional set (lesson 12) is urgent data, another thing.
const Light lights[3] = {{"R", sys::Readable, QColor(0x2e, 0x9d, 0x4f)},
                         {"W", sys::Writable, QColor(0x2f, 0x6f, 0xd6)},
                         {"ERR", sys::Error, QColor(0xd9, 0x3b, 0x3b)}};

} // namespace

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
    m_raw = QRawFont::fromFont(m_font);
    m_glyphs.clear();
    m_static.clear();
    m_widths.clear();
    m_elided.clear();
    m_ascent = QFontMetricsF(m_font).ascent();
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

CardPainter::Layout CardPainter::layout(const QRectF &card, const SocketSnap &s,
                                        const CardInfo &info) const {
    const StageMetrics &m = m_m;
    const QFontMetricsF fm(m_font);
    Layout l;
    l.card = QRectF(QPointF(0, 0), card.size());
    l.in = l.card.adjusted(m.pad, m.vpad, -m.pad, -m.vpad);
    const QRectF &in = l.in;
    l.stName = cardStateText(s);
    // A card too narrow for its name, descriptor and "ESTABLISHED" says ESTAB, as ss(8)
    // does, rather than cutting both the name's line and the badge short.
    if (s.hasSample && !cardReleased(s) && TcpState(s.sample.state) == TcpState::Established) {
        const QString title = s.name.isEmpty() ? ghostTitle(s, info) : s.name;
        const qreal chip = info.pair > 0 ? m.line * 1.6 : 0; // the pair number before the title
        const qreal want = QFontMetricsF(m_bold).horizontalAdvance(title) +
                           fm.horizontalAdvance(fdLabel(s, info)) + m.line * 2 + chip;
        if (in.width() - fm.horizontalAdvance(l.stName) < want)
            l.stName = QStringLiteral("ESTAB");
    }
    const qreal bh = std::round(m.line * 1.15);
    // The state is what a learner reads first: it may take most of the row (the name and
    // the descriptor elide first, in full in their tooltip).
    const qreal bw = std::min(fm.horizontalAdvance(l.stName) + m.line, in.width() * 0.7);
    l.badge = QRectF(in.right() - bw, in.top() + (m.row - bh) / 2, bw, bh);
    if (info.pair > 0) {
        const qreal cw =
            std::max(bh, fm.horizontalAdvance(QString::number(info.pair)) + m.line * 0.5);
        l.pairChip = QRectF(in.left(), l.badge.top(), cw, bh);
    }

    // The value column is as wide as the widest value a bar can show (its capacity), so
    // that the tracks stay put while the numbers change.
    const trace::SampleData &d = s.sample;
    l.listener = s.hasSample && d.listener;
    l.bars = l.listener ? 1 : 2;
    const qint64 caps[2] = {columnCapacity(l.listener ? d.backlog : info.send.capacity),
                            l.listener ? -1 : columnCapacity(info.recv.capacity)};
    // The value column is as wide as the widest value a bar can show (its capacity), so
    // that the tracks stay put while the numbers change. On a card too narrow for that
    // (three lanes beside the docks) the numbers, in short form, go inside the track,
    // right-aligned, and the track takes the whole row.
    qreal valueW = 0;
    for (int i = 0; i < l.bars; ++i)
        valueW = std::max(valueW, columnWidth(fm, caps[i]));
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
        x += dia + m.line * 0.25 + fm.horizontalAdvance(QString::fromLatin1(lights[i].label)) +
             m.line * 0.8;
    }
    l.lightsRight = x;
    return l;
}

QString CardPainter::chromeKey(const SocketSnap &s, const CardInfo &info, const QSizeF &size) {
    const trace::SampleData &d = s.sample;
    const QChar sep(0x1f);
    return s.name % sep % QString::number(s.fd) % sep % s.local % sep % s.peer % sep %
           QString::number(s.hasSample ? d.state : -1) % sep %
           QString::number((s.kernelOnly ? 1 : 0) | (s.closed ? 2 : 0) | (s.hasSample ? 4 : 0) |
                           (d.listener ? 8 : 0) | (d.nonBlocking ? 16 : 0)) %
           sep % QString::number(d.sndbuf) % sep % QString::number(d.rcvbuf) % sep %
           QString::number(d.backlog) % sep % QString::number(columnCapacity(info.send.capacity)) %
           sep % QString::number(columnCapacity(info.recv.capacity)) % sep %
           QString::number(info.pair) % sep % info.continues % sep % QString::number(size.width()) %
           u'x' % QString::number(size.height());
}

// The parts that change rarely, into `p` whose origin is the card's top left.
void CardPainter::paintChrome(QPainter &p, const Layout &l, const SocketSnap &s,
                              const CardInfo &info, StageTips &tips) const {
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

    // The pair: a stripe down the card's left edge and its number before the title, in
    // the pair's colour, the same on both ends of a connection (and on a ghost).
    if (info.pair > 0) {
        const QColor pc = pairColor(info.pair);
        QPainterPath outline;
        outline.addRoundedRect(l.card.adjusted(half, half, -half, -half), m.radius, m.radius);
        p.save();
        p.setClipPath(outline);
        p.setPen(Qt::NoPen);
        p.setBrush(pc);
        p.drawRect(QRectF(0, 0, std::max<qreal>(4, m.line * 0.3), l.card.height()));
        p.restore();
        p.setBrush(pc);
        p.drawRoundedRect(l.pairChip, l.pairChip.height() / 2, l.pairChip.height() / 2);
        p.setPen(contrastingText(pc));
        p.setFont(m_bold);
        p.drawText(l.pairChip, Qt::AlignCenter, QString::number(info.pair));
        p.setFont(m_font);
        tips.emplace_back(l.pairChip,
                          StageView::tr("Pair %1: the cards marked %1 in this colour are the two "
                                        "ends of one connection.")
                              .arg(info.pair));
    }

    // State badge, top right.
    const QColor badgeColor = stateColor(s.hasSample && !cardReleased(s) ? s.sample.state : 0);
    const qreal bh = l.badge.height();
    p.setPen(Qt::NoPen);
    p.setBrush(badgeColor);
    p.drawRoundedRect(l.badge, bh / 2, bh / 2);
    p.setPen(contrastingText(badgeColor));
    const QString badgeShown =
        fm.elidedText(l.stName, Qt::ElideRight, l.badge.width() - m.line * 0.5);
    p.drawText(l.badge, Qt::AlignCenter, badgeShown);
    if (cardReleased(s))
        tips.emplace_back(l.badge, StageView::tr("close() released the descriptor: this socket "
                                                 "is gone from the program. What the kernel still "
                                                 "does with the connection shows on a dashed card "
                                                 "in the kernel lane, linked to this one."));
    else if (s.hasSample) { // ESTAB or elided: the tooltip names the state in full
        const QString full = QString::fromLatin1(sys::tcpStateName(TcpState(s.sample.state)));
        if (badgeShown != full)
            tips.emplace_back(l.badge, full);
    }

    // Title and descriptor, left of the badge (elided when the card is narrow).
    const qreal titleLeft = l.pairChip.isEmpty() ? in.left() : l.pairChip.right() + m.line * 0.35;
    const qreal titleSpace = l.badge.left() - titleLeft - m.line * 0.5;
    p.setFont(m_bold);
    p.setPen(textColor);
    const QFontMetricsF bfm(m_bold);
    const QString title = s.name.isEmpty() ? ghostTitle(s, info) : s.name;
    const QString titleShown = bfm.elidedText(title, Qt::ElideRight, titleSpace);
    p.drawText(QRectF(titleLeft, in.top(), titleSpace, m.row), Qt::AlignLeft | Qt::AlignVCenter,
               titleShown);
    const qreal titleW = bfm.horizontalAdvance(titleShown);
    p.setFont(m_font);
    const QString fdText = fdLabel(s, info);
    const qreal fdX = titleLeft + titleW + m.line * 0.5;
    const QString fdShown = fm.elidedText(fdText, Qt::ElideRight,
                                          std::max<qreal>(0, l.badge.left() - fdX - m.line * 0.3));
    p.drawText(QRectF(fdX, in.top(), l.badge.left() - fdX, m.row), Qt::AlignVCenter, fdShown);
    if (titleShown != title || fdShown != fdText)
        tips.emplace_back(QRectF(in.left(), in.top(), l.badge.left() - in.left(), m.row),
                          title + QStringLiteral("  ") + fdText);

    // Addresses: each side elided in its middle, the port always kept whole (a learner
    // pairs sockets by port), the arrow always shown; in full in the tooltip.
    p.setPen(m_palette.color(QPalette::PlaceholderText));
    const QString local = s.local.isEmpty() ? StageView::tr("unbound") : s.local;
    const QString arrow = QStringLiteral("  →  ");
    QString addr = local, addrShown;
    if (!s.peer.isEmpty()) {
        addr += arrow + s.peer;
        const qreal room = in.width() - fm.horizontalAdvance(arrow);
        const QString a =
            elideKeepPort(fm, local, std::max(room / 2, room - fm.horizontalAdvance(s.peer)));
        const QString b = elideKeepPort(fm, s.peer, room - fm.horizontalAdvance(a));
        addrShown = a + arrow + b;
    } else {
        addrShown = elideKeepPort(fm, local, in.width());
    }
    const QRectF addrRect(in.left(), in.top() + m.row * 1.1, in.width(), m.row * 0.9);
    p.drawText(addrRect, Qt::AlignVCenter, addrShown);
    if (addrShown != addr)
        tips.emplace_back(addrRect, addr);

    if (cardReleased(s)) {
        // No queues and no readiness left to show: the descriptor is gone. Say so where
        // the bars were, rather than drawing empty bars and unlit lights that read as
        // "nothing waiting".
        p.setPen(textColor);
        const QRectF where(in.left(), l.barRow[0].top(), in.width(), m.row * 2.2);
        const QString gone = StageView::tr("descriptor released by close()");
        p.drawText(where, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, gone);
        return;
    }

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

    // Unlit readiness lights with their letters (each says what it means in its tooltip),
    // and the blocking mode.
    for (int i = 0; i < 3; ++i) {
        const QRectF &c = l.light[i];
        p.setPen(QPen(outline, l.lightPen));
        p.setBrush(mix(back, textColor, 0.1));
        p.drawEllipse(c);
        p.setPen(textColor);
        const QString label = QString::fromLatin1(lights[i].label);
        const QRectF labelRect(c.right() + m.line * 0.25, l.lightRowY,
                               fm.horizontalAdvance(label) + 2, m.row);
        p.drawText(labelRect, Qt::AlignVCenter, label);
        tips.emplace_back(QRectF(c.left(), l.lightRowY, labelRect.right() - c.left(), m.row),
                          lightMeaning(i));
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

qreal CardPainter::paintBarFill(QPainter &p, const QRectF &track, const QueueFill &f,
                                double shown) const {
    // A few bytes in a large buffer still show: a sliver, never nothing.
    const qreal w = queueFillWidth(f, shown, track.width(), std::max<qreal>(3, m_m.line * 0.3));
    if (w <= 0)
        return track.left();
    const qreal rad = std::min<qreal>(track.height() / 4, 4);
    p.setPen(Qt::NoPen);
    p.setBrush(queueFillColor(f, m_palette));
    p.drawRoundedRect(QRectF(track.left(), track.top(), w, track.height()), rad, rad);
    return track.left() + w;
}

// The characters of a value: digits, the separators a locale groups them with, the
// short form's K/M and the slash. None of them kerns with another or joins in any font
// the stage uses, so their glyphs at their advances are exactly what shaping gives.
static bool valueChar(char16_t c) {
    return (c >= u'0' && c <= u'9') || c == u',' || c == u'.' || c == u' ' || c == u'/' ||
           c == u'K' || c == u'M' || c == u'G' || c == u'\'' || c == u'\u00a0' || c == u'\u202f';
}

// Every number of every card changes on every frame of a transfer, and drawText shaped
// each one again (HarfBuzz: a fifth of a frame of 4,000 sockets, U1). A value is drawn
// from glyphs looked up once per character; any other text, a character the font lacks
// (a fallback font would shape it) and a vector device keep drawText.
void CardPainter::drawValue(QPainter &p, const QPointF &at, const QString &text) const {
    if (m_vector || text.isEmpty()) {
        p.drawText(at, text);
        return;
    }
    const auto laidOut = [&] { // a note: the same few texts frame after frame
        auto it = m_static.find(text);
        if (it == m_static.end()) {
            if (m_static.size() > 256)
                m_static.clear();
            QStaticText st(text);
            st.setTextFormat(Qt::PlainText);
            it = m_static.insert(text, st);
        }
        p.drawStaticText(at - QPointF(0, m_ascent), *it);
    };
    if (!m_raw.isValid())
        return laidOut();
    QList<quint32> glyphs;
    QList<QPointF> positions;
    glyphs.reserve(text.size());
    positions.reserve(text.size());
    qreal x = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        auto it = m_glyphs.find(u);
        if (it == m_glyphs.end()) {
            std::pair<quint32, qreal> g{0, -1}; // -1: not a value character, or missing
            if (valueChar(u)) {
                const QList<quint32> index = m_raw.glyphIndexesForString(QString(c));
                if (index.size() == 1 && index[0] != 0)
                    g = {index[0], m_raw.advancesForGlyphIndexes(index).value(0).x()};
            }
            it = m_glyphs.emplace(u, g).first;
        }
        if (it->second.second < 0)
            return laidOut();
        glyphs.append(it->second.first);
        positions.append(QPointF(x, 0));
        x += it->second.second;
    }
    QGlyphRun run;
    run.setRawFont(m_raw);
    run.setGlyphIndexes(glyphs);
    run.setPositions(positions);
    p.drawGlyphRun(at, run);
}

qreal CardPainter::shapedWidth(const QString &text) const {
    auto it = m_widths.find(text);
    if (it == m_widths.end()) {
        if (m_widths.size() > 256)
            m_widths.clear();
        it = m_widths.insert(text, QFontMetricsF(m_font).horizontalAdvance(text));
    }
    return *it;
}

// A note cut to a width: the same note on the same narrow cards, frame after frame.
QString CardPainter::elided(const QString &text, qreal width) const {
    const QString key = text % QChar(0x1f) % QString::number(qRound(width * 8));
    auto it = m_elided.find(key);
    if (it == m_elided.end()) {
        if (m_elided.size() > 256)
            m_elided.clear();
        it = m_elided.insert(key, QFontMetricsF(m_font).elidedText(text, Qt::ElideRight, width));
    }
    return *it;
}

// A text in a bar's track: over the fill in the fill's contrasting colour, beyond it in
// the text colour.
void CardPainter::drawInTrack(QPainter &p, const QPointF &at, const QString &text,
                              const QRectF &row, qreal fillLeft, qreal fillRight,
                              const QColor &fill, const QColor &plain) const {
    if (fillRight > at.x()) {
        p.save();
        p.setClipRect(QRectF(fillLeft, row.top(), fillRight - fillLeft, row.height()));
        p.setPen(contrastingText(fill));
        drawValue(p, at, text);
        p.restore();
        p.save();
        p.setClipRect(QRectF(fillRight, row.top(), 1e6, row.height()));
        p.setPen(plain);
        drawValue(p, at, text);
        p.restore();
    } else {
        p.setPen(plain);
        drawValue(p, at, text);
    }
}

void CardPainter::paint(QPainter &p, const QRectF &card, const SocketSnap &s, const CardInfo &info,
                        const CardMotion &motion, StageTips &tips) {
    const QSizeF device(std::ceil(card.width() * m_unit), std::ceil(card.height() * m_unit));
    if (device.width() < 1 || device.height() < 1)
        return; // a lane too narrow for any card (dozens of actors): nothing to draw
    // A vector device (an SVG export, a QPicture) gets every part as paths and text: no
    // cached pixmap, no sprites (those would be raster images inside the vector file).
    const QPaintEngine *engine = p.paintEngine();
    const bool vector = engine && engine->type() != QPaintEngine::Raster;
    m_vector = vector;
    Chrome &chrome = m_chrome[s.id];
    const QString key = chromeKey(s, info, device);
    if (vector) {
        chrome.layout = layout(card, s, info);
        chrome.key.clear(); // the next raster frame draws its pixmap again
        chrome.pixmap = QPixmap();
        chrome.tips.clear();
    } else if (chrome.key != key || chrome.pixmap.isNull()) {
        // The layout depends on nothing but what the key holds: kept with the pixmap.
        chrome.layout = layout(card, s, info);
        chrome.key = key;
        chrome.tips.clear();
        ++m_chromeDraws;
        chrome.pixmap = QPixmap(device.toSize());
        chrome.pixmap.setDevicePixelRatio(m_dpr);
        chrome.pixmap.fill(Qt::transparent);
        QPainter cp(&chrome.pixmap);
        cp.setRenderHint(QPainter::Antialiasing);
        cp.scale(m_scale, m_scale);
        cp.setFont(m_font);
        paintChrome(cp, chrome.layout, s, info, chrome.tips);
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
    if (vector) {
        p.save();
        p.translate(card.topLeft());
        p.setFont(m_font);
        paintChrome(p, l, s, info, chrome.tips);
        for (int i = 0; i < 3 && !cardReleased(s); ++i) {
            if (!s.hasSample || !(s.sample.readiness & lights[i].bit))
                continue;
            p.setPen(QPen(lights[i].on.darker(130), l.lightPen));
            p.setBrush(lights[i].on);
            p.drawEllipse(l.light[i]);
        }
        p.restore();
        for (const auto &[r, text] : chrome.tips)
            tips.emplace_back(r.translated(card.topLeft()), text);
    }
    p.save();
    p.resetTransform();
    const QPointF origin = layoutToLogical.map(card.topLeft());
    if (!vector)
        p.drawPixmap(origin, chrome.pixmap);
    const trace::SampleData &d = s.sample;
    for (int i = 0; i < 3 && !cardReleased(s) && !vector; ++i) {
        if (!s.hasSample || !(d.readiness & lights[i].bit))
            continue;
        const QPixmap sprite = litLight(i);
        const qreal margin = (sprite.width() / m_dpr - l.light[i].width() * m_scale) / 2;
        p.drawPixmap(layoutToLogical.map(card.topLeft() + l.light[i].topLeft()) -
                         QPointF(margin, margin),
                     sprite);
    }
    p.restore();
    if (cardReleased(s)) { // no queues left to show: the descriptor is gone
        p.restore();
        return;
    }

    // What moves: the fills (gliding), the numbers (always the value at the cursor).
    p.translate(card.topLeft());
    p.setFont(m_font);
    const QFontMetricsF fm(m_font);
    QueueFill fills[2] = {info.send, info.recv};
    if (l.listener) {
        // Linux holds backlog + 1 connections in the accept queue: the bar is full (red)
        // when the queue is, while the text keeps the backlog listen() was given.
        QueueFill &a = fills[0];
        a = QueueFill();
        a.used = s.hasSample ? d.acceptQ : -1;
        a.capacity = d.backlog >= 0 ? d.backlog + 1 : -1;
        a.full = a.used >= 0 && a.capacity > 0 && a.used >= a.capacity;
    }
    const double shown[2] = {l.listener ? motion.accept : motion.send, motion.recv};
    const QColor plain = m_palette.color(QPalette::Text);
    const QString barNames[2] = {l.listener ? StageView::tr("accept") : StageView::tr("send"),
                                 StageView::tr("recv")};
    for (int i = 0; i < l.bars; ++i) {
        const QueueFill &f = fills[i];
        const qreal fillRight = paintBarFill(p, l.track[i], f, shown[i]);
        const QColor fillColor = queueFillColor(f, m_palette);
        const qint64 cap = l.listener && i == 0 ? d.backlog : f.capacity;
        QString text = barText(f.used, cap, l.compact);
        const QString note = l.listener ? QString() : queueNoteText(f);
        const QRectF &vr = l.valueRect[i];
        const qreal baseline = vr.top() + (vr.height() - fm.height()) / 2 + fm.ascent();
        const qreal gap = m_m.line * 0.4;
        bool numbersHidden = false;
        if (!note.isEmpty()) {
            // Why the bar is full, the datagrams and drops: inside the track, at its left.
            const qreal room =
                l.track[i].width() - 2 * gap - (l.compact ? textWidth(text) + gap : 0);
            QString n = note;
            if (l.compact && shapedWidth(n) > room) {
                numbersHidden = true; // the note matters more; the numbers go to the tooltip
                n = elided(note, l.track[i].width() - 2 * gap);
            } else if (shapedWidth(n) > room) {
                n = elided(note, std::max<qreal>(0, room));
            }
            drawInTrack(p, QPointF(l.track[i].left() + gap, baseline), n, vr, l.track[i].left(),
                        fillRight, fillColor, plain);
            tips.emplace_back(l.track[i].translated(card.topLeft()),
                              barNames[i] + QStringLiteral(": ") + barText(f.used, cap) +
                                  QStringLiteral(" · ") + note);
        }
        if (numbersHidden)
            continue;
        if (textWidth(text) > vr.width() + 1) // a value beyond its capacity
            text = fm.elidedText(text, Qt::ElideRight, vr.width() + 1);
        p.setPen(plain);
        if (!l.compact) {
            drawValue(p, QPointF(vr.left(), baseline), text);
            continue;
        }
        drawInTrack(p, QPointF(vr.right() - textWidth(text), baseline), text, vr, l.track[i].left(),
                    fillRight, fillColor, plain);
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
