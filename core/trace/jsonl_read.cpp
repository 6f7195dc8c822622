// JSONL reader. Event lines are flat objects of strings and integers, so they are parsed
// by a small scanner (QJsonDocument per line costs several seconds per million events);
// only the header line goes through QJsonDocument. Every malformed input ends in a
// message with its line number, never in a crash: the scanner checks every bound.
#include "trace/jsonl.h"
#include "trace/jsonl_schema.h"
#include "trace/jsonl_text.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <string_view>

namespace sl::trace {

using namespace detail;

namespace {

const Pair *findKey(const std::vector<Pair> &pairs, std::string_view key) {
    // Last one wins, as in most JSON readers.
    for (auto it = pairs.rbegin(); it != pairs.rend(); ++it)
        if (it->key == key)
            return &*it;
    return nullptr;
}

bool rangeFor(FieldType t, std::int64_t *lo, std::int64_t *hi) {
    switch (t) {
    case FieldType::U8:
        *lo = 0, *hi = 0xff;
        return true;
    case FieldType::U16:
        *lo = 0, *hi = 0xffff;
        return true;
    case FieldType::I16:
        *lo = INT16_MIN, *hi = INT16_MAX;
        return true;
    case FieldType::I32:
        *lo = INT32_MIN, *hi = INT32_MAX;
        return true;
    case FieldType::I64:
        *lo = INT64_MIN, *hi = INT64_MAX;
        return true;
    default:
        return false;
    }
}

class Reader {
public:
    explicit Reader(Trace &into)
        : m_trace(into) {}

    bool readHeader(std::string_view line, QMap<QString, QString> *meta, QString *error) {
        QJsonParseError pe;
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray(line.data(), qsizetype(line.size())), &pe);
        if (doc.isNull() || !doc.isObject() || !doc.object().contains(u"socketlab_trace")) {
            *error = QStringLiteral("missing header line {\"socketlab_trace\":1,…}");
            return false;
        }
        const QJsonObject obj = doc.object();
        const QJsonValue version = obj.value(u"socketlab_trace");
        if (!version.isDouble() || (version.toDouble() != 1.0 && version.toDouble() != 2.0)) {
            *error = QStringLiteral("unsupported trace format version %1")
                         .arg(version.toVariant().toString());
            return false;
        }
        m_version = int(version.toDouble());
        const QJsonValue m = obj.value(u"meta");
        if (!m.isUndefined() && !m.isObject()) {
            *error = QStringLiteral("header \"meta\" must be an object");
            return false;
        }
        // Version 2 keeps what the run was at the top level; it reads back into the map
        // under its own names and the version-1 names the window used.
        QJsonObject mo = m.toObject();
        if (m_version >= 2) {
            for (auto it = obj.begin(); it != obj.end(); ++it) {
                if (it.key() == u"socketlab_trace" || it.key() == u"meta" || it.value().isNull())
                    continue;
                if (!it.value().isString()) {
                    *error =
                        QStringLiteral("header \"%1\" must be a string").arg(it.key().left(40));
                    return false;
                }
                mo.insert(it.key(), it.value());
                static const QHash<QString, QString> v1Names = {
                    {QStringLiteral("lesson"), QStringLiteral("lesson_id")},
                    {QStringLiteral("title"), QStringLiteral("lesson_title")},
                    {QStringLiteral("lab_version"), QStringLiteral("version")}};
                const QString alias = v1Names.value(it.key());
                if (!alias.isEmpty() && !mo.contains(alias))
                    mo.insert(alias, it.value());
            }
        }
        for (auto it = mo.begin(); it != mo.end(); ++it) {
            if (!it.value().isString()) {
                *error = QStringLiteral("header meta \"%1\" must be a string").arg(it.key());
                return false;
            }
            if (it.key().size() > MaxMetaChars || it.value().toString().size() > MaxMetaChars) {
                *error = QStringLiteral("header meta \"%1\" is longer than the limit of %2 "
                                        "characters")
                             .arg(it.key().left(40))
                             .arg(MaxMetaChars);
                return false;
            }
            if (meta)
                meta->insert(it.key(), it.value().toString());
        }
        return true;
    }

    enum class LineKind { Event, Trailer };

