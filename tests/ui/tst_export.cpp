// Pictures and text of lessons 3 and 5 (issue 14): `socketlab export` writes every format
// from a trace recorded by `socketlab run --trace` and from the lesson itself (--at, --view,
// --lang), and the window's File → Export… and Copy Picture write the same things.
// Checked: the SVG parses as XML and names every socket and actor of the trace; the PNG
// is twice the picture's logical size and not blank; the Mermaid diagram has one
// participant per actor, a note per call row and an arrow per wire arrow (data, FIN,
// RST) of the trace; the text has a line per item. The files are kept in
// $SOCKETLAB_SCREENSHOTS (default <test dir>/screenshots) for a human to look at.
#include "ui/export/exportactions.h"
#include "ui/export/sequenceexport.h"
#include "ui/export/snapshot.h"
#include "ui/sequence/ladderview.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/window/mainwindow.h"
#include "ui/window/scriptfiles.h"

#include "lessonrun.h"
#include "trace/jsonl.h"

#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QXmlStreamReader>
#include <QtTest>

using namespace sl;

namespace {

QString outDir() {
    const QString env = qEnvironmentVariable("SOCKETLAB_SCREENSHOTS");
    return env.isEmpty() ? QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots")
                         : env;
}

int runCli(const QStringList &args, QString *err = nullptr) {
    QProcess p;
    p.setProgram(QStringLiteral(SOCKETLAB_BIN));
    p.setArguments(args);
    p.start();
    if (!p.waitForFinished(120000)) {
        p.kill();
        return -1;
    }
    if (err)
        *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// Every text node of an SVG, joined; empty and *ok false when it is no well-formed XML.
QString svgText(const QString &path, bool *ok) {
    QFile f(path);
    *ok = f.open(QIODevice::ReadOnly);
    QXmlStreamReader xml(&f);
    QString text;
    bool root = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && !root)
            root = xml.name() == QLatin1String("svg");
        if (xml.isCharacters())
            text += xml.text() + QLatin1Char('\n');
    }
    *ok = *ok && !xml.hasError() && root;
    return text;
}

bool notBlank(const QImage &img) {
    QSet<QRgb> colours;
    const QRgb bg = img.pixel(0, 0);
    int differing = 0;
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3) {
            const QRgb c = img.pixel(x, y);
            colours.insert(c);
            differing += c != bg;
        }
    return colours.size() > 20 && differing > img.width() * img.height() / 9 / 50;
}

struct Names {
    QStringList actors, sockets;
};
Names namesOf(const trace::Trace &t, std::size_t end) {
    Names n;
    for (std::size_t i = 0; i < end; ++i) {
        const trace::Event &e = t.event(i);
        if (e.kind == trace::EventKind::ActorNew)
            n.actors << t.text(e.text.a);
        else if (e.kind == trace::EventKind::SocketNew && e.socket.name)
            n.sockets << t.text(e.socket.name);
    }
    n.sockets.removeDuplicates();
    return n;
}

} // namespace

class TstExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cliFromTrace_data();
    void cliFromTrace();
    void cliFromLessonAtStep();
    void cliRejectsBadRequests();
    void windowExportAndClipboard();
};

void TstExport::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
    QVERIFY(QDir().mkpath(outDir()));
}

void TstExport::cliFromTrace_data() {
    QTest::addColumn<int>("lesson");
    QTest::newRow("lesson 3") << 3;
    QTest::newRow("lesson 5") << 5;
}

