// Thread affinity, checked rather than only written: the feed, the cursor and the
// models of the views live on the GUI thread and must only be called there (each
// header's "Thread affinity" paragraph). Actors and the sampler append to the trace from
// their own threads; a view reached from one of them would race with painting. In a
// debug build such a call stops at once, where it is made (Q_ASSERT: free in release).
#pragma once

#include <QThread>

// In a QObject's member function: the caller is on the object's thread.
#define SL_ASSERT_OWN_THREAD()                                                                     \
    Q_ASSERT_X(QThread::currentThread() == thread(), Q_FUNC_INFO,                                  \
               "called from another thread than the object's (see its Thread affinity)")
