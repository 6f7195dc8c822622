#include "view/textreport.h"
#include "view/termtext.h"

#include "script/catalog.h"
#include "script/diagnostic.h"
#include "sys/kernelprobe.h"
#include "view/queuefill.h"

#include <QStringBuilder>
#include <algorithm>
#include <cmath>
#include <sys/socket.h>

namespace sl::ui {

TextReport::TextReport(const trace::Trace &trace, QTextStream &out, bool color)
    : m_trace(trace)
    , m_out(out)
    , m_color(color) {}

QString TextReport::paint(const QString &text, const char *code) const {
    if (!m_color)
        return text;
    return QStringLiteral("\x1b[%1m").arg(QLatin1String(code)) + text + QStringLiteral("\x1b[0m");
}

QString TextReport::bar(std::int64_t value, std::int64_t capacity, int width,
                        std::int64_t shownCapacity, double ratio) {
    if (value < 0)
        return QStringLiteral("n/a");
    int fill = 0;
    if (ratio >= 0)
        fill = int(std::clamp<double>(std::ceil(ratio * width), 0, width));
    else if (capacity > 0)
        fill = int(std::min<std::int64_t>(width, (value * width + capacity - 1) / capacity));
    const std::int64_t shown = shownCapacity >= 0 ? shownCapacity : capacity;
    return QLatin1Char('[') + QString(fill, QLatin1Char('#')) +
           QString(width - fill, QLatin1Char('.')) +
           (shown >= 0 ? QStringLiteral("] %L1/%L2").arg(value).arg(shown)
                       : QStringLiteral("] %L1").arg(value));
}

// Everything printed that the script wrote (its lines, titles, narration, strings it
// made) is escaped: a script must not be able to drive the terminal with ESC sequences.
static QString safe(const QString &text) {
    return script::escapeControls(text, true);
}

void TextReport::printHeader(const QString &title, const QString &fileName) {
    m_out << paint(QStringLiteral("== %1 ==").arg(safe(title)), "1") << "  (" << safe(fileName)
          << ")\n";
    m_out.flush();
}

const StageState &TextReport::state() {
    if (m_state.cursor > traceEnd()) // the trace was cleared (reset): start again
        m_state.clear();
    m_state.advance(m_trace, traceEnd());
    return m_state;
}

// The queues, as QueueFill measures them for the stage. A TCP side whose window is 0
// says so: that, not the byte count against SO_RCVBUF, is why the sender is stuck.
QString TextReport::queueText(const SocketSnap &s) {
    const QueueFill rf = recvFill(m_state, s);
    if (s.type == SOCK_DGRAM) {
        // UDP: memory against SO_RCVBUF (what the kernel drops by), and what it holds.
        QString text = QStringLiteral("recv ") + bar(rf.used, rf.capacity, 10, -1, rf.ratio());
        if (rf.datagrams >= 0)
            text += QStringLiteral(" (%1%L2 %3, %L4 bytes)")
                        .arg(rf.estimated ? QStringLiteral("~") : QString())
                        .arg(rf.datagrams)
                        .arg(rf.datagrams == 1 ? QStringLiteral("datagram")
                                               : QStringLiteral("datagrams"))
                        .arg(rf.dataBytes);
        if (rf.full)
            text += tt(" full");
        if (rf.drops >= 0)
            text += QStringLiteral("  drops %L1").arg(rf.drops);
        return text;
    }
    const QueueFill sf = sendFill(m_state, s);
    QString text = QStringLiteral("send ") + bar(sf.used, sf.capacity, 10, -1, sf.ratio());
    if (sf.window0)
        text += paint(tt(" (peer's window 0)"), "33");
    text += QStringLiteral("  recv ");
    if (rf.estimated && rf.capacity >= 0) // the peer's window is unknown: half of SO_RCVBUF
        text += bar(rf.used, rf.capacity, 10, -1, rf.ratio())
                    .replace(QStringLiteral("/"), QStringLiteral("/~"));
    else
        text += bar(rf.used, rf.capacity, 10, -1, rf.ratio());
    if (rf.window0)
        text += paint(tt(" (full: window 0)"), "33");
    else if (rf.full)
        text += tt(" (full)");
    return text;
}

QString TextReport::socketLine(int sockId) {
    state();
    const SocketSnap *s = m_state.socket(sockId);
    if (!s)
        return {};
    const QString name = s->name.isEmpty() ? QStringLiteral("#%1").arg(sockId) : safe(s->name);
    if (s->closed) // the descriptor is gone; the kernel's continuation is no longer this fd
        return name + QStringLiteral("  ") + tt("closed: descriptor released");
    const trace::SampleData &x = s->sample;
    const int fd = s->hasSample && x.fd >= 0 ? x.fd : s->fd;
    QString line = QStringLiteral("%1  fd %2  ").arg(name).arg(fd);
    const bool pipe = s->type == -1 || s->type == -2; // SocketTable's pipe ends
    if (pipe)
        line +=
            s->type == -2 ? QStringLiteral("pipe (write end)") : QStringLiteral("pipe (read end)");
    else if (s->type == SOCK_STREAM && s->domain != AF_UNIX)
        line += paint(QString::fromLatin1(sys::tcpStateName(sys::TcpState(x.state))), "36");
    else
        line += s->type == SOCK_DGRAM ? QStringLiteral("UDP") : QStringLiteral("AF_UNIX");
    if (!s->hasSample)
        return line;
    if (x.listener) {
        // As the window shows it: the backlog listen() was given, the bar full at
        // backlog + 1 (what Linux holds).
        line += QStringLiteral("  accept-queue ") + bar(x.acceptQ, x.backlog + 1, 10, x.backlog);
    } else if (!pipe) {
        line += QStringLiteral("  ") + queueText(*s);
    }
    QString ready;
    if (x.readiness & sys::Readable)
        ready += QLatin1Char('R');
    if (x.readiness & sys::Writable)
        ready += QLatin1Char('W');
    if (x.readiness & sys::Error)
        ready += QLatin1Char('E');
    if (x.readiness & sys::PeerClosed)
        ready += tt(" peer-closed");
    line += QStringLiteral("  ") + (ready.isEmpty() ? QStringLiteral("-") : ready);
    if (x.nonBlocking)
        line += tt("  non-blocking");
    return line;
}

QString TextReport::tt(const char *english) const {
    return termText(m_lang, english);
}

void TextReport::print(const ReportStep &r, bool background) {
    const QString indent(16, QLatin1Char(' '));
    if (r.kind == ReportStep::Kind::Say) {
        QString text = safe(r.say);
        if (!r.ok)
            text = paint(tt("(narration failed: %1)").arg(safe(r.detail)), "31");
        m_out << "\n  " << paint(QStringLiteral("» ") + text, "3") << "\n\n";
        m_out.flush();
        return;
    }
    if (r.kind == ReportStep::Kind::Expect || r.kind == ReportStep::Kind::Wait) {
        const QString mark =
            r.ok ? paint(QStringLiteral("ok  "), "32") : paint(QStringLiteral("FAIL"), "31;1");
        m_out << QStringLiteral("%1 ").arg(r.line, 4) << mark << "  "
              << (r.kind == ReportStep::Kind::Wait ? QStringLiteral("wait ")
                                                   : QStringLiteral("expect "))
              << safe(r.source.section(QLatin1Char(' '), 1)) << "   (" << safe(r.detail) << ")\n";
        m_out.flush();
        return;
    }
    if (!background)
        m_out << QStringLiteral("%1 %2  ").arg(r.line, 4).arg(r.actor, -8) << safe(r.source)
              << "\n";
    printOutput(indent);
    QString result;
    switch (r.status) {
    case ReportStep::Status::Blocked:
        result = paint(tt("… %1 is blocked in %2()").arg(r.actor, r.blockedIn), "33");
        break;
    case ReportStep::Status::Running:
        result = paint(tt("… %1 is still running").arg(r.actor), "33");
        break;
    case ReportStep::Status::Queued:
        result = paint(r.blockedIn.isEmpty()
                           ? tt("… waits: %1 is still busy with an earlier step").arg(r.actor)
                           : tt("… waits: %1 is still in %2()").arg(r.actor, r.blockedIn),
                       "33");
        break;
    case ReportStep::Status::Done:
        if (background)
            result = tt("(line %1, %2) ").arg(r.line).arg(r.actor);
        if (!r.ok)
            result += paint(safe(termMessage(m_lang, r.exception)), r.scriptError ? "31;1" : "35");
        else
            result += QStringLiteral("-> ") + safe(r.value);
        break;
    }
    m_out << indent << result << "\n";
    // A partial send is the point of several lessons: say it in words, from the trace's
    // CallEnd of this line (the last one: a loop may have made several).
    if (r.status == ReportStep::Status::Done && r.ok && r.isSend) {
        for (std::size_t i = traceEnd(); i-- > 0;) {
            const trace::Event &ev = m_trace.event(i);
            if (ev.kind == trace::EventKind::CallEnd && ev.line == r.line &&
                ev.call.call == std::uint16_t(script::CallId::Send)) {
                if (ev.call.flags & trace::CallPartial)
                    m_out << indent
                          << paint(tt("partial: %L1 of %L2 bytes")
                                       .arg(ev.call.moved)
                                       .arg(ev.call.asked),
                                   "33;1")
                          << "\n";
                break;
            }
        }
    }
    for (int id : r.sockets) {
        m_out << indent << socketLine(id) << "\n";
        if (const SocketSnap *s = m_state.socket(id))
            m_pressure[id] = pressure(*s);
    }
    // The sockets this step filled without naming them: the effect is shown beside its
    // cause, as the window's stage shows it.
    for (const SocketSnap &s : m_state.sockets) {
        if (std::find(r.sockets.begin(), r.sockets.end(), s.id) != r.sockets.end())
            continue;
        const QString p = pressure(s);
        QString &last = m_pressure[s.id];
        if (p != last && !p.isEmpty())
            m_out << indent << socketLine(s.id) << "\n";
        last = p;
    }
    m_out.flush();
}

void TextReport::printOutput(const QString &indent) {
    for (; m_outputScanned < m_trace.size(); ++m_outputScanned) {
        const trace::Event &ev = m_trace.event(m_outputScanned);
        if (ev.kind != trace::EventKind::Say || ev.actor == trace::NoActor)
            continue;
        for (const QString &line : m_trace.text(ev.text.a).split(QLatin1Char('\n')))
            m_out << indent << paint(QStringLiteral("out: "), "2") << safe(line) << "\n";
    }
}

QString TextReport::pressure(const SocketSnap &s) {
    if (s.closed || s.kernelOnly || !s.hasSample || s.sample.listener)
        return {};
    const QueueFill rf = recvFill(m_state, s), sf = sendFill(m_state, s);
    if (!rf.full && !rf.window0 && !sf.window0 && rf.drops <= 0)
        return {};
    return QStringLiteral("%1%2%3 %4")
        .arg(rf.full ? u'F' : u'-')
        .arg(rf.window0 || sf.window0 ? u'W' : u'-')
        .arg(sf.full ? u'S' : u'-')
        .arg(rf.drops);
}

} // namespace sl::ui
