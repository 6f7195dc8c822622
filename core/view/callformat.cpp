#include "view/callformat.h"

#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/errors.h"

#include <QCoreApplication>
#include <QLocale>
#include <cerrno>

namespace sl::ui {

using script::CallId;

namespace {

bool countsBytes(CallId id) {
    switch (id) {
    case CallId::Send:
    case CallId::Recv:
    case CallId::Sendto:
    case CallId::Recvfrom:
    case CallId::Write:
    case CallId::Read:
    case CallId::Sendall:
    case CallId::RecvExactly:
        return true;
    default:
        return false;
    }
}

bool readsBytes(CallId id) {
    switch (id) {
    case CallId::Recv:
    case CallId::Recvfrom:
    case CallId::Read:
    case CallId::RecvExactly:
    case CallId::RecvUntil:
    case CallId::RecvMsg:
        return true;
    default:
        return false;
    }
}

// Calls whose Python counterpart returns None when it succeeds.
bool returnsNone(CallId id) {
    switch (id) {
    case CallId::Bind:
    case CallId::Listen:
    case CallId::Connect:
    case CallId::Shutdown:
    case CallId::Close:
    case CallId::Setblocking:
    case CallId::Settimeout:
    case CallId::Setsockopt:
    case CallId::Sleep:
    case CallId::Sendall:
    case CallId::SendMsg:
        return true;
    default:
        return false;
    }
}

// A traced program's call (`socketlab trace`, tracer/calltext.cpp) carries the whole C
// call as the program made it — "bind(3, 127.0.0.1:0)", "accept4(3, flags=524288)" —
// where a lab script's carries its arguments as written; the former is shown as it is.
bool isWholeCCall(const QString &args) {
    static const char *const names[] = {
        "socket",  "socketpair", "bind",          "listen",    "accept",    "accept4",
        "connect", "send",       "sendto",        "sendmsg",   "recv",      "recvfrom",
        "recvmsg", "read",       "write",         "readv",     "writev",    "shutdown",
        "close",   "setsockopt", "getsockopt",    "fcntl",     "ioctl",     "select",
        "poll",    "ppoll",      "epoll_create1", "epoll_ctl", "epoll_wait"};
    if (!args.endsWith(u')'))
        return false;
    const qsizetype open = args.indexOf(u'(');
    if (open <= 0)
        return false;
    const QStringView head = QStringView(args).left(open);
    for (const char *n : names)
        if (head == QLatin1String(n))
            return true;
    return false;
}

QString quoted(const QString &text) {
    QString s = text;
    s.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + s + u'\'';
}

} // namespace

QStringList splitArgs(const QString &args) {
    QStringList out;
    int depth = 0;
    QChar quote;
    QString cur;
    for (const QChar c : args) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'(' || c == u'[' || c == u'{') {
            ++depth;
        } else if (c == u')' || c == u']' || c == u'}') {
            --depth;
        } else if (c == u',' && depth == 0) {
            out << cur.trimmed();
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.trimmed().isEmpty())
        out << cur.trimmed();
    return out;
}

QString callText(const trace::Trace &trace, const trace::Event &begin, const QString &sourceLine) {
    const CallId id = CallId(begin.call.call);
    if (id == CallId::Block) {
        // The block's own first line, as written (`while True:`); the actor prefix of a
        // top-level line (`server: while True:`) is the column, not the label.
        QString label = sourceLine.trimmed();
        const int colon = label.indexOf(QStringLiteral(": "));
        if (colon > 0 && !label.left(colon).contains(u' ') && !label.left(colon).contains(u'('))
            label = label.mid(colon + 2).trimmed();
        if (!label.isEmpty())
            return shownText(label);
        return QCoreApplication::translate("sl::ui::Sequence", "block at line %1").arg(begin.line);
    }
    const QString args = trace.text(begin.call.args);
    if (isWholeCCall(args))
        return shownText(args);
    const QString name = QString::fromLatin1(script::callName(id));
    if (countsBytes(id) && begin.call.asked >= 0)
        return name + u'(' + QString::number(begin.call.asked) + u')';
    return name + u'(' + shownText(args) + u')';
}

