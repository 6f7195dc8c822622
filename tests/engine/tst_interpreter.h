// The interpreter's test class: values, operators and errors in tst_interpreter.cpp,
// the HOWTO helpers on real loopback sockets in tst_interpreter_helpers.cpp.
#pragma once

#include "labtest.h"

#include <QObject>

namespace interptest {

// A listener with 4 KiB receive buffers and a connected client with 4 KiB send
// buffers; the server has accepted `conn`.
inline const char *const Pair = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
)";

} // namespace interptest

class TestInterpreter : public QObject {
    Q_OBJECT
private slots:
    void values_data();
    void values();
    void tupleUnpackingAndLoops();
    void scriptErrors_data();
    void scriptErrors();
    void connectRefused();
    void sendAfterPeerClosed();
    void recvAfterReset();
    void bindPolicy_data();
    void bindPolicy();
    void policyJudgesTheResolvedAddress();
    void lessonTwoOffLoopback();
    void sendallAndRecvExactly();
    void recvUntilKeepsLeftover();
    void lengthPrefixedMessages();
    void selectRefusesFdAboveSetsize();
    void selectOnNothingIsASleep();
    void outcomeOfABackgroundStep();
};
