// The bindings against CPython (issue 9): the rows in tst_cpython_bind.cpp, what only
// the lab shows (the trace, the policy, the diagnostics) in tst_cpython_bind_trace.cpp.
#pragma once

#include "tst_cpython.h"

class TestCPythonBind : public QObject {
    Q_OBJECT
private slots:
    void table_data();
    void table();
    void makefileSendsOnFlush();
    void pollIsRecordedLikeSelect();
    void unixPathPolicyAndCleanup();
    void diagnostics_data();
    void diagnostics();
};
