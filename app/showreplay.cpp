#include "showreplay.h"

#include "lessons/lessoncatalog.h"
#include "script/catalog.h"
#include "script/parser.h"
#include "sys/errors.h"
#include "trace/jsonl.h"
#include "view/callformat.h"
#include "view/textreport.h"

#include <QHash>
#include <cerrno>
#include <deque>
#include <map>
#include <optional>
#include <utility>

namespace sl::app {

namespace {

using trace::Event;
using trace::EventKind;
using ui::ReportStep;

// One top-level step of an actor, from its step_begin to its step_end.
struct OpenStep {
    int serial = 0; // 1, 2, … in the order the steps began
    int line = 0;
    bool printed = false;                 // its foreground line is out
    std::size_t topBegin = 0, topEnd = 0; // its last top-level call (topEnd 0: none)
    std::vector<int> sockets;             // in the order the calls used them
};

struct ActorTrack {
    QString name;
    std::deque<OpenStep> steps;     // front: the one running; others wait their turn
    std::vector<std::size_t> calls; // open call_begins, innermost last
};

class Replay {
public:
    Replay(const trace::Trace &t, const QString &source, const QString &lang, QTextStream &out,
           bool color)
        : m_t(t)
        , m_lang(lang)
        , m_report(t, out, color) {
        // The statements as the run printed them: the parser's own text for each line.
        script::ParseResult p = script::parse(source);
        if (p.program)
            for (const script::StmtPtr &s : p.program->steps)
                m_statements.emplace(s->span.line, s->source);
        m_lines = source.split(QLatin1Char('\n'));
    }
    ui::TextReport &report() { return m_report; }

    void run() {
        const std::size_t n = m_t.size();
        for (std::size_t i = 0; i < n; ++i)
            event(i);
        flushForeground(n);
    }

private:
    QString statement(int line) const {
        if (const auto it = m_statements.find(line); it != m_statements.end())
            return it->second;
        const QString text = m_lines.value(line - 1).trimmed(); // no source: the raw line
        const qsizetype colon = text.indexOf(QStringLiteral(": "));
        return colon > 0 ? text.mid(colon + 2) : text;
    }

    ActorTrack &actor(int a) { return m_actors[a]; }

    void event(std::size_t i) {
        const Event &e = m_t.event(i);
        switch (e.kind) {
        case EventKind::ActorNew:
            actor(e.actor).name = m_t.text(e.text.a);
            break;
        case EventKind::StepBegin:
            flushForeground(i);
            if (e.actor != trace::NoActor) {
                OpenStep s;
                s.serial = ++m_serial;
                s.line = e.line;
                actor(e.actor).steps.push_back(s);
                m_foregroundActor = e.actor;
                m_foregroundSerial = s.serial;
            }
            break;
        case EventKind::Say: {
            flushForeground(i);
            ReportStep r;
            r.kind = ReportStep::Kind::Say;
            r.line = e.line;
            const QString ko = m_t.text(e.text.b);
            r.say = m_lang == QLatin1String("ko") && !ko.isEmpty() ? ko : m_t.text(e.text.a);
            print(r, i + 1);
            break;
        }
        case EventKind::Expect: {
            flushForeground(i);
            ReportStep r;
            const QString text = m_t.text(e.expect.text);
            r.kind = text.startsWith(QLatin1String("until ")) ? ReportStep::Kind::Wait
                                                              : ReportStep::Kind::Expect;
            r.line = e.line;
            r.source = m_statements.count(e.line)
                           ? m_statements.at(e.line)
                           : (r.kind == ReportStep::Kind::Wait ? QStringLiteral("wait ")
                                                               : QStringLiteral("expect ")) +
                                 text;
            r.ok = e.expect.passed;
            r.detail = m_t.text(e.expect.detail);
            print(r, i + 1);
            break;
        }
        case EventKind::CallBegin:
            if (e.actor != trace::NoActor) {
                actor(e.actor).calls.push_back(i);
                touch(e.actor, e.sock);
            }
            break;
        case EventKind::CallEnd:
            if (e.actor != trace::NoActor) {
                ActorTrack &a = actor(e.actor);
                const std::size_t begin = a.calls.empty() ? i : a.calls.back();
                if (!a.calls.empty())
                    a.calls.pop_back();
                touch(e.actor, e.sock);
                if (a.calls.empty() && !a.steps.empty()) {
                    a.steps.front().topBegin = begin;
                    a.steps.front().topEnd = i;
                }
            }
            break;
        case EventKind::SocketNew:
            if (e.actor != trace::NoActor)
                touch(e.actor, e.sock);
            break;
        case EventKind::StepEnd:
            if (e.actor != trace::NoActor) {
                ActorTrack &a = actor(e.actor);
                if (a.steps.empty())
                    break;
                const OpenStep &s = a.steps.front();
                if (s.printed) { // it was reported blocked: now it ends, in the background
                    // (before the foreground step's own line, as the run printed it)
                    print(done(a, s), i + 1, true);
                } else if (s.serial == m_foregroundSerial) {
                    m_foregroundDone = done(a, s);
                    m_foregroundSerial = 0;
                }
                a.steps.pop_front();
                a.calls.clear();
            }
            break;
        default:
            break;
        }
    }

    void touch(int a, int sock) {
        ActorTrack &t = actor(a);
        if (sock < 0 || t.steps.empty())
            return;
        std::vector<int> &s = t.steps.front().sockets;
        if (std::find(s.begin(), s.end(), sock) == s.end())
            s.push_back(sock);
    }

