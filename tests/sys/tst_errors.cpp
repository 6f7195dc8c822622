// errno names, messages and the Python exception a learner will meet for each.
#include "sys/errors.h"

#include <QTest>
#include <cerrno>
#include <cstring>
#include <netdb.h>

using namespace sl::sys;

class TestErrors : public QObject {
    Q_OBJECT
private slots:
    void names_data() {
        QTest::addColumn<int>("err");
        QTest::addColumn<QString>("name");
        const struct {
            int err;
            const char *name;
        } rows[] = {
            {EPERM, "EPERM"},
            {ENOENT, "ENOENT"},
            {EINTR, "EINTR"},
            {EBADF, "EBADF"},
            {EAGAIN, "EAGAIN"},
            {EWOULDBLOCK, "EAGAIN"},
            {EACCES, "EACCES"},
            {EINVAL, "EINVAL"},
            {EMFILE, "EMFILE"},
            {EPIPE, "EPIPE"},
            {ENOTSOCK, "ENOTSOCK"},
            {EOPNOTSUPP, "EOPNOTSUPP"},
            {EADDRINUSE, "EADDRINUSE"},
            {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
            {ECONNRESET, "ECONNRESET"},
            {ECONNABORTED, "ECONNABORTED"},
            {EISCONN, "EISCONN"},
            {ENOTCONN, "ENOTCONN"},
            {ETIMEDOUT, "ETIMEDOUT"},
            {ECONNREFUSED, "ECONNREFUSED"},
            {EALREADY, "EALREADY"},
            {EINPROGRESS, "EINPROGRESS"},
            {EHOSTUNREACH, "EHOSTUNREACH"},
            {EDEADLK, "EDEADLK"},
            {EHWPOISON, "EHWPOISON"},
            {0, "E?0"},
            {9999, "E?9999"},
            // getaddrinfo()'s codes, negative: socket.gaierror's errno (issue 10)
            {EAI_NONAME, "EAI_NONAME"},
            {EAI_AGAIN, "EAI_AGAIN"},
            {-99, "E?-99"},
        };
        for (const auto &r : rows)
            QTest::newRow(r.name) << r.err << QString::fromLatin1(r.name);
    }
    void names() {
        QFETCH(int, err);
        QFETCH(QString, name);
        QCOMPARE(QString::fromLatin1(errnoName(err)), name);
    }

    void unknownNameIsStable() {
        // The pointer is static: the same for two calls and still valid afterwards.
        const char *a = errnoName(4242);
        const char *b = errnoName(4242);
        QCOMPARE(a, b);
        QCOMPARE(QString::fromLatin1(a), QStringLiteral("E?4242"));
    }

    void fromName_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("err");
        QTest::newRow("EAGAIN") << QStringLiteral("EAGAIN") << EAGAIN;
        QTest::newRow("EWOULDBLOCK") << QStringLiteral("EWOULDBLOCK") << EAGAIN;
        QTest::newRow("ENOTSUP") << QStringLiteral("ENOTSUP") << EOPNOTSUPP;
        QTest::newRow("EDEADLOCK") << QStringLiteral("EDEADLOCK") << EDEADLK;
        QTest::newRow("lowercase") << QStringLiteral("econnreset") << ECONNRESET;
        QTest::newRow("EPIPE") << QStringLiteral("EPIPE") << EPIPE;
        QTest::newRow("unknown") << QStringLiteral("ENOPE") << 0;
        QTest::newRow("empty") << QString() << 0;
    }
    void fromName() {
        QFETCH(QString, name);
        QFETCH(int, err);
        QCOMPARE(errnoFromName(name), err);
    }

    void roundTripAllKnown() {
        int known = 0;
        for (int e = 1; e < 134; ++e) {
            const QString n = QString::fromLatin1(errnoName(e));
            if (n.startsWith(QLatin1String("E?")))
                continue;
            ++known;
            QCOMPARE(errnoFromName(n), e);
        }
        QVERIFY2(known >= 130, qPrintable(QString::number(known)));
    }

