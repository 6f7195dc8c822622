#include "view/playgroundline.h"

#include "view/stagestate.h"

#include "sys/kernelprobe.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <sys/socket.h>

namespace sl::ui {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("sl::ui", text); // lupdate files these under "sl::ui"
}

QString list(const QStringList &names) {
    return QLatin1Char('[') + names.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString number(double v) {
    return QString::number(v, 'g', 6);
}

// Python's spelling of an integer the learner typed: 100_000 reads better than 100000.
QString pyInt(qint64 v) {
    QString digits = QString::number(v < 0 ? -v : v);
    if (digits.size() > 4)
        for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
            digits.insert(i, u'_');
    return v < 0 ? QLatin1Char('-') + digits : digits;
}

} // namespace

QString playKindKey(PlayKind kind) {
    static const char *const keys[] = {"NewTcp",      "NewUdp",    "Bind",  "Listen",   "Connect",
                                       "Accept",      "Send",      "Recv",  "Shutdown", "Close",
                                       "SetBlocking", "SetOption", "Select"};
    return QLatin1String(keys[int(kind)]);
}

QString playKindTitle(PlayKind kind) {
    switch (kind) {
    case PlayKind::NewTcp:
        return tr("New TCP socket…");
    case PlayKind::NewUdp:
        return tr("New UDP socket…");
    case PlayKind::Bind:
        return tr("bind()…");
    case PlayKind::Listen:
        return tr("listen()…");
    case PlayKind::Connect:
        return tr("connect()…");
    case PlayKind::Accept:
        return tr("accept()…");
    case PlayKind::Send:
        return tr("send()…");
    case PlayKind::Recv:
        return tr("recv()…");
    case PlayKind::Shutdown:
        return tr("shutdown()…");
    case PlayKind::Close:
        return tr("close()…");
    case PlayKind::SetBlocking:
        return tr("setblocking()…");
    case PlayKind::SetOption:
        return tr("setsockopt() buffer size…");
    case PlayKind::Select:
        return tr("select()…");
    }
    return {};
}

bool playKindNeedsSocket(PlayKind kind) {
    return kind != PlayKind::NewTcp && kind != PlayKind::NewUdp && kind != PlayKind::Select;
}

const PlaySocket *PlayContext::socket(const QString &name) const {
    for (const PlaySocket &s : sockets)
        if (s.name == name)
            return &s;
    return nullptr;
}

QStringList PlayContext::socketNames() const {
    QStringList out;
    for (const PlaySocket &s : sockets)
        out << s.name;
    return out;
}

QStringList PlayContext::listenerNames() const {
    QStringList out;
    for (const PlaySocket &s : sockets)
        if (s.listening || (s.udp && s.bound))
            out << s.name;
    return out;
}

QString PlayContext::actorOf(const QString &sock) const {
    const PlaySocket *s = socket(sock);
    return s ? s->actor : QString();
}

PlayContext makePlayContext(const StageState &stage, const QStringList &actors,
                            const QStringList &names) {
    PlayContext ctx;
    ctx.actors = actors;
    ctx.names = names;
    for (const SocketSnap &s : stage.sockets) {
        // Only what the script can name: kernel-only sockets have no descriptor, and a
        // name bound again later refers to the newest socket (stage order is creation).
        if (s.kernelOnly || s.closed || s.name.isEmpty())
            continue;
        PlaySocket p;
        p.name = s.name;
        p.actor = s.actor >= 0 && s.actor < actors.size() ? actors.at(s.actor) : QString();
        p.udp = s.type == SOCK_DGRAM;
        p.listening = s.hasSample &&
                      (s.sample.listener || s.sample.state == std::uint8_t(sys::TcpState::Listen));
        p.bound = !s.local.isEmpty() && !s.local.endsWith(QLatin1String(":0"));
        for (auto it = ctx.sockets.begin(); it != ctx.sockets.end(); ++it)
            if (it->name == p.name) {
                ctx.sockets.erase(it);
                break;
            }
        ctx.sockets.push_back(p);
    }
    return ctx;
}

QString freshName(const QString &prefix, const QStringList &names) {
    for (int i = 1;; ++i) {
        const QString n = prefix + QString::number(i);
        if (!names.contains(n))
            return n;
    }
}

QString bytesLiteral(const QString &text) {
    QString out = QStringLiteral("b\"");
    for (const char c : text.toUtf8()) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += u'\\';
            out += QLatin1Char(c);
        } else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (u < 0x20 || u >= 0x7f)
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(c);
    }
    return out + QLatin1Char('"');
}

