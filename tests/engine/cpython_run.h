// Running python3 for the CPython comparisons (issue 9): tst_cpython (sockets) and
// tst_lang_values (values) both get their reference from the python3 on this machine,
// at test time, through these helpers.
#pragma once

#include <QProcess>
#include <QStandardPaths>
#include <QString>

namespace cpythontest {

// Common to every Python program: the short names the lab uses (AF_INET, socket, …),
// and backlog(s) read as the lab's probe reads it (the listener's Send-Q in ss).
inline const char *const PyPrologue = R"(from socket import *
import shutil, subprocess, sys
def backlog(s):
    if not shutil.which("ss"):
        print("SKIP: no ss to read the backlog"); sys.exit(0)
    port = s.getsockname()[1]
    out = subprocess.run(["ss", "-ltnH", "sport = :%d" % port], capture_output=True, text=True)
    return int(out.stdout.split()[2])
)";

struct PyRun {
    bool ran = false; // python3 was found and finished
    int exitCode = -1;
    QString out, err;
};

// Runs PyPrologue + program with python3 -c, with input on its standard input.
inline PyRun runPythonRaw(const QString &program, const QByteArray &input = {}) {
    PyRun r;
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return r;
    QProcess p;
    p.start(python, {QStringLiteral("-c"), QString::fromUtf8(PyPrologue) + program});
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.ran = true;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// What the program printed (trimmed); on a failure, *error says why.
inline QString runPython(const QString &program, QString *error) {
    const PyRun r = runPythonRaw(program);
    if (!r.ran) {
        *error = QStringLiteral("no python3");
        return {};
    }
    if (r.exitCode != 0) {
        *error = QStringLiteral("python3 failed: ") + r.err;
        return {};
    }
    return r.out.trimmed();
}

} // namespace cpythontest
