// JSON Lines export and import of a Trace. One event per line; strings are written
// inline (not as pool indices) so a file is readable by people, jq and pandas. The format
// is documented field by field in resources/doc/trace-format.md. Version 2 (written now):
//   {"t_ns":1234,"kind":"call_end","actor":0,"line":12,"sock":3,"call":"send",
//    "err":"EAGAIN","flags":"nonblocking",…}
// calls, errnos, TCP and actor states, address families, socket types, flag and
// readiness sets are names; booleans are true/false; no internal field (version 1's
// "pad_hex") is written. Previews are text when their bytes are UTF-8, else "preview_b64".
// The first line is a header {"socketlab_trace":2,"lab_version":…,"kernel":…,"lesson":…,
// "title":…,"source":…,"meta":{…}}; the last line is a trailer
// {"socketlab_trace_end":1,"events":N} with the number of event lines, so that a file cut
// short (a killed writer, a full disk) is told from a complete one. A run that was
// interrupted (the CLI got SIGINT, SIGTERM or SIGHUP) ends with
// {"socketlab_trace_end":1,"events":N,"interrupted":true}: the file holds everything
// recorded until then and is complete, but the run is not.
// Import reads version 2 and version 1 (numbers, keys "t","k","a","l","s", "pad_hex")
// and rebuilds an equal Trace: every field of every event, every string and preview;
// export(import(export(t))) is byte-identical to export(t). The header's top-level values
// come back in the meta map under their names, and also under the version-1 names the
// window used ("lesson_id", "lesson_title", "version").
//
// Fields added after traces were already written (a sample's "peer_wnd", "rcv_mem",
// "drops") are always written and read as -1 ("n/a") when a line lacks them, so an older
// trace never shows a measured-looking 0.
// Import validates every value, so that no view is ever handed an id, count or length
// it could trust too far (a socket id of 2147483647 must not size an array):
//   - a line is at most MaxLineBytes (the header MaxHeaderBytes), refused as soon as
//     the limit is passed, without reading the rest of the line;
//   - a string is at most MaxStringChars UTF-16 units (a meta value MaxMetaChars); the
//     writer cuts longer strings (ending them with "…") so that every file it writes
//     reads back;
//   - socket ids ("s", "peer_sock", the ids in select sets) are -1 or a socket declared
//     by an earlier socket_new line, and socket_new declares the next id (0, 1, 2, …):
//     ids are dense, as the lab numbers them, so the largest id is below the number of
//     socket_new lines of the file;
//   - actor indices are below MaxActors or 255 (none); call ids at most MaxCallId;
//     enums (actor state, TCP state, flags, readiness) within their definitions;
//     descriptors, counts, sizes and durations non-negative or -1 where "n/a" exists;
//   - previews at most Trace::PreviewMax bytes.
// A bad value ends the import with "line N: …".
//
// Thread affinity: writeJsonl/JsonlWriter read the trace from one thread while others
// may append (they read below trace.size() only); readJsonl fills `into`, which no
// other thread may use meanwhile.
#pragma once

#include "trace/trace.h"

#include <QIODevice>
#include <QMap>
#include <QString>
#include <functional>
#include <memory>

namespace sl::trace {

// Why 1 MiB: an event line is ~100-300 bytes; its longest parts are at most three
// strings of MaxStringChars (≤ 6 bytes each when escaped) — well under 1 MiB. The header
// holds the lesson's source, hence its larger limit.
inline constexpr int JsonlFormatVersion = 2; // the version writeJsonl writes
inline constexpr qint64 MaxLineBytes = qint64(1) << 20;
inline constexpr qint64 MaxHeaderBytes = qint64(16) << 20;
inline constexpr qsizetype MaxStringChars = 32 * 1024; // narration, arguments, names
inline constexpr qsizetype MaxMetaChars = 2 * 1024 * 1024;
inline constexpr int MaxActors = 64;   // actor indices 0..63 (engine limit)
inline constexpr int MaxCallId = 1023; // script::CallId values are far below
inline constexpr int MaxFd = 1 << 24;  // far above any RLIMIT_NOFILE

struct JsonlError {
    int line = 0; // 1-based line of the file, 0 = none
    QString message;
    // The events were read (they are in `into`) but the file does not end with a trailer
    // that counts them: the recording was cut short. A caller may show what was read,
    // with a warning.
    bool incomplete = false;
    bool cancelled = false; // JsonlReadOptions::progress returned false
};

struct JsonlReadOptions {
    // Called after each chunk read (and once at the end) with the bytes consumed and the
    // device's size (0 when unknown). Return false to cancel. Called on the reading thread.
    std::function<bool(qint64 done, qint64 total)> progress;
    bool *interrupted = nullptr; // set from the trailer's "interrupted":true
};

struct JsonlWriteOptions {
    bool interrupted = false; // mark the trailer: the run was interrupted
};

// meta: free-form key/values stored in the header line.
bool writeJsonl(const Trace &trace, QIODevice &out, const QMap<QString, QString> &meta = {},
                const JsonlWriteOptions &options = {});
// Returns false on a malformed file (error->line/message say where and why; `into` keeps
// the events before the bad line), on an incomplete one (error->incomplete; `into` keeps
// every event) or when cancelled (error->cancelled).
bool readJsonl(QIODevice &in, Trace &into, QMap<QString, QString> *meta = nullptr,
               JsonlError *error = nullptr, const JsonlReadOptions &options = {});

// A writer that streams a trace while it grows (the CLI's --trace): the header first,
// then the events recorded since the last call, then the trailer. Every write goes
// through to `out` (a file written through a temporary one, e.g. QSaveFile).
// Thread affinity: one thread; the trace may grow meanwhile (appended from any thread).
class JsonlWriter {
public:
    JsonlWriter(const Trace &trace, QIODevice &out);
    ~JsonlWriter();
    JsonlWriter(const JsonlWriter &) = delete;
    JsonlWriter &operator=(const JsonlWriter &) = delete;

    bool writeHeader(const QMap<QString, QString> &meta);
    // Writes the events [written(), trace.size()) and hands them to the device.
    bool writeNew();
    // The trailer counting written() events. Nothing may be written after it.
    bool finish(const JsonlWriteOptions &options = {});
    std::size_t written() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sl::trace
