#include "script/parser.h"

#include <QTest>

using namespace sl::script;

class TstParser : public QObject {
    Q_OBJECT
private slots:
    void designExample();
};

void TstParser::designExample()
{
    const auto r = parse(QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)\n"));
    QVERIFY(r.program);
    QCOMPARE(r.program->steps.size(), size_t(1));
}

QTEST_APPLESS_MAIN(TstParser)
#include "tst_parser.moc"
