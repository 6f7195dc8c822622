// Export a parsed .lab program as a runnable Python 3 program (standard library only):
// `socketlab export --python`, File → Export as Python…
//
// The output keeps the lab's semantics (issue 11, section 3): one thread per actor, the
// global step order kept by the main thread (a step's handshake Event, or its call
// found asleep in the kernel — a blocked call does not stop the order, as in the lab),
// `say` as print() or comments, `expect` as `assert` on probe helpers that read the
// kernel (TCP_INFO, SIOCINQ/SIOCOUTQ), the Wire as a relay thread. The helpers are
// core/script/pyexport/runtime.py, order.py and wire.py (Qt resources), written into the file.
//
// Thread affinity: none (pure function of the program).
#pragma once

#include "script/ast.h"

namespace sl::script {

struct PyExportOptions {
    QString lang = QStringLiteral("en"); // the language of `say` lines ("en", "ko")
    bool comments = false;               // `say` as comments instead of print()
};

// The whole program as Python source text.
QString exportPython(const Program &program, const PyExportOptions &options = {});

// Why an expectation cannot hold in plain Python ("" when it can): the lab refuses some
// calls (LabPolicyError) that the kernel would perform.
QString unexportableReason(const Stmt &expect);

} // namespace sl::script
