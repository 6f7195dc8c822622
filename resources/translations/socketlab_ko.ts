<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>CursorFollow</name>
    <message>
        <source>Back to live</source>
        <translation>실시간으로 돌아가기</translation>
    </message>
    <message>
        <source>Go to the Start</source>
        <translation>처음으로</translation>
    </message>
    <message>
        <source>Go to the End (Live)</source>
        <translation>끝으로 (실시간)</translation>
    </message>
    <message>
        <source>Previous Call</source>
        <translation>이전 호출</translation>
    </message>
    <message>
        <source>Next Call</source>
        <translation>다음 호출</translation>
    </message>
    <message>
        <source>Press F10 (Step) to take the first step.</source>
        <translation>F10(한 단계)을 눌러 첫 단계를 실행하세요.</translation>
    </message>
    <message>
        <source>Expectation failed: %1</source>
        <translation>기대 실패: %1</translation>
    </message>
    <message>
        <source>Expectation failed: %1 — found: %2</source>
        <translation>기대 실패: %1 — 실제: %2</translation>
    </message>
    <message>
        <source>Replay, at %1 — press Step or Ctrl+L to return to the live lab</source>
        <translation>재생 중, %1 시점 — 한 단계 또는 Ctrl+L을 누르면 실시간 랩으로 돌아갑니다</translation>
    </message>
    <message>
        <source>Looking back at %1 — press End or Step to return to live</source>
        <translation>%1 시점을 되돌아보는 중 — End 또는 한 단계를 누르면 실시간으로 돌아갑니다</translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <source>Picture copied to the clipboard</source>
        <translation>그림을 클립보드에 복사했습니다</translation>
    </message>
    <message>
        <source>&amp;Export Picture…</source>
        <translation>그림 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>The stage and the sequence as they look now: SVG, PNG, Mermaid or text</source>
        <translation>지금 보이는 무대와 시퀀스: SVG, PNG, Mermaid 또는 텍스트</translation>
    </message>
    <message>
        <source>&amp;Copy Picture</source>
        <translation>그림 복사(&amp;C)</translation>
    </message>
    <message>
        <source>There is nothing to export yet.</source>
        <translation>아직 내보낼 것이 없습니다.</translation>
    </message>
    <message>
        <source>Export Picture</source>
        <translation>그림 내보내기</translation>
    </message>
    <message>
        <source>Stage and sequence</source>
        <translation>무대와 시퀀스</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>무대</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>시퀀스</translation>
    </message>
    <message>
        <source>SVG picture (vector)</source>
        <translation>SVG 그림 (벡터)</translation>
    </message>
    <message>
        <source>PNG picture (2× pixels)</source>
        <translation>PNG 그림 (2배 픽셀)</translation>
    </message>
    <message>
        <source>Mermaid sequence diagram (text)</source>
        <translation>Mermaid 시퀀스 다이어그램 (텍스트)</translation>
    </message>
    <message>
        <source>Plain text sequence</source>
        <translation>일반 텍스트 시퀀스</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>표시:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>형식:</translation>
    </message>
    <message>
        <source>SVG pictures (*.svg)</source>
        <translation>SVG 그림 (*.svg)</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 그림 (*.png)</translation>
    </message>
    <message>
        <source>Mermaid diagrams (*.mmd *.md)</source>
        <translation>Mermaid 다이어그램 (*.mmd *.md)</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>텍스트 파일 (*.txt)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1(으)로 내보냈습니다</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&lt;h3&gt;Socket Lab %1&lt;/h3&gt;&lt;p&gt;Run real BSD socket calls step by step and watch the kernel.&lt;/p&gt;&lt;p&gt;Licence: %2 (free software: see the LICENSE file).&lt;/p&gt;&lt;p&gt;Qt %3 (built with %4)&lt;br&gt;Kernel: %5&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Socket Lab %1&lt;/h3&gt;&lt;p&gt;실제 BSD 소켓 호출을 한 단계씩 실행하며 커널을 지켜봅니다.&lt;/p&gt;&lt;p&gt;라이선스: %2 (자유 소프트웨어: LICENSE 파일 참고).&lt;/p&gt;&lt;p&gt;Qt %3 (빌드: %4)&lt;br&gt;커널: %5&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Socket Lab</source>
        <translation>Socket Lab 정보</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>.lab &amp;Reference</source>
        <translation>.lab 레퍼런스(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;About Socket Lab</source>
        <translation>Socket Lab 정보(&amp;A)</translation>
    </message>
    <message>
        <source>.lab Reference</source>
        <translation>.lab 레퍼런스</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>%1  kernel-only  %2 → %3</source>
        <translation>%1  커널 전용  %2 → %3</translation>
    </message>
    <message>
        <source>%1  fd %2</source>
        <translation>%1  fd %2</translation>
    </message>
    <message>
        <source>%1  (closed)</source>
        <translation>%1  (닫힘)</translation>
    </message>
    <message>
        <source>no socket at this point</source>
        <translation>이 시점에는 소켓이 없습니다</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>해당 없음</translation>
    </message>
    <message>
        <source>the kernel (no descriptor)</source>
        <translation>커널 (디스크립터 없음)</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>사라짐</translation>
    </message>
    <message>
        <source>closed (descriptor released)</source>
        <translation>닫힘 (디스크립터 해제됨)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>non-blocking</source>
        <translation>논블로킹</translation>
    </message>
    <message>
        <source>blocking</source>
        <translation>블로킹</translation>
    </message>
    <message>
        <source>yes: seen only through sock_diag</source>
        <translation>예: sock_diag로만 보임</translation>
    </message>
    <message>
        <source>no</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>%1 s (time cursor at event %2)</source>
        <translation>%1초 (시간 커서: 이벤트 %2)</translation>
    </message>
    <message>
        <source>The socket to inspect. It follows the socket of the call at the cursor until you pick one here or click its card on the stage; a click on the stage&apos;s background follows the calls again.</source>
        <translation>살펴볼 소켓. 여기서 고르거나 무대에서 그 카드를 클릭할 때까지 커서 위치의 호출이 쓴 소켓을 따라갑니다. 무대의 빈 곳을 클릭하면 다시 호출을 따라갑니다.</translation>
    </message>
    <message>
        <source>%1 / %2 memory</source>
        <translation>%1 / %2 메모리</translation>
    </message>
    <message>
        <source>%1 / %2 data</source>
        <translation>%1 / %2 데이터</translation>
    </message>
    <message>
        <source>full</source>
        <translation>가득 참</translation>
    </message>
    <message>
        <source>window 0</source>
        <translation>window 0</translation>
    </message>
    <message>
        <source>datagrams: %1</source>
        <translation>데이터그램: %1</translation>
    </message>
    <message>
        <source>drops: %1</source>
        <translation>버림: %1</translation>
    </message>
    <message>
        <source>Window 0: the receive queue is full. SO_RCVBUF (%1) counts memory, not data: the kernel charges every packet its buffer&apos;s overhead (sk_buff), so only about half, ~%2 bytes, holds data.</source>
        <translation>window 0: 수신 큐가 가득 찼습니다. SO_RCVBUF(%1)는 데이터가 아니라 메모리를 셉니다: 커널은 패킷마다 버퍼(sk_buff)의 부가 비용을 함께 계산하므로, 그 절반쯤인 약 %2바이트만 데이터를 담습니다.</translation>
    </message>
    <message>
        <source>Window 0: the peer&apos;s receive queue is full, so it advertises no room and nothing more leaves this send queue until the peer reads.</source>
        <translation>window 0: 상대의 수신 큐가 가득 차서 남은 공간이 없다고 알리므로, 상대가 읽을 때까지 이 송신 큐에서 더는 아무것도 나가지 않습니다.</translation>
    </message>
</context>
<context>
    <name>KernelModel</name>
    <message>
        <source>n/a</source>
        <translation>해당 없음</translation>
    </message>
    <message>
        <source>Bytes in the queue. For a listener, as in ss: Recv-Q is the accept queue and Send-Q the backlog.</source>
        <translation>큐에 있는 바이트 수. 리스너는 ss와 같이 Recv-Q가 accept 큐, Send-Q가 backlog입니다.</translation>
    </message>
    <message>
        <source>Netid</source>
        <translation>Netid</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Recv-Q</source>
        <translation>Recv-Q</translation>
    </message>
    <message>
        <source>Send-Q</source>
        <translation>Send-Q</translation>
    </message>
    <message>
        <source>Local address:port</source>
        <translation>로컬 주소:포트</translation>
    </message>
    <message>
        <source>Peer address:port</source>
        <translation>상대 주소:포트</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>소유자</translation>
    </message>
    <message>
        <source>UNCONN</source>
        <translation>UNCONN</translation>
    </message>
    <message>
        <source>no descriptor</source>
        <translation>디스크립터 없음</translation>
    </message>
    <message>
        <source>fd %1 %2</source>
        <translation>fd %1 %2</translation>
    </message>
    <message>
        <source>fd %1 %2 (%3)</source>
        <translation>fd %1 %2 (%3)</translation>
    </message>
    <message>
        <source>Seen only through sock_diag: the kernel keeps this connection, but no descriptor of the lab refers to it.</source>
        <translation>sock_diag로만 보입니다: 커널은 이 연결을 유지하지만, 랩의 어떤 디스크립터도 이를 가리키지 않습니다.</translation>
    </message>
</context>
<context>
    <name>LadderView</name>
    <message>
        <source>%L1 bytes</source>
        <translation>%L1바이트</translation>
    </message>
    <message>
        <source>FIN</source>
        <translation>FIN</translation>
    </message>
    <message>
        <source>RST</source>
        <translation>RST</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>시간 (초)</translation>
    </message>
</context>
<context>
    <name>LessonModel</name>
    <message>
        <source>✓ done</source>
        <translation>✓ 완료</translation>
    </message>
    <message>
        <source>Lesson %1: %2%3</source>
        <translation>레슨 %1: %2%3</translation>
    </message>
    <message>
        <source>, finished</source>
        <translation>, 완료</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>레슨</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>절</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>완료</translation>
    </message>
</context>
<context>
    <name>LessonsDock</name>
    <message>
        <source>Lessons</source>
        <translation>레슨</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Study note section: %1</source>
        <translation>학습 노트 절: %1</translation>
    </message>
    <message>
        <source>Double-click a lesson to open it.</source>
        <translation>레슨을 더블클릭하면 열립니다.</translation>
    </message>
    <message>
        <source>%1 of %2 finished</source>
        <translation>%2개 중 %1개 완료</translation>
    </message>
    <message>
        <source>Level %1</source>
        <translation>레벨 %1</translation>
    </message>
    <message>
        <source>%1 ✓</source>
        <translation>%1 ✓</translation>
    </message>
    <message>
        <source>%1 (not yet)</source>
        <translation>%1 (아직)</translation>
    </message>
    <message>
        <source>after: %1</source>
        <translation>먼저: %1</translation>
    </message>
    <message>
        <source>1 question to predict</source>
        <translation>예측할 질문 1개</translation>
    </message>
    <message>
        <source>%1 questions to predict</source>
        <translation>예측할 질문 %1개</translation>
    </message>
    <message>
        <source>an exercise</source>
        <translation>연습 문제</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Socket Lab</source>
        <translation>소켓 랩</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>랩</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>한 단계</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>시퀀스</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>스크립트</translation>
    </message>
    <message>
        <source>&amp;Lab</source>
        <translation>랩(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>Socket Lab — %1</source>
        <translation>소켓 랩 — %1</translation>
    </message>
    <message>
        <source>%1 does not parse</source>
        <translation>%1: 구문 분석 실패</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>확대</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>축소</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>원래 크기</translation>
    </message>
    <message>
        <source>Zoom %1%</source>
        <translation>확대/축소 %1%</translation>
    </message>
    <message>
        <source>Back to live: the views show the lab now. Press Step again for the next step.</source>
        <translation>실시간으로 돌아왔습니다: 이제 화면은 랩의 현재를 보여 줍니다. 다음 단계는 한 단계를 한 번 더 누르세요.</translation>
    </message>
    <message>
        <source>New experiment</source>
        <translation>새 실험</translation>
    </message>
    <message>
        <source>The script in the editor holds typed work. Discard it and start an empty experiment?</source>
        <translation>편집기의 스크립트에 직접 입력한 내용이 있습니다. 버리고 빈 실험을 시작할까요?</translation>
    </message>
    <message>
        <source>An exercise: fill in the ___ in the script and apply it. %1</source>
        <translation>연습 문제: 스크립트의 ___를 채우고 적용하세요. %1</translation>
    </message>
    <message>
        <source>Watch a Running Program…</source>
        <translation>실행 중인 프로그램 지켜보기…</translation>
    </message>
</context>
<context>
    <name>Playground</name>
    <message>
        <source>&amp;Playground</source>
        <translation>플레이그라운드(&amp;P)</translation>
    </message>
    <message>
        <source>New experiment</source>
        <translation>새 실험</translation>
    </message>
    <message>
        <source>Start from an empty script: every action below adds its line</source>
        <translation>빈 스크립트에서 시작합니다: 아래의 각 동작이 한 줄씩 추가합니다</translation>
    </message>
    <message>
        <source>Save experiment…</source>
        <translation>실험 저장…</translation>
    </message>
    <message>
        <source>Run the script to its end (or start a new experiment) to add steps by hand</source>
        <translation>단계를 직접 추가하려면 스크립트를 끝까지 실행하세요 (또는 새 실험을 시작하세요)</translation>
    </message>
    <message>
        <source>New experiment: each playground action adds its line to the script</source>
        <translation>새 실험: 플레이그라운드 동작마다 스크립트에 한 줄이 추가됩니다</translation>
    </message>
    <message>
        <source>Not performed: %1</source>
        <translation>실행하지 않음: %1</translation>
    </message>
    <message>
        <source>Waiting for the step in progress: %1</source>
        <translation>진행 중인 단계를 기다리는 중: %1</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>거부됨</translation>
    </message>
    <message>
        <source>Not performed: %1 — %2</source>
        <translation>실행하지 않음: %1 — %2</translation>
    </message>
    <message>
        <source>Performed: %1</source>
        <translation>실행함: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Run the script to its end to add steps by hand</source>
        <translation>단계를 직접 추가하려면 스크립트를 끝까지 실행하세요</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Saved the experiment to %1</source>
        <translation>실험을 %1에 저장했습니다</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>실험 저장</translation>
    </message>
    <message>
        <source>Lab scripts (*.lab)</source>
        <translation>랩 스크립트 (*.lab)</translation>
    </message>
</context>
<context>
    <name>PlaygroundDialog</name>
    <message>
        <source>Playground — %1</source>
        <translation>플레이그라운드 — %1</translation>
    </message>
    <message>
        <source>Actor:</source>
        <translation>액터:</translation>
    </message>
    <message>
        <source>Socket:</source>
        <translation>소켓:</translation>
    </message>
    <message>
        <source>Connect to the address of:</source>
        <translation>연결할 주소의 소켓:</translation>
    </message>
    <message>
        <source>0 (the kernel picks a port)</source>
        <translation>0 (커널이 포트를 고름)</translation>
    </message>
    <message>
        <source>Port on 127.0.0.1:</source>
        <translation>127.0.0.1의 포트:</translation>
    </message>
    <message>
        <source>Backlog:</source>
        <translation>backlog:</translation>
    </message>
    <message>
        <source>Bytes:</source>
        <translation>바이트 수:</translation>
    </message>
    <message>
        <source>At most (bytes):</source>
        <translation>최대 (바이트):</translation>
    </message>
    <message>
        <source>Size (bytes; the kernel doubles it):</source>
        <translation>크기 (바이트, 커널이 두 배로 잡음):</translation>
    </message>
    <message>
        <source>or type a text to send instead</source>
        <translation>또는 대신 보낼 텍스트를 입력</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>텍스트:</translation>
    </message>
    <message>
        <source>SHUT_RD — no more receiving</source>
        <translation>SHUT_RD — 더 이상 받지 않음</translation>
    </message>
    <message>
        <source>SHUT_WR — no more sending (sends FIN)</source>
        <translation>SHUT_WR — 더 이상 보내지 않음 (FIN 전송)</translation>
    </message>
    <message>
        <source>SHUT_RDWR — both</source>
        <translation>SHUT_RDWR — 둘 다</translation>
    </message>
    <message>
        <source>False — calls return EAGAIN instead of waiting</source>
        <translation>False — 호출이 기다리지 않고 EAGAIN을 반환</translation>
    </message>
    <message>
        <source>True — calls wait</source>
        <translation>True — 호출이 기다림</translation>
    </message>
    <message>
        <source>SO_SNDBUF — send buffer</source>
        <translation>SO_SNDBUF — 송신 버퍼</translation>
    </message>
    <message>
        <source>SO_RCVBUF — receive buffer</source>
        <translation>SO_RCVBUF — 수신 버퍼</translation>
    </message>
    <message>
        <source>Option:</source>
        <translation>옵션:</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>모드:</translation>
    </message>
    <message>
        <source>read</source>
        <translation>읽기</translation>
    </message>
    <message>
        <source>write</source>
        <translation>쓰기</translation>
    </message>
    <message>
        <source>error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 초</translation>
    </message>
    <message>
        <source>no timeout (wait until one is ready)</source>
        <translation>타임아웃 없음 (준비될 때까지 대기)</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>타임아웃:</translation>
    </message>
    <message>
        <source>Perform</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>The line added to the script:</source>
        <translation>스크립트에 추가되는 줄:</translation>
    </message>
</context>
<context>
    <name>Presentation</name>
    <message>
        <source>Narration</source>
        <translation>해설</translation>
    </message>
    <message>
        <source>Presentation Mode</source>
        <translation>발표 모드</translation>
    </message>
    <message>
        <source>Large type and only the stage, the sequence and the narration, for a projector (F11)</source>
        <translation>프로젝터용: 큰 글씨로 무대, 시퀀스, 해설만 표시 (F11)</translation>
    </message>
    <message>
        <source>Leave Presentation Mode</source>
        <translation>발표 모드 끝내기</translation>
    </message>
</context>
<context>
    <name>PyExportAction</name>
    <message>
        <source>Export as &amp;Python…</source>
        <translation>&amp;Python으로 내보내기…</translation>
    </message>
    <message>
        <source>Write this experiment as a runnable Python 3 program: one thread per actor, expect lines as asserts</source>
        <translation>이 실험을 실행할 수 있는 Python 3 프로그램으로 씁니다: 액터마다 스레드 하나, expect 줄은 assert로</translation>
    </message>
    <message>
        <source>The script does not parse.</source>
        <translation>스크립트를 해석할 수 없습니다.</translation>
    </message>
    <message>
        <source>The script does not parse: line %1: %2</source>
        <translation>스크립트를 해석할 수 없습니다: %1번째 줄: %2</translation>
    </message>
    <message>
        <source>Export as Python</source>
        <translation>Python으로 내보내기</translation>
    </message>
    <message>
        <source>Python programs (*.py)</source>
        <translation>Python 프로그램 (*.py)</translation>
    </message>
</context>
<context>
    <name>QApplication</name>
    <message>
        <source>Window and narration language: en or ko (default: the last one chosen).</source>
        <translation>창과 해설의 언어: en 또는 ko (기본값: 마지막으로 고른 언어).</translation>
    </message>
    <message>
        <source>A lesson (number, name) or a .lab file.</source>
        <translation>레슨 (번호, 이름) 또는 .lab 파일.</translation>
    </message>
    <message>
        <source>Socket Lab</source>
        <translation>소켓 랩</translation>
    </message>
</context>
<context>
    <name>QuestionPanel</name>
    <message>
        <source>Yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>No</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>no</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>Answer, or skip, to go on: the lab waits for you.</source>
        <translation>답하거나 건너뛰어야 계속됩니다. 랩이 기다립니다.</translation>
    </message>
    <message>
        <source>Skipped. Step to see what the kernel decides.</source>
        <translation>건너뛰었습니다. 한 단계 실행해 커널이 무엇을 정하는지 보세요.</translation>
    </message>
    <message>
        <source>You said %1. Step to see what the kernel decides.</source>
        <translation>%1(이)라고 답했습니다. 한 단계 실행해 커널이 무엇을 정하는지 보세요.</translation>
    </message>
    <message>
        <source>The answer could not be read: %1</source>
        <translation>답을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The kernel said %1.</source>
        <translation>커널의 답: %1.</translation>
    </message>
    <message>
        <source>Right: you said %1, and the kernel said %2.</source>
        <translation>정답: %1(이)라고 답했고, 커널의 답도 %2입니다.</translation>
    </message>
    <message>
        <source>Not this time: you said %1, the kernel said %2.</source>
        <translation>이번엔 아닙니다: %1(이)라고 답했지만, 커널의 답은 %2입니다.</translation>
    </message>
    <message>
        <source>Predict, then step</source>
        <translation>예측한 뒤 실행</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>숫자</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>답하기</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>건너뛰기</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>아직 아닙니다</translation>
    </message>
    <message>
        <source>Line %1 did not hold (%2). Hint: %3</source>
        <translation>%1행이 성립하지 않았습니다 (%2). 힌트: %3</translation>
    </message>
</context>
<context>
    <name>QueueChart</name>
    <message>
        <source>send queue</source>
        <translation>송신 큐</translation>
    </message>
    <message>
        <source>receive queue</source>
        <translation>수신 큐</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>바이트</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>Select a socket to see its queues</source>
        <translation>소켓을 선택하면 큐를 볼 수 있습니다</translation>
    </message>
</context>
<context>
    <name>ScriptEditor</name>
    <message>
        <source>Click to set or clear a breakpoint (F9)</source>
        <translation>클릭하여 중단점 설정/해제 (F9)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>ScriptFiles</name>
    <message>
        <source>Open Script</source>
        <translation>스크립트 열기</translation>
    </message>
    <message>
        <source>Lab scripts (*.lab);;All files (*)</source>
        <translation>랩 스크립트 (*.lab);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Open &amp;Script…</source>
        <translation>스크립트 열기(&amp;S)…</translation>
    </message>
    <message>
        <source>Save S&amp;cript</source>
        <translation>스크립트 저장(&amp;C)</translation>
    </message>
    <message>
        <source>Save Script &amp;As…</source>
        <translation>다른 이름으로 스크립트 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>No recent scripts</source>
        <translation>최근 스크립트 없음</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 저장됨</translation>
    </message>
    <message>
        <source>Save Script</source>
        <translation>스크립트 저장</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Save Script As</source>
        <translation>다른 이름으로 스크립트 저장</translation>
    </message>
    <message>
        <source>Lab scripts (*.lab)</source>
        <translation>랩 스크립트 (*.lab)</translation>
    </message>
    <message>
        <source>Unsaved script</source>
        <translation>저장하지 않은 스크립트</translation>
    </message>
    <message>
        <source>The script in the editor has changes that are not saved. Save them?</source>
        <translation>편집기의 스크립트에 저장하지 않은 변경이 있습니다. 저장할까요?</translation>
    </message>
</context>
<context>
    <name>ScriptPanel</name>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>Toggle Breakpoint</source>
        <translation>중단점 전환</translation>
    </message>
    <message>
        <source>Run speed: the pause between steps (1× = 600 ms)</source>
        <translation>실행 속도: 단계 사이의 멈춤 (1× = 600 ms)</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>max</source>
        <translation>최대</translation>
    </message>
    <message>
        <source>Narration language</source>
        <translation>해설 언어</translation>
    </message>
    <message>
        <source>Load the edited script into the lab (Ctrl+Return); nothing runs</source>
        <translation>편집한 스크립트를 랩에 불러옵니다 (Ctrl+Return). 실행은 하지 않습니다</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>속도</translation>
    </message>
    <message>
        <source>Narration</source>
        <translation>해설</translation>
    </message>
    <message>
        <source>What each actor is doing now</source>
        <translation>각 액터가 지금 하는 일</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Applied: the lab was reset and runs the edited script.</source>
        <translation>적용됨: 랩을 초기화했고 편집한 스크립트를 실행합니다.</translation>
    </message>
    <message numerus="yes">
        <source>Not applied: %n error(s). The lab still runs the previous script.</source>
        <translation>
            <numerusform>적용되지 않음: 오류 %n개. 랩은 여전히 이전 스크립트를 실행합니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>경고</translation>
    </message>
    <message>
        <source>%1:%2: %3: %4</source>
        <translation>%1:%2: %3: %4</translation>
    </message>
    <message>
        <source>hint: %1</source>
        <translation>힌트: %1</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>실행 취소</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>End of the lesson. This was the last one.</source>
        <translation>레슨이 끝났습니다. 마지막 레슨이었습니다.</translation>
    </message>
    <message>
        <source>End of the lesson.</source>
        <translation>레슨이 끝났습니다.</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>다음: %1</translation>
    </message>
</context>
<context>
    <name>SelectModel</name>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>a connection to accept</source>
        <translation>accept할 연결 1개</translation>
    </message>
    <message>
        <source>%1 connections to accept</source>
        <translation>accept할 연결 %1개</translation>
    </message>
    <message>
        <source>data waiting (%L1 bytes)</source>
        <translation>대기 중인 데이터 (%L1바이트)</translation>
    </message>
    <message>
        <source>peer closed (recv will return b&apos;&apos;)</source>
        <translation>상대가 닫음 (recv가 b&apos;&apos;를 반환함)</translation>
    </message>
    <message>
        <source>hung up: not connected or shut down both ways (recv returns b&apos;&apos;)</source>
        <translation>끊김: 연결되지 않았거나 양방향이 종료됨 (recv가 b&apos;&apos;를 반환)</translation>
    </message>
    <message>
        <source>error pending</source>
        <translation>대기 중인 오류 있음</translation>
    </message>
    <message>
        <source>no connection waiting</source>
        <translation>기다리는 연결 없음</translation>
    </message>
    <message>
        <source>nothing to read</source>
        <translation>읽을 것 없음</translation>
    </message>
    <message>
        <source>buffer space (%L1 of %L2 free)</source>
        <translation>버퍼 여유 공간 (%L2 중 %L1 비어 있음)</translation>
    </message>
    <message>
        <source>buffer space</source>
        <translation>버퍼 여유 공간</translation>
    </message>
    <message>
        <source>a listener is never writable</source>
        <translation>리스너는 결코 쓰기 가능하지 않음</translation>
    </message>
    <message>
        <source>send buffer full (%L1 bytes queued, SO_SNDBUF %L2)</source>
        <translation>송신 버퍼 가득 참 (%L1바이트 대기, SO_SNDBUF %L2)</translation>
    </message>
    <message>
        <source>not writable</source>
        <translation>쓰기 불가</translation>
    </message>
    <message>
        <source>urgent (out-of-band) data</source>
        <translation>긴급 (대역 외) 데이터</translation>
    </message>
    <message>
        <source>no urgent data (errors are reported in the read and write sets)</source>
        <translation>긴급 데이터 없음 (오류는 읽기·쓰기 집합에 보고됨)</translation>
    </message>
    <message>
        <source>ready (the last sample did not show it yet)</source>
        <translation>준비됨 (마지막 샘플에는 아직 나타나지 않음)</translation>
    </message>
    <message>
        <source>Call / socket</source>
        <translation>호출 / 소켓</translation>
    </message>
    <message>
        <source>Passed in</source>
        <translation>넘긴 집합</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>반환</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>이유</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>타임아웃</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>걸린 시간</translation>
    </message>
    <message>
        <source>Double-click to move the time cursor to where this select() returned.</source>
        <translation>더블클릭하면 이 select()가 반환된 시점으로 시간 커서를 옮깁니다.</translation>
    </message>
    <message>
        <source>No timeout: select() waits until a socket is ready.</source>
        <translation>타임아웃 없음: select()는 소켓이 준비될 때까지 기다립니다.</translation>
    </message>
    <message>
        <source>A zero timeout: select() only looks and never waits.</source>
        <translation>타임아웃 0: select()는 확인만 하고 기다리지 않습니다.</translation>
    </message>
    <message>
        <source>select() waits at most this long.</source>
        <translation>select()는 최대 이만큼 기다립니다.</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>0 (poll)</source>
        <translation>0 (poll)</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>준비 안 됨</translation>
    </message>
    <message>
        <source>ready (no kernel sample of it yet)</source>
        <translation>준비됨 (아직 커널 샘플 없음)</translation>
    </message>
    <message>
        <source>not ready (no kernel sample of it yet)</source>
        <translation>준비 안 됨 (아직 커널 샘플 없음)</translation>
    </message>
    <message>
        <source>Read set: recv() or accept() would not block. Write set: send() would not block. Exception set: urgent (out-of-band) data is waiting (POLLPRI) — not an error; a pending error (the stage&apos;s ERR light) makes a socket readable and writable instead.</source>
        <translation>읽기 집합: recv()나 accept()가 블록되지 않습니다. 쓰기 집합: send()가 블록되지 않습니다. 예외 집합: 긴급(대역 외) 데이터가 기다립니다(POLLPRI) — 오류가 아닙니다. 대기 중인 오류(무대의 ERR 표시등)는 대신 소켓을 읽기 가능·쓰기 가능으로 만듭니다.</translation>
    </message>
    <message>
        <source>exception set</source>
        <translation>예외 집합</translation>
    </message>
    <message>
        <source>Double-click to move the time cursor to where %1 returned. Its sockets are shown as select() sets: asked for POLLIN (EVENT_READ) in the read set, POLLOUT (EVENT_WRITE) in the write set; a hang-up or an error comes back in both.</source>
        <translation>더블클릭하면 시간 커서가 %1이(가) 반환한 곳으로 이동합니다. 소켓들은 select() 집합으로 보입니다: POLLIN(EVENT_READ)을 요청한 소켓은 읽기 집합에, POLLOUT(EVENT_WRITE)을 요청한 소켓은 쓰기 집합에 있습니다. 연결 끊김(hang-up)이나 에러는 양쪽 모두로 돌아옵니다.</translation>
    </message>
    <message>
        <source>line %1  %2  %3</source>
        <translation>%1행  %2  %3</translation>
    </message>
</context>
<context>
    <name>SelectPanel</name>
    <message>
        <source>No select() call yet. select(r, w, x, timeout) returns the sockets on which recv/accept, send, or urgent data would not block. poll(), epoll.poll() and selector.select() are shown here too.</source>
        <translation>아직 select() 호출이 없습니다. select(r, w, x, timeout)은 recv/accept, send 또는 긴급 데이터가 블록되지 않을 소켓들을 반환합니다. poll(), epoll.poll(), selector.select()도 여기에 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>SequenceModel</name>
    <message>
        <source>Time (s)</source>
        <translation>시간 (초)</translation>
    </message>
    <message>
        <source>actor %1</source>
        <translation>액터 %1</translation>
    </message>
    <message>
        <source>partial: %L1 of %L2 bytes</source>
        <translation>부분 전송: %L2바이트 중 %L1바이트</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>블록됨</translation>
    </message>
    <message>
        <source>returned 0 bytes: the peer closed its side, nothing more will come</source>
        <translation>0바이트 반환: 상대가 자기 쪽을 닫았고, 더는 아무것도 오지 않습니다</translation>
    </message>
</context>
<context>
    <name>SequencePanel</name>
    <message>
        <source>List</source>
        <translation>목록</translation>
    </message>
    <message>
        <source>Calls as rows, one column per actor</source>
        <translation>호출을 행으로, 액터마다 한 열</translation>
    </message>
    <message>
        <source>Ladder</source>
        <translation>사다리</translation>
    </message>
    <message>
        <source>A flow graph: the actors&apos; lifelines, with arrows for data delivered, FIN and RST</source>
        <translation>흐름도: 액터들의 생명선과, 전달된 데이터·FIN·RST를 나타내는 화살표</translation>
    </message>
</context>
<context>
    <name>StageView</name>
    <message>
        <source>n/a</source>
        <translation>해당 없음</translation>
    </message>
    <message>
        <source>(socket %1)</source>
        <translation>(소켓 %1)</translation>
    </message>
    <message>
        <source>kernel only</source>
        <translation>커널 전용</translation>
    </message>
    <message>
        <source>fd %1</source>
        <translation>fd %1</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>닫힘</translation>
    </message>
    <message>
        <source>no sample</source>
        <translation>샘플 없음</translation>
    </message>
    <message>
        <source>unbound</source>
        <translation>바인드 안 됨</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>accept</translation>
    </message>
    <message>
        <source>send</source>
        <translation>송신</translation>
    </message>
    <message>
        <source>recv</source>
        <translation>수신</translation>
    </message>
    <message>
        <source>non-blocking</source>
        <translation>논블로킹</translation>
    </message>
    <message>
        <source>Press Step (F10) to run the first line.</source>
        <translation>한 단계(F10)를 누르면 첫 줄을 실행합니다.</translation>
    </message>
    <message>
        <source>kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>sockets without a descriptor</source>
        <translation>디스크립터가 없는 소켓</translation>
    </message>
    <message>
        <source>not yet accepted</source>
        <translation>아직 accept 안 됨</translation>
    </message>
    <message>
        <source>closed, kept by the kernel</source>
        <translation>닫혔지만 커널이 유지</translation>
    </message>
    <message>
        <source>NB</source>
        <comment>non-blocking, on a narrow card</comment>
        <translation>NB</translation>
    </message>
    <message>
        <source>%1, kept by the kernel</source>
        <comment>a closed socket&apos;s continuation</comment>
        <translation>%1, 커널이 보관 중</translation>
    </message>
    <message>
        <source>fd %1 released</source>
        <comment>close() released the descriptor</comment>
        <translation>fd %1 반환됨</translation>
    </message>
    <message>
        <source>window 0</source>
        <translation>window 0</translation>
    </message>
    <message>
        <source>1 datagram</source>
        <translation>데이터그램 1개</translation>
    </message>
    <message>
        <source>%1 datagrams</source>
        <translation>데이터그램 %1개</translation>
    </message>
    <message>
        <source>drops %1</source>
        <translation>버림 %1</translation>
    </message>
    <message>
        <source>R: readable (poll POLLIN): recv() or accept() would not block — data, end-of-file or a connection is waiting.</source>
        <translation>R: 읽기 가능(poll POLLIN): recv()나 accept()가 블록되지 않습니다 — 데이터, 파일 끝 또는 연결이 기다립니다.</translation>
    </message>
    <message>
        <source>W: writable (poll POLLOUT): send() would not block — the send queue has room.</source>
        <translation>W: 쓰기 가능(poll POLLOUT): send()가 블록되지 않습니다 — 송신 큐에 공간이 있습니다.</translation>
    </message>
    <message>
        <source>ERR: an error is pending on the socket (poll POLLERR, read with SO_ERROR), e.g. a refused connection. Not select()&apos;s exceptional set, which means urgent (out-of-band) data.</source>
        <translation>ERR: 소켓에 대기 중인 오류가 있습니다(poll POLLERR, SO_ERROR로 읽음). 예: 거부된 연결. select()의 예외 집합과는 다릅니다 — 그것은 긴급(대역 외) 데이터를 뜻합니다.</translation>
    </message>
    <message>
        <source>Pair %1: the cards marked %1 in this colour are the two ends of one connection.</source>
        <translation>짝 %1: 이 색으로 %1이 표시된 카드들은 한 연결의 양 끝입니다.</translation>
    </message>
    <message>
        <source>close() released the descriptor: this socket is gone from the program. What the kernel still does with the connection shows on a dashed card in the kernel lane, linked to this one.</source>
        <translation>close()가 디스크립터를 반환했습니다: 이 소켓은 프로그램에서 사라졌습니다. 커널이 그 연결로 아직 하는 일은 커널 레인의 점선 카드에 보이며, 이 카드와 이어져 있습니다.</translation>
    </message>
    <message>
        <source>descriptor released by close()</source>
        <translation>close()로 디스크립터 반환됨</translation>
    </message>
    <message>
        <source>datagram</source>
        <translation>데이터그램</translation>
    </message>
</context>
<context>
    <name>TimeTravel</name>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Save Trace…</source>
        <translation>트레이스 저장(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Open Trace…</source>
        <translation>트레이스 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Back to Live</source>
        <translation>실시간으로 돌아가기(&amp;B)</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>타임라인</translation>
    </message>
    <message>
        <source>There is no trace to save.</source>
        <translation>저장할 트레이스가 없습니다.</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>%1행: %2</translation>
    </message>
    <message>
        <source>Replay of %1</source>
        <translation>%1 다시 보기</translation>
    </message>
    <message>
        <source>Replay of %1 (%2)</source>
        <translation>%1 다시 보기 (%2)</translation>
    </message>
    <message>
        <source>Save Trace</source>
        <translation>트레이스 저장</translation>
    </message>
    <message>
        <source>Socket Lab traces (*.jsonl);;All files (*)</source>
        <translation>소켓 랩 트레이스 (*.jsonl);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1을(를) 저장하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 저장됨</translation>
    </message>
    <message>
        <source>Open Trace</source>
        <translation>트레이스 열기</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>%1을(를) 열지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Another trace is being opened.</source>
        <translation>다른 트레이스를 여는 중입니다.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 읽는 중…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Reading was cancelled.</source>
        <translation>읽기를 취소했습니다.</translation>
    </message>
    <message>
        <source>This trace is incomplete (%1). It is shown up to where it stops.</source>
        <translation>이 트레이스는 불완전합니다(%1). 끊긴 곳까지만 보여 줍니다.</translation>
    </message>
    <message>
        <source> — incomplete trace</source>
        <translation> — 불완전한 트레이스</translation>
    </message>
    <message>
        <source> — the run was interrupted</source>
        <translation> — 실행이 중단됨</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Drag to travel in time · Left/Right: previous/next call · Home/End</source>
        <translation>드래그하여 시간 여행 · 왼쪽/오른쪽: 이전/다음 호출 · Home/End</translation>
    </message>
    <message>
        <source>no events yet</source>
        <translation>아직 이벤트 없음</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Live</source>
        <translation>실시간</translation>
    </message>
    <message>
        <source>Follow the newest event (End)</source>
        <translation>최신 이벤트 따라가기 (End)</translation>
    </message>
    <message>
        <source>event %1 / %2 · %3 s</source>
        <translation>이벤트 %1 / %2 · %3초</translation>
    </message>
    <message>
        <source>Back to live</source>
        <translation>실시간으로 돌아가기</translation>
    </message>
    <message>
        <source>Replay of %1</source>
        <translation>%1 다시 보기</translation>
    </message>
</context>
<context>
    <name>TraceProgram</name>
    <message>
        <source>&amp;Trace a Program…</source>
        <translation>프로그램 &amp;추적…</translation>
    </message>
    <message>
        <source>Trace a Program</source>
        <translation>프로그램 추적</translation>
    </message>
    <message>
        <source>Working Directory</source>
        <translation>작업 디렉터리</translation>
    </message>
    <message>
        <source>Run a program of yours (python3 client.py, curl, nc) and watch every socket call it makes, live or one call at a time</source>
        <translation>직접 만든 프로그램(python3 client.py, curl, nc)을 실행하고, 그 프로그램이 하는 소켓 호출을 실시간으로 또는 한 호출씩 지켜봅니다</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Step each call: it waits until Step (F10)</source>
        <translation>호출마다 한 스텝: 스텝(F10)을 누를 때까지 기다립니다</translation>
    </message>
    <message>
        <source>Run: the calls go on by themselves</source>
        <translation>실행: 호출이 저절로 이어집니다</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>명령줄:</translation>
    </message>
    <message>
        <source>Working directory:</source>
        <translation>작업 디렉터리:</translation>
    </message>
    <message>
        <source>The program&apos;s standard input is empty and its output goes to the lab&apos;s. The lab never changes what the program may do and never traces a setuid program.</source>
        <translation>프로그램의 표준 입력은 비어 있고, 출력은 랩의 출력으로 갑니다. 랩은 프로그램이 할 수 있는 일을 바꾸지 않으며, setuid 프로그램은 추적하지 않습니다.</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>추적</translation>
    </message>
    <message>
        <source>The program could not be traced: %1</source>
        <translation>프로그램을 추적할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>A program is being traced already.</source>
        <translation>이미 다른 프로그램을 추적하고 있습니다.</translation>
    </message>
    <message>
        <source>%1 is not a directory</source>
        <translation>%1은(는) 디렉터리가 아닙니다</translation>
    </message>
    <message>
        <source>Next call: %1 — Step (F10) runs it, Run lets the program go on</source>
        <translation>다음 호출: %1 — 스텝(F10)은 이 호출을 실행하고, 실행은 프로그램을 계속 진행시킵니다</translation>
    </message>
    <message>
        <source>Tracing %1 (pid %2)</source>
        <translation>%1 추적 중 (pid %2)</translation>
    </message>
    <message>
        <source>%1 exited with status %2; %3 socket calls traced</source>
        <translation>%1이(가) 상태 %2로 끝났습니다; 소켓 호출 %3개를 추적했습니다</translation>
    </message>
    <message>
        <source>Running %1</source>
        <translation>%1 실행 중</translation>
    </message>
</context>
<context>
    <name>TraceTableModel</name>
    <message>
        <source>Time (s)</source>
        <translation>시간 (초)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>액터</translation>
    </message>
    <message>
        <source>Socket</source>
        <translation>소켓</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>행</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>세부 정보</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>해당 없음</translation>
    </message>
    <message>
        <source>%1  accept queue %2 / backlog %3  [%4]</source>
        <translation>%1  accept 큐 %2 / backlog %3  [%4]</translation>
    </message>
    <message>
        <source>%1  sendQ %2 (unsent %3) / SO_SNDBUF %4  recvQ %5 / SO_RCVBUF %6  [%7]</source>
        <translation>%1  sendQ %2 (미전송 %3) / SO_SNDBUF %4  recvQ %5 / SO_RCVBUF %6  [%7]</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>블록됨</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source> in %1()</source>
        <translation> %1() 안에서</translation>
    </message>
    <message>
        <source>  (kernel wait point %1)</source>
        <translation>  (커널 대기 지점 %1)</translation>
    </message>
    <message>
        <source>kernel-only socket (no descriptor)</source>
        <translation>커널 전용 소켓 (디스크립터 없음)</translation>
    </message>
    <message>
        <source>fd %1  %2</source>
        <translation>fd %1  %2</translation>
    </message>
    <message>
        <source>gone from the kernel</source>
        <translation>커널에서 사라짐</translation>
    </message>
    <message>
        <source>descriptor closed</source>
        <translation>디스크립터 닫힘</translation>
    </message>
    <message>
        <source>block at line %1</source>
        <translation>%1행의 블록</translation>
    </message>
    <message>
        <source>  partial: %L1 of %L2 bytes</source>
        <translation>  부분 전송: %L2바이트 중 %L1바이트</translation>
    </message>
    <message>
        <source>  took %1 ms</source>
        <translation>  %1 ms 걸림</translation>
    </message>
    <message>
        <source>  timeout None</source>
        <translation>  timeout None</translation>
    </message>
    <message>
        <source>  timeout %1 s</source>
        <translation>  timeout %1초</translation>
    </message>
    <message>
        <source>ok: %1</source>
        <translation>통과: %1</translation>
    </message>
    <message>
        <source>FAILED: %1</source>
        <translation>실패: %1</translation>
    </message>
</context>
<context>
    <name>WatchWindow</name>
    <message>
        <source>Watch — process %1 (%2)</source>
        <translation>지켜보기 — 프로세스 %1 (%2)</translation>
    </message>
    <message>
        <source>Watch — port %1</source>
        <translation>지켜보기 — 포트 %1</translation>
    </message>
    <message>
        <source>Watch a running program</source>
        <translation>실행 중인 프로그램 지켜보기</translation>
    </message>
    <message>
        <source>Process id, or :port for every socket on a port:</source>
        <translation>프로세스 ID, 또는 한 포트의 모든 소켓을 보려면 :포트</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>지켜보기</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a process id nor :port.</source>
        <translation>&apos;%1&apos;은(는) 프로세스 ID도 :포트도 아닙니다.</translation>
    </message>
    <message>
        <source>%1 TCP socket(s), refreshed every second</source>
        <translation>TCP 소켓 %1개, 1초마다 새로 고침</translation>
    </message>
</context>
<context>
    <name>sl::ui</name>
    <message>
        <source>New TCP socket…</source>
        <translation>새 TCP 소켓…</translation>
    </message>
    <message>
        <source>New UDP socket…</source>
        <translation>새 UDP 소켓…</translation>
    </message>
    <message>
        <source>bind()…</source>
        <translation>bind()…</translation>
    </message>
    <message>
        <source>listen()…</source>
        <translation>listen()…</translation>
    </message>
    <message>
        <source>connect()…</source>
        <translation>connect()…</translation>
    </message>
    <message>
        <source>accept()…</source>
        <translation>accept()…</translation>
    </message>
    <message>
        <source>send()…</source>
        <translation>send()…</translation>
    </message>
    <message>
        <source>recv()…</source>
        <translation>recv()…</translation>
    </message>
    <message>
        <source>shutdown()…</source>
        <translation>shutdown()…</translation>
    </message>
    <message>
        <source>close()…</source>
        <translation>close()…</translation>
    </message>
    <message>
        <source>setblocking()…</source>
        <translation>setblocking()…</translation>
    </message>
    <message>
        <source>setsockopt() buffer size…</source>
        <translation>setsockopt() 버퍼 크기…</translation>
    </message>
    <message>
        <source>select()…</source>
        <translation>select()…</translation>
    </message>
    <message>
        <source>name the actor with a plain word, e.g. client</source>
        <translation>액터 이름은 간단한 단어로 지으세요 (예: client)</translation>
    </message>
    <message>
        <source>choose a socket</source>
        <translation>소켓을 고르세요</translation>
    </message>
    <message>
        <source>a port is 0 … 65535 (0: the kernel picks one)</source>
        <translation>포트는 0 … 65535입니다 (0: 커널이 고름)</translation>
    </message>
    <message>
        <source>choose the socket to connect to (a listener)</source>
        <translation>연결할 소켓(리스너)을 고르세요</translation>
    </message>
    <message>
        <source>send at least one byte</source>
        <translation>적어도 1바이트는 보내세요</translation>
    </message>
    <message>
        <source>recv(n) needs n ≥ 1</source>
        <translation>recv(n)에는 n ≥ 1이 필요합니다</translation>
    </message>
    <message>
        <source>a buffer size is at least 1 byte</source>
        <translation>버퍼 크기는 최소 1바이트입니다</translation>
    </message>
    <message>
        <source>with no socket and no timeout, select() would wait forever</source>
        <translation>소켓도 타임아웃도 없으면 select()는 영원히 기다립니다</translation>
    </message>
</context>
<context>
    <name>sl::ui::AnalysisDocks</name>
    <message>
        <source>all kinds</source>
        <translation>모든 종류</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>표시:</translation>
    </message>
    <message>
        <source>select()</source>
        <translation>select()</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>인스펙터</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>트레이스</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
</context>
<context>
    <name>sl::ui::Inspector</name>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>소유자</translation>
    </message>
    <message>
        <source>TCP state</source>
        <translation>TCP 상태</translation>
    </message>
    <message>
        <source>Descriptor</source>
        <translation>디스크립터</translation>
    </message>
    <message>
        <source>Local address</source>
        <translation>로컬 주소</translation>
    </message>
    <message>
        <source>Peer address</source>
        <translation>상대 주소</translation>
    </message>
    <message>
        <source>SO_SNDBUF</source>
        <translation>SO_SNDBUF</translation>
    </message>
    <message>
        <source>SO_RCVBUF</source>
        <translation>SO_RCVBUF</translation>
    </message>
    <message>
        <source>Send queue (SIOCOUTQ)</source>
        <translation>송신 큐 (SIOCOUTQ)</translation>
    </message>
    <message>
        <source>  not yet sent (SIOCOUTQNSD)</source>
        <translation>  아직 보내지 않음 (SIOCOUTQNSD)</translation>
    </message>
    <message>
        <source>Receive queue (SIOCINQ)</source>
        <translation>수신 큐 (SIOCINQ)</translation>
    </message>
    <message>
        <source>Accept queue</source>
        <translation>accept 큐</translation>
    </message>
    <message>
        <source>Backlog</source>
        <translation>backlog</translation>
    </message>
    <message>
        <source>Readiness (poll)</source>
        <translation>준비 상태 (poll)</translation>
    </message>
    <message>
        <source>Blocking mode</source>
        <translation>블로킹 모드</translation>
    </message>
    <message>
        <source>Kernel-only</source>
        <translation>커널 전용</translation>
    </message>
    <message>
        <source>Shown at</source>
        <translation>표시 시점</translation>
    </message>
    <message>
        <source>Receive fill</source>
        <translation>수신 채움</translation>
    </message>
    <message>
        <source>Send fill</source>
        <translation>송신 채움</translation>
    </message>
</context>
<context>
    <name>sl::ui::SelectModel</name>
    <message>
        <source>read set</source>
        <translation>읽기 집합</translation>
    </message>
    <message>
        <source>write set</source>
        <translation>쓰기 집합</translation>
    </message>
    <message>
        <source>exception set</source>
        <translation>예외 집합</translation>
    </message>
</context>
<context>
    <name>sl::ui::Sequence</name>
    <message>
        <source>block at line %1</source>
        <translation>%1행의 블록</translation>
    </message>
    <message>
        <source>%L1 bytes</source>
        <translation>%L1바이트</translation>
    </message>
    <message>
        <source>end of file — the peer closed</source>
        <translation>파일 끝(EOF) — 상대가 닫았습니다</translation>
    </message>
</context>
<context>
    <name>sl::ui::Snapshot</name>
    <message>
        <source>step %1 of %2</source>
        <translation>%2단계 중 %1단계</translation>
    </message>
</context>
<context>
    <name>sl::ui::Stage</name>
    <message>
        <source>blocked in %1() for %2 s</source>
        <translation>%1()에서 %2초째 블록됨</translation>
    </message>
    <message>
        <source>running %1()</source>
        <translation>%1() 실행 중</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>relay: closed</source>
        <translation>중계: 닫힘</translation>
    </message>
    <message>
        <source>relay: cut, holds %1 bytes</source>
        <translation>중계: 끊김, %1바이트 보관 중</translation>
    </message>
    <message>
        <source>relay: forwarding, holds %1 bytes</source>
        <translation>중계: 전달 중, %1바이트 보관 중</translation>
    </message>
    <message>
        <source>relay: cut, holds 1 byte</source>
        <translation>중계: 끊김, 1바이트 보관 중</translation>
    </message>
    <message>
        <source>relay: forwarding, holds 1 byte</source>
        <translation>중계: 전달 중, 1바이트 보관 중</translation>
    </message>
</context>
</TS>
