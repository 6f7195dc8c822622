// The terminal's view of a lab (`socketlab run`): each step with its result, errno by
// name, the narration, and text bars for the queues of the sockets the step used.
//
//   12 client  n = s.send(b"x" * 1_000_000)
//              -> 8192
//              partial: 8,192 of 1,000,000 bytes
//              s  fd 7  ESTABLISHED  send [##########] 8,192/8,192 (peer's window 0)  recv …
//
// The socket lines are rendered from the trace, replayed into a StageState and measured
// with QueueFill, exactly as the window draws its stage: the terminal and the window read
// one model, so they cannot disagree. No socket is read here.
//
// Thread affinity: the thread that prints (it reads the trace, which others may append to).
#pragma once

#include "trace/trace.h"
#include "view/stagestate.h"

#include <QString>
#include <QTextStream>
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sl::ui {

// One step as the terminal prints it. The engine fills it from its StepReport; the view
// layer cannot see the engine.
struct ReportStep {
    enum class Kind { Say, Expect, Wait, Actor };
    enum class Status { Done, Blocked, Running, Queued };
    Kind kind = Kind::Actor;
    Status status = Status::Done;
    int line = 0;
    QString actor;            // "client"; "lab" for a step of the lab itself
    QString source;           // the statement as written
    QString say;              // Say: the narration in the report's language, values filled in
    bool ok = true;           // Say: narration built; Expect/Wait: passed; Actor: no exception
    QString detail;           // Expect/Wait: what was found; Say: why the narration failed
    QString blockedIn;        // Blocked/Queued: the call, "recv"
    QString value;            // Actor, Done, ok: the value's repr ("None" for none)
    QString exception;        // Actor, Done, !ok: "BlockingIOError: [Errno 11] …"
    bool scriptError = false; // the exception is the script's own error
    bool isSend = false;      // the statement is a send(): a partial count is told
    std::vector<int> sockets; // lab socket ids the step's calls used
};

class TextReport {
public:
    TextReport(const trace::Trace &trace, QTextStream &out, bool color);
    void printHeader(const QString &title, const QString &fileName);
    void print(const ReportStep &r, bool background = false);
    // The language of the report's own lines and of the engine's messages (termtext.h).
    void setLanguage(const QString &lang) { m_lang = lang; }
    QString language() const { return m_lang; }
    // "[####......] 4,096/8,192" ("n/a" when the kernel gave none): filled against
    // `capacity`, which the text shows unless `shownCapacity` is given (a listener:
    // filled against backlog + 1, shows the backlog listen() was given). `ratio` ≥ 0
    // fills the bar by that fraction instead (QueueFill::ratio()).
    static QString bar(std::int64_t value, std::int64_t capacity, int width = 10,
                       std::int64_t shownCapacity = -1, double ratio = -1);
    // The socket's line as the trace has it now (replays what was appended since).
    QString socketLine(int sockId);
    // The replayed state, up to the trace's current end.
    const StageState &state();
    // `socketlab show`: a trace read whole from a file is replayed step by step, so the
    // report reads only its first `end` events, as a live run sees its trace grow.
    void setEnd(std::size_t end) { m_end = end; }

private:
    QString paint(const QString &text, const char *code) const;
    QString queueText(const SocketSnap &s);
    const trace::Trace &m_trace;
    QTextStream &m_out;
    bool m_color;
    std::size_t m_end = SIZE_MAX; // setEnd()
    std::size_t traceEnd() const { return std::min(m_end, m_trace.size()); }
    QString m_lang = QStringLiteral("en");
    QString tt(const char *english) const; // termText in m_lang
    StageState m_state;
    // Per socket, the last "the kernel takes no more" signature seen (full, window 0,
    // drops): a step that fills a socket it did not name (a flood into a UDP receiver,
    // the peer's receive queue at EAGAIN) still shows that socket's line, once.
    std::unordered_map<int, QString> m_pressure;
    QString pressure(const SocketSnap &s);
    // print() output of the actors (Say events with an actor), shown under the step
    // that printed it: the trace position read up to.
    std::size_t m_outputScanned = 0;
    void printOutput(const QString &indent);
};

} // namespace sl::ui