    void messages_data() {
        QTest::addColumn<int>("err");
        QTest::newRow("EAGAIN") << EAGAIN;
        QTest::newRow("ECONNREFUSED") << ECONNREFUSED;
        QTest::newRow("EPIPE") << EPIPE;
    }
    void messages() {
        QFETCH(int, err);
        QCOMPARE(errnoMessage(err), QString::fromLocal8Bit(std::strerror(err)));
    }
    // An EAI_* code (negative) is socket.gaierror's errno: gai_strerror()'s words, as
    // CPython prints them ("[Errno -2] Name or service not known").
    void gaiCodes() {
        QCOMPARE(errnoMessage(EAI_NONAME), QStringLiteral("Name or service not known"));
        QCOMPARE(QString::fromLatin1(pythonExceptionName(EAI_NONAME)),
                 QStringLiteral("socket.gaierror"));
    }

    void python_data() {
        QTest::addColumn<int>("err");
        QTest::addColumn<QString>("exception");
        const struct {
            int err;
            const char *tag;
            const char *exc;
        } rows[] = {
            {EAGAIN, "EAGAIN", "BlockingIOError"},
            {EWOULDBLOCK, "EWOULDBLOCK", "BlockingIOError"},
            {EALREADY, "EALREADY", "BlockingIOError"},
            {EINPROGRESS, "EINPROGRESS", "BlockingIOError"},
            {ECHILD, "ECHILD", "ChildProcessError"},
            {EPIPE, "EPIPE", "BrokenPipeError"},
            {ESHUTDOWN, "ESHUTDOWN", "BrokenPipeError"},
            {ECONNABORTED, "ECONNABORTED", "ConnectionAbortedError"},
            {ECONNREFUSED, "ECONNREFUSED", "ConnectionRefusedError"},
            {ECONNRESET, "ECONNRESET", "ConnectionResetError"},
            {EEXIST, "EEXIST", "FileExistsError"},
            {ENOENT, "ENOENT", "FileNotFoundError"},
            {EINTR, "EINTR", "InterruptedError"},
            {EISDIR, "EISDIR", "IsADirectoryError"},
            {ENOTDIR, "ENOTDIR", "NotADirectoryError"},
            {EACCES, "EACCES", "PermissionError"},
            {EPERM, "EPERM", "PermissionError"},
            {ESRCH, "ESRCH", "ProcessLookupError"},
            {ETIMEDOUT, "ETIMEDOUT", "TimeoutError"},
            {EINVAL, "EINVAL", "OSError"},
            {EADDRINUSE, "EADDRINUSE", "OSError"},
            {ENOTCONN, "ENOTCONN", "OSError"},
            {EBADF, "EBADF", "OSError"},
        };
        for (const auto &r : rows)
            QTest::newRow(r.tag) << r.err << QString::fromLatin1(r.exc);
    }
    void python() {
        QFETCH(int, err);
        QFETCH(QString, exception);
        QCOMPARE(QString::fromLatin1(pythonExceptionName(err)), exception);
    }

    void describe() {
        QCOMPARE(describeErrno(EAGAIN), QStringLiteral("EAGAIN (BlockingIOError: ") +
                                            errnoMessage(EAGAIN) + QLatin1Char(')'));
        QVERIFY(describeErrno(ECONNREFUSED)
                    .startsWith(QLatin1String("ECONNREFUSED (ConnectionRefusedError: ")));
    }

    void sysResult() {
        QVERIFY(SysResult::success(3).ok());
        QCOMPARE(SysResult::success(3).ret, 3);
        QVERIFY(!SysResult::failure(EPIPE).ok());
        QCOMPARE(SysResult::failure(EPIPE).ret, -1);
        QCOMPARE(SysResult::failure(EPIPE).err, EPIPE);
    }
};

QTEST_GUILESS_MAIN(TestErrors)
#include "tst_errors.moc"
