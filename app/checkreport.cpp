#include "checkreport.h"

#include "engine/version.h"
#include "script/diagnostic.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QXmlStreamWriter>

namespace sl::app {

QString verdict(const CheckEntry &e) {
    if (!e.loadError.isEmpty() || !e.run.loaded || e.run.interruptedBy)
        return QStringLiteral("error");
    return e.run.passed ? QStringLiteral("passed") : QStringLiteral("failed");
}

// The script's own text (its statements, the values it made) may hold controls that
// XML 1.0 cannot carry and a terminal would obey: written as escapes.
static QString safe(const QString &text) {
    return script::escapeControls(text, true);
}

static QString message(const CheckEntry &e) {
    return safe(e.loadError.isEmpty() ? e.run.failure : e.loadError);
}

static double seconds(qint64 ms) {
    return double(ms) / 1000.0;
}

QByteArray checkJson(const QList<CheckEntry> &entries, qint64 totalMs) {
    QJsonArray results;
    int passed = 0, failed = 0, errors = 0;
    for (const CheckEntry &e : entries) {
        const QString v = verdict(e);
        (v == QLatin1String("passed") ? passed : v == QLatin1String("failed") ? failed : errors)++;
        QJsonObject o{{QStringLiteral("id"), e.id},
                      {QStringLiteral("key"), e.key},
                      {QStringLiteral("title"), e.title},
                      {QStringLiteral("path"), e.path},
                      {QStringLiteral("result"), v},
                      {QStringLiteral("passed"), v == QLatin1String("passed")},
                      {QStringLiteral("steps"), e.run.steps},
                      {QStringLiteral("expectations"), e.run.expectations},
                      {QStringLiteral("time"), seconds(e.run.elapsedMs)}};
        if (!e.tracePath.isEmpty())
            o.insert(QStringLiteral("trace"), e.tracePath);
        if (v != QLatin1String("passed")) {
            QJsonObject f{{QStringLiteral("message"), message(e)}};
            if (e.run.failureLine > 0) {
                f.insert(QStringLiteral("line"), e.run.failureLine);
                f.insert(QStringLiteral("statement"), safe(e.run.failureStatement));
                f.insert(QStringLiteral("detail"), safe(e.run.failureDetail));
            }
            o.insert(QStringLiteral("failure"), f);
        }
        results.append(o);
    }
    const QJsonObject root{{QStringLiteral("tool"), QStringLiteral("socketlab")},
                           {QStringLiteral("version"), labVersion()},
                           {QStringLiteral("tests"), int(entries.size())},
                           {QStringLiteral("passed"), passed},
                           {QStringLiteral("failed"), failed},
                           {QStringLiteral("errors"), errors},
                           {QStringLiteral("time"), seconds(totalMs)},
                           {QStringLiteral("results"), results}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray checkJUnit(const QList<CheckEntry> &entries, qint64 totalMs) {
    int failures = 0, errors = 0;
    for (const CheckEntry &e : entries) {
        const QString v = verdict(e);
        failures += v == QLatin1String("failed");
        errors += v == QLatin1String("error");
    }
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    const auto counts = [&] {
        w.writeAttribute(QStringLiteral("tests"), QString::number(entries.size()));
        w.writeAttribute(QStringLiteral("failures"), QString::number(failures));
        w.writeAttribute(QStringLiteral("errors"), QString::number(errors));
        w.writeAttribute(QStringLiteral("time"), QString::number(seconds(totalMs), 'f', 3));
    };
    w.writeStartElement(QStringLiteral("testsuites"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("socketlab check"));
    counts();
    w.writeStartElement(QStringLiteral("testsuite"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("socketlab"));
    counts();
    w.writeAttribute(QStringLiteral("skipped"), QStringLiteral("0"));
    w.writeAttribute(QStringLiteral("timestamp"),
                     QDateTime::currentDateTime().toString(Qt::ISODate));
    w.writeAttribute(QStringLiteral("hostname"), QSysInfo::machineHostName());
    w.writeStartElement(QStringLiteral("properties"));
    w.writeStartElement(QStringLiteral("property"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("socketlab.version"));
    w.writeAttribute(QStringLiteral("value"), labVersion());
    w.writeEndElement();
    w.writeStartElement(QStringLiteral("property"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("kernel"));
    w.writeAttribute(QStringLiteral("value"), QSysInfo::kernelVersion());
    w.writeEndElement();
    w.writeEndElement(); // properties
    for (const CheckEntry &e : entries) {
        const QString v = verdict(e);
        w.writeStartElement(QStringLiteral("testcase"));
        w.writeAttribute(QStringLiteral("name"), e.id);
        w.writeAttribute(QStringLiteral("classname"), QStringLiteral("socketlab.") + e.id);
        if (!e.path.isEmpty())
            w.writeAttribute(QStringLiteral("file"), e.path);
        if (e.run.failureLine > 0)
            w.writeAttribute(QStringLiteral("line"), QString::number(e.run.failureLine));
        w.writeAttribute(QStringLiteral("time"), QString::number(seconds(e.run.elapsedMs), 'f', 3));
        if (v != QLatin1String("passed")) {
            const bool failed = v == QLatin1String("failed");
            w.writeStartElement(failed ? QStringLiteral("failure") : QStringLiteral("error"));
            w.writeAttribute(QStringLiteral("message"), message(e));
            w.writeAttribute(QStringLiteral("type"),
                             failed ? (e.run.failureStatement.startsWith(QLatin1String("expect"))
                                           ? QStringLiteral("ExpectationFailed")
                                           : QStringLiteral("Exception"))
                                    : QStringLiteral("NotRun"));
            QString body = message(e);
            if (e.run.failureLine > 0)
                body += QStringLiteral("\nline %1: %2\nfound: %3")
                            .arg(e.run.failureLine)
                            .arg(safe(e.run.failureStatement), safe(e.run.failureDetail));
            w.writeCharacters(body);
            w.writeEndElement();
        }
        if (!e.tracePath.isEmpty()) {
            w.writeStartElement(QStringLiteral("system-out"));
            w.writeCharacters(QStringLiteral("trace: ") + e.tracePath);
            w.writeEndElement();
        }
        w.writeEndElement(); // testcase
    }
    w.writeEndElement(); // testsuite
    w.writeEndElement(); // testsuites
    w.writeEndDocument();
    return xml;
}

} // namespace sl::app