PlayRequest defaultRequest(PlayKind kind, const PlayContext &ctx, const QString &sock,
                           const QString &actor) {
    PlayRequest r;
    r.kind = kind;
    r.sock = sock;
    if (r.sock.isEmpty() && playKindNeedsSocket(kind)) {
        // The most recent socket that fits the call.
        for (auto it = ctx.sockets.rbegin(); it != ctx.sockets.rend() && r.sock.isEmpty(); ++it) {
            const bool fits = kind == PlayKind::Accept ? it->listening
                              : kind == PlayKind::Listen || kind == PlayKind::Connect
                                  ? !it->listening
                                  : true;
            if (fits)
                r.sock = it->name;
        }
    }
    r.actor = actor;
    if (r.actor.isEmpty())
        r.actor = ctx.actorOf(r.sock);
    if (r.actor.isEmpty()) {
        if (ctx.actors.isEmpty())
            r.actor = QStringLiteral("server");
        else if (ctx.actors == QStringList{QStringLiteral("server")})
            r.actor = QStringLiteral("client");
        else
            r.actor = ctx.actors.constFirst();
    }
    switch (kind) {
    case PlayKind::Listen:
        r.number = 5;
        break;
    case PlayKind::Connect:
        for (const QString &l : ctx.listenerNames())
            if (l != r.sock && r.target.isEmpty())
                r.target = l;
        break;
    case PlayKind::Send:
        r.number = 100000;
        break;
    case PlayKind::Recv:
        r.number = 4096;
        break;
    case PlayKind::Shutdown:
        r.choice = 1; // SHUT_WR: the half-close of the HOWTO
        break;
    case PlayKind::SetOption:
        r.number = 4096;
        break;
    case PlayKind::Select:
        if (!r.sock.isEmpty())
            r.r << r.sock;
        else
            for (const PlaySocket &s : ctx.sockets)
                if (s.actor == r.actor)
                    r.r << s.name;
        r.timeout = 0.5;
        break;
    default:
        break;
    }
    return r;
}

QString buildLine(const PlayRequest &q, const PlayContext &ctx, QString *why) {
    const auto fail = [why](const QString &text) {
        if (why)
            *why = text;
        return QString();
    };
    static const QRegularExpression ident(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!ident.match(q.actor).hasMatch())
        return fail(tr("name the actor with a plain word, e.g. client"));
    if (playKindNeedsSocket(q.kind) && q.sock.isEmpty())
        return fail(tr("choose a socket"));
    const QString who = q.actor + QStringLiteral(": ");
    const QString &s = q.sock;
    switch (q.kind) {
    case PlayKind::NewTcp:
        return who + freshName(QStringLiteral("s"), ctx.names) +
               QStringLiteral(" = socket(AF_INET, SOCK_STREAM)");
    case PlayKind::NewUdp:
        return who + freshName(QStringLiteral("u"), ctx.names) +
               QStringLiteral(" = socket(AF_INET, SOCK_DGRAM)");
    case PlayKind::Bind:
        if (q.number < 0 || q.number > 65535)
            return fail(tr("a port is 0 … 65535 (0: the kernel picks one)"));
        return who + s + QStringLiteral(".bind((\"127.0.0.1\", %1))").arg(q.number);
    case PlayKind::Listen:
        return who + s + QStringLiteral(".listen(%1)").arg(q.number);
    case PlayKind::Connect:
        if (q.target.isEmpty())
            return fail(tr("choose the socket to connect to (a listener)"));
        return who + s + QStringLiteral(".connect(%1.getsockname())").arg(q.target);
    case PlayKind::Accept: {
        int i = 1;
        while (ctx.names.contains(QStringLiteral("conn%1").arg(i)) ||
               ctx.names.contains(QStringLiteral("addr%1").arg(i)))
            ++i;
        return who + QStringLiteral("conn%1, addr%1 = %2.accept()").arg(i).arg(s);
    }
    case PlayKind::Send:
        if (!q.text.isEmpty())
            return who + s + QStringLiteral(".send(%1)").arg(bytesLiteral(q.text));
        if (q.number <= 0)
            return fail(tr("send at least one byte"));
        return who + s + QStringLiteral(".send(b\"x\" * %1)").arg(pyInt(q.number));
    case PlayKind::Recv:
        if (q.number <= 0)
            return fail(tr("recv(n) needs n ≥ 1"));
        return who + freshName(QStringLiteral("data"), ctx.names) +
               QStringLiteral(" = %1.recv(%2)").arg(s, pyInt(q.number));
    case PlayKind::Shutdown: {
        static const char *const how[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        return who + s + QStringLiteral(".shutdown(%1)").arg(QLatin1String(how[q.choice % 3]));
    }
    case PlayKind::Close:
        return who + s + QStringLiteral(".close()");
    case PlayKind::SetBlocking:
        return who + s +
               (q.choice ? QStringLiteral(".setblocking(True)")
                         : QStringLiteral(".setblocking(False)"));
    case PlayKind::SetOption:
        if (q.number <= 0)
            return fail(tr("a buffer size is at least 1 byte"));
        return who + s +
               QStringLiteral(".setsockopt(SOL_SOCKET, %1, %2)")
                   .arg(q.choice ? QStringLiteral("SO_RCVBUF") : QStringLiteral("SO_SNDBUF"),
                        pyInt(q.number));
    case PlayKind::Select: {
        if (q.r.isEmpty() && q.w.isEmpty() && q.x.isEmpty() && q.timeout < 0)
            return fail(tr("with no socket and no timeout, select() would wait forever"));
        int i = 1;
        while (ctx.names.contains(QStringLiteral("r%1").arg(i)) ||
               ctx.names.contains(QStringLiteral("w%1").arg(i)) ||
               ctx.names.contains(QStringLiteral("x%1").arg(i)))
            ++i;
        QString call = QStringLiteral("select(%1, %2, %3").arg(list(q.r), list(q.w), list(q.x));
        if (q.timeout >= 0)
            call += QStringLiteral(", ") + number(q.timeout);
        return who + QStringLiteral("r%1, w%1, x%1 = ").arg(i) + call + QLatin1Char(')');
    }
    }
    return {};
}

} // namespace sl::ui