// socketlab run N --trace, then socketlab export (every format) from that trace; each
// output checked against the trace itself.
void TstExport::cliFromTrace() {
    QFETCH(int, lesson);
    const QString base =
        outDir() + QStringLiteral("/export-lesson%1").arg(lesson, 2, 10, QLatin1Char('0'));
    const QString tracePath = base + QStringLiteral(".jsonl");
    QString err;
    QCOMPARE(runCli({QStringLiteral("run"), QString::number(lesson), QStringLiteral("--trace"),
                     tracePath},
                    &err),
             0);
    const QString svg = base + QStringLiteral(".svg"), png = base + QStringLiteral(".png");
    const QString mmd = base + QStringLiteral(".mmd"), txt = base + QStringLiteral(".txt");
    QCOMPARE(
        runCli({QStringLiteral("export"), QStringLiteral("--svg"), svg, QStringLiteral("--png"),
                png, QStringLiteral("--mermaid"), mmd, QStringLiteral("--text"), txt, tracePath},
               &err),
        0);
    QVERIFY2(err.isEmpty() || !err.contains(QLatin1String("error")), qPrintable(err));

    // The same trace, read here, and the same snapshot: what the files must say.
    trace::Trace t;
    QMap<QString, QString> meta;
    QFile f(tracePath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(trace::readJsonl(f, t, &meta));
    const ui::Snapshot snap(t, t.size(), meta.value(QStringLiteral("source")));
    const Names names = namesOf(t, t.size());
    QVERIFY(names.actors.size() >= 2);
    QVERIFY(names.sockets.size() >= 2);

    bool ok = false;
    const QString text = svgText(svg, &ok);
    QVERIFY2(ok, "the SVG is not well-formed XML");
    for (const QString &s : names.sockets)
        QVERIFY2(text.contains(s), qPrintable(QStringLiteral("the SVG does not name socket ") + s));
    for (const QString &a : names.actors)
        QVERIFY2(text.contains(a), qPrintable(QStringLiteral("the SVG does not name actor ") + a));

    const QImage img(png);
    QVERIFY(!img.isNull());
    QCOMPARE(img.size(), snap.size(ui::ExportView::Both) * 2);
    QVERIFY(notBlank(img));

    QFile m(mmd);
    QVERIFY(m.open(QIODevice::ReadOnly));
    const QStringList mlines = QString::fromUtf8(m.readAll()).split(QLatin1Char('\n'));
    QCOMPARE(mlines.value(0), QStringLiteral("sequenceDiagram"));
    int participants = 0, notes = 0, arrows = 0;
    static const QRegularExpression arrow(QStringLiteral("^    A\\d+(->>|--\\)|-x)A\\d+: \\S"));
    for (const QString &l : mlines) {
        if (l.startsWith(QLatin1String("    participant A"))) {
            QVERIFY2(names.actors.contains(l.section(QStringLiteral(" as "), 1)), qPrintable(l));
            ++participants;
        }
        notes += l.startsWith(QLatin1String("    Note over A"));
        arrows += arrow.match(l).hasMatch();
        QVERIFY2(!l.contains(QLatin1Char(';')), qPrintable(l)); // written as #59;
    }
    QCOMPARE(participants, names.actors.size());
    const auto &flow = snap.ladder()->flow().arrows();
    QCOMPARE(arrows, int(flow.size()));
    QVERIFY(arrows > 0); // both lessons send data over a connection
    int rows = 0;
    for (int r = 0; r < snap.sequence()->rowCount(); ++r)
        rows += !snap.sequence()->cellText(r).trimmed().isEmpty();
    QCOMPARE(notes, rows);
    // Each call of the trace is a note: a send() of lesson 5, an accept() of lesson 3.
    const QString all = mlines.join(QLatin1Char('\n'));
    QVERIFY(all.contains(lesson == 3 ? QStringLiteral("accept()") : QStringLiteral(".send")));

    QFile tx(txt);
    QVERIFY(tx.open(QIODevice::ReadOnly));
    const QStringList tlines = QString::fromUtf8(tx.readAll()).trimmed().split(QLatin1Char('\n'));
    QCOMPARE(tlines.size(), 2 + 1 + rows + arrows); // title, blank, heading, items
    for (const QString &a : names.actors)
        QVERIFY(tlines.join(QLatin1Char('\n')).contains(a));
}

// A lesson named by number, stopped at a step, one view, in Korean.
void TstExport::cliFromLessonAtStep() {
    const QString png = outDir() + QStringLiteral("/export-lesson05-step4-stage-ko.png");
    const QString svg = outDir() + QStringLiteral("/export-lesson05-step4-sequence-ko.svg");
    QString err;
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--png"), png, QStringLiteral("5"),
                     QStringLiteral("--at"), QStringLiteral("4"), QStringLiteral("--view"),
                     QStringLiteral("stage"), QStringLiteral("--lang"), QStringLiteral("ko")},
                    &err),
             0);
    const QImage img(png);
    QVERIFY(!img.isNull());
    QCOMPARE(img.width(), 2 * 1280);
    QVERIFY(notBlank(img));
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--svg"), svg, QStringLiteral("5"),
                     QStringLiteral("--at"), QStringLiteral("4"), QStringLiteral("--view"),
                     QStringLiteral("sequence"), QStringLiteral("--lang"), QStringLiteral("ko")},
                    &err),
             0);
    bool ok = false;
    const QString text = svgText(svg, &ok);
    QVERIFY(ok);
    QVERIFY2(text.contains(QString::fromUtf8("시간")), qPrintable(text.left(400))); // "Time (s)"
}

void TstExport::cliRejectsBadRequests() {
    QString err;
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("3")}, &err), 2); // no output
    QVERIFY(err.contains(QLatin1String("--svg")));
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--text"), QStringLiteral("-"),
                     QStringLiteral("--view"), QStringLiteral("sideways"), QStringLiteral("3")},
                    &err),
             2);
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--text"), QStringLiteral("-"),
                     QStringLiteral("--at"), QStringLiteral("0"), QStringLiteral("3")},
                    &err),
             2);
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("--text"), QStringLiteral("-"),
                     QStringLiteral("no-such-lesson")},
                    &err),
             2);
}

// File → Export… (without its dialogs) and Copy Picture, at the point the cursor shows.
void TstExport::windowExportAndClipboard() {
    ui::MainWindow w;
    QVERIFY(uitest::runLessonTo(w, 3, QStringLiteral("client: c1.connect"), QSize(1280, 720)));
    ui::ExportActions *ex = w.scriptFiles()->exportActions();
    const QString base = outDir() + QStringLiteral("/window-export-lesson03");
    QString error;
    QVERIFY2(ex->exportTo(base + QStringLiteral(".svg"), ui::ExportActions::Svg,
                          ui::ExportView::Both, &error),
             qPrintable(error));
    QVERIFY(ex->exportTo(base + QStringLiteral(".png"), ui::ExportActions::Png,
                         ui::ExportView::Stage, &error));
    QVERIFY(ex->exportTo(base + QStringLiteral(".mmd"), ui::ExportActions::Mermaid,
                         ui::ExportView::Sequence, &error));
    QVERIFY(ex->exportTo(base + QStringLiteral(".txt"), ui::ExportActions::Text,
                         ui::ExportView::Sequence, &error));
    bool ok = false;
    QVERIFY(svgText(base + QStringLiteral(".svg"), &ok).contains(QLatin1String("c1")));
    QVERIFY(ok);
    const QImage img(base + QStringLiteral(".png"));
    QVERIFY(notBlank(img));
    QCOMPARE(img.width(), 2 * 1280);

    QVERIFY(ex->copyToClipboard());
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QVERIFY(mime->hasImage());
    QVERIFY(mime->data(QStringLiteral("image/svg+xml")).startsWith("<?xml"));
    QVERIFY(mime->text().contains(QLatin1String("c1")));
}

QTEST_MAIN(TstExport)
#include "tst_export.moc"
