// The names a version-2 trace writes are the lab's own: every call id's name is the
// catalogue's (script::callName), every TCP state's the probe's (sys::tcpStateName), and
// a name reads back as its number. The trace library keeps copies (it sits below script/
// and sys/); this test is what keeps them equal.
#include "script/catalog.h"
#include "sys/kernelprobe.h"
#include "trace/jsonl_names.h"

#include <QTest>
#include <cerrno>
#include <cstring>

using namespace sl;
using namespace sl::trace::detail;

namespace {
std::int64_t readBack(Names n, const std::string &json) {
    // json is a written value: "name", null, true/false or an integer.
    Value v;
    if (json == "null") {
        v.type = Value::Literal, v.num = -1;
    } else if (json == "true" || json == "false") {
        v.type = Value::Literal, v.num = json == "true";
    } else if (json.front() == '"') {
        v.type = Value::String, v.str = std::string_view(json).substr(1, json.size() - 2);
    } else {
        v.type = Value::Int, v.num = std::stoll(json);
    }
    std::int64_t out = -999;
    QString why;
    if (!readNamed(n, v, &out, &why))
        qWarning("%s", qPrintable(why));
    return out;
}
std::string written(Names n, std::int64_t v) {
    std::string s;
    appendNamed(s, n, v);
    return s;
}
} // namespace

class TstJsonlNames : public QObject {
    Q_OBJECT
private slots:
    void callsAreTheCatalogues() {
        int named = 0;
        for (int id = 1; id <= 1023; ++id) {
            const script::CallInfo *info = script::callInfo(script::CallId(id));
            const char *ours = callNameOf(std::uint16_t(id));
            if (info) {
                QVERIFY2(ours, qPrintable(QStringLiteral("call %1 (%2) has no name in the trace "
                                                         "format")
                                              .arg(id)
                                              .arg(QLatin1String(info->name))));
                // The catalogue's Python name, qualified by its module or object where
                // the catalogue uses one name twice (select.poll(), p.poll()).
                const QString name = QLatin1String(info->name), inTrace = QLatin1String(ours);
                QVERIFY2(inTrace == name || inTrace.endsWith(QLatin1Char('.') + name),
                         qPrintable(inTrace + QStringLiteral(" vs ") + name));
                ++named;
            }
            if (ours)
                QCOMPARE(readBack(Names::Call, written(Names::Call, id)), std::int64_t(id));
        }
        QVERIFY(named > 60);
        QCOMPARE(QByteArray(callNameOf(std::uint16_t(script::CallId::Block))),
                 QByteArray("<block>"));
    }

    void statesAreTheProbes() {
        for (int s = 1; s <= 12; ++s) {
            QCOMPARE(QLatin1String(tcpStateNameOf(std::uint8_t(s))),
                     QLatin1String(sys::tcpStateName(sys::TcpState(s))));
            QCOMPARE(readBack(Names::TcpState, written(Names::TcpState, s)), std::int64_t(s));
        }
        QCOMPARE(written(Names::TcpState, 0), std::string("null"));
        QCOMPARE(readBack(Names::TcpState, "null"), std::int64_t(0));
    }

    void errnosFlagsAndOthers() {
        QCOMPARE(written(Names::Errno, EAGAIN), std::string("\"EAGAIN\""));
        QCOMPARE(written(Names::Errno, ECONNREFUSED), std::string("\"ECONNREFUSED\""));
        QCOMPARE(written(Names::Errno, 0), std::string("null"));
        for (int e = 1; e < 134; ++e)
            QCOMPARE(readBack(Names::Errno, written(Names::Errno, e)), std::int64_t(e));
        QCOMPARE(readBack(Names::Errno, "\"EWOULDBLOCK\""), std::int64_t(EAGAIN));
        QCOMPARE(written(Names::CallFlags, 0), std::string("\"\""));
        QCOMPARE(written(Names::CallFlags, 1 | 16), std::string("\"nonblocking|timeout\""));
        for (int f = 0; f < 32; ++f) {
            QCOMPARE(readBack(Names::CallFlags, written(Names::CallFlags, f)), std::int64_t(f));
            QCOMPARE(readBack(Names::Readiness, written(Names::Readiness, f)), std::int64_t(f));
        }
        QCOMPARE(written(Names::Readiness, 3), std::string("\"readable|writable\""));
        QCOMPARE(written(Names::ActorState, 2), std::string("\"blocked\""));
        QCOMPARE(written(Names::Domain, 2), std::string("\"AF_INET\""));
        QCOMPARE(written(Names::SockType, 2), std::string("\"SOCK_DGRAM\""));
        QCOMPARE(written(Names::SockType, 2 | 0x80000), std::string("524290")); // no name
        QCOMPARE(written(Names::Bool, 1), std::string("true"));
        QCOMPARE(readBack(Names::Call, "\"no_such_call\""), std::int64_t(-999));
    }
};

QTEST_GUILESS_MAIN(TstJsonlNames)
#include "tst_jsonl_names.moc"
