#include "engine/textreport.h"

#include "script/diagnostic.h"
#include "sys/errors.h"

#include <QStringBuilder>

using namespace sl::script;

namespace sl::engine {

TextReport::TextReport(Lab &lab, QTextStream &out, const QString &lang, bool color)
    : m_lab(lab)
    , m_out(out)
    , m_lang(lang)
    , m_color(color) {}

QString TextReport::paint(const QString &text, const char *code) const {
    if (!m_color)
        return text;
    return QStringLiteral("\x1b[%1m").arg(QLatin1String(code)) + text + QStringLiteral("\x1b[0m");
}

QString TextReport::bar(std::int64_t value, std::int64_t capacity, int width,
                        std::int64_t shownCapacity) {
    if (value < 0)
        return QStringLiteral("n/a");
    int fill = 0;
    if (capacity > 0)
        fill = int(std::min<std::int64_t>(width, (value * width + capacity - 1) / capacity));
    return QLatin1Char('[') + QString(fill, QLatin1Char('#')) +
           QString(width - fill, QLatin1Char('.')) +
           QStringLiteral("] %L1/%L2")
               .arg(value)
               .arg(shownCapacity >= 0 ? shownCapacity : capacity);
}

// Everything printed that the script wrote (its lines, titles, narration, strings it
// made) is escaped: a script must not be able to drive the terminal with ESC sequences.
static QString safe(const QString &text) {
    return escapeControls(text, true);
}

void TextReport::printHeader(const QString &title, const QString &fileName) {
    m_out << paint(QStringLiteral("== %1 ==").arg(safe(title)), "1") << "  (" << safe(fileName)
          << ")\n";
    m_out.flush();
}

QString TextReport::socketLine(int sockId) {
    auto s = m_lab.sockets().byId(sockId);
    if (!s)
        return {};
    const QString name = s->name.isEmpty() ? QStringLiteral("#%1").arg(sockId) : s->name;
    const int fd = s->fd.load();
    if (fd < 0)
        return QStringLiteral("%1  closed").arg(name);
    const sys::SocketSample x = m_lab.sockets().lastSample(sockId, false);
    QString line = QStringLiteral("%1  fd %2  ").arg(name).arg(fd);
    if (s->pipeEnd)
        line +=
            s->pipeWrite ? QStringLiteral("pipe (write end)") : QStringLiteral("pipe (read end)");
    else if (s->isTcp())
        line += paint(QString::fromLatin1(sys::tcpStateName(x.state)), "36");
    else
        line += s->type == SOCK_DGRAM ? QStringLiteral("UDP") : QStringLiteral("AF_UNIX");
    if (x.listener) {
        // As the window shows it: the backlog listen() was given, the bar full at
        // backlog + 1 (what Linux holds).
        line += QStringLiteral("  accept-queue ") + bar(x.acceptQ, x.backlog + 1, 10, x.backlog);
    } else if (!s->pipeEnd) {
        line += QStringLiteral("  send ") + bar(x.sendQ, x.sndbuf) + QStringLiteral("  recv ") +
                bar(x.recvQ, x.rcvbuf);
    }
    QString ready;
    if (x.readiness & sys::Readable)
        ready += QLatin1Char('R');
    if (x.readiness & sys::Writable)
        ready += QLatin1Char('W');
    if (x.readiness & sys::Error)
        ready += QLatin1Char('E');
    if (x.readiness & sys::PeerClosed)
        ready += QStringLiteral(" peer-closed");
    line += QStringLiteral("  ") + (ready.isEmpty() ? QStringLiteral("-") : ready);
    if (s->nonBlocking.load())
        line += QStringLiteral("  non-blocking");
    return line;
}

void TextReport::print(const StepReport &r, bool background) {
    const Program *p = m_lab.program();
    if (!p || r.step < 0)
        return;
    const Stmt &s = *p->steps[std::size_t(r.step)];
    const QString indent(16, QLatin1Char(' '));
    if (r.kind == StmtKind::Say) {
        QString text =
            safe(m_lang == QLatin1String("ko") && !r.say[1].isEmpty() ? r.say[1] : r.say[0]);
        if (!r.outcome.ok)
            text =
                paint(QStringLiteral("(narration failed: %1)").arg(safe(r.outcome.message)), "31");
        m_out << "\n  " << paint(QStringLiteral("» ") + text, "3") << "\n\n";
        m_out.flush();
        return;
    }
    if (r.kind == StmtKind::Expect || r.kind == StmtKind::WaitUntil) {
        const QString mark = r.expectPassed ? paint(QStringLiteral("ok  "), "32")
                                            : paint(QStringLiteral("FAIL"), "31;1");
        m_out << QStringLiteral("%1 ").arg(r.line, 4) << mark << "  "
              << (r.kind == StmtKind::WaitUntil ? QStringLiteral("wait ")
                                                : QStringLiteral("expect "))
              << safe(s.source.section(QLatin1Char(' '), 1)) << "   (" << safe(r.expectDetail)
              << ")\n";
        m_out.flush();
        return;
    }
    const QString actor = r.actor >= 0 ? p->actors.value(r.actor) : QStringLiteral("lab");
    if (!background) {
        m_out << QStringLiteral("%1 %2  ").arg(r.line, 4).arg(actor, -8) << safe(s.source) << "\n";
    }
    QString result;
    switch (r.status) {
    case StepStatus::Blocked:
        result = paint(QStringLiteral("… %1 is blocked in %2()").arg(actor, r.blockedIn), "33");
        break;
    case StepStatus::Running:
        result = paint(QStringLiteral("… %1 is still running").arg(actor), "33");
        break;
    case StepStatus::Queued:
        result =
            paint(r.blockedIn.isEmpty()
                      ? QStringLiteral("… waits: %1 is still busy with an earlier step").arg(actor)
                      : QStringLiteral("… waits: %1 is still in %2()").arg(actor, r.blockedIn),
                  "33");
        break;
    case StepStatus::Done:
        if (background)
            result = QStringLiteral("(line %1, %2) ").arg(r.line).arg(actor);
        if (!r.outcome.ok) {
            result += paint(safe(r.outcome.exception + QStringLiteral(": ") + r.outcome.message),
                            r.outcome.scriptError ? "31;1" : "35");
        } else if (!r.outcome.value.isNone()) {
            result += QStringLiteral("-> ") + safe(r.outcome.value.repr(40));
        } else {
            result += QStringLiteral("-> None");
        }
        break;
    }
    m_out << indent << result << "\n";
    // A partial send or recv is the point of several lessons: say it in words.
    if (r.status == StepStatus::Done && r.outcome.ok && r.outcome.value.type == Value::Type::Int &&
        s.expr && s.expr->kind == ExprKind::Method && s.expr->call &&
        (s.expr->call->id == CallId::Send) && s.expr->kids.size() > 1) {
        // The asked length is in the trace's CallEnd; find it from the end.
        const trace::Trace &t = m_lab.trace();
        for (std::size_t i = t.size(); i-- > 0;) {
            const trace::Event &ev = t.event(i);
            if (ev.kind == trace::EventKind::CallEnd && ev.line == r.line &&
                ev.call.call == std::uint16_t(CallId::Send)) {
                if (ev.call.flags & trace::CallPartial)
                    m_out << indent
                          << paint(QStringLiteral("partial: %L1 of %L2 bytes")
                                       .arg(ev.call.moved)
                                       .arg(ev.call.asked),
                                   "33;1")
                          << "\n";
                break;
            }
        }
    }
    for (int id : r.outcome.socketsTouched)
        m_out << indent << socketLine(id) << "\n";
    m_out.flush();
}

} // namespace sl::engine
