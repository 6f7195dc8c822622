// The built `socketlab` executable, run as a user would (tst_cli, tst_cli_habits,
// tst_cli_grading): its exit code and what it printed. Plain output through NO_COLOR
// (every command honours it); ptyRun() gives it a terminal for the colour tests.
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace clitest {

struct Result {
    int exitCode = -1;
    bool crashed = true;
    QString out, err;
};

inline Result socketlab(const QStringList &args,
                        QProcessEnvironment env = QProcessEnvironment::systemEnvironment(),
                        const QByteArray &input = {}, bool noColor = true, int timeoutMs = 60000) {
    QProcess p;
    if (noColor)
        env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SOCKETLAB_BIN), args);
    Result r;
    if (!p.waitForStarted())
        return r;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline QByteArray show(const Result &r) {
    return QStringLiteral("exit %1%2\n--- stdout\n%3\n--- stderr\n%4")
        .arg(r.exitCode)
        .arg(r.crashed ? QStringLiteral(" (crashed or hung)") : QString(), r.out, r.err)
        .toUtf8();
}

// Runs socketlab with a terminal as its standard output (and input and error), as in
// an interactive shell: its output (both streams) and exit code. `env`: the whole
// environment, "NAME=value" each.
inline Result ptyRun(const QStringList &args, const QStringList &env) {
    Result r;
    // Everything the child needs is made before the fork: it only calls execve().
    QList<QByteArray> a{QByteArrayLiteral(SOCKETLAB_BIN)}, e;
    for (const QString &s : args)
        a << s.toUtf8();
    for (const QString &s : env)
        e << s.toUtf8();
    std::vector<char *> argv, envp;
    for (QByteArray &b : a)
        argv.push_back(b.data());
    for (QByteArray &b : e)
        envp.push_back(b.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0)
        return r;
    if (pid == 0) {
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    QByteArray all;
    char buf[4096];
    for (;;) { // until the child closes the terminal (EIO on Linux) or 60 s of silence
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, 60000) <= 0)
            break;
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n <= 0)
            break;
        all.append(buf, n);
    }
    ::close(master);
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
        r.crashed = false;
        r.exitCode = WEXITSTATUS(status);
    }
    r.out = QString::fromUtf8(all);
    return r;
}

} // namespace clitest
