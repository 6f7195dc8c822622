// The terminal report renders the trace (replayed into a StageState, measured with
// QueueFill), so `socketlab run` says what the window shows: `window 0` at lesson 5's
// EAGAIN, a UDP queue's datagrams and drops, and a closed socket as released.
#include "engine/lab.h"
#include "engine/labreport.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

class TstTextReport : public QObject {
    Q_OBJECT
private slots:
    void lesson5SaysWindow0AtEagain() {
        QProcess p;
        p.start(QStringLiteral(SOCKETLAB_BIN),
                {QStringLiteral("run"), QStringLiteral("05"), QStringLiteral("--no-color")});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        // The step that ends in EAGAIN, then the sender's line: full, and why.
        const qsizetype eagain = out.indexOf(QStringLiteral("BlockingIOError"));
        QVERIFY2(eagain > 0, qPrintable(out));
        const QString line = out.mid(eagain).section(QLatin1Char('\n'), 1, 1);
        QVERIFY2(line.contains(QStringLiteral("s  fd")) &&
                     line.contains(QStringLiteral("window 0")) &&
                     line.contains(QStringLiteral("8,192/8,192")),
                 qPrintable(line));
        // The receiver's queue the client's sends filled is shown beside its cause, though
        // no step named conn: full, and why — by the time of the EAGAIN.
        static const QRegularExpression connFull(
            QStringLiteral(R"(\n +conn  fd \d+ .*recv \[#+\] [\d,]+/[\d,]+ \(full: window 0\))"));
        const QRegularExpressionMatch m = connFull.match(out);
        QVERIFY2(m.hasMatch() && m.capturedStart() < eagain, qPrintable(out.left(eagain)));
    }

    void udpLineShowsDatagramsAndDrops() {
        const QString src = QStringLiteral("r: rx = socket(AF_INET, SOCK_DGRAM)\n"
                                           "r: rx.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)\n"
                                           "r: rx.bind((\"127.0.0.1\", 0))\n"
                                           "r: addr = rx.getsockname()\n"
                                           "s: tx = socket(AF_INET, SOCK_DGRAM)\n"
                                           "s: for i in range(40):\n"
                                           "       tx.sendto(b\"u\" * 520, addr)\n"
                                           "r: rx.setblocking(False)\n"
                                           "r: rx.close()\n");
        sl::engine::Lab lab;
        QVERIFY(lab.load(src, QStringLiteral("udp.lab")));
        QString text;
        QTextStream out(&text);
        sl::engine::LabReport report(lab, out, QStringLiteral("en"), false);
        while (!lab.atEnd()) {
            const auto r = lab.stepAndWait(10000);
            QVERIFY(r);
            report.print(*r);
        }
        out.flush();
        // The flood names only tx, yet rx's line follows it at once: it filled rx.
        const qsizetype flood = text.indexOf(QStringLiteral("for i in range(40):"));
        QVERIFY(flood > 0);
        QVERIFY2(
            text.mid(flood).section(QLatin1Char('\n'), 0, 4).contains(QStringLiteral("rx  fd")),
            qPrintable(text.mid(flood)));
        // rx's line after setblocking: memory against SO_RCVBUF, the datagrams it holds
        // (520 bytes each) and the 40 − held that were dropped.
        static const QRegularExpression udp(QStringLiteral(
            R"(rx  fd \d+  UDP  recv \[#+\.*\] [\d,]+/8,192 \((\d+) datagrams?, ([\d,]+) bytes\) full  drops (\d+))"));
        const QRegularExpressionMatch m = udp.match(text);
        QVERIFY2(m.hasMatch(), qPrintable(text));
        const int held = m.captured(1).toInt();
        QVERIFY(held > 0);
        QCOMPARE(QString(m.captured(2)).remove(QLatin1Char(',')).toInt(), held * 520);
        QCOMPARE(m.captured(3).toInt(), 40 - held);
        QVERIFY2(text.contains(QStringLiteral("rx  closed: descriptor released")),
                 qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TstTextReport)
#include "tst_textreport.moc"
