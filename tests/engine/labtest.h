// Shared helpers of the engine tests: load a script, step through it, find steps by
// their source text and sockets by their script name, pick events out of the trace.
// The scripts run real system calls on loopback; nothing here is mocked.
#pragma once

#include "engine/lab.h"
#include "engine/sockettable.h"
#include "script/catalog.h"
#include "script/diagnostic.h"
#include "trace/event.h"

#include <QString>
#include <QStringList>
#include <QTest>
#include <vector>

namespace labtest {

using sl::engine::Lab;
using sl::engine::LabOptions;
using sl::engine::StepReport;
using sl::engine::StepStatus;
using sl::trace::Event;
using sl::trace::EventKind;

inline QString src(const char *utf8) {
    return QString::fromUtf8(utf8);
}

// 1-based line of source that is exactly text (ignoring surrounding blanks), else the
// first line that contains it; 0 if none.
inline int lineOf(const QString &source, const QString &text) {
    const QStringList lines = source.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i)
        if (lines.at(i).trimmed() == text.trimmed())
            return i + 1;
    for (int i = 0; i < lines.size(); ++i)
        if (lines.at(i).contains(text))
            return i + 1;
    return 0;
}

// Loads source; on a parse error returns false with the diagnostics in *why.
inline bool load(Lab &lab, const QString &source, QString *why = nullptr) {
    std::vector<sl::script::Diagnostic> diags;
    const bool ok = lab.load(source, QStringLiteral("test.lab"), &diags);
    if (!ok && why) {
        for (const auto &d : diags)
            *why += QStringLiteral("%1:%2: %3\n").arg(d.span.line).arg(d.span.col).arg(d.message);
    }
    return ok;
}

// Steps to the end (or until a step does not report within its own bound plus
// slackMs; -1: the lab's default).
inline std::vector<StepReport> runAll(Lab &lab, int slackMs = -1) {
    std::vector<StepReport> out;
    while (!lab.atEnd()) {
        const auto r = lab.stepAndWait(slackMs);
        if (!r)
            break;
        out.push_back(*r);
    }
    return out;
}

// Loads and runs a whole script; a parse error fails the current test.
inline std::vector<StepReport> run(Lab &lab, const QString &script) {
    QString why;
    if (!load(lab, script, &why)) {
        QTest::qFail(qPrintable(QStringLiteral("does not parse: ") + why), __FILE__, __LINE__);
        return {};
    }
    auto reports = runAll(lab);
    if (reports.size() != lab.program()->steps.size())
        QTest::qFail("not every step reported", __FILE__, __LINE__);
    return reports;
}

// Steps until (and including) the step on `line`; returns its report.
inline std::optional<StepReport> runTo(Lab &lab, int line, int slackMs = -1) {
    while (!lab.atEnd()) {
        const auto r = lab.stepAndWait(slackMs);
        if (!r)
            return std::nullopt;
        if (r->line == line)
            return r;
    }
    return std::nullopt;
}

// The report of the (last) step whose line contains text.
inline const StepReport *report(const std::vector<StepReport> &reports, const QString &source,
                                const QString &text) {
    const int line = lineOf(source, text);
    const StepReport *found = nullptr;
    for (const StepReport &r : reports)
        if (r.line == line)
            found = &r;
    return found;
}

// Lab socket id of the socket first bound to `name` (its SocketNew event), -1 if none.
inline int sockId(const sl::trace::Trace &t, const QString &name) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::SocketNew && t.text(e.socket.name) == name)
            return e.sock;
    }
    return -1;
}

// Events of one kind (optionally of one socket, optionally on one line).
inline std::vector<Event> events(const sl::trace::Trace &t, EventKind kind, int sock = -2,
                                 int line = -1) {
    std::vector<Event> out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == kind && (sock == -2 || e.sock == sock) && (line < 0 || e.line == line))
            out.push_back(e);
    }
    return out;
}

// CallEnd events of one call id (optionally on one line).
inline std::vector<Event> callEnds(const sl::trace::Trace &t, sl::script::CallId id,
                                   int line = -1) {
    std::vector<Event> out;
    for (const Event &e : events(t, EventKind::CallEnd, -2, line))
        if (e.call.call == std::uint16_t(id))
            out.push_back(e);
    return out;
}

// Every report as one line, for failure messages.
inline QByteArray describe(const std::vector<StepReport> &reports) {
    QString s;
    for (const StepReport &r : reports)
        s += QStringLiteral("line %1 status %2 ok %3 %4 %5 expect %6 %7\n")
                 .arg(r.line)
                 .arg(int(r.status))
                 .arg(r.outcome.ok)
                 .arg(r.outcome.exception, r.outcome.message)
                 .arg(r.expectPassed)
                 .arg(r.expectDetail);
    return s.toUtf8();
}

} // namespace labtest
