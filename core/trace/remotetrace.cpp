#include "trace/remotetrace.h"

#include "trace/jsonl_schema.h"

#include <QByteArray>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace sl::trace {

void forEachRef(Event &e, const std::function<void(StrRef &)> &str,
                const std::function<void(StrRef &)> &preview) {
    const detail::KindSchema &k = detail::schemaFor(e.kind);
    for (int i = 0; i < k.count; ++i) {
        const detail::Field &f = k.fields[i];
        if (f.type != detail::FieldType::Str && f.type != detail::FieldType::Preview)
            continue;
        StrRef r;
        std::memcpy(&r, e.raw + f.offset, sizeof r);
        if (f.type == detail::FieldType::Str)
            str(r);
        else
            preview(r);
        std::memcpy(e.raw + f.offset, &r, sizeof r);
    }
}

RemoteReader::RemoteReader(Trace &trace, int fd, Trace::ForkPoint fork, std::uint8_t actor)
    : m_trace(trace)
    , m_fd(fd)
    , m_fork(fork)
    , m_actor(actor) {}

StrRef RemoteReader::mapString(StrRef r) const {
    if (r < m_fork.strings)
        return r; // the child's copy of the pool: the same ref here
    return m_strings.value(r, 0);
}

StrRef RemoteReader::mapPreview(StrRef r) const {
    if (r <= m_fork.previews)
        return r;
    return m_previews.value(r, 0);
}

std::size_t RemoteReader::feed(const char *data, std::size_t len) {
    std::size_t used = 0;
    for (;;) {
        const char *p = data + used;
        const std::size_t left = len - used;
        if (left < 1)
            return used;
        switch (p[0]) {
        case Trace::RemoteEvent: {
            if (left < 1 + sizeof(Event))
                return used;
            Event e;
            std::memcpy(static_cast<void *>(&e), p + 1, sizeof(Event));
            if (e.kind >= EventKind::Count_) // never from our own child; do not index past
                return len;
            forEachRef(
                e, [&](StrRef &r) { r = mapString(r); }, [&](StrRef &r) { r = mapPreview(r); });
            // Every event the child records is its own: its actor (a Note or a Sample
            // with no actor stays without one).
            if (e.actor != NoActor)
                e.actor = m_actor;
            m_trace.append(e);
            ++m_appended;
            used += 1 + sizeof(Event);
            break;
        }
        case Trace::RemoteString: {
            if (left < 1 + 8)
                return used;
            StrRef ref;
            std::uint32_t n;
            std::memcpy(&ref, p + 1, 4);
            std::memcpy(&n, p + 5, 4);
            if (left < 9 + std::size_t(n))
                return used;
            m_strings.insert(ref, m_trace.intern(QString::fromUtf8(p + 9, qsizetype(n))));
            used += 9 + n;
            break;
        }
        case Trace::RemotePreview: {
            if (left < 1 + 5)
                return used;
            StrRef ref;
            std::memcpy(&ref, p + 1, 4);
            const std::size_t n = std::uint8_t(p[5]);
            if (left < 6 + n)
                return used;
            m_previews.insert(ref, m_trace.addPreview(p + 6, n));
            used += 6 + n;
            break;
        }
        default:
            return len; // a corrupt stream: drop the rest rather than misread it
        }
    }
}

std::size_t RemoteReader::run() {
    QByteArray buf;
    char chunk[16384];
    for (;;) {
        const ssize_t r = ::read(m_fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        buf.append(chunk, r);
        const std::size_t used = feed(buf.constData(), std::size_t(buf.size()));
        buf.remove(0, qsizetype(used));
    }
    return m_appended;
}

} // namespace sl::trace
