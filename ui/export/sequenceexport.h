// The sequence of a Snapshot as text: a Mermaid sequenceDiagram (for Markdown, slides
// and wikis that render Mermaid) and a plain-text ladder (for a terminal or an e-mail).
// Both read the ladder's items in trace order — each call as the sequence's cell reads
// it (`s.send(1000000) → 6144`), each wire arrow (data with its byte count, FIN, RST)
// from one actor to another — so they say what the picture shows.
//
// Thread affinity: GUI thread (reads the Snapshot's widgets and model).
#pragma once

#include <QString>

namespace sl::ui {

class Snapshot;

// `sequenceDiagram`, one `participant` per actor, a `Note over` per call, `->>` for
// data, `--)` for FIN, `-x` for RST. Mermaid's `;` and `#` are written as entity codes.
QString sequenceMermaid(const Snapshot &snap, const QString &title = {});
// One line per item: the time in seconds, the actor (or `from → to`), the text.
QString sequencePlainText(const Snapshot &snap, const QString &title = {});

} // namespace sl::ui
