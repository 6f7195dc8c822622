// PlaygroundDialog: the few parameters of one playground action (actor, socket,
// number, text, choice, select sets), with the .lab line they make shown live below,
// so the learner sees the syntax before the call is made.
//
// Thread affinity: GUI thread. Makes no call; the Playground performs the line.
#pragma once

#include "view/playgroundline.h"

#include <QDialog>
#include <array>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace sl::ui {

class PlaygroundDialog : public QDialog {
    Q_OBJECT
public:
    PlaygroundDialog(const PlayRequest &initial, const PlayContext &ctx, QWidget *parent = nullptr);

    PlayRequest request() const;
    QString line() const; // "" while the request is incomplete

private:
    void updatePreview();

    PlayRequest m_initial;
    PlayContext m_ctx;
    QComboBox *m_actor = nullptr;
    QComboBox *m_sock = nullptr;
    QComboBox *m_target = nullptr;
    QSpinBox *m_number = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_choice = nullptr;
    std::vector<std::array<QCheckBox *, 3>> m_sets; // Select: r, w, x per socket
    QDoubleSpinBox *m_timeout = nullptr;
    QCheckBox *m_forever = nullptr;
    QLabel *m_preview = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace sl::ui
