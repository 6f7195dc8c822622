// socket.gethostname() and socket.gethostbyname(name) (issue 10), as CPython 3.11 does
// them on Linux: gethostname() is glibc's, which reads uname()'s nodename; gethostbyname()
// is getaddrinfo(name, AF_INET) after two special names ('' is INADDR_ANY, '<broadcast>'
// INADDR_BROADCAST). The answer comes from this machine (/etc/hosts, then DNS), which is
// the point of lesson 2: both are recorded as calls, the text they returned as the call's
// preview, and a name that does not resolve raises socket.gaierror with getaddrinfo()'s
// EAI_* code as its errno ("[Errno -2] Name or service not known").
#include "engine/interpreter.h"

#include <cstring>
#include <unistd.h>

using namespace sl::script;

namespace sl::engine {

void Interpreter::raiseGaierror(int eai, const QString &text) {
    if (eai < 0)
        raiseErrno(eai, nullptr);
    raise("OSError", text, false); // refused before getaddrinfo() (no EAI code)
}

Value Interpreter::doGethostname(const Expr &e, const ValueList &) {
    CallMark m = begin(CallId::Gethostname, &e, nullptr, -1);
    char name[256] = {}; // HOST_NAME_MAX is 64 on Linux; CPython's buffer is 1024
    const int rc = ::gethostname(name, sizeof name - 1);
    const int err = rc < 0 ? errno : 0;
    const std::size_t len = rc < 0 ? 0 : std::strlen(name);
    end(m, rc, err, -1, name, len);
    if (rc < 0)
        raiseErrno(err, nullptr);
    return Value::str(QString::fromLocal8Bit(name, qsizetype(len)));
}

Value Interpreter::doGethostbyname(const Expr &e, const ValueList &args) {
    const Value &v = args.at(0);
    if (v.type != Value::Type::Str && v.type != Value::Type::Bytes)
        raise("TypeError",
              QStringLiteral("gethostbyname() argument 1 must be str, bytes or bytearray, not %1")
                  .arg(QLatin1String(v.typeName())),
              true);
    const QString name = v.type == Value::Type::Str ? v.s : QString::fromUtf8(v.b);
    CallMark m = begin(CallId::Gethostbyname, &e, nullptr, -1);
    QString address, text;
    int eai = 0;
    if (name == QLatin1String("<broadcast>")) {
        address = QStringLiteral("255.255.255.255");
    } else if (auto a = sys::SockAddr::resolve(AF_INET, name, 0, &text, &eai)) {
        address = a->host(); // '' gives INADDR_ANY: '0.0.0.0', as CPython
    }
    const QByteArray shown = address.toLatin1();
    end(m, address.isEmpty() ? -1 : 0, address.isEmpty() ? eai : 0, -1, shown.constData(),
        std::size_t(shown.size()));
    if (address.isEmpty())
        raiseGaierror(eai, text);
    return Value::str(address);
}

} // namespace sl::engine