    ReportStep base(const ActorTrack &a, const OpenStep &s) const {
        ReportStep r;
        r.kind = ReportStep::Kind::Actor;
        r.line = s.line;
        r.actor = a.name;
        r.source = statement(s.line);
        r.sockets = s.sockets;
        return r;
    }

    ReportStep done(const ActorTrack &a, const OpenStep &s) const {
        ReportStep r = base(a, s);
        r.status = ReportStep::Status::Done;
        if (!s.topEnd) { // no call: the trace holds no value for it
            r.value = QStringLiteral("(not traced)");
            return r;
        }
        const Event &end = m_t.event(s.topEnd);
        r.isSend = end.call.call == std::uint16_t(script::CallId::Send);
        const ui::CallContext ctx = ui::callContextAt(m_t, s.topBegin, s.topEnd);
        r.ok = end.call.err == 0;
        if (r.ok) {
            r.value = ui::pythonResult(m_t, end, ctx);
            // A socket the step made reads as its name, as the run's value did.
            if (r.value.startsWith(QLatin1String("<socket")) && !ctx.madeNames.isEmpty())
                r.value = ctx.madeNames.join(QStringLiteral(", "));
        } else if ((end.call.flags & trace::CallTimeout) &&
                   (end.call.err == EAGAIN || end.call.err == EWOULDBLOCK)) {
            r.exception = QStringLiteral("TimeoutError: timed out");
        } else { // as the engine words it (engine/tracing.cpp)
            const int err = end.call.err;
            r.exception = QStringLiteral("%1: [Errno %2] %3: %4")
                              .arg(QLatin1String(sys::pythonExceptionName(err)))
                              .arg(err)
                              .arg(QLatin1String(sys::errnoName(err)), sys::errnoMessage(err));
        }
        return r;
    }

    // The foreground step (the last one dispatched), printed once what followed it began
    // (so its sockets' lines include the samples taken after it): its value when it
    // ended, else blocked in its innermost call, or waiting behind an earlier step.
    void flushForeground(std::size_t end) {
        if (m_foregroundDone) {
            print(*m_foregroundDone, end);
            m_foregroundDone.reset();
            return;
        }
        if (!m_foregroundSerial)
            return;
        ActorTrack &a = actor(m_foregroundActor);
        const int serial = std::exchange(m_foregroundSerial, 0);
        const auto it = std::find_if(a.steps.begin(), a.steps.end(),
                                     [&](const OpenStep &s) { return s.serial == serial; });
        if (it == a.steps.end() || it->printed)
            return;
        ReportStep r = base(a, *it);
        if (it != a.steps.begin())
            r.status = ReportStep::Status::Queued;
        else
            r.status = a.calls.empty() ? ReportStep::Status::Running : ReportStep::Status::Blocked;
        if (!a.calls.empty())
            r.blockedIn = QString::fromLatin1(
                script::callName(script::CallId(m_t.event(a.calls.back()).call.call)));
        it->printed = true;
        print(r, end);
    }

    void print(const ReportStep &r, std::size_t end, bool background = false) {
        m_report.setEnd(end);
        m_report.print(r, background);
    }

    const trace::Trace &m_t;
    QString m_lang;
    ui::TextReport m_report;
    std::map<int, QString> m_statements;
    QStringList m_lines;
    std::map<int, ActorTrack> m_actors;
    int m_foregroundActor = -1;
    int m_foregroundSerial = 0;                 // the step to print, 0 = none
    std::optional<ReportStep> m_foregroundDone; // it ended before it was printed
    int m_serial = 0;
};

} // namespace

int replayTrace(QIODevice &in, const QString &name, const QString &lang, bool color,
                QTextStream &out, QTextStream &err) {
    trace::Trace t;
    QMap<QString, QString> meta;
    trace::JsonlError error;
    const bool ok = trace::readJsonl(in, t, &meta, &error);
    if (!ok && !error.incomplete && t.size() == 0) {
        err << "socketlab show: " << name
            << (error.line ? QStringLiteral(":%1").arg(error.line) : QString())
            << ": not a Socket Lab trace: " << error.message << "\n";
        return 2;
    }
    const QString source = meta.value(QStringLiteral("source"));
    const QMap<QString, QString> scriptMeta = lessons::readMeta(source);
    QString title = scriptMeta.value(QStringLiteral("title[%1]").arg(lang));
    if (title.isEmpty())
        title = meta.value(QStringLiteral("title"), scriptMeta.value(QStringLiteral("title")));
    QString path = name;
    const QString lesson = meta.value(QStringLiteral("lesson"));
    if (!lesson.isEmpty())
        if (const auto l = lessons::findLesson(lesson); l && l->source == source)
            path = l->path;
    if (title.isEmpty())
        title = lesson.isEmpty() ? name : lesson;
    Replay replay(t, source, lang, out, color);
    replay.report().printHeader(title, path);
    replay.run();
    out.flush();
    if (error.incomplete) {
        err << "socketlab show: " << name << ": the recording was cut short (no trailer); "
            << "shown up to where it ends\n";
        return 0;
    }
    if (!ok) {
        err << "socketlab show: " << name << ":" << error.line << ": " << error.message
            << "; shown up to there\n";
        return 1;
    }
    return 0;
}

} // namespace sl::app