    // An event line or the trailer {"socketlab_trace_end":1,"events":N[,"interrupted":true]}.
    bool readLine(std::string_view line, LineKind *kind, QString *error) {
        if (!scanFlatObject(line, &m_pairs, error))
            return false;
        if (!findKey(m_pairs, "socketlab_trace_end")) {
            *kind = LineKind::Event;
            return readEvent(error);
        }
        *kind = LineKind::Trailer;
        std::int64_t v = 0;
        if (!intField("socketlab_trace_end", 1, 1, true, &v, error) ||
            !intField("events", 0, INT64_MAX, true, &m_trailerEvents, error))
            return false;
        if (const Pair *p = findKey(m_pairs, "interrupted")) {
            if (p->value.type != Value::Literal || p->value.num < 0) {
                *error = QStringLiteral("field \"interrupted\" must be true or false");
                return false;
            }
            m_interrupted = p->value.num == 1;
        }
        return true;
    }

    std::int64_t trailerEvents() const { return m_trailerEvents; }
    bool interrupted() const { return m_interrupted; }
    std::int64_t events() const { return m_events; }

private:
    bool readEvent(QString *error) {
        Event e;
        const bool v1 = m_version < 2;
        const char *kindKey = v1 ? "k" : "kind";
        const Pair *k = findKey(m_pairs, kindKey);
        if (!k || k->value.type != Value::String) {
            *error = QStringLiteral("missing event kind \"%1\"").arg(QLatin1String(kindKey));
            return false;
        }
        const std::string kindName(k->value.str);
        if (!eventKindFromName(kindName.c_str(), &e.kind)) {
            *error = QStringLiteral("unknown event kind \"%1\"").arg(QString::fromUtf8(kindName));
            return false;
        }
        std::int64_t v = 0;
        if (!intField(v1 ? "t" : "t_ns", INT64_MIN, INT64_MAX, true, &v, error))
            return false;
        e.tNs = v;
        v = NoActor;
        if (!intField(v1 ? "a" : "actor", 0, 0xff, false, &v, error))
            return false;
        e.actor = std::uint8_t(v);
        v = 0;
        if (!intField(v1 ? "l" : "line", 0, std::numeric_limits<decltype(e.line)>::max(), false, &v,
                      error))
            return false;
        e.line = std::uint16_t(v);
        v = -1;
        if (!intField(v1 ? "s" : "sock", INT32_MIN, INT32_MAX, false, &v, error))
            return false;
        e.sock = std::int32_t(v);

        if (!readPadding(&e, error))
            return false;
        const KindSchema &schema = schemaFor(e.kind);
        for (int i = 0; i < schema.count; ++i)
            if (!readField(&e, schema.fields[i], error))
                return false;
        if (!checkEvent(e, m_trace, &m_sockets, error))
            return false;
        m_trace.append(e);
        ++m_events;
        return true;
    }

    bool intField(const char *name, std::int64_t lo, std::int64_t hi, bool required,
                  std::int64_t *out, QString *error) {
        const Pair *pair = findKey(m_pairs, name);
        if (!pair) {
            if (required)
                *error = QStringLiteral("missing field \"%1\"").arg(QLatin1String(name));
            return !required;
        }
        if (pair->value.type != Value::Int) {
            *error = QStringLiteral("field \"%1\" must be an integer, found %2")
                         .arg(QLatin1String(name), QLatin1String(typeName(pair->value.type)));
            return false;
        }
        if (pair->value.num < lo || pair->value.num > hi) {
            *error = QStringLiteral("field \"%1\" out of range: %2")
                         .arg(QLatin1String(name))
                         .arg(pair->value.num);
            return false;
        }
        *out = pair->value.num;
        return true;
    }

    // A version-2 field written as a name (jsonl_names.h); a plain integer is taken too.
    bool namedField(const Field &f, std::int64_t lo, std::int64_t hi, std::int64_t *out,
                    QString *error) {
        const Pair *pair = findKey(m_pairs, f.name);
        if (!pair) {
            if (!f.optional && f.absent == 0) {
                *error = QStringLiteral("missing field \"%1\"").arg(QLatin1String(f.name));
                return false;
            }
            return true;
        }
        QString why;
        std::int64_t v = 0;
        if (!readNamed(f.names, pair->value, &v, &why)) {
            *error = QStringLiteral("field \"%1\" %2").arg(QLatin1String(f.name), why);
            return false;
        }
        if (v < lo || v > hi) {
            *error =
                QStringLiteral("field \"%1\" out of range: %2").arg(QLatin1String(f.name)).arg(v);
            return false;
        }
        *out = v;
        return true;
    }

