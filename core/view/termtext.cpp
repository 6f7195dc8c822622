#include "view/termtext.h"

#include <QHash>
#include <QRegularExpression>
#include <vector>

namespace sl::ui {

namespace {

const QHash<QString, QString> &phrases() {
    static const QHash<QString, QString> t = {
        // the report (textreport.cpp)
        {QStringLiteral("partial: %L1 of %L2 bytes"),
         QStringLiteral("부분 전송: %L2바이트 중 %L1바이트")},
        {QStringLiteral("… %1 is blocked in %2()"), QStringLiteral("… %1: %2()에서 블록됨")},
        {QStringLiteral("… %1 is still running"), QStringLiteral("… %1: 아직 실행 중")},
        {QStringLiteral("… waits: %1 is still busy with an earlier step"),
         QStringLiteral("… 대기: %1이(가) 앞 단계를 아직 처리 중")},
        {QStringLiteral("… waits: %1 is still in %2()"),
         QStringLiteral("… 대기: %1이(가) 아직 %2() 안에 있음")},
        {QStringLiteral("(narration failed: %1)"), QStringLiteral("(설명을 만들지 못함: %1)")},
        {QStringLiteral("(line %1, %2) "), QStringLiteral("(%1행, %2) ")},
        {QStringLiteral("closed: descriptor released"), QStringLiteral("닫힘: 디스크립터 해제")},
        {QStringLiteral(" (peer's window 0)"), QStringLiteral(" (상대의 윈도 0)")},
        {QStringLiteral(" (full: window 0)"), QStringLiteral(" (가득 참: 윈도 0)")},
        {QStringLiteral(" (full)"), QStringLiteral(" (가득 참)")},
        {QStringLiteral(" full"), QStringLiteral(" 가득 참")},
        {QStringLiteral("  non-blocking"), QStringLiteral("  논블로킹")},
        {QStringLiteral(" peer-closed"), QStringLiteral(" 상대가 닫음")},
        {QStringLiteral("trace: %1 events written to %2"),
         QStringLiteral("트레이스: 이벤트 %1개를 %2에 기록")},
        // questions (engine/questionprompt.cpp)
        {QStringLiteral("Predict"), QStringLiteral("예측")},
        {QStringLiteral("your answer (Enter skips): "), QStringLiteral("답 (Enter: 건너뛰기): ")},
        {QStringLiteral("a number"), QStringLiteral("숫자")},
        {QStringLiteral("yes or no"), QStringLiteral("예 또는 아니요")},
        {QStringLiteral("right: you said %1, the kernel said %2"),
         QStringLiteral("정답: %1(이)라고 답했고, 커널의 답도 %2")},
        {QStringLiteral("wrong: you said %1, the kernel said %2"),
         QStringLiteral("오답: %1(이)라고 답했지만, 커널의 답은 %2")},
        {QStringLiteral("the kernel said %1"), QStringLiteral("커널의 답: %1")},
        {QStringLiteral("the answer could not be read: %1"),
         QStringLiteral("답을 읽을 수 없음: %1")},
        {QStringLiteral("questions: %1 of %2 right"), QStringLiteral("질문: %2개 중 %1개 정답")},
        {QStringLiteral("yes"), QStringLiteral("예")},
        {QStringLiteral("no"), QStringLiteral("아니요")},
        {QStringLiteral("(skipped)"), QStringLiteral("(건너뜀)")},
        {QStringLiteral("hint: %1"), QStringLiteral("힌트: %1")},
    };
    return t;
}

struct Pattern {
    QRegularExpression re;
    QString ko;
};

// Messages built elsewhere, arguments already in: \1, \2 are the captures.
const std::vector<Pattern> &patterns() {
    static const std::vector<Pattern> p = [] {
        std::vector<Pattern> v;
        const auto add = [&](const char *re, const char *ko) {
            v.push_back({QRegularExpression(QString::fromUtf8(re)), QString::fromUtf8(ko)});
        };
        // LabPolicyError (engine/addresspolicy.cpp, calls.cpp, methods.cpp, helpers.cpp,
        // wirecalls.cpp). A host name is shown with the address it resolved to; '' and
        // 0.0.0.0 as every address. The more specific shapes come first.
        add(R"(^(\w+)\(\) to '(.*)' \(which resolves to (.+)\) refused: Socket Lab keeps experiments on loopback \(127\.0\.0\.1\), so nothing it does is reachable from, or sent to, the network\. Start the lab with --allow-lan to do this for real\.$)",
            "'\\2'(해석된 주소 \\3)(으)로의 \\1() 거부: Socket Lab은 실험을 루프백(127.0.0.1) 안에 "
            "둡니다. 네트워크에서 닿거나 네트워크로 나가는 것은 없습니다. 실제로 하려면 "
            "--allow-lan으로 시작하세요.");
        add(R"(^(\w+)\(\) to '(.*)' \(every address of this machine\) refused: Socket Lab keeps experiments on loopback \(127\.0\.0\.1\), so nothing it does is reachable from, or sent to, the network\. Start the lab with --allow-lan to do this for real\.$)",
            "'\\2'(이 기계의 모든 주소)(으)로의 \\1() 거부: Socket Lab은 실험을 루프백(127.0.0.1) "
            "안에 둡니다. 네트워크에서 닿거나 네트워크로 나가는 것은 없습니다. 실제로 하려면 "
            "--allow-lan으로 시작하세요.");
        add(R"(^(\w+)\(\) to (.+) refused: Socket Lab keeps experiments on loopback \(127\.0\.0\.1\), so nothing it does is reachable from, or sent to, the network\. Start the lab with --allow-lan to do this for real\.$)",
            "\\2(으)로의 \\1() 거부: Socket Lab은 실험을 루프백(127.0.0.1) 안에 둡니다. "
            "네트워크에서 "
            "닿거나 네트워크로 나가는 것은 없습니다. 실제로 하려면 --allow-lan으로 시작하세요.");
        add(R"(^(\w+)\.close\(\) while another actor is inside a call on it: Linux would leave that call blocked for ever\. Call (\w+)\.shutdown\(SHUT_RDWR\) first; it wakes the call\.$)",
            "다른 액터가 \\1의 호출 안에 있는 동안 \\1.close(): 리눅스는 그 호출을 영원히 블록된 "
            "채로 "
            "둡니다. 먼저 \\2.shutdown(SHUT_RDWR)을 호출하세요. 그 호출을 깨웁니다.");
        add(R"(^a lab has at most (\d+) actors$)", "랩의 액터는 최대 \\1개입니다");
        add(R"(^this actor already relays a Wire: .*$)",
            "이 액터는 이미 Wire를 중계합니다. Wire의 호출은 만든 액터의 레인에 기록되므로 "
            "Wire마다 "
            "액터를 따로 두세요 (예: `wire2: w2 = Wire(…)`)");
        // diagnostics (script/parse*.cpp), the most common ones
        add(R"(^unknown call '(.+)'$)", "알 수 없는 호출 '\\1'");
        add(R"(^did you mean '(.+)'\?$)", "'\\1'을(를) 말한 건가요?");
        add(R"(^name '(.+)' is not defined yet$)", "이름 '\\1'이(가) 아직 정의되지 않았습니다");
        add(R"(^assign it in an earlier step, e\.g\. `(.+)`$)",
            "앞 단계에서 대입하세요. 예: `\\1`");
        add(R"(^statement without an actor$)", "액터가 없는 문장");
        add(R"(^prefix it with the actor that runs it, e\.g\. `(.+)`$)",
            "실행할 액터를 앞에 붙이세요. 예: `\\1`");
        add(R"(^unexpected indent$)", "예상하지 못한 들여쓰기");
        add(R"(^a blank to fill in: replace ___ with your code$)",
            "채울 빈칸: ___을(를) 코드로 바꾸세요");
        add(R"(^hint: (.+)$)", "힌트: \\1");
        add(R"(^ask with no actor step after it$)", "뒤에 액터 단계가 없는 ask");
        add(R"(^ask needs `answer EXPR`$)", "ask에는 `answer 식`이 필요합니다");
        add(R"(^the script has errors; nothing ran$)",
            "스크립트에 오류가 있어 아무것도 실행하지 않았습니다");
        // Python's messages, errno by name (sys/errors)
        add(R"(^\[Errno (\d+)\] (\w+): Resource temporarily unavailable$)",
            "[Errno \\1] \\2: 자원을 일시적으로 사용할 수 없음");
        add(R"(^\[Errno (\d+)\] (\w+): Connection refused$)", "[Errno \\1] \\2: 연결 거부됨");
        add(R"(^\[Errno (\d+)\] (\w+): Connection reset by peer$)",
            "[Errno \\1] \\2: 상대가 연결을 리셋함");
        add(R"(^\[Errno (\d+)\] (\w+): Broken pipe$)", "[Errno \\1] \\2: 파이프가 끊어짐");
        add(R"(^\[Errno (\d+)\] (\w+): Bad file descriptor$)",
            "[Errno \\1] \\2: 잘못된 파일 디스크립터");
        add(R"(^\[Errno (\d+)\] (\w+): Address already in use$)",
            "[Errno \\1] \\2: 주소가 이미 사용 중");
        add(R"(^timed out$)", "시간 초과");
        return v;
    }();
    return p;
}

} // namespace

QString termText(const QString &lang, const char *english) {
    const QString en = QString::fromUtf8(english);
    if (lang != QLatin1String("ko"))
        return en;
    return phrases().value(en, en);
}

QString termMessage(const QString &lang, const QString &english) {
    if (lang != QLatin1String("ko"))
        return english;
    const auto it = phrases().constFind(english);
    if (it != phrases().constEnd())
        return *it;
    // "BlockingIOError: [Errno 11] …": the class stays (it is Python's name), the rest is
    // looked up on its own.
    const qsizetype colon = english.indexOf(QLatin1String(": "));
    for (const Pattern &p : patterns()) {
        const QRegularExpressionMatch m = p.re.match(english);
        if (m.hasMatch()) {
            QString out = p.ko;
            for (int i = m.lastCapturedIndex(); i >= 1; --i)
                out.replace(QStringLiteral("\\%1").arg(i), m.captured(i));
            return out;
        }
    }
    if (colon > 0 && !english.left(colon).contains(u' ')) {
        const QString rest = termMessage(lang, english.mid(colon + 2));
        if (rest != english.mid(colon + 2))
            return english.left(colon + 2) + rest;
    }
    return english;
}

} // namespace sl::ui
