// The parent's end of a forked child's trace (Trace's remote mode, trace.h): reads the
// child's pipe until EOF, maps the child's string and preview refs to this trace's, and
// appends the events, their actor byte rewritten to the child's actor.
//
// Which fields of an Event are StrRefs or preview refs is the JSONL schema's list
// (jsonl_schema.cpp): one table, so a field added to a kind is mapped here too.
//
// Thread affinity: a RemoteReader runs on its own thread (engine/forks.cpp starts one
// per child); the Trace it appends to is thread-safe.
#pragma once

#include "trace/trace.h"

#include <QHash>
#include <functional>

namespace sl::trace {

// Calls f(StrRef &) on every string-ref field of e (by its kind), and g(StrRef &) on
// every preview-ref field.
void forEachRef(Event &e, const std::function<void(StrRef &)> &str,
                const std::function<void(StrRef &)> &preview);

class RemoteReader {
public:
    // fork: the sizes at the fork (refs below them are shared); actor: the byte every
    // event of the child gets (its own actor in the views).
    RemoteReader(Trace &trace, int fd, Trace::ForkPoint fork, std::uint8_t actor);
    // Reads until EOF (or an error); returns the number of events appended.
    std::size_t run();
    // Parses bytes already read (tests feed it directly); returns bytes consumed.
    std::size_t feed(const char *data, std::size_t len);

private:
    StrRef mapString(StrRef r) const;
    StrRef mapPreview(StrRef r) const;
    Trace &m_trace;
    int m_fd;
    Trace::ForkPoint m_fork;
    std::uint8_t m_actor;
    QHash<StrRef, StrRef> m_strings, m_previews; // child ref -> this trace's ref
    std::size_t m_appended = 0;
};

} // namespace sl::trace
