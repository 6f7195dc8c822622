// JSON Lines export and import of a Trace. One event per line; strings are written
// inline (not as pool indices) so a file is readable by people and by jq:
//   {"t":1234,"k":"call_end","a":0,"l":12,"s":3,"call":7,"err":11,"errname":"EAGAIN",…}
// errno stays numeric for an exact round trip; "errname" is for people and is ignored
// on import. Previews are text when their bytes are UTF-8, else "preview_b64".
// The first line is a header {"socketlab_trace":1,…} with metadata (lesson title,
// lab version). Import rebuilds an equal Trace: every field of every event, every
// string and preview; export(import(export(t))) is byte-identical to export(t).
#pragma once

#include "trace/trace.h"

#include <QIODevice>
#include <QMap>
#include <QString>

namespace sl::trace {

struct JsonlError {
    int line = 0; // 1-based line of the file, 0 = none
    QString message;
};

// meta: free-form key/values stored in the header line.
bool writeJsonl(const Trace &trace, QIODevice &out, const QMap<QString, QString> &meta = {});
bool readJsonl(QIODevice &in, Trace &into, QMap<QString, QString> *meta = nullptr,
               JsonlError *error = nullptr);

} // namespace sl::trace
