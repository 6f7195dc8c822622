// libFuzzer entry for the trace reader: any bytes must read or fail with a message,
// never crash, hang, hit undefined behaviour or allocate by a value's size. And the
// round-trip property: whatever events a read kept (all of a good file, the prefix of a
// bad or incomplete one) write out as a file that reads back, and writing that again
// gives identical bytes — read → write → read → write is a fixed point.
#include "trace/jsonl.h"

#include <QBuffer>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

QByteArray writeOut(const sl::trace::Trace &t, const QMap<QString, QString> &meta,
                    bool interrupted) {
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    if (!sl::trace::writeJsonl(t, out, meta, {interrupted}))
        std::abort();
    return out.data();
}

bool readIn(const QByteArray &bytes, sl::trace::Trace &t, QMap<QString, QString> *meta,
            sl::trace::JsonlError *err, bool *interrupted) {
    QBuffer in;
    in.setData(bytes);
    in.open(QIODevice::ReadOnly);
    sl::trace::JsonlReadOptions opts;
    opts.interrupted = interrupted;
    return sl::trace::readJsonl(in, t, meta, err, opts);
}

// The first write may add to what the read kept, never lose or change it: the writer
// records the running kernel when no "kernel" was given, and a version-2 file reads back
// under both its names (title and lesson_title, …). Only a version-1 alias that names
// the same thing as its version-2 key (both given, the writer keeps the version-2 one)
// may change.
bool keepsMeta(const QMap<QString, QString> &before, const QMap<QString, QString> &after) {
    static const QMap<QString, QString> v2Name = {
        {QStringLiteral("lesson_title"), QStringLiteral("title")},
        {QStringLiteral("lesson_id"), QStringLiteral("lesson")},
        {QStringLiteral("version"), QStringLiteral("lab_version")}};
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const QString v2 = v2Name.value(it.key());
        if (!v2.isEmpty() && before.contains(v2))
            continue;
        if (!after.contains(it.key()) || after.value(it.key()) != it.value())
            return false;
    }
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (!before.contains(it.key()) && it.key() != QLatin1String("kernel") &&
            !v2Name.contains(it.key()) && !v2Name.values().contains(it.key()))
            return false;
    }
    return true;
}

void fail(const char *what, const sl::trace::JsonlError &e) {
    std::fprintf(stderr, "fuzz_jsonl: %s: line %d: %s\n", what, e.line, qPrintable(e.message));
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    // One trace, reused: building a Trace's chunk tables for every input is slow.
    static sl::trace::Trace trace;
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QMap<QString, QString> meta;
    sl::trace::JsonlError err;
    bool interrupted = false;
    const bool ok = readIn(input, trace, &meta, &err, &interrupted);
    if (!ok && (err.message.isEmpty() || err.line < 0 || err.cancelled))
        fail("a failure without a message", err);

    const std::size_t events = trace.size();
    const QByteArray w1 = writeOut(trace, meta, interrupted);
    QMap<QString, QString> meta2;
    sl::trace::JsonlError err2;
    bool interrupted2 = false;
    if (!readIn(w1, trace, &meta2, &err2, &interrupted2))
        fail("the writer's own output does not read back", err2);
    if (trace.size() != events || interrupted2 != interrupted || !keepsMeta(meta, meta2))
        fail("the re-read differs", err2);
    const QByteArray w2 = writeOut(trace, meta2, interrupted2);
    if (w1 != w2) {
        std::fprintf(stderr, "fuzz_jsonl: write(read(write(x))) != write(x)\n");
        std::abort();
    }
    // After one write the metadata is in its version-2 form: reading it again changes
    // nothing.
    QMap<QString, QString> meta3;
    if (!readIn(w2, trace, &meta3, &err2, &interrupted2) || meta3 != meta2)
        fail("the metadata is not a fixed point", err2);
    return 0;
}