    bool stringField(const Pair &pair, QString *out, QString *error) {
        if (pair.value.type != Value::String) {
            *error = QStringLiteral("field \"%1\" must be a string, found %2")
                         .arg(QString::fromUtf8(pair.key.data(), qsizetype(pair.key.size())),
                              QLatin1String(typeName(pair.value.type)));
            return false;
        }
        QString why;
        if (!decodeJsonString(pair.value.str, pair.value.escaped, out, &why)) {
            *error = QStringLiteral("field \"%1\": %2")
                         .arg(QString::fromUtf8(pair.key.data(), qsizetype(pair.key.size())), why);
            return false;
        }
        if (out->size() > MaxStringChars) {
            *error = QStringLiteral("field \"%1\" is longer than the limit of %2 characters")
                         .arg(QString::fromUtf8(pair.key.data(), qsizetype(pair.key.size())))
                         .arg(MaxStringChars);
            return false;
        }
        return true;
    }

    // Every field is assigned, present or not (absent = Field::absent, normally 0), so
    // that bytes a pad_hex line carried for a field are overwritten by the field itself.
    bool readField(Event *e, const Field &f, QString *error) {
        unsigned char *dst = e->raw + f.offset;
        std::uint32_t ref = 0;
        if (f.type == FieldType::Str || f.type == FieldType::Preview) {
            if (!readRef(f, &ref, error))
                return false;
            std::memcpy(dst, &ref, sizeof ref);
            return true;
        }
        std::int64_t lo = 0, hi = 0, v = f.absent;
        rangeFor(f.type, &lo, &hi);
        if (m_version >= 2 && f.names != Names::None) {
            if (!namedField(f, lo, hi, &v, error))
                return false;
        } else if (!intField(f.name, lo, hi, !f.optional && f.absent == 0, &v, error)) {
            return false;
        }
        // Little-endian host: the low bytes of v are the field's value.
        std::memcpy(dst, &v, fieldSize(f.type));
        return true;
    }

