#include "trace/jsonl_names.h"

#include <QHash>
#include <charconv>
#include <cstring>
#include <iterator>
#include <string.h> // strerrorname_np (glibc)
#include <sys/socket.h>

namespace sl::trace::detail {

namespace {

struct IdName {
    std::uint16_t id;
    const char *name;
};
// script::CallId numbers and their Python names (script/catalog.cpp). Append only, as
// the ids are; tst_jsonl_names compares every entry with script::callName().
constexpr IdName CallNames[] = {
    {1, "socket"},
    {2, "socketpair"},
    {3, "select"},
    {4, "sleep"},
    {5, "pipe"},
    {10, "bind"},
    {11, "listen"},
    {12, "accept"},
    {13, "connect"},
    {14, "connect_ex"},
    {15, "send"},
    {16, "recv"},
    {17, "sendto"},
    {18, "recvfrom"},
    {19, "shutdown"},
    {20, "close"},
    {21, "setblocking"},
    {22, "settimeout"},
    {23, "setsockopt"},
    {24, "getsockopt"},
    {25, "getsockname"},
    {26, "getpeername"},
    {27, "fileno"},
    {28, "write"},
    {29, "read"},
    {30, "gettimeout"},
    {31, "getblocking"},
    {40, "sendall"},
    {41, "recv_exactly"},
    {42, "recv_until"},
    {43, "send_msg"},
    {44, "recv_msg"},
    {60, "<block>"},
    {70, "state"},
    {71, "readable"},
    {72, "writable"},
    {73, "blocked"},
    {74, "sendq"},
    {75, "recvq"},
    {76, "unsent"},
    {77, "acceptq"},
    {78, "backlog"},
    {79, "sndbuf"},
    {80, "rcvbuf"},
    {81, "leftover"},
    {82, "pending"},
    {83, "error_of"},
    {84, "exception_of"},
    {85, "drops"},
    {86, "rcvmem"},
    {87, "kernel_state"},
    {90, "len"},
    {91, "range"},
    {92, "int"},
    {93, "str"},
    {94, "bytes"},
    {95, "decode"},
    {96, "encode"},
    {97, "min"},
    {98, "max"},
    {99, "abs"},
    {100, "monotonic"},
    {110, "Wire"},
    {111, "cut"},
    {112, "resume"},
    {113, "reset"},
    {114, "address"},
    {115, "held"},
    // issue 9's library objects. The catalogue reuses a Python name across kinds (the
    // function select.poll() and the method p.poll()); the trace names them by module
    // or object so that each name reads back to one id.
    {120, "select.poll"},
    {121, "select.epoll"},
    {122, "selectors.DefaultSelector"},
    {123, "register"},
    {124, "modify"},
    {125, "unregister"},
    {126, "poll.poll"},
    {127, "epoll.poll"},
    {128, "selector.select"},
    {129, "makefile"},
    {130, "flush"},
    {131, "readline"},
    {132, "get_key"},
    {133, "file.write"},
    {134, "file.read"},
    {135, "file.close"},
    {140, "struct.pack"},
    {141, "struct.unpack"},
    {142, "struct.calcsize"},
    {143, "htons"},
    {144, "ntohs"},
    {145, "htonl"},
    {146, "ntohl"},
    {150, "os.fork"},
    {151, "os._exit"},
    {152, "os.waitpid"},
    {153, "os.getpid"},
    {160, "gethostname"},
    {161, "gethostbyname"},
};

// sys::TcpState numbering (include/net/tcp_states.h); 0 is "not TCP / unknown".
constexpr const char *StateNames[] = {
    nullptr, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",    "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV",
};
constexpr const char *ActorStateNames[] = {"idle", "running", "blocked", "done"};
constexpr const char *FlagNames[] = {"nonblocking", "partial", "helper", "woken", "timeout"};
constexpr const char *ReadinessNames[] = {"readable", "writable", "error", "hangup", "peer_closed"};
constexpr IdName DomainNames[] = {
    {AF_UNIX, "AF_UNIX"}, {AF_INET, "AF_INET"}, {AF_INET6, "AF_INET6"}};
constexpr IdName TypeNames[] = {{SOCK_STREAM, "SOCK_STREAM"},
                                {SOCK_DGRAM, "SOCK_DGRAM"},
                                {SOCK_RAW, "SOCK_RAW"},
                                {SOCK_SEQPACKET, "SOCK_SEQPACKET"}};

template <std::size_t N>
const char *find(const IdName (&table)[N], std::int64_t v) {
    for (const IdName &x : table)
        if (x.id == v)
            return x.name;
    return nullptr;
}
template <std::size_t N>
bool find(const IdName (&table)[N], std::string_view name, std::int64_t *v) {
    for (const IdName &x : table)
        if (name == x.name) {
            *v = x.id;
            return true;
        }
    return false;
}

const char *errnoNameOf(std::int64_t v) {
    return v > 0 && v < 4096 ? strerrorname_np(int(v)) : nullptr;
}

bool errnoFromName(std::string_view name, std::int64_t *v) {
    // Built once: glibc knows ~135 names below 256 (EWOULDBLOCK reads as EAGAIN).
    static const QHash<QByteArray, int> byName = [] {
        QHash<QByteArray, int> h;
        for (int e = 1; e < 256; ++e)
            if (const char *n = strerrorname_np(e))
                h.insert(QByteArray(n), e);
        h.insert(QByteArrayLiteral("EWOULDBLOCK"), EAGAIN);
        return h;
    }();
    const auto it = byName.constFind(QByteArray(name.data(), qsizetype(name.size())));
    if (it == byName.constEnd())
        return false;
    *v = *it;
    return true;
}

template <std::size_t N>
void appendSet(std::string &out, const char *const (&names)[N], std::int64_t v) {
    out += '"';
    bool first = true;
    for (std::size_t i = 0; i < N; ++i) {
        if (!(v & (std::int64_t(1) << i)))
            continue;
        if (!first)
            out += '|';
        first = false;
        out += names[i];
    }
    out += '"';
}

template <std::size_t N>
bool readSet(const char *const (&names)[N], std::string_view s, std::int64_t *v) {
    std::int64_t bits = 0;
    while (!s.empty()) {
        const std::size_t bar = s.find('|');
        const std::string_view part = s.substr(0, bar);
        bool known = false;
        for (std::size_t i = 0; i < N && !known; ++i)
            if (part == names[i]) {
                bits |= std::int64_t(1) << i;
                known = true;
            }
        if (!known)
            return false;
        s = bar == std::string_view::npos ? std::string_view() : s.substr(bar + 1);
    }
    *v = bits;
    return true;
}

void appendInt(std::string &out, std::int64_t v) {
    char tmp[24];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    out.append(tmp, r.ptr);
}

void appendName(std::string &out, const char *name, std::int64_t v) {
    if (!name) {
        appendInt(out, v);
        return;
    }
    out += '"';
    out += name;
    out += '"';
}

} // namespace

const char *callNameOf(std::uint16_t id) {
    return find(CallNames, id);
}

const char *tcpStateNameOf(std::uint8_t s) {
    return s < std::size(StateNames) ? StateNames[s] : nullptr;
}

void appendNamed(std::string &out, Names names, std::int64_t v) {
    switch (names) {
    case Names::None:
        appendInt(out, v);
        return;
    case Names::Call:
        if (v == 0)
            out += "null";
        else
            appendName(out, find(CallNames, v), v);
        return;
    case Names::Errno:
        if (v == 0)
            out += "null";
        else
            appendName(out, errnoNameOf(v), v);
        return;
    case Names::TcpState:
        if (v == 0)
            out += "null";
        else
            appendName(
                out, v > 0 && v < std::int64_t(std::size(StateNames)) ? StateNames[v] : nullptr, v);
        return;
    case Names::ActorState:
        appendName(out, v >= 0 && v < 4 ? ActorStateNames[v] : nullptr, v);
        return;
    case Names::Bool:
        if (v == 0 || v == 1)
            out += v ? "true" : "false";
        else
            appendInt(out, v);
        return;
    case Names::CallFlags:
        if (v >= 0 && v < (1 << std::size(FlagNames)))
            appendSet(out, FlagNames, v);
        else
            appendInt(out, v);
        return;
    case Names::Readiness:
        if (v >= 0 && v < (1 << std::size(ReadinessNames)))
            appendSet(out, ReadinessNames, v);
        else
            appendInt(out, v);
        return;
    case Names::Domain:
        appendName(out, find(DomainNames, v), v);
        return;
    case Names::SockType:
        appendName(out, find(TypeNames, v), v);
        return;
    }
}

bool readNamed(Names names, const Value &value, std::int64_t *out, QString *why) {
    if (value.type == Value::Int) {
        *out = value.num;
        return true;
    }
    if (value.type == Value::Literal) {
        if (value.num < 0) { // null: "none" for the fields that have one
            if (names == Names::Call || names == Names::Errno || names == Names::TcpState) {
                *out = 0;
                return true;
            }
        } else if (names == Names::Bool) {
            *out = value.num;
            return true;
        }
        *why = QStringLiteral("must be a name, found %1").arg(QLatin1String(typeName(value.type)));
        return false;
    }
    if (value.type != Value::String || value.escaped) {
        *why = QStringLiteral("must be a name, found %1").arg(QLatin1String(typeName(value.type)));
        return false;
    }
    const std::string_view s = value.str;
    bool ok = false;
    switch (names) {
    case Names::None:
    case Names::Bool:
        break;
    case Names::Call:
        ok = find(CallNames, s, out);
        break;
    case Names::Errno:
        ok = errnoFromName(s, out);
        break;
    case Names::TcpState:
        for (std::size_t i = 1; i < std::size(StateNames) && !ok; ++i)
            if (s == StateNames[i]) {
                *out = std::int64_t(i);
                ok = true;
            }
        break;
    case Names::ActorState:
        for (std::size_t i = 0; i < std::size(ActorStateNames) && !ok; ++i)
            if (s == ActorStateNames[i]) {
                *out = std::int64_t(i);
                ok = true;
            }
        break;
    case Names::CallFlags:
        ok = readSet(FlagNames, s, out);
        break;
    case Names::Readiness:
        ok = readSet(ReadinessNames, s, out);
        break;
    case Names::Domain:
        ok = find(DomainNames, s, out);
        break;
    case Names::SockType:
        ok = find(TypeNames, s, out);
        break;
    }
    if (!ok)
        *why = QStringLiteral("unknown name \"%1\"")
                   .arg(QString::fromUtf8(s.data(), qsizetype(s.size())));
    return ok;
}

} // namespace sl::trace::detail
