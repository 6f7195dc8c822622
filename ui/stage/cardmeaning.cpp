#include "ui/stage/stagecard.h"

#include "ui/stage/stageview.h"

#include "sys/kernelprobe.h"

#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <sys/socket.h>

// What a card says and in which colours — the words and the scales the stage, the
// Inspector and the tests share; the painting is in stagecard.cpp.

namespace sl::ui {

using sys::TcpState;

namespace {
double luminance(const QColor &c) {
    const auto lin = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

const QColor FullColor(0xd9, 0x3b, 0x3b), NearlyFullColor(0xe0, 0x8a, 0x00);

} // namespace

// A lab socket the script closed: its card keeps no TCP state (the kernel's continuation,
// if any, is the ghost card linked to it).
bool cardReleased(const SocketSnap &s) {
    return s.closed && !s.kernelOnly;
}

QString cardStateText(const SocketSnap &s) {
    if (cardReleased(s))
        return StageView::tr("closed");
    // A datagram socket has no connection state: say what it is rather than "n/a".
    if (s.type == SOCK_DGRAM)
        return s.domain == AF_INET || s.domain == AF_INET6 ? QStringLiteral("UDP")
                                                           : StageView::tr("datagram");
    return s.hasSample ? QString::fromLatin1(sys::tcpStateName(TcpState(s.sample.state)))
                       : StageView::tr("no sample");
}

QString queueNoteText(const QueueFill &f) {
    QStringList parts;
    if (f.window0)
        parts << StageView::tr("window 0");
    if (f.datagrams >= 0)
        parts << (f.datagrams == 1
                      ? StageView::tr("1 datagram")
                      : StageView::tr("%1 datagrams").arg(QLocale().toString(f.datagrams)));
    if (f.drops > 0)
        parts << StageView::tr("drops %1").arg(QLocale().toString(qlonglong(f.drops)));
    return parts.join(QStringLiteral(" · "));
}

qreal queueFillWidth(const QueueFill &f, double shown, qreal trackWidth, qreal sliver) {
    if (f.used < 0 || f.capacity <= 0 || shown <= 0 || trackWidth <= 0)
        return 0;
    qreal frac = std::clamp(qreal(shown) / qreal(f.capacity), 0.0, 1.0);
    if (f.full && shown >= double(f.used))
        frac = 1; // the kernel takes no more: full, whatever the bytes say
    return std::min(trackWidth, std::max(trackWidth * frac, sliver));
}

QColor queueFillColor(const QueueFill &f, const QPalette &palette) {
    if (f.full)
        return FullColor;
    if (f.ratio() >= 0.75)
        return NearlyFullColor;
    return palette.color(QPalette::Highlight);
}

QColor pairColor(int pair) {
    static const QColor colors[] = {QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x72, 0xb2),
                                    QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7),
                                    QColor(0xd5, 0x5e, 0x00), QColor(0x56, 0xb4, 0xe9)};
    constexpr int n = int(std::size(colors));
    return colors[((std::max(pair, 1) - 1) % n + n) % n];
}

QString lightMeaning(int which) {
    switch (which) {
    case 0:
        return StageView::tr("R: readable (poll POLLIN): recv() or accept() would not block — "
                             "data, end-of-file or a connection is waiting.");
    case 1:
        return StageView::tr("W: writable (poll POLLOUT): send() would not block — the send "
                             "queue has room.");
    default:
        return StageView::tr("ERR: an error is pending on the socket (poll POLLERR, read with "
                             "SO_ERROR), e.g. a refused connection. Not select()'s exceptional "
                             "set, which means urgent (out-of-band) data.");
    }
}

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

} // namespace sl::ui