QString resultText(const trace::Event &end) {
    if (end.call.err != 0)
        return QStringLiteral("%1 (%2)").arg(
            QString::fromLatin1(sys::errnoName(end.call.err)),
            QString::fromLatin1(sys::pythonExceptionName(end.call.err)));
    return QString::number(end.call.ret);
}

QString pythonAddress(const QString &address) {
    if (address.startsWith(QStringLiteral("unix:"))) {
        const QString path = address.mid(5);
        if (path == QStringLiteral("(unnamed)"))
            return QStringLiteral("''");
        if (path.startsWith(u'@')) // abstract namespace: Python shows bytes with a NUL
            return QStringLiteral("b'\\x00") + path.mid(1) + u'\'';
        return quoted(path);
    }
    const int colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return address.isEmpty() ? QStringLiteral("…") : address;
    QString host = address.left(colon);
    const QString port = address.mid(colon + 1);
    if (host.startsWith(u'[') && host.endsWith(u']')) // IPv6: (host, port, flowinfo, scope_id)
        return QStringLiteral("(%1, %2, 0, 0)").arg(quoted(host.mid(1, host.size() - 2)), port);
    return QStringLiteral("(%1, %2)").arg(quoted(host), port);
}

QString pythonBytes(const QByteArray &bytes, qint64 total) {
    // Python's repr: single quotes unless the bytes hold a ' and no ".
    const bool dq = bytes.contains('\'') && !bytes.contains('"');
    const char q = dq ? '"' : '\'';
    QString out = QStringLiteral("b") + QLatin1Char(q);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\')
            out += QStringLiteral("\\\\");
        else if (c == static_cast<unsigned char>(q))
            out += QStringLiteral("\\") + QLatin1Char(q);
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (c >= 32 && c < 127)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    out += QLatin1Char(q);
    if (total > bytes.size())
        out += QStringLiteral("… (%1)").arg(
            QCoreApplication::translate("sl::ui::Sequence", "%L1 bytes").arg(total));
    return out;
}

QString pythonException(int err) {
    return QStringLiteral("%1: [Errno %2] %3")
        .arg(QString::fromLatin1(sys::pythonExceptionName(err)))
        .arg(err)
        .arg(sys::errnoMessage(err));
}

bool isEndOfFile(const trace::Event &end, int sockType) {
    const CallId id = CallId(end.call.call);
    if (end.call.err != 0 || end.call.ret != 0 || !readsBytes(id))
        return false;
    // A zero-length UDP datagram is a datagram, not the end of anything.
    return sockType != 2 /* SOCK_DGRAM */ && end.call.asked != 0;
}

QString endOfFileText() {
    return QCoreApplication::translate("sl::ui::Sequence", "end of file — the peer closed");
}

