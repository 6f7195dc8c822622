#include "script/parser.h"

#include <QTest>

using namespace sl::script;

class TstDiagnostics : public QObject {
    Q_OBJECT
private slots:
    void unknownCall();
};

void TstDiagnostics::unknownCall()
{
    const auto r = parse(QStringLiteral("client: s.sned(b\"x\")\n"));
    QVERIFY(!r.program);
}

QTEST_APPLESS_MAIN(TstDiagnostics)
#include "tst_diagnostics.moc"
