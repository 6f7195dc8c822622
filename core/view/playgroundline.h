// What a playground action asks for, and the .lab line it becomes. Pure data and pure
// functions (no widgets, no lab): the dialog, the playground and the tests share them.
//
// The lines use the forms of the lessons, so that what the learner makes by hand reads
// like what they will write: `client: s1 = socket(AF_INET, SOCK_STREAM)`,
// `client: s1.connect(srv.getsockname())`, `server: conn1, addr1 = s2.accept()`,
// `client: n1 = s1.send(b"x" * 100000)`, `server: r1, w1, x1 = select([s2], [], [], 0.5)`.
//
// Thread affinity: none.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

namespace sl::ui {

struct StageState;

enum class PlayKind {
    NewTcp,
    NewUdp,
    Bind,
    Listen,
    Connect,
    Accept,
    Send,
    Recv,
    Shutdown,
    Close,
    SetBlocking,
    SetOption,
    Select,
};
constexpr int PlayKindCount = int(PlayKind::Select) + 1;

QString playKindKey(PlayKind kind);   // "NewTcp", for object names
QString playKindTitle(PlayKind kind); // "New TCP socket…" (translated)
bool playKindNeedsSocket(PlayKind kind);

struct PlayRequest {
    PlayKind kind = PlayKind::NewTcp;
    QString actor;       // who makes the call
    QString sock;        // the socket it is made on (not for NewTcp/NewUdp/Select)
    QString target;      // Connect: the socket whose address is connected to
    int number = 0;      // Bind: port; Listen: backlog; Send/Recv: bytes; SetOption: value
    QString text;        // Send: text to send instead of `number` bytes of "x"
    int choice = 0;      // Shutdown: 0 RD, 1 WR, 2 RDWR; SetBlocking: 1 True, 0 False;
                         // SetOption: 0 SO_SNDBUF, 1 SO_RCVBUF
    QStringList r, w, x; // Select: the three sets
    double timeout = 0;  // Select: seconds (< 0: no timeout, blocks)
};

struct PlaySocket {
    QString name;
    QString actor; // the actor whose lane holds it
    bool udp = false;
    bool listening = false;
    bool bound = false; // has a local address
    bool closed = false;
};

// What the playground can offer: the actors, the live sockets, the names in use.
struct PlayContext {
    QStringList actors;
    std::vector<PlaySocket> sockets; // open ones only
    QStringList names;               // every name the script uses

    const PlaySocket *socket(const QString &name) const;
    QStringList socketNames() const;
    QStringList listenerNames() const; // bound sockets other code can connect to
    QString actorOf(const QString &sock) const;
};

PlayContext makePlayContext(const StageState &stage, const QStringList &actors,
                            const QStringList &names);

// A name not in `names`: prefix1, prefix2, …
QString freshName(const QString &prefix, const QStringList &names);

// A bytes literal for text (UTF-8; quotes, backslashes and controls escaped).
QString bytesLiteral(const QString &text);

// Sensible defaults for a new request of this kind (actor, socket, numbers).
PlayRequest defaultRequest(PlayKind kind, const PlayContext &ctx, const QString &sock = {},
                           const QString &actor = {});

// The line, or "" with *why set when the request is incomplete. New names (the socket
// of NewTcp, accept's pair, the results) are picked with freshName() from ctx.names.
QString buildLine(const PlayRequest &request, const PlayContext &ctx, QString *why = nullptr);

} // namespace sl::ui
