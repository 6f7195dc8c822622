// JSONL writer. Hand-written rather than QJsonDocument per line: a lab run of a million
// events must export in about a second, and the byte-exact re-export guarantee needs a
// fixed key order and number format that we control.
#include "trace/jsonl.h"
#include "trace/jsonl_schema.h"
#include "trace/jsonl_text.h"

#include <charconv>
#include <cstring>
#include <optional>
#include <sys/utsname.h>

namespace sl::trace {

using namespace detail;

namespace {

std::int64_t readField(const unsigned char *raw, const Field &f) {
    const unsigned char *p = raw + f.offset;
    switch (f.type) {
    case FieldType::U8:
        return *p;
    case FieldType::U16: {
        std::uint16_t v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
    case FieldType::I16: {
        std::int16_t v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
    case FieldType::I32: {
        std::int32_t v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
    case FieldType::I64: {
        std::int64_t v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
    case FieldType::Str:
    case FieldType::Preview: {
        std::uint32_t v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
    }
    return 0;
}

// "Linux 6.1.0-18-amd64": the kernel the run's numbers come from.
QString kernelVersion() {
    utsname u{};
    if (::uname(&u) != 0)
        return {};
    return QString::fromLocal8Bit(u.sysname) + u' ' + QString::fromLocal8Bit(u.release);
}

// Strings longer than the reader accepts are cut (ending in "…") so that every file
// written reads back; a surrogate pair is never split.
QString cut(const QString &s, qsizetype max) {
    if (s.size() <= max)
        return s;
    qsizetype n = max - 1;
    if (QChar::isHighSurrogate(s.at(n - 1).unicode()))
        --n;
    return s.left(n) + QChar(0x2026);
}

} // namespace

struct JsonlWriter::Impl {
    Impl(const Trace &trace, QIODevice &out)
        : m_trace(trace)
        , m_out(out) {
        m_buf.reserve(64 * 1024); // grows to FlushAt for large traces
    }

    // Version 2: the format version, then what the run was (lab version, kernel, lesson,
    // title, script source) at the top level, then any other keys under "meta". The
    // version-1 names the window and the CLI used for the same things are folded in.
    bool writeHeader(const QMap<QString, QString> &meta) {
        QMap<QString, QString> rest = meta;
        const auto take = [&rest](std::initializer_list<const char *> keys) {
            QString found;
            bool have = false;
            for (const char *k : keys) {
                const auto it = rest.constFind(QLatin1String(k));
                if (it == rest.constEnd())
                    continue;
                if (!have)
                    found = it.value();
                have = true;
                rest.remove(QLatin1String(k));
            }
            return have ? std::optional<QString>(found) : std::nullopt;
        };
        m_buf += "{\"socketlab_trace\":";
        appendInt(JsonlFormatVersion);
        const auto field = [this](const char *name, const std::optional<QString> &v) {
            key(name);
            if (v)
                appendJsonString(m_buf, cut(*v, MaxMetaChars));
            else
                m_buf += "null";
        };
        field("lab_version", take({"lab_version", "version"}));
        std::optional<QString> kernel = take({"kernel"});
        if (!kernel)
            kernel = kernelVersion();
        field("kernel", kernel);
        field("lesson", take({"lesson", "lesson_id"}));
        field("title", take({"title", "lesson_title"}));
        field("source", take({"source"}));
        m_buf += ",\"meta\":{";
        bool first = true;
        for (auto it = rest.cbegin(); it != rest.cend(); ++it) {
            if (!first)
                m_buf += ',';
            first = false;
            appendJsonString(m_buf, cut(it.key(), MaxMetaChars));
            m_buf += ':';
            appendJsonString(m_buf, cut(it.value(), MaxMetaChars));
        }
        m_buf += "}}\n";
        return true;
    }

    bool writeEvent(const Event &e) {
        if (std::size_t(e.kind) >= std::size_t(EventKind::Count_))
            return false; // not representable: import would reject the kind name
        m_buf += "{\"t_ns\":";
        appendInt(e.tNs);
        m_buf += ",\"kind\":\"";
        m_buf += eventKindName(e.kind);
        m_buf += '"';
        if (e.actor != NoActor) {
            key("actor");
            appendInt(e.actor);
        }
        if (e.line != 0) {
            key("line");
            appendInt(e.line);
        }
        if (e.sock != -1) {
            key("sock");
            appendInt(e.sock);
        }

        const KindSchema &schema = schemaFor(e.kind);
        for (int i = 0; i < schema.count; ++i)
            writeField(e, schema.fields[i]);
        m_buf += "}\n";
        return m_buf.size() < FlushAt || flush();
    }

    bool flush() {
        if (m_buf.empty())
            return true;
        const qint64 n = m_out.write(m_buf.data(), qint64(m_buf.size()));
        const bool ok = n == qint64(m_buf.size());
        m_buf.clear();
        return ok;
    }

    bool writeTrailer(std::size_t events, const JsonlWriteOptions &options) {
        m_buf += "{\"socketlab_trace_end\":1,\"events\":";
        appendInt(std::int64_t(events));
        if (options.interrupted)
            m_buf += ",\"interrupted\":true";
        m_buf += "}\n";
        return flush();
    }

    static constexpr std::size_t FlushAt = 1u << 20;

    void key(const char *name) {
        m_buf += ",\"";
        m_buf += name;
        m_buf += "\":";
    }

    void appendInt(std::int64_t v) {
        char tmp[24];
        const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        m_buf.append(tmp, r.ptr);
    }

    void writeField(const Event &e, const Field &f) {
        const std::int64_t v = readField(e.raw, f);
        if (f.optional && v == 0)
            return;
        switch (f.type) {
        case FieldType::Str:
            if (v == 0)
                return; // "" and "none" are the same StrRef 0: absent either way
            key(f.name);
            appendString(StrRef(v));
            return;
        case FieldType::Preview:
            writePreview(StrRef(v));
            return;
        default:
            key(f.name);
            appendNamed(m_buf, f.names, v);
        }
    }

    void writePreview(StrRef ref) {
        if (ref == 0)
            return;
        const QByteArray bytes = m_trace.preview(ref);
        if (bytes.isEmpty())
            return;
        const QString text = QString::fromUtf8(bytes);
        // Readable text when the bytes are exactly UTF-8, base64 otherwise (binary, or a
        // multibyte character cut by the PreviewMax limit).
        if (text.toUtf8() == bytes) {
            key("preview");
            appendJsonString(m_buf, text);
        } else {
            key(PreviewB64Key);
            const QByteArray b64 = bytes.toBase64();
            m_buf += '"';
            m_buf.append(b64.constData(), std::size_t(b64.size()));
            m_buf += '"';
        }
    }

    // Arguments and names repeat across thousands of events: escape each StrRef once.
    void appendString(StrRef ref) {
        if (ref >= m_cache.size())
            m_cache.resize(std::size_t(ref) + 1);
        std::string &cached = m_cache[ref];
        if (cached.empty())
            appendJsonString(cached, cut(m_trace.text(ref), MaxStringChars));
        m_buf += cached;
    }

    const Trace &m_trace;
    QIODevice &m_out;
    std::string m_buf;
    std::vector<std::string> m_cache;
    std::size_t m_written = 0;
    bool m_finished = false;
};

JsonlWriter::JsonlWriter(const Trace &trace, QIODevice &out)
    : d(std::make_unique<Impl>(trace, out)) {}

JsonlWriter::~JsonlWriter() = default;

bool JsonlWriter::writeHeader(const QMap<QString, QString> &meta) {
    d->writeHeader(meta);
    return d->flush();
}

bool JsonlWriter::writeNew() {
    if (d->m_finished)
        return false;
    Impl &w = *d;
    const std::size_t n = w.m_trace.size();
    for (std::size_t i = w.m_written; i < n; ++i) {
        if (!w.writeEvent(w.m_trace.event(i)))
            return false;
        w.m_written = i + 1;
    }
    return w.flush();
}

bool JsonlWriter::finish(const JsonlWriteOptions &options) {
    if (d->m_finished)
        return false;
    d->m_finished = true;
    return d->writeTrailer(d->m_written, options);
}

std::size_t JsonlWriter::written() const {
    return d->m_written;
}

bool writeJsonl(const Trace &trace, QIODevice &out, const QMap<QString, QString> &meta,
                const JsonlWriteOptions &options) {
    // The events as they are now; any appended meanwhile wait for the next save.
    JsonlWriter w(trace, out);
    return w.writeHeader(meta) && w.writeNew() && w.finish(options);
}

} // namespace sl::trace