QString pythonResult(const trace::Trace &trace, const trace::Event &end,
                     const CallContext &context) {
    const CallId id = CallId(end.call.call);
    if (id == CallId::ConnectEx) { // returns the errno instead of raising it
        const int code = end.call.err ? end.call.err : int(end.call.ret);
        return code ? QStringLiteral("%1  %2").arg(code).arg(
                          QString::fromLatin1(sys::errnoName(code)))
                    : QStringLiteral("0");
    }
    if (end.call.err != 0) {
        if ((end.call.flags & trace::CallTimeout) &&
            (end.call.err == EAGAIN || end.call.err == EWOULDBLOCK))
            return QStringLiteral("TimeoutError: timed out");
        return pythonException(end.call.err);
    }
    if (returnsNone(id))
        return QStringLiteral("None");
    if (isEndOfFile(end, context.sockType))
        return QStringLiteral("b''  ") + endOfFileText();
    switch (id) {
    case CallId::Getsockname:
        return pythonAddress(context.local);
    case CallId::Getpeername:
        return pythonAddress(context.peer);
    case CallId::Accept:
        return QStringLiteral("(%1, %2)")
            .arg(context.made.isEmpty() ? QStringLiteral("<socket fd=%1>").arg(end.call.ret)
                                        : context.made,
                 pythonAddress(context.madePeer));
    case CallId::Socket:
        return QStringLiteral("<socket fd=%1>").arg(end.call.ret);
    case CallId::Gethostname: // the text they returned is the call's preview
    case CallId::Gethostbyname:
        return quoted(QString::fromLocal8Bit(trace.preview(end.call.preview)));
    case CallId::Socketpair:
    case CallId::Pipe:
        if (context.madeNames.size() >= 2)
            return u'(' + context.madeNames.join(QStringLiteral(", ")) + u')';
        break;
    default:
        break;
    }
    if (readsBytes(id)) {
        const qint64 n = end.call.moved >= 0 ? end.call.moved : end.call.ret;
        const QString bytes =
            end.call.preview || n == 0
                ? pythonBytes(trace.preview(end.call.preview), n)
                : QStringLiteral("b'…' (%1)")
                      .arg(QCoreApplication::translate("sl::ui::Sequence", "%L1 bytes").arg(n));
        return id == CallId::Recvfrom
                   ? QStringLiteral("(%1, %2)")
                         .arg(bytes, context.peer.isEmpty() ? QStringLiteral("…")
                                                            : pythonAddress(context.peer))
                   : bytes;
    }
    return QString::number(end.call.ret);
}

CallContext callContextAt(const trace::Trace &trace, std::size_t begin, std::size_t end) {
    CallContext ctx;
    if (end >= trace.size() || begin > end)
        return ctx;
    const int sock = trace.event(end).sock;
    if (sock >= 0) {
        bool addresses = false;
        for (std::size_t i = end + 1; i-- > 0;) {
            const trace::Event &e = trace.event(i);
            if (e.sock != sock)
                continue;
            if (e.kind == trace::EventKind::SocketInfo && !addresses) {
                ctx.local = trace.text(e.socket.local);
                ctx.peer = trace.text(e.socket.peer);
                addresses = true;
            } else if (e.kind == trace::EventKind::SocketNew) {
                ctx.sockType = e.socket.type;
                break;
            }
        }
    }
    // The sockets made during the call (accept(), socket(), socketpair()), by name.
    int made = -1;
    for (std::size_t i = begin; i < end; ++i) {
        const trace::Event &e = trace.event(i);
        if (e.kind == trace::EventKind::SocketNew && e.actor == trace.event(end).actor) {
            made = e.sock;
            ctx.madeNames << trace.text(e.socket.name);
        }
    }
    if (made >= 0 && CallId(trace.event(end).call.call) == CallId::Accept) {
        ctx.made = ctx.madeNames.value(0);
        // Its addresses follow the accept()'s end within a few events.
        const std::size_t stop = std::min(trace.size(), end + 4096);
        for (std::size_t i = end + 1; i < stop; ++i) {
            const trace::Event &e = trace.event(i);
            if (e.kind == trace::EventKind::SocketInfo && e.sock == made && e.socket.peer) {
                ctx.madePeer = trace.text(e.socket.peer);
                break;
            }
        }
    }
    return ctx;
}

QString cCallText(const trace::Trace &trace, const trace::Event &begin, int fd) {
    const CallId id = CallId(begin.call.call);
    if (const QString whole = trace.text(begin.call.args); isWholeCCall(whole))
        return shownText(whole);
    QStringList args = splitArgs(shownText(trace.text(begin.call.args)));
    if (countsBytes(id) && begin.call.asked >= 0 && !args.isEmpty())
        args[0] = QString::number(begin.call.asked);
    return script::cEquivalent(id, fd, args);
}

} // namespace sl::ui
