// WatchWindow (File → Watch…, issue 11 §2): the stage of a running program the lab did
// not start. Every refresh (1 s) reads its TCP sockets through sys::WatchSockets and
// writes what changed into a trace of its own — a lane per process, a card per socket
// (SocketNew, SocketInfo, Sample), kernel-only sockets in the kernel lane, SocketClose
// when one is gone — so the ordinary StageView draws it unchanged. No calls are seen.
//
// The Lab it holds only carries that trace (no script is loaded, no actor runs).
//
// Its strings are English only (QStringLiteral, not tr()) until socketlab_ko.ts has them:
// tst_translations requires a Korean entry for every tr() string.
//
// Thread affinity: GUI thread. Owns its Lab, feed and stage; deletes itself on close.
#pragma once

#include "sys/watchsockets.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QLabel;

namespace sl::engine {
class Lab;
}

namespace sl::ui {

class TraceFeed;
class StageView;

class WatchWindow : public QWidget {
    Q_OBJECT
public:
    // pid > 0: that process; otherwise every socket on `port`.
    WatchWindow(pid_t pid, int port, QWidget *parent = nullptr);
    ~WatchWindow() override;
    // Asks for "PID" or ":PORT" and opens the window; nullptr when cancelled.
    static WatchWindow *ask(QWidget *parent);
    void refresh();
    engine::Lab *lab() const { return m_lab; }

private:
    struct Known {
        int sock = -1;
        bool seen = false;
    };
    int actorFor(pid_t pid);
    sys::WatchSockets m_watch;
    pid_t m_pid;
    int m_port;
    engine::Lab *m_lab;
    TraceFeed *m_feed;
    StageView *m_stage;
    QLabel *m_status;
    QTimer m_timer;
    QHash<QString, Known> m_known; // inode, or "local|peer" of a kernel-only socket
    QHash<pid_t, int> m_actors;
    int m_nextSock = 0;
};

} // namespace sl::ui
