// The CPython comparison test (issue 9, "Python-faithful"): the harness and the
// tests that read the trace in tst_cpython.cpp, the table of rows in tst_cpython_rows.cpp.
#pragma once

#include "cpython_run.h"
#include "labtest.h"

#include <QObject>
#include <QProcess>
#include <QStandardPaths>

namespace cpythontest {

// A listener and a connected client; the server has accepted `conn` (and, in Python,
// the same program).
inline const char *const Connected = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(srv.getsockname())
server: conn, addr = srv.accept()
)";
inline const char *const PyConnected = R"(srv = socket(AF_INET, SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(5)
c = socket(AF_INET, SOCK_STREAM)
c.connect(srv.getsockname())
conn, addr = srv.accept()
)";

// A row's program after the lines it shares with other rows (a QString, not a
// QStringBuilder: QTest's data columns store exactly the declared type).
inline QString withPrologue(const char *prologue, const char *program) {
    return QString::fromUtf8(prologue) + QString::fromUtf8(program);
}

// Rows for the Python statements (def, class, try, with): tst_cpython_stmt.cpp.
void addStatementRows();

// The harness, shared with tst_cpython_bind (the bindings' rows).
using namespace labtest;

// What the lab said, one `say` a line; the failed expectations and script errors too.
// A script error (TypeError, ValueError, …) is a problem unless its class is in allowed:
// a row may show that the lab raises what Python raises for a wrong argument.
inline QString runLab(Lab &lab, const QString &script, QString *problems,
                      const QStringList &allowed = {}) {
    const auto reports = run(lab, script);
    QStringList said;
    for (const StepReport &r : reports) {
        if (r.kind == sl::script::StmtKind::Say)
            said << r.say[0];
        if (!r.expectPassed)
            *problems += QStringLiteral("line %1: %2\n").arg(r.line).arg(r.expectDetail);
        if (!r.outcome.ok && r.outcome.scriptError && !allowed.contains(r.outcome.exception))
            *problems += QStringLiteral("line %1: %2: %3\n")
                             .arg(r.line)
                             .arg(r.outcome.exception, r.outcome.message);
    }
    return said.join(QLatin1Char('\n'));
}

} // namespace cpythontest

class TestCPython : public QObject {
    Q_OBJECT
private slots:
    void table_data();
    void table();
    void timeoutWaitsInPoll();
    void closedSocketCallIsTraced();
};