    bool readRef(const Field &f, std::uint32_t *ref, QString *error) {
        QString text;
        if (f.type == FieldType::Str) {
            const Pair *pair = findKey(m_pairs, f.name);
            if (pair) {
                if (!stringField(*pair, &text, error))
                    return false;
                *ref = m_trace.intern(text);
            }
            return true;
        }
        QByteArray bytes;
        if (const Pair *pair = findKey(m_pairs, f.name)) {
            if (!stringField(*pair, &text, error))
                return false;
            bytes = text.toUtf8();
        } else if (const Pair *b64 = findKey(m_pairs, PreviewB64Key)) {
            if (!stringField(*b64, &text, error))
                return false;
            auto r = QByteArray::fromBase64Encoding(text.toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
            if (!r) {
                *error = QStringLiteral("field \"%1\" is not valid base64")
                             .arg(QLatin1String(PreviewB64Key));
                return false;
            }
            bytes = *r;
        }
        if (std::size_t(bytes.size()) > Trace::PreviewMax) {
            // The lab keeps PreviewMax bytes of a payload; a longer one would be cut here
            // and not written back the same.
            *error = QStringLiteral("preview of %1 bytes, more than the %2 kept")
                         .arg(bytes.size())
                         .arg(Trace::PreviewMax);
            return false;
        }
        *ref = m_trace.addPreview(bytes.constData(), std::size_t(bytes.size()));
        return true;
    }

    bool readPadding(Event *e, QString *error) {
        const Pair *pair = findKey(m_pairs, PadKey);
        if (!pair)
            return true;
        QString hex;
        if (!stringField(*pair, &hex, error))
            return false;
        const QByteArray bytes = QByteArray::fromHex(hex.toLatin1());
        if (hex.size() != 96 || bytes.size() != 48 || bytes.toHex() != hex.toLatin1()) {
            *error = QStringLiteral("field \"%1\" must be 96 lowercase hex digits")
                         .arg(QLatin1String(PadKey));
            return false;
        }
        std::memcpy(e->raw, bytes.constData(), 48);
        return true;
    }

    Trace &m_trace;
    int m_version = 1; // from the header
    std::vector<Pair> m_pairs;
    std::int32_t m_sockets = 0; // declared by socket_new lines so far
    std::int64_t m_events = 0;
    std::int64_t m_trailerEvents = -1;
    bool m_interrupted = false;
};

QString sizeText(qint64 bytes) {
    return bytes >= (1 << 20) ? QStringLiteral("%1 MiB").arg(bytes >> 20)
                              : QStringLiteral("%1 KiB").arg(bytes >> 10);
}

} // namespace

// Lines are found with one pass over the bytes: the search for a newline resumes where
// the last one stopped (it used to restart at the line's start after every chunk, which
// made a long line quadratic), and a line longer than its limit is refused as soon as
// the limit is passed, without reading the rest of it.
bool readJsonl(QIODevice &in, Trace &into, QMap<QString, QString> *meta, JsonlError *error,
               const JsonlReadOptions &options) {
    into.clear();
    if (options.interrupted)
        *options.interrupted = false;
    // A file's previews were already within the recording's cap; dropping some now would
    // make the import differ from the file, so the cap is lifted while reading.
    const std::size_t cap = into.previewBytesCap();
    into.setPreviewBytesCap(std::numeric_limits<std::size_t>::max());
    constexpr qsizetype Chunk = 1 << 20;
    const qint64 total = in.isSequential() ? 0 : in.size();
    qint64 done = 0;
    Reader reader(into);
    QByteArray buf;
    qsizetype pos = 0;  // start of the current line in buf
    qsizetype scan = 0; // bytes of the current line already searched for a newline
    int lineNo = 0, trailerLine = 0;
    bool eof = false, haveHeader = false, ok = true, incomplete = false, cancelled = false;
    QString message;

    while (ok) {
        const qsizetype nl = buf.indexOf('\n', scan);
        const qint64 limit = haveHeader ? MaxLineBytes : MaxHeaderBytes;
        if ((nl < 0 ? buf.size() : nl) - pos > limit) {
            ok = false;
            ++lineNo;
            message = QStringLiteral("the line is longer than the limit of %1 for %2")
                          .arg(sizeText(limit), haveHeader ? QStringLiteral("an event line")
                                                           : QStringLiteral("the header"));
            break;
        }
        if (nl < 0 && !eof) {
            buf.remove(0, pos); // only the start of one line is kept: at most `limit` bytes
            scan = buf.size();
            pos = 0;
            // No more than the device still holds (a small file makes a small buffer).
            const qint64 want =
                in.isSequential() ? Chunk : std::clamp<qint64>(in.size() - in.pos(), 1, Chunk);
            buf.resize(scan + qsizetype(want));
            const qint64 n = in.read(buf.data() + scan, want);
            buf.resize(scan + qsizetype(n > 0 ? n : 0));
            eof = n <= 0;
            done += n > 0 ? n : 0;
            if (options.progress && !options.progress(done, total)) {
                ok = false;
                cancelled = true;
                message = QStringLiteral("reading was cancelled");
            }
            continue;
        }
        if (nl < 0 && pos >= buf.size())
            break;
        const qsizetype lineEnd = nl < 0 ? buf.size() : nl;
        std::string_view line(buf.constData() + pos, std::size_t(lineEnd - pos));
        pos = scan = lineEnd + 1;
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue; // blank lines (a trailing newline, an editor's extra line) are fine
        if (!haveHeader) {
            ok = reader.readHeader(line, meta, &message);
            haveHeader = true;
            continue;
        }
        if (trailerLine) {
            ok = false;
            message = QStringLiteral("text after the end line (line %1)").arg(trailerLine);
            break;
        }
        Reader::LineKind kind = Reader::LineKind::Event;
        ok = reader.readLine(line, &kind, &message);
        if (!ok && nl < 0) {
            // The last line, cut short with no newline: the writer was stopped mid-line.
            incomplete = true;
            message = QStringLiteral("incomplete trace: the last line is cut short (%1); "
                                     "%2 events were read")
                          .arg(message)
                          .arg(reader.events());
        }
        if (ok && kind == Reader::LineKind::Trailer)
            trailerLine = lineNo;
    }
    if (ok && !haveHeader) {
        ok = false;
        lineNo = 1;
        message = QStringLiteral("empty file: missing header line {\"socketlab_trace\":1,…}");
    } else if (ok && !trailerLine) {
        ok = false;
        incomplete = true;
        ++lineNo;
        message = QStringLiteral("incomplete trace: it has no end line "
                                 "{\"socketlab_trace_end\":1,…} (the recording was cut "
                                 "short); %1 events were read")
                      .arg(reader.events());
    } else if (ok && reader.trailerEvents() != reader.events()) {
        ok = false;
        incomplete = true;
        lineNo = trailerLine;
        message = QStringLiteral("incomplete trace: the end line counts %1 events, the file "
                                 "has %2")
                      .arg(reader.trailerEvents())
                      .arg(reader.events());
    }
    if (ok && options.interrupted)
        *options.interrupted = reader.interrupted();
    if (options.progress && !cancelled)
        options.progress(done, total);
    into.setPreviewBytesCap(cap);
    if (!ok && error) {
        error->line = lineNo;
        error->message = message;
        error->incomplete = incomplete;
        error->cancelled = cancelled;
    }
    return ok;
}

} // namespace sl::trace
